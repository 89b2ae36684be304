// 人脸采集: stores a user's new face enrolment (the previous one is marked replaced), its identity
// check and audit rows, in one transaction. The descriptor and the image arrive already sealed.
import { and, eq, isNull } from 'drizzle-orm';
import { writeAudit } from '../audit/write-audit.ts';
import type { Db } from '../database.ts';
import { users } from '../schema.ts';
import { recordIdentityCheck } from './record-identity-check.ts';
import { faceEnrolments, type FaceEnrolmentSource } from './schema.ts';

export interface RecordFaceEnrolmentOptions {
  db: Db;
  userId: string;
  source: FaceEnrolmentSource;
  descriptorSealed: string;
  imageSha256: string;
  /** The sealed image in the blob store, or null when images are not kept. */
  imageBlobKey: string | null;
  imageDeleteAfter: Date | null;
  /** Identity-check details: free of personal data (source, hash, face size, summary). */
  details: Record<string, unknown>;
}

export async function recordFaceEnrolment(options: RecordFaceEnrolmentOptions): Promise<{ enrolmentId: string; checkId: string; at: Date }> {
  const { db, userId } = options;
  return db.transaction(async (tx) => {
    const actor = { userId, role: await roleOf(tx, userId) };
    const now = new Date();
    await tx
      .update(faceEnrolments)
      .set({ replacedAt: now })
      .where(and(eq(faceEnrolments.userId, userId), isNull(faceEnrolments.replacedAt)));
    const [row] = await tx
      .insert(faceEnrolments)
      .values({
        userId,
        source: options.source,
        descriptorSealed: options.descriptorSealed,
        imageSha256: options.imageSha256,
        imageBlobKey: options.imageBlobKey,
        imageDeleteAfter: options.imageDeleteAfter,
        createdAt: now,
      })
      .returning({ id: faceEnrolments.id });
    if (!row) throw new Error('insert into face_enrolments returned no row');
    const check = await recordIdentityCheck({
      tx,
      userId,
      kind: 'face_enrolment',
      adapter: 'face-api',
      outcome: 'passed',
      details: { ...options.details, enrolmentId: row.id },
      actor,
    });
    await writeAudit(tx, {
      actor,
      action: 'user.faceEnrol',
      subjectKind: 'user',
      subjectId: userId,
      detail: { enrolmentId: row.id, checkId: check.id, source: options.source, imageKept: options.imageBlobKey !== null },
      at: now,
    });
    return { enrolmentId: row.id, checkId: check.id, at: now };
  });
}

/** A failed enrolment attempt: only its identity check (and audit) row. */
export async function recordFailedFaceEnrolment({ db, userId, details }: { db: Db; userId: string; details: Record<string, unknown> }): Promise<{ checkId: string }> {
  return db.transaction(async (tx) => {
    const check = await recordIdentityCheck({
      tx,
      userId,
      kind: 'face_enrolment',
      adapter: 'face-api',
      outcome: 'failed',
      details,
      actor: { userId, role: await roleOf(tx, userId) },
    });
    return { checkId: check.id };
  });
}

export async function roleOf(db: Db, userId: string): Promise<string | null> {
  const [user] = await db.select({ role: users.role }).from(users).where(eq(users.id, userId));
  return user?.role ?? null;
}
