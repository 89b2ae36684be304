// Tables of identity (身份认证): the one-time codes sent to phones at registration, and the record
// of every identity check a user went through (real-name verification now; ID-card OCR, face and
// liveness checks later), which the user can list.
import { sql } from 'drizzle-orm';
import { check, index, integer, jsonb, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { users } from '../schema.ts';

export const PHONE_CODE_PURPOSES = ['registration'] as const;
export type PhoneCodePurpose = (typeof PHONE_CODE_PURPOSES)[number];

/**
 * 短信验证码: one row per code sent. The phone is kept only as its keyed blind index and the code
 * only as a keyed hash (platform/identity/phone-code.ts); rows past expiry are kept for the per-phone
 * hourly limit and may be purged after a day.
 */
export const phoneCodes = pgTable(
  'phone_codes',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    purpose: text('purpose').notNull().$type<PhoneCodePurpose>(),
    phoneIndex: text('phone_index').notNull(),
    codeHash: text('code_hash').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
    attempts: integer('attempts').notNull().default(0),
    usedAt: timestamp('used_at', { withTimezone: true }),
  },
  (t) => [
    check('phone_codes_purpose_check', sql`${t.purpose} in ('registration')`),
    index('phone_codes_phone_idx').on(t.phoneIndex, t.purpose, t.createdAt),
  ],
);

export const IDENTITY_CHECK_OUTCOMES = ['passed', 'failed'] as const;
export type IdentityCheckOutcome = (typeof IDENTITY_CHECK_OUTCOMES)[number];

/**
 * 身份核验记录: one row per check of a user's identity. `kind` says what was checked ('real_name',
 * later 'id_card_ocr', 'face', 'liveness'), `adapter` who checked it; `details` never hold personal
 * data in clear (no ID numbers, names, images or face descriptors: scores, rule names and hashes only).
 */
export const identityChecks = pgTable(
  'identity_checks',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id),
    kind: text('kind').notNull(),
    adapter: text('adapter').notNull(),
    outcome: text('outcome').notNull().$type<IdentityCheckOutcome>(),
    details: jsonb('details').notNull().$type<Record<string, unknown>>().default({}),
    at: timestamp('at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    check('identity_checks_outcome_check', sql`${t.outcome} in ('passed', 'failed')`),
    index('identity_checks_user_idx').on(t.userId, t.at),
  ],
);

export const FACE_ENROLMENT_SOURCES = ['idCardPhoto', 'selfie'] as const;
export type FaceEnrolmentSource = (typeof FACE_ENROLMENT_SOURCES)[number];

/**
 * 人脸采集: the face a user's live face checks are compared with; only the newest row without
 * `replaced_at` counts. The descriptor (128 numbers, JSON) is sealed with the PersonalDataCipher; the
 * raw image, when kept at all, is sealed in the blob store under `image_blob_key` until
 * `image_delete_after`, then purged (key nulled). `image_sha256` is the hash of the image as uploaded.
 */
export const faceEnrolments = pgTable(
  'face_enrolments',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id),
    source: text('source').notNull().$type<FaceEnrolmentSource>(),
    descriptorSealed: text('descriptor_sealed').notNull(),
    imageSha256: text('image_sha256').notNull(),
    imageBlobKey: text('image_blob_key'),
    imageDeleteAfter: timestamp('image_delete_after', { withTimezone: true }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    replacedAt: timestamp('replaced_at', { withTimezone: true }),
  },
  (t) => [
    check('face_enrolments_source_check', sql`${t.source} in ('idCardPhoto', 'selfie')`),
    index('face_enrolments_user_idx').on(t.userId, t.createdAt),
    index('face_enrolments_image_purge_idx').on(t.imageDeleteAfter),
  ],
);
