// 案卷材料 the court itself files with a case — the confirmed hearing transcript now, its 文书 with
// issue 7: `documents` rows of the kinds below, beside the parties' evidence (kind 'evidence',
// storage/evidence/), their bytes in the blob store by sha256.
import { documents } from '../schema.ts';

export const HEARING_TRANSCRIPT_KIND = 'hearingTranscript';
export const COURT_DOCUMENT_KINDS = [HEARING_TRANSCRIPT_KIND] as const;
export type CourtDocumentKind = (typeof COURT_DOCUMENT_KINDS)[number];

export interface CourtDocument {
  id: string;
  caseId: string;
  /** The hearing it comes from (a transcript), null for a document of the case as a whole. */
  hearingId: string | null;
  kind: CourtDocumentKind;
  title: string;
  sha256: string;
  mimeType: string;
  sizeBytes: number;
  /** Kind-specific facts; for a transcript, the confirmation list and why the review ended. */
  details: Record<string, unknown> | null;
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
  title: documents.title,
  sha256: documents.sha256,
  mimeType: documents.mimeType,
  sizeBytes: documents.sizeBytes,
  details: documents.details,
  blobKey: documents.blobKey,
  createdAt: documents.createdAt,
};

type CourtDocumentRow = { [K in keyof typeof courtDocumentColumns]: unknown };

export function toStoredCourtDocument(row: CourtDocumentRow): StoredCourtDocument {
  return {
    id: row.id as string,
    caseId: row.caseId as string,
    hearingId: (row.hearingId as string | null) ?? null,
    kind: row.kind as CourtDocumentKind,
    title: row.title as string,
    sha256: row.sha256 as string,
    mimeType: row.mimeType as string,
    sizeBytes: Number(row.sizeBytes ?? 0),
    details: (row.details as Record<string, unknown> | null) ?? null,
    blobKey: row.blobKey as string,
    createdAt: (row.createdAt as Date).toISOString(),
  };
}

/** The public view (without where the bytes are kept). */
export function withoutBlobKey({ blobKey: _blobKey, ...document }: StoredCourtDocument): CourtDocument {
  return document;
}
