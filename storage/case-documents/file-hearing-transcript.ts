// Files a hearing's confirmed transcript with its case: the rendering into the blob store (on disk
// before anything refers to it), then its row and audit row in one transaction. Once per hearing:
// a second filing (a restart, another node) finds the first and returns it unchanged.
import { and, eq } from 'drizzle-orm';
import { SYSTEM_ACTOR, writeAudit } from '../audit/write-audit.ts';
import type { BlobStore } from '../blobs/blob-store.ts';
import type { Db } from '../database.ts';
import { caseDocuments } from './schema.ts';
import type { CaseDocument } from './list-case-documents.ts';

export interface FileHearingTranscriptOptions {
  db: Db;
  blobs: BlobStore;
  caseId: string;
  hearingId: string;
  title: string;
  /** The stored rendering (UTF-8 text). */
  content: string;
  /** The confirmation list (who, role, how, when). */
  details: Record<string, unknown>;
}

const columns = {
  id: caseDocuments.id,
  caseId: caseDocuments.caseId,
  hearingId: caseDocuments.hearingId,
  kind: caseDocuments.kind,
  title: caseDocuments.title,
  blobKey: caseDocuments.blobKey,
  sha256: caseDocuments.sha256,
  contentType: caseDocuments.contentType,
  size: caseDocuments.size,
  details: caseDocuments.details,
  createdAt: caseDocuments.createdAt,
};

export async function fileHearingTranscript({ db, blobs, caseId, hearingId, title, content, details }: FileHearingTranscriptOptions): Promise<{ document: CaseDocument; filed: boolean }> {
  const blob = await blobs.put(Buffer.from(content, 'utf8'));
  return db.transaction(async (tx) => {
    const [inserted] = await tx
      .insert(caseDocuments)
      .values({ caseId, hearingId, kind: 'hearingTranscript', title, blobKey: blob.key, sha256: blob.sha256, contentType: 'text/plain; charset=utf-8', size: blob.sizeBytes, details })
      .onConflictDoNothing({ target: [caseDocuments.hearingId, caseDocuments.kind] })
      .returning(columns);
    if (!inserted) {
      const [existing] = await tx
        .select(columns)
        .from(caseDocuments)
        .where(and(eq(caseDocuments.hearingId, hearingId), eq(caseDocuments.kind, 'hearingTranscript')))
        .limit(1);
      return { document: toDocument(existing!), filed: false };
    }
    await writeAudit(tx, {
      actor: SYSTEM_ACTOR,
      action: 'caseDocument.file',
      subjectKind: 'case',
      subjectId: caseId,
      detail: { documentId: inserted.id, hearingId, kind: 'hearingTranscript', sha256: blob.sha256, size: blob.sizeBytes },
    });
    return { document: toDocument(inserted), filed: true };
  });
}

const toDocument = (row: Omit<CaseDocument, 'details' | 'createdAt'> & { details: unknown; createdAt: Date }): CaseDocument => ({ ...row, details: row.details as Record<string, unknown>, createdAt: row.createdAt.toISOString() });
