// Sealing a case's document through the API (用印 and 用印审批): who may, the trial sealing that checks a
// request before it waits for a judge, and the real one — the PDF read from the blob store, sealed with
// the court CA (applySeal), stored as the document's new content, recorded with its audit row.
// A judge's signature (a `person` certificate) is applied only by the judge it belongs to: never by
// another operator, never as a clerk's request someone else approves (SIGNATURE_NOT_YOURS).
// The document keeps its id and row: its content becomes the sealed PDF (which holds the original
// bytes untouched as its first revision); the hashes before and after are in the application.
import type { Config } from '../../platform/config.ts';
import { AppError, NotFoundError } from '../../platform/errors.ts';
import { decideSeal, mayApproveSeal, rolesForSeal, signatureIsTheirs } from '../../platform/seal-roles.ts';
import type { BlobStore } from '../../storage/blobs/blob-store.ts';
import type { Db } from '../../storage/database.ts';
import { getSealableDocument, type SealableDocument } from '../../storage/documents/get-sealable-document.ts';
import { getSealApplication } from '../../storage/seal-applications/get-seal-application.ts';
import { documentChanged, recordAppliedSeal } from '../../storage/seal-applications/record-applied-seal.ts';
import { refuseSeal } from '../../storage/seal-applications/refuse-seal.ts';
import { requestSeal } from '../../storage/seal-applications/request-seal.ts';
import { getUser } from '../../storage/users/get-user.ts';
import type { SealApplication, SealOperator, SealRequestFacts } from '../../storage/seal-applications/seal-applications.ts';
import type { CertificateEntry, CourtCa } from '../ca/court-ca.ts';
import { applySeal, type SealedPdf, type SealPlacement } from '../seal/apply-seal.ts';
import { timestamperFromConfig } from '../tsa/timestamper.ts';

export interface CaseSealing {
  db: Db;
  blobs: BlobStore;
  ca: CourtCa;
  config: Pick<Config, 'ECOURT_SEAL_ROLES' | 'ECOURT_SEAL_NEEDS_APPROVAL' | 'ECOURT_TSA'>;
}

export interface SealOutcome {
  application: SealApplication;
  /** The document's content after sealing; absent while a request waits. */
  document?: { id: string; sha256: string; sizeBytes: number };
}

const PDF = 'application/pdf';

function sealOf(ca: CourtCa, sealId: string): CertificateEntry {
  const entry = ca.list().certificates.find((candidate) => candidate.id === sealId);
  if (!entry) throw new AppError('SEAL_NOT_FOUND', `The court has no seal "${sealId}" / 法院无此印章`, { sealId });
  return entry;
}

const roleRefused = (role: string, sealId: string) =>
  new AppError('SEAL_ROLE_NOT_ALLOWED', `A ${role} may not use the seal "${sealId}" / 您的角色无权使用该印章`, { sealId, role });

/**
 * Refuses a judge's signature to anyone but its holder. The account's name is read only for an
 * unbound (older) certificate, whose rule is the name it signs with (platform/seal-roles.ts).
 */
async function assertSignatureIsTheirs(sealing: CaseSealing, seal: CertificateEntry, operator: SealOperator): Promise<void> {
  if (seal.kind !== 'person') return;
  const displayName = seal.holder ? null : ((await getUser({ db: sealing.db, userId: operator.userId }))?.displayName ?? null);
  if (signatureIsTheirs(seal, { userId: operator.userId, role: operator.role, displayName })) return;
  throw new AppError('SIGNATURE_NOT_YOURS', `The signature "${seal.id}" belongs to another person; only its holder applies it / 该签名证书属于他人，仅本人可以使用`, {
    sealId: seal.id,
    ...(seal.holder ? {} : { unbound: true }),
  });
}

async function documentOf(sealing: CaseSealing, caseId: string, documentId: string): Promise<{ document: SealableDocument; pdf: Buffer }> {
  const document = await getSealableDocument({ db: sealing.db, caseId, documentId });
  if (!document || !document.blobKey) throw new NotFoundError('Document');
  if (document.mimeType !== PDF) {
    throw new AppError('DOCUMENT_NOT_PDF', 'Only a PDF document can be sealed / 仅PDF文书可以用印', { mimeType: document.mimeType });
  }
  return { document, pdf: await sealing.blobs.get(document.blobKey) };
}

const placementParameters = ({ mode: _mode, ...rest }: SealPlacement): Record<string, unknown> => rest;

/** Applies the seal; the sealed bytes are in the blob store before any row names them. */
async function sealAndStore(sealing: CaseSealing, pdf: Buffer, sealId: string, placement: SealPlacement) {
  // signer() refuses revoked and expired certificates with their own codes.
  // The applied seal carries the court TSA's timestamp when one is configured (PAdES-T); the trial run does not need one.
  const timestamper = timestamperFromConfig(sealing.config.ECOURT_TSA, sealing.ca);
  const sealed: SealedPdf = await applySeal({ pdf, signer: sealing.ca.signer(sealId), placement, ...(timestamper ? { timestamper } : {}) });
  const stored = await sealing.blobs.put(sealed.bytes);
  return { stored, placed: { placed: sealed.placed, ...(sealed.strips ? { strips: sealed.strips } : {}) } };
}

/**
 * A role the seal's rule names applies it at once; a role that needs approval has its request checked
 * by a trial sealing (revoked seal, keyword not found, a placement off the page answer now, not at
 * approval) and stored as requested; anyone else is refused.
 */
export async function sealCaseDocument(
  sealing: CaseSealing,
  options: { operator: SealOperator; caseId: string; documentId: string; sealId: string; placement: SealPlacement },
): Promise<SealOutcome> {
  const { operator, caseId, documentId, sealId, placement } = options;
  const seal = sealOf(sealing.ca, sealId);
  await assertSignatureIsTheirs(sealing, seal, operator);
  const decision = decideSeal({ role: operator.role, allowed: rolesForSeal(sealing.config.ECOURT_SEAL_ROLES, seal), needsApproval: sealing.config.ECOURT_SEAL_NEEDS_APPROVAL, signature: seal.kind === 'person' });
  if (decision === 'forbidden') throw roleRefused(operator.role, sealId);
  const { document, pdf } = await documentOf(sealing, caseId, documentId);
  const facts: SealRequestFacts = { caseId: document.caseId, documentId: document.id, sealId, mode: placement.mode, position: placementParameters(placement) };
  if (decision === 'request') {
    await applySeal({ pdf, signer: sealing.ca.signer(sealId), placement });
    return { application: await requestSeal({ db: sealing.db, operator, facts, sha256Before: document.sha256 }) };
  }
  const { stored, placed } = await sealAndStore(sealing, pdf, sealId, placement);
  const application = await recordAppliedSeal({ db: sealing.db, operator, facts, sha256Before: document.sha256, sealed: stored, placed });
  return { application, document: { id: document.id, sha256: stored.sha256, sizeBytes: stored.sizeBytes } };
}

async function pendingRequest(sealing: CaseSealing, operator: SealOperator, caseId: string, applicationId: string): Promise<SealApplication> {
  const application = await getSealApplication({ db: sealing.db, caseId, applicationId });
  if (!application) throw new NotFoundError('Seal application');
  if (application.status !== 'requested') {
    throw new AppError('SEAL_APPLICATION_DECIDED', 'This seal request was already decided / 该用印申请已处理', { status: application.status });
  }
  if (!mayApproveSeal(operator.role, rolesForSeal(sealing.config.ECOURT_SEAL_ROLES, sealOf(sealing.ca, application.sealId)))) {
    throw roleRefused(operator.role, application.sealId);
  }
  return application;
}

/** A judge of the case approves a request: the seal is applied to the very bytes it was asked for. */
export async function approveSealApplication(sealing: CaseSealing, options: { operator: SealOperator; caseId: string; applicationId: string }): Promise<SealOutcome> {
  const request = await pendingRequest(sealing, options.operator, options.caseId, options.applicationId);
  // A signature request from before binding (none can be made now) is applied only by the signature's own holder.
  await assertSignatureIsTheirs(sealing, sealOf(sealing.ca, request.sealId), options.operator);
  const { document, pdf } = await documentOf(sealing, request.caseId, request.documentId);
  if (document.sha256 !== request.sha256Before) throw documentChanged();
  const placement = { ...request.position, mode: request.mode } as unknown as SealPlacement;
  const { stored, placed } = await sealAndStore(sealing, pdf, request.sealId, placement);
  const facts: SealRequestFacts = { caseId: request.caseId, documentId: request.documentId, sealId: request.sealId, mode: request.mode, position: request.position };
  const application = await recordAppliedSeal({ db: sealing.db, operator: options.operator, facts, applicationId: request.id, sha256Before: request.sha256Before, sealed: stored, placed });
  return { application, document: { id: document.id, sha256: stored.sha256, sizeBytes: stored.sizeBytes } };
}

/** A judge of the case refuses a request, saying why. */
export async function refuseSealApplication(sealing: CaseSealing, options: { operator: SealOperator; caseId: string; applicationId: string; reason: string }): Promise<SealOutcome> {
  const request = await pendingRequest(sealing, options.operator, options.caseId, options.applicationId);
  return { application: await refuseSeal({ db: sealing.db, operator: options.operator, applicationId: request.id, reason: options.reason }) };
}
