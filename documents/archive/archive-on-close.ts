// 结案归档: when a case closes, its electronic case file is built and kept — sealed with the court seal,
// the ZIP in the blob store, a `documents` row of kind caseFile with a 验证码 printed on the catalogue
// (archive/stored-case-file.ts). Like the hearing spawner it listens to the case actor's event batches
// (CLOSE) and reconciles once at start, so a case closed while no node ran, or whose build failed (the CA
// not yet set up, a missing file), is filed on a later pass. One pass at a time per node; two nodes racing
// on one case both build, the unique index keeps the first and the second's bytes stay an unreferenced
// blob (content-addressed, harmless).
import type { Bus } from '../../actors/bus/bus.ts';
import { startEventBatchReactor } from '../../actors/runtime/event-batch-reactor.ts';
import type { Config } from '../../platform/config.ts';
import type { Logger } from '../../platform/logger.ts';
import { SYSTEM_ACTOR } from '../../storage/audit/write-audit.ts';
import type { BlobStore } from '../../storage/blobs/blob-store.ts';
import type { Db } from '../../storage/database.ts';
import { openCourtCa } from '../ca/open-court-ca.ts';
import type { CourtCa } from '../ca/court-ca.ts';
import { verificationMarkOf } from '../verification/public-url.ts';
import { newVerificationCode } from '../verification/verification-code.ts';
import { buildCaseFile, caseFileZip, CASE_FILE_SEAL_ID } from './build-case-file.ts';
import { listClosedCasesWithoutCaseFile } from './closed-cases-to-file.ts';
import { findStoredCaseFile, recordCaseFile } from './stored-case-file.ts';

export interface CaseFileArchiver {
  /** Files what is missing (one case, or every closed case); resolves when that pass is done. */
  reconcile(caseId?: string): Promise<CaseFileArchiveResult[]>;
  stop(): Promise<void>;
}

export interface CaseFileArchiveResult {
  caseId: string;
  outcome: 'filed' | 'alreadyFiled' | 'failed';
  documentId?: string;
  verificationCode?: string;
  reason?: string;
}

export interface CaseFileArchiverOptions {
  bus: Bus;
  db: Db;
  blobs: BlobStore;
  config: Config;
  logger: Logger;
  /** The court CA (defaults to the node's, from ECOURT_CA_DIR); read afresh on every pass, as `ecourt ca` may change it. */
  openCa?: () => CourtCa;
}

/** Builds, stores and records one closed case's case file (nothing when it is already there). */
export async function fileCaseOnClose({ db, blobs, config, ca, caseId }: { db: Db; blobs: BlobStore; config: Config; ca: CourtCa; caseId: string }): Promise<CaseFileArchiveResult> {
  const existing = await findStoredCaseFile({ db, caseId });
  if (existing) return { caseId, outcome: 'alreadyFiled', documentId: existing.id, ...(existing.verificationCode ? { verificationCode: existing.verificationCode } : {}) };
  const code = newVerificationCode();
  const built = await buildCaseFile({
    db,
    blobs,
    caseId,
    signer: ca.signer(CASE_FILE_SEAL_ID),
    trust: { root: ca.rootCertificate(), crl: ca.crl() },
    actor: SYSTEM_ACTOR,
    verification: verificationMarkOf(config, code),
  });
  const blob = await blobs.put(caseFileZip(built));
  const recorded = await recordCaseFile({ db, caseId, blob, manifest: built.manifest, verificationCode: code });
  if (!recorded.issued) return { caseId, outcome: 'alreadyFiled', documentId: recorded.id };
  return { caseId, outcome: 'filed', documentId: recorded.id, verificationCode: code };
}

export function startCaseFileArchiver({ bus, db, blobs, config, logger, openCa = () => openCourtCa(config) }: CaseFileArchiverOptions): CaseFileArchiver {
  const log = logger.child({ component: 'case-file-archiver' });

  const fileMissing = async (caseId: string | undefined, stopped: () => boolean): Promise<CaseFileArchiveResult[]> => {
    const caseIds = await listClosedCasesWithoutCaseFile({ db, ...(caseId ? { caseId } : {}) });
    if (caseIds.length === 0) return [];
    const ca = openCa();
    if (!ca.initialised) {
      log.warn('closed cases wait for their case file: the court CA is not set up (ecourt ca init)', { cases: caseIds.length });
      return caseIds.map((id) => ({ caseId: id, outcome: 'failed' as const, reason: 'CA_NOT_INITIALISED' }));
    }
    const results: CaseFileArchiveResult[] = [];
    for (const id of caseIds) {
      if (stopped()) break;
      try {
        const result = await fileCaseOnClose({ db, blobs, config, ca, caseId: id });
        if (result.outcome === 'filed') log.info('case file filed', { caseId: id, documentId: result.documentId });
        results.push(result);
      } catch (error) {
        // One case's problem (a missing file, a revoked seal) must not hold up the others; the next pass retries.
        log.warn('case file not filed', { caseId: id, error });
        results.push({ caseId: id, outcome: 'failed', reason: error instanceof Error ? error.message : String(error) });
      }
    }
    return results;
  };

  return startEventBatchReactor({
    bus,
    kind: 'case',
    eventTypes: new Set(['CLOSE']),
    log,
    failure: 'filing case files failed',
    idle: (): CaseFileArchiveResult[] => [],
    pass: fileMissing,
  });
}
