// 人脸采集 (face enrolment): a user's reference face, from the ID card's photo or a selfie, against which
// every live face check is compared. The descriptor is sealed in the row; the image is kept sealed in the
// blob store for ECOURT_FACE_IMAGE_RETENTION_DAYS (0: never), then purged (face-image-purge.ts).
import { createHash } from 'node:crypto';
import { AppError, type ErrorCode } from '../../platform/errors.ts';
import { currentFaceEnrolment } from '../../storage/identity/current-face-enrolment.ts';
import { recordFaceEnrolment, recordFailedFaceEnrolment } from '../../storage/identity/record-face-enrolment.ts';
import type { FaceEnrolmentSource } from '../../storage/identity/schema.ts';
import type { HubServices } from '../services.ts';

export type EnrolmentSource = FaceEnrolmentSource;

const DAY_MS = 24 * 60 * 60 * 1000;

/** Refusals that are the image's fault: recorded as a failed enrolment, then thrown. */
const IMAGE_REFUSALS: ReadonlySet<ErrorCode> = new Set(['FACE_NONE', 'FACE_MULTIPLE', 'FACE_TOO_SMALL', 'IMAGE_INVALID', 'IMAGE_TOO_LARGE']);

const SOURCE_TEXT: Record<EnrolmentSource, { en: string; zh: string }> = {
  idCardPhoto: { en: 'the ID card photo', zh: '身份证照片' },
  selfie: { en: 'a selfie', zh: '自拍照' },
};

/**
 * Enrols the one face in `image` (PNG or JPEG) as the user's reference, replacing any earlier one.
 * Refuses with FACE_NONE / FACE_MULTIPLE / FACE_TOO_SMALL / IMAGE_INVALID / IMAGE_TOO_LARGE (each
 * recorded as a failed check) or FACE_BUSY.
 */
export async function enrolFace(
  services: HubServices,
  userId: string,
  image: Uint8Array,
  source: EnrolmentSource,
): Promise<{ enrolmentId: string; checkId: string; imageSha256: string; facePx: number }> {
  const db = services.database.db;
  const imageSha256 = createHash('sha256').update(image).digest('hex');
  let description;
  try {
    description = await services.faces.describe(image);
  } catch (error) {
    if (error instanceof AppError && IMAGE_REFUSALS.has(error.code)) {
      const details = (error.details ?? {}) as { faces?: number; facePx?: number };
      await recordFailedFaceEnrolment({
        db,
        userId,
        details: {
          source,
          sha256: imageSha256,
          refusal: error.code,
          ...(details.faces !== undefined ? { faces: details.faces } : {}),
          ...(details.facePx !== undefined ? { facePx: Math.round(details.facePx) } : {}),
          summary: { en: `Face enrolment from ${SOURCE_TEXT[source].en} refused (${error.code})`, zh: `人脸采集未通过（${SOURCE_TEXT[source].zh}，${error.code}）` },
        },
      });
    }
    throw error;
  }
  const facePx = Math.round(Math.min(description.face.box.width, description.face.box.height));
  const descriptorSealed = services.cipher.seal(JSON.stringify(description.face.descriptor));

  const retentionDays = services.config.ECOURT_FACE_IMAGE_RETENTION_DAYS;
  let imageBlobKey: string | null = null;
  let imageDeleteAfter: Date | null = null;
  if (retentionDays > 0) {
    // Sealed like any personal value (the blob store itself does not encrypt); base64 since seal() takes text.
    const sealed = services.cipher.seal(Buffer.from(image).toString('base64'));
    imageBlobKey = (await services.blobs.put(Buffer.from(sealed, 'utf8'))).key;
    imageDeleteAfter = new Date(Date.now() + retentionDays * DAY_MS);
  }
  try {
    const recorded = await recordFaceEnrolment({
      db,
      userId,
      source,
      descriptorSealed,
      imageSha256,
      imageBlobKey,
      imageDeleteAfter,
      details: {
        source,
        sha256: imageSha256,
        facePx,
        imageKeptUntil: imageDeleteAfter?.toISOString() ?? null,
        summary: { en: `Face enrolled from ${SOURCE_TEXT[source].en} (face ${facePx} px)`, zh: `已采集人脸（${SOURCE_TEXT[source].zh}，人脸 ${facePx} 像素）` },
      },
    });
    return { enrolmentId: recorded.enrolmentId, checkId: recorded.checkId, imageSha256, facePx };
  } catch (error) {
    // No row names the sealed image: it must not outlive the failed enrolment.
    if (imageBlobKey) await services.blobs.delete(imageBlobKey).catch(() => {});
    throw error;
  }
}

/** The enrolled face's 128 numbers (opened from their seal), or null for a user never enrolled. */
export async function enrolledDescriptorOf(services: HubServices, userId: string): Promise<number[] | null> {
  const enrolment = await currentFaceEnrolment({ db: services.database.db, userId });
  if (!enrolment) return null;
  return JSON.parse(services.cipher.open(enrolment.descriptorSealed)) as number[];
}

export async function hasFaceEnrolment(services: HubServices, userId: string): Promise<boolean> {
  return (await currentFaceEnrolment({ db: services.database.db, userId })) !== null;
}

/** What the user may see of their enrolment (no descriptor, no image). */
export async function faceEnrolmentSummary(services: HubServices, userId: string): Promise<{ enrolled: boolean; source: EnrolmentSource | null; at: string | null }> {
  const enrolment = await currentFaceEnrolment({ db: services.database.db, userId });
  return { enrolled: enrolment !== null, source: enrolment?.source ?? null, at: enrolment?.createdAt.toISOString() ?? null };
}
