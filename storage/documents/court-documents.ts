// 案卷材料 the court itself files with a case — the 文书 its stage hooks issue (documents/issuing) and the
// confirmed hearing transcript: `documents` rows of the kinds below (the template names), beside the
// parties' evidence (kind 'evidence', storage/evidence/), their bytes in the blob store by sha256.
import { documents } from '../schema.ts';

export const HEARING_TRANSCRIPT_KIND = 'hearingTranscript';
/** The template names of documents/templates (kept literal here: storage does not depend on the renderer). */
export const COURT_DOCUMENT_KINDS = [
  'acceptanceNotice',
  'noticeToRespond',
  'evidenceNotice',
  'summons',
  HEARING_TRANSCRIPT_KIND,
  'civilJudgment',
  'filingReceipt',
  'proofOfService',
  'complaint',
] as const;
export type CourtDocumentKind = (typeof COURT_DOCUMENT_KINDS)[number];

export interface CourtDocument {
  id: string;
  caseId: string;
  /** The hearing it comes from (a transcript), null for a document of the case as a whole. */
  hearingId: string | null;
  kind: CourtDocumentKind;
  /** The party it is addressed to ('plaintiffs.0', 'defendants.1' …): one 传票 per party, one 应诉通知书 per defendant; null otherwise. */
  addressee: string | null;
  title: string;
  sha256: string;
  mimeType: string;
  sizeBytes: number;
  /** Kind-specific facts; for a transcript, the confirmation list and why the review ended. */
  details: Record<string, unknown> | null;
  /** 验证码 printed on an issued document; null for one filed without (an older text transcript). */
  verificationCode: string | null;
  /** PDFs issued by the court: their page count; null otherwise. */
  pageCount: number | null;
  createdAt: string;
}

/** A court document with where its bytes are, for the route that serves them. */
export interface StoredCourtDocument extends CourtDocument {
  blobKey: string;
}

/** The columns every court-document read selects. */
export const courtDocumentColumns = {
  id: documents.id,
  caseId: documents.caseId,
  hearingId: documents.hearingId,
  kind: documents.kind,
  addressee: documents.addressee,
  title: documents.title,
  sha256: documents.sha256,
  mimeType: documents.mimeType,
  sizeBytes: documents.sizeBytes,
  details: documents.details,
  blobKey: documents.blobKey,
  verificationCode: documents.verificationCode,
  pageCount: documents.pageCount,
  createdAt: documents.createdAt,
};

type CourtDocumentRow = { [K in keyof typeof courtDocumentColumns]: unknown };

export function toStoredCourtDocument(row: CourtDocumentRow): StoredCourtDocument {
  return {
    id: row.id as string,
    caseId: row.caseId as string,
    hearingId: (row.hearingId as string | null) ?? null,
    kind: row.kind as CourtDocumentKind,
    addressee: (row.addressee as string | null) ?? null,
    title: row.title as string,
    sha256: row.sha256 as string,
    mimeType: row.mimeType as string,
    sizeBytes: Number(row.sizeBytes ?? 0),
    details: (row.details as Record<string, unknown> | null) ?? null,
    blobKey: row.blobKey as string,
    verificationCode: (row.verificationCode as string | null) ?? null,
    pageCount: row.pageCount === null || row.pageCount === undefined ? null : Number(row.pageCount),
    createdAt: (row.createdAt as Date).toISOString(),
  };
}

/** The public view (without where the bytes are kept). */
export function withoutBlobKey({ blobKey: _blobKey, ...document }: StoredCourtDocument): CourtDocument {
  return document;
}
