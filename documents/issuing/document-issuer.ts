// The stage hooks (issue 7 point 8): the case actor's transitions produce their sealed documents. After
// a case journals ACCEPT (受理通知书, an 应诉通知书 per defendant, 举证通知书), SCHEDULE_HEARING (a 传票 per party) or
// ISSUE_JUDGMENT (民事判决书) or RECORD_SERVICE (a 送达回证 per party) — heard as its event batch on the bus — and once at start for whatever was
// missed while no issuer ran, every document the case's stage calls for and that is not there yet is
// issued (issue-document.ts, idempotent per case, kind and addressee). A document whose data is incomplete is not
// issued; the refusal and its fields are recorded for court staff (storage/documents/issue-refusals.ts).
// Pattern: actors/runtime/event-batch-reactor.ts. The hearing transcript is issued where the review ends
// (hub/hearings/transcript-confirmation.ts).
import type { Bus } from '../../actors/bus/bus.ts';
import { startEventBatchReactor } from '../../actors/runtime/event-batch-reactor.ts';
import { isEmbedded, type Config } from '../../platform/config.ts';
import { AppError } from '../../platform/errors.ts';
import type { Logger } from '../../platform/logger.ts';
import type { BlobStore } from '../../storage/blobs/blob-store.ts';
import type { Db } from '../../storage/database.ts';
import { readCaseIssuingFacts } from '../../storage/documents/case-issuing-facts.ts';
import { findIssuedCaseDocument } from '../../storage/documents/insert-issued-document.ts';
import { recordIssueRefusal } from '../../storage/documents/issue-refusals.ts';
import { listCasesWithDocumentsDue } from '../../storage/documents/list-cases-with-documents-due.ts';
import { openCourtCa } from '../ca/open-court-ca.ts';
import { caseFieldOf, documentsDue } from './case-document-data.ts';
import { ensureCourtSeals } from './ensure-court-seals.ts';
import { issueCaseDocument, type DocumentIssuing } from './issue-document.ts';

/** The case events after which documents are due. */
const STAGE_EVENTS = new Set(['ACCEPT', 'SCHEDULE_HEARING', 'ISSUE_JUDGMENT', 'RECORD_SERVICE']);

export interface DocumentIssuer {
  /** Issues what is due and missing (of one case, or of every case); resolves when done. */
  reconcile(caseId?: string): Promise<{ issued: number; refused: number }>;
  /** What issuing needs now (the CA opened afresh), or null without a court CA: for the hearing transcript. */
  issuing(): Promise<DocumentIssuing | null>;
  stop(): Promise<void>;
}

export interface DocumentIssuerOptions {
  bus: Bus;
  db: Db;
  blobs: BlobStore;
  config: Config;
  logger: Logger;
  publicUrl: string;
}

export function startDocumentIssuer({ bus, db, blobs, config, logger, publicUrl }: DocumentIssuerOptions): DocumentIssuer {
  const log = logger.child({ component: 'document-issuer' });
  let warnedNoCa = false;

  /** The CA is opened per pass, so `ecourt ca init/revoke` count without a restart; null when there is none. */
  const issuing = async (): Promise<DocumentIssuing | null> => {
    const ca = openCourtCa(config);
    if (isEmbedded(config)) await ensureCourtSeals({ ca, db, logger: log });
    if (!ca.initialised) {
      if (!warnedNoCa) log.warn('no court CA (ecourt ca init): stage documents are not issued', { dir: ca.dir });
      warnedNoCa = true;
      return null;
    }
    return { db, blobs, ca, config, logger: log, publicUrl };
  };

  const issueDue = async (caseId: string | undefined, stopped: () => boolean) => {
    const tally = { issued: 0, refused: 0 };
    const context = await issuing();
    if (!context) return tally;
    const caseIds = caseId ? [caseId] : await listCasesWithDocumentsDue({ db });
    for (const id of caseIds) {
      if (stopped()) break;
      const facts = await readCaseIssuingFacts({ db, caseId: id });
      if (!facts) continue;
      for (const due of documentsDue(facts)) {
        if (stopped()) break;
        const addressee = due.addressee ?? null;
        if (await findIssuedCaseDocument({ db, caseId: id, hearingId: due.hearingId, kind: due.template, addressee })) continue;
        try {
          const { issued } = await issueCaseDocument(context, {
            caseId: id,
            hearingId: due.hearingId,
            addressee,
            template: due.template,
            data: due.data,
            ...(due.title ? { title: due.title } : {}),
            ...(due.details ? { details: due.details } : {}),
          });
          if (issued) tally.issued++;
        } catch (error) {
          if (!(error instanceof AppError)) throw error;
          tally.refused++;
          const reported = (error.details as { fields?: unknown } | undefined)?.fields;
          // Named as the case names them: 'defendants.1.address', not the one-party document's 'summoned.address'.
          const fields = Array.isArray(reported) ? (reported as { field: string; message: string }[]).map((field) => ({ ...field, field: caseFieldOf(due, field.field) })) : [];
          const written = await recordIssueRefusal({ db, refusal: { caseId: id, hearingId: due.hearingId, addressee, kind: due.template, code: error.code, message: error.message, fields } });
          if (written) log.warn('court document not issued', { caseId: id, kind: due.template, addressee, code: error.code, fields: fields.map((field) => field.field) });
        }
      }
    }
    return tally;
  };

  // One pass at a time: a burst of events must not render the same document twice concurrently.
  const reactor = startEventBatchReactor({
    bus,
    kind: 'case',
    eventTypes: STAGE_EVENTS,
    log,
    failure: 'issuing court documents failed',
    idle: () => ({ issued: 0, refused: 0 }),
    pass: issueDue,
  });
  return { reconcile: reactor.reconcile, issuing, stop: reactor.stop };
}
