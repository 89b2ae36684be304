// Issuing a court document (出具文书): the template rendered to PDF with its verification code printed
// (text and QR), sealed with the court seal over the court's name (or the date line) in the signature
// block, stored, and recorded as the case's document with an audit row. The system is the operator: a
// stage hook issues it, nobody asked for it. Idempotent per (case, kind[, hearing][, addressee]): the stage hooks
// run again at every start, and two nodes may react to the same event.
import type { Config } from '../../platform/config.ts';
import { AppError } from '../../platform/errors.ts';
import type { Logger } from '../../platform/logger.ts';
import type { BlobStore } from '../../storage/blobs/blob-store.ts';
import type { CourtDocument } from '../../storage/documents/court-documents.ts';
import { findIssuedCaseDocument, insertIssuedDocument } from '../../storage/documents/insert-issued-document.ts';
import type { Db } from '../../storage/database.ts';
import type { CertificateEntry, CourtCa, Signer } from '../ca/court-ca.ts';
import { buildCourtDocument, TEMPLATES, type TemplateName } from '../templates/index.ts';
import { timestampSignedPdf } from '../tsa/stamp-signature.ts';
import { timestamperFromConfig } from '../tsa/timestamper.ts';
import { newVerificationCode, verificationUrl } from '../verification/verification-code.ts';
import { issuingPool } from './issuing-pool.ts';
import type { renderAndSeal } from './render-and-seal.ts';

export interface DocumentIssuing {
  db: Db;
  blobs: BlobStore;
  ca: CourtCa;
  config: Pick<Config, 'ECOURT_TSA'>;
  logger: Logger;
  /** The portal's public address, printed in the verification QR code. */
  publicUrl: string;
  /** Who renders and seals: default the process's issuing pool (worker threads); `{ renderAndSeal }` does it in this thread. */
  renderer?: { renderAndSeal: typeof renderAndSeal };
}

export interface IssueRequest {
  caseId: string;
  /** A hearing's document (summons, transcript): one per hearing and kind. */
  hearingId?: string | null;
  /** A document to one party (a 传票 per party, an 应诉通知书 per defendant): its key, 'defendants.0' …; one per addressee. */
  addressee?: string | null;
  template: TemplateName;
  data: unknown;
  /** Title as listed; default the template's (受理通知书 …). */
  title?: string;
  details?: Record<string, unknown>;
}

const PDF = 'application/pdf';
/** The certificate id `ecourt ca issue court --kind court-seal` gives the court seal by convention. */
const PREFERRED_SEAL_ID = 'court';

/**
 * The court seal a document of this court carries: a usable court seal bearing the court's name (a node may
 * serve several courts, each with its seal), else the certificate `court`, else the first court seal not
 * revoked or expired.
 */
export function courtSealOf(ca: CourtCa, courtName?: string): CertificateEntry {
  const now = Date.now();
  const usable = ca
    .list()
    .certificates.filter((entry) => entry.kind === 'court-seal' && !entry.revokedAt && Date.parse(entry.notAfter) > now);
  const seal = usable.find((entry) => entry.name === courtName) ?? usable.find((entry) => entry.id === PREFERRED_SEAL_ID) ?? usable[0];
  if (!seal) throw new AppError('SEAL_NOT_FOUND', 'The court CA has no usable court seal / 法院CA没有可用的院章', { kind: 'court-seal' });
  return seal;
}

// Opening a seal's key (reading and decrypting it, parsing its certificates) cost more of the main thread
// than the rest of issuing; the key of a certificate never changes, so it is opened once per process. Which
// seal signs is still decided afresh for every document (courtSealOf reads the CA's state: a revoked or
// expired seal is not used), and a re-issued seal has a new serial, so it is opened anew.
const openedSigners = new Map<string, Signer>();

function signerOf(ca: CourtCa, seal: CertificateEntry): Signer {
  const key = `${ca.dir}\0${seal.id}\0${seal.serial}`;
  let signer = openedSigners.get(key);
  if (!signer) {
    signer = ca.signer(seal.id);
    openedSigners.set(key, signer);
  }
  return signer;
}

/**
 * Renders, seals, stores and records the document — or returns the one already issued for the same case,
 * kind, hearing and addressee (`issued: false`). Template data errors → DOCUMENT_DATA_INVALID listing the fields,
 * before anything is stored.
 */
export async function issueCaseDocument(issuing: DocumentIssuing, request: IssueRequest): Promise<{ document: CourtDocument; issued: boolean }> {
  const hearingId = request.hearingId ?? null;
  const addressee = request.addressee ?? null;
  const existing = await findIssuedCaseDocument({ db: issuing.db, caseId: request.caseId, hearingId, kind: request.template, addressee });
  if (existing) return { document: existing, issued: false };

  const model = buildCourtDocument(request.template, request.data);
  const code = newVerificationCode();
  const seal = courtSealOf(issuing.ca, model.courtName);
  const timestamper = timestamperFromConfig(issuing.config.ECOURT_TSA, issuing.ca);
  // Rendered and sealed over the court's name (or the date line) off the main thread; timestamped and stored here.
  const rendered = await (issuing.renderer ?? issuingPool()).renderAndSeal({
    model,
    verification: { code, url: verificationUrl(issuing.publicUrl, code) },
    signer: signerOf(issuing.ca, seal),
  });
  const sealed = timestamper ? await timestampSignedPdf(rendered.sealed, timestamper) : rendered.sealed;
  const blob = await issuing.blobs.put(Buffer.from(sealed.bytes));
  const outcome = await insertIssuedDocument({
    db: issuing.db,
    blob,
    mimeType: PDF,
    facts: {
      caseId: request.caseId,
      hearingId,
      kind: request.template,
      addressee,
      title: request.title ?? TEMPLATES[request.template].title,
      verificationCode: code,
      pageCount: rendered.pageCount,
      details: { ...request.details, sealId: seal.id, unsealedSha256: rendered.unsealedSha256 },
    },
  });
  if (outcome.issued) {
    issuing.logger.info('court document issued', { caseId: request.caseId, hearingId, kind: request.template, addressee, documentId: outcome.document.id, sealId: seal.id });
  }
  return outcome;
}
