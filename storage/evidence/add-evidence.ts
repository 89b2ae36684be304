// Adds an evidence file to a case: the bytes go to the blob store first (durable before the row
// that names them), then the documents row and its audit row commit in one transaction.
import type { Db } from '../database.ts';
import { documents, users } from '../schema.ts';
import { eq } from 'drizzle-orm';
import { writeAudit, type AuditActor } from '../audit/write-audit.ts';
import type { BlobStore } from '../blobs/blob-store.ts';
import { EVIDENCE_KIND, type EvidenceFile, type EvidenceMediaType } from './evidence.ts';

export interface AddEvidenceOptions {
  db: Db;
  blobs: BlobStore;
  caseId: string;
  title: string;
  mimeType: EvidenceMediaType;
  bytes: Uint8Array;
  /** From inspectEvidenceFile (PDFs), null for images. */
  pageCount: number | null;
  /** The uploader (a signed-in user: parties, lawyers, judges, clerks). */
  actor: AuditActor & { userId: string };
}

export async function addEvidence({ db, blobs, caseId, title, mimeType, bytes, pageCount, actor }: AddEvidenceOptions): Promise<EvidenceFile> {
  const blob = await blobs.put(bytes);
  return db.transaction(async (tx) => {
    const [row] = await tx
      .insert(documents)
      .values({ caseId, kind: EVIDENCE_KIND, title, sha256: blob.sha256, blobKey: blob.key, mimeType, sizeBytes: blob.sizeBytes, pageCount, createdBy: actor.userId })
      .returning({ id: documents.id, createdAt: documents.createdAt });
    if (!row) throw new Error('insert into documents returned no row');
    const [uploader] = await tx.select({ displayName: users.displayName }).from(users).where(eq(users.id, actor.userId)).limit(1);
    // The title may name people; the audit keeps only what identifies the file.
    await writeAudit(tx, {
      actor,
      action: 'evidence.upload',
      subjectKind: 'document',
      subjectId: row.id,
      detail: { caseId, mimeType, sizeBytes: blob.sizeBytes, pageCount, sha256: blob.sha256 },
    });
    return {
      id: row.id,
      caseId,
      title,
      mimeType,
      sizeBytes: blob.sizeBytes,
      pageCount,
      sha256: blob.sha256,
      createdAt: row.createdAt,
      createdBy: { userId: actor.userId, displayName: uploader?.displayName ?? '' },
    };
  });
}
