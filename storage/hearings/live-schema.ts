// Read tables of the hearing actor (actors/hearing): its current state and client-safe summary per
// hearing, and who its participants are (account ↔ participant id, for the hub's access checks).
// Written only by the hearing projection (storage/journal/hearing-projection.ts), in the actor's commit.
import { index, integer, jsonb, pgTable, primaryKey, text, timestamp, uuid } from 'drizzle-orm/pg-core';

/** 庭审实况: one row per hearing actor. */
export const hearingLive = pgTable(
  'hearing_live',
  {
    hearingId: uuid('hearing_id').primaryKey(),
    caseId: uuid('case_id'),
    courtId: uuid('court_id'),
    /** The actor's state ('lobbyOpen', 'inSession' …). */
    state: text('state').notNull(),
    lastSeq: integer('last_seq').notNull(),
    /** HearingSummary (actors/hearing/hearing.protocol.ts): what clients may see. */
    summary: jsonb('summary').notNull(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull(),
  },
  (t) => [index('hearing_live_case_idx').on(t.caseId)],
);

/** 庭审参与人: server-side only (account ids never reach other clients). */
export const hearingParticipants = pgTable(
  'hearing_participants',
  {
    hearingId: uuid('hearing_id').notNull(),
    participantId: text('participant_id').notNull(),
    accountId: uuid('account_id').notNull(),
    role: text('role').notNull(),
    displayName: text('display_name').notNull(),
    courtId: uuid('court_id').notNull(),
  },
  (t) => [primaryKey({ columns: [t.hearingId, t.participantId] }), index('hearing_participants_account_idx').on(t.accountId, t.hearingId)],
);

/** 庭审录音录像: one WebM file per participant track, recorded on the media node while in session. */
export const hearingRecordings = pgTable(
  'hearing_recordings',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    hearingId: uuid('hearing_id').notNull(),
    caseId: uuid('case_id').notNull(),
    participantId: text('participant_id').notNull(),
    kind: text('kind').notNull().$type<'audio' | 'video'>(),
    /** The blob store key (the sha256 of the bytes). */
    blobKey: text('blob_key').notNull(),
    sha256: text('sha256').notNull(),
    sizeBytes: integer('size_bytes').notNull(),
    contentType: text('content_type').notNull(),
    /** When the recording began (its first packet, on the media node's clock): the file's time 0. The filing time is in the audit. */
    recordedAt: timestamp('recorded_at', { withTimezone: true }).notNull(),
  },
  (t) => [index('hearing_recordings_hearing_idx').on(t.hearingId, t.recordedAt)],
);
