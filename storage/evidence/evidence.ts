// 证据材料: files a case's parties and court staff put before the court. Each is a `documents` row
// of kind 'evidence' whose bytes live in the blob store; its annotations are a Yjs document.
import { eq } from 'drizzle-orm';
import { documents, users } from '../schema.ts';

export const EVIDENCE_KIND = 'evidence';

/** What an evidence file may be; the bytes must match (inspect-evidence-file.ts). */
export const EVIDENCE_MEDIA_TYPES = ['application/pdf', 'image/png', 'image/jpeg'] as const;
export type EvidenceMediaType = (typeof EVIDENCE_MEDIA_TYPES)[number];
export const isEvidenceMediaType = (value: string): value is EvidenceMediaType => (EVIDENCE_MEDIA_TYPES as readonly string[]).includes(value);

export interface EvidenceFile {
  id: string;
  caseId: string;
  title: string;
  mimeType: EvidenceMediaType;
  sizeBytes: number;
  /** PDFs: their number of pages; images: null. */
  pageCount: number | null;
  sha256: string;
  createdAt: Date;
  /** Null only when the uploading account was removed. */
  createdBy: { userId: string; displayName: string } | null;
}

/** An evidence file with where its bytes are, for the one route that reads them. */
export interface StoredEvidenceFile extends EvidenceFile {
  blobKey: string;
}

/** The columns every evidence read selects (the uploader's name joined from users). */
export const evidenceColumns = {
  id: documents.id,
  caseId: documents.caseId,
  title: documents.title,
  mimeType: documents.mimeType,
  sizeBytes: documents.sizeBytes,
  pageCount: documents.pageCount,
  sha256: documents.sha256,
  blobKey: documents.blobKey,
  createdAt: documents.createdAt,
  createdById: documents.createdBy,
  createdByName: users.displayName,
};
export const uploaderJoin = eq(users.id, documents.createdBy);

type EvidenceRow = { [K in keyof typeof evidenceColumns]: unknown };

export function toStoredEvidence(row: EvidenceRow): StoredEvidenceFile {
  return {
    id: row.id as string,
    caseId: row.caseId as string,
    title: row.title as string,
    mimeType: row.mimeType as EvidenceMediaType,
    sizeBytes: Number(row.sizeBytes ?? 0),
    pageCount: row.pageCount === null ? null : Number(row.pageCount),
    sha256: row.sha256 as string,
    blobKey: row.blobKey as string,
    createdAt: row.createdAt as Date,
    createdBy: row.createdById ? { userId: row.createdById as string, displayName: (row.createdByName as string | null) ?? '' } : null,
  };
}

/** The public view of an evidence file (without where its bytes are kept). */
export function withoutBlobKey({ blobKey: _blobKey, ...file }: StoredEvidenceFile): EvidenceFile {
  return file;
}
