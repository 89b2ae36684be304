// The face enrolment that counts for a user: the newest one not replaced (sealed descriptor included).
import { and, desc, eq, isNull } from 'drizzle-orm';
import type { Db } from '../database.ts';
import { faceEnrolments, type FaceEnrolmentSource } from './schema.ts';

export interface CurrentFaceEnrolment {
  id: string;
  source: FaceEnrolmentSource;
  descriptorSealed: string;
  imageSha256: string;
  imageKept: boolean;
  createdAt: Date;
}

export async function currentFaceEnrolment({ db, userId }: { db: Db; userId: string }): Promise<CurrentFaceEnrolment | null> {
  const [row] = await db
    .select({
      id: faceEnrolments.id,
      source: faceEnrolments.source,
      descriptorSealed: faceEnrolments.descriptorSealed,
      imageSha256: faceEnrolments.imageSha256,
      imageBlobKey: faceEnrolments.imageBlobKey,
      createdAt: faceEnrolments.createdAt,
    })
    .from(faceEnrolments)
    .where(and(eq(faceEnrolments.userId, userId), isNull(faceEnrolments.replacedAt)))
    .orderBy(desc(faceEnrolments.createdAt), desc(faceEnrolments.id))
    .limit(1);
  if (!row) return null;
  const { imageBlobKey, ...rest } = row;
  return { ...rest, imageKept: imageBlobKey !== null };
}
