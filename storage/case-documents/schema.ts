// 案卷材料: documents filed with a case by the court itself (the confirmed hearing transcript, later
// the documents module's output), their bytes in the blob store by sha256. One of each kind per hearing.
import { index, integer, jsonb, pgTable, text, timestamp, unique, uuid } from 'drizzle-orm/pg-core';

export const CASE_DOCUMENT_KINDS = ['hearingTranscript'] as const;
export type CaseDocumentKind = (typeof CASE_DOCUMENT_KINDS)[number];

export const caseDocuments = pgTable(
  'case_documents',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    caseId: uuid('case_id').notNull(),
    /** The hearing it comes from (no foreign key: hearings are a projection, migration 0003). */
    hearingId: uuid('hearing_id').notNull(),
    kind: text('kind').notNull().$type<CaseDocumentKind>(),
    title: text('title').notNull(),
    blobKey: text('blob_key').notNull(),
    sha256: text('sha256').notNull(),
    contentType: text('content_type').notNull(),
    size: integer('size').notNull(),
    /** Kind-specific facts; for a transcript, the list of confirmations (who, role, how, when). */
    details: jsonb('details').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [unique('case_documents_hearing_kind_unique').on(t.hearingId, t.kind), index('case_documents_case_idx').on(t.caseId, t.createdAt)],
);
