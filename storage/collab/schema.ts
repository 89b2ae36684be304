// Tables of the collaborative documents (Yjs): the append-only update log with its typed origins
// (also the audit trail), the compacted snapshot per document, and named versions.
import { sql } from 'drizzle-orm';
import { bigint, customType, index, pgTable, primaryKey, text, timestamp, uuid } from 'drizzle-orm/pg-core';

/** bytea as Uint8Array on both drivers (pg answers Buffer, PGlite Uint8Array). */
export const bytea = customType<{ data: Uint8Array; driverData: Uint8Array }>({
  dataType: () => 'bytea',
  toDriver: (value) => Buffer.from(value.buffer, value.byteOffset, value.byteLength),
  fromDriver: (value) => (Buffer.isBuffer(value) ? new Uint8Array(value.buffer, value.byteOffset, value.byteLength) : value),
});

/**
 * Every Yjs update of every document, in order (seq per document, from 1). Compaction folds the
 * bytes into collab_snapshots and sets `update` to null but keeps the row: the origin columns are
 * the audit trail of who changed which segment when, and they must outlive compaction.
 */
export const collabUpdates = pgTable(
  'collab_updates',
  {
    docName: text('doc_name').notNull(),
    seq: bigint('seq', { mode: 'number' }).notNull(),
    update: bytea('update'),
    originSource: text('origin_source').notNull().$type<'session' | 'asr' | 'system'>(),
    userId: uuid('user_id'),
    sessionId: text('session_id'),
    engine: text('engine'),
    reason: text('reason'),
    segmentIds: text('segment_ids').array(),
    /** The hearing whose transcript this document is (null for other documents), for per-hearing audit. */
    hearingId: uuid('hearing_id'),
    at: timestamp('at', { withTimezone: true }).notNull(),
  },
  (t) => [
    primaryKey({ name: 'collab_updates_pk', columns: [t.docName, t.seq] }),
    index('collab_updates_hearing_idx').on(t.hearingId, t.seq).where(sql`${t.hearingId} is not null`),
    index('collab_updates_segments_idx').using('gin', t.segmentIds),
    index('collab_updates_user_idx').on(t.userId, t.at).where(sql`${t.userId} is not null`),
  ],
);

/** The merged state of a document through `through_seq` (updates after it are replayed on load). */
export const collabSnapshots = pgTable('collab_snapshots', {
  docName: text('doc_name').primaryKey(),
  state: bytea('state').notNull(),
  throughSeq: bigint('through_seq', { mode: 'number' }).notNull(),
  at: timestamp('at', { withTimezone: true }).notNull().defaultNow(),
});

/** Named versions of a document (e.g. a transcript before the parties confirm it), restorable by judge or clerk. */
export const collabVersions = pgTable(
  'collab_versions',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    docName: text('doc_name').notNull(),
    label: text('label').notNull(),
    state: bytea('state').notNull(),
    createdBy: uuid('created_by'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('collab_versions_doc_idx').on(t.docName, t.createdAt)],
);
