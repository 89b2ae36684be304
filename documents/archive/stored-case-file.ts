// The case file (电子卷宗) kept when a case closes: the ZIP bundle in the blob store and one `documents`
// row of kind caseFile (title 电子卷宗, the ZIP's SHA-256, the bundle PDF's pages, a 验证码), with its
// audit row in the same transaction. Once per case: the partial unique index on (case_id, kind) of
// migration 0012 is the arbiter, so a second node or a second reconcile finds the first and keeps it.
import { and, eq, isNull, sql } from 'drizzle-orm';
import { SYSTEM_ACTOR, writeAudit } from '../../storage/audit/write-audit.ts';
import type { StoredBlob } from '../../storage/blobs/blob-store.ts';
import type { Db } from '../../storage/database.ts';
import { documents } from '../../storage/schema.ts';
import { CASE_FILE_KIND } from './case-file-sources.ts';
import type { CaseFileManifest } from './manifest.ts';

export const CASE_FILE_TITLE = '电子卷宗';
export const CASE_FILE_MIME_TYPE = 'application/zip';

export interface StoredCaseFile {
  id: string;
  blobKey: string;
  sha256: string;
  verificationCode: string | null;
  /** SHA-256 of the sealed bundle PDF inside the ZIP (the manifest's bundle.sha256). */
  bundleSha256: string | null;
  createdAt: Date;
}

export async function findStoredCaseFile({ db, caseId }: { db: Db; caseId: string }): Promise<StoredCaseFile | null> {
  const [row] = await db
    .select({ id: documents.id, blobKey: documents.blobKey, sha256: documents.sha256, verificationCode: documents.verificationCode, details: documents.details, createdAt: documents.createdAt })
    .from(documents)
    .where(and(eq(documents.caseId, caseId), eq(documents.kind, CASE_FILE_KIND), isNull(documents.hearingId)))
    .limit(1);
  if (!row?.blobKey) return null;
  const bundleSha256 = row.details?.bundleSha256;
  return { id: row.id, blobKey: row.blobKey, sha256: row.sha256, verificationCode: row.verificationCode, bundleSha256: typeof bundleSha256 === 'string' ? bundleSha256 : null, createdAt: row.createdAt };
}

/** Records the stored ZIP as the case's case file; `issued` false when one was already there (it is kept). */
export async function recordCaseFile({ db, caseId, blob, manifest, verificationCode }: { db: Db; caseId: string; blob: StoredBlob; manifest: CaseFileManifest; verificationCode: string }): Promise<{ id: string; issued: boolean }> {
  return db.transaction(async (tx) => {
    const [inserted] = await tx
      .insert(documents)
      .values({
        caseId,
        hearingId: null,
        kind: CASE_FILE_KIND,
        title: CASE_FILE_TITLE,
        sha256: blob.sha256,
        blobKey: blob.key,
        mimeType: CASE_FILE_MIME_TYPE,
        sizeBytes: blob.sizeBytes,
        pageCount: manifest.totalPages,
        verificationCode,
        // Hashes and counts: enough to answer for the bundle without opening the ZIP; no titles or parties.
        details: { bundleSha256: manifest.bundle.sha256, itemsSha256: manifest.itemsSha256, items: manifest.items.length, builtAt: manifest.builtAt, sealedBy: manifest.bundle.sealedBy },
        createdBy: null,
      })
      .onConflictDoNothing({ target: [documents.caseId, documents.kind], where: sql`${documents.hearingId} is null and ${documents.verificationCode} is not null and ${documents.addressee} is null` })
      .returning({ id: documents.id });
    if (!inserted) {
      const existing = await findStoredCaseFile({ db: tx, caseId });
      if (!existing) throw new Error('case file conflicted on insert but is not there');
      return { id: existing.id, issued: false };
    }
    await writeAudit(tx, {
      actor: SYSTEM_ACTOR,
      action: 'document.issue',
      subjectKind: 'document',
      subjectId: inserted.id,
      detail: { caseId, kind: CASE_FILE_KIND, sha256: blob.sha256, sizeBytes: blob.sizeBytes, pageCount: manifest.totalPages, bundleSha256: manifest.bundle.sha256 },
    });
    return { id: inserted.id, issued: true };
  });
}
