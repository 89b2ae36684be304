// Deletes enrolment images past their retention (ECOURT_FACE_IMAGE_RETENTION_DAYS) from the blob store
// and forgets their keys; the descriptor and the image's hash stay as the enrolment's evidence.
import { and, inArray, isNotNull, lte } from 'drizzle-orm';
import { SYSTEM_ACTOR, writeAudit } from '../audit/write-audit.ts';
import type { BlobStore } from '../blobs/blob-store.ts';
import type { Db } from '../database.ts';
import { faceEnrolments } from './schema.ts';

const BATCH = 500;

export async function purgeFaceImages({ db, blobs, now = new Date() }: { db: Db; blobs: BlobStore; now?: Date }): Promise<{ purged: number }> {
  let purged = 0;
  for (;;) {
    const batch = await db.transaction(async (tx) => {
      // Several hub nodes purge hourly: each row is taken by one of them (the others skip it).
      const due = await tx
        .select({ id: faceEnrolments.id, userId: faceEnrolments.userId, key: faceEnrolments.imageBlobKey })
        .from(faceEnrolments)
        .where(and(isNotNull(faceEnrolments.imageBlobKey), lte(faceEnrolments.imageDeleteAfter, now)))
        .limit(BATCH)
        .for('update', { skipLocked: true });
      if (due.length === 0) return 0;
      // Bytes first: should the commit fail, a key to a missing blob is left (cleared next time),
      // never a forgotten key to bytes still on disk.
      for (const row of due) await blobs.delete(row.key!);
      await tx
        .update(faceEnrolments)
        .set({ imageBlobKey: null })
        .where(inArray(faceEnrolments.id, due.map((row) => row.id)));
      await writeAudit(
        tx,
        due.map((row) => ({ actor: SYSTEM_ACTOR, action: 'user.faceImagePurge', subjectKind: 'user', subjectId: row.userId, detail: { enrolmentId: row.id }, at: now })),
      );
      return due.length;
    });
    purged += batch;
    if (batch < BATCH) return { purged };
  }
}
