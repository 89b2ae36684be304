// Tables of smart filing (智能立案, issue 8): the filing review actor's read model (`filings`), the
// filer's drafts and uploaded materials (filled in by the guided form), the messages the platform sends
// to a user's inbox (立案回执, 缴费通知 …) and each court's versioned filing rule sets.
import { sql } from 'drizzle-orm';
import { bigint, check, index, integer, jsonb, numeric, pgTable, text, timestamp, unique, uuid } from 'drizzle-orm/pg-core';
import { courts, users } from '../schema.ts';

const createdAt = () => timestamp('created_at', { withTimezone: true }).notNull().defaultNow();

export const FILING_STATUSES = ['submitted', 'needsClerk', 'returned', 'rejected', 'accepted'] as const;
export type FilingStatus = (typeof FILING_STATUSES)[number];

/**
 * 网上立案: the read model of the filing review actor (actors/filing), written only by its projection
 * (storage/journal/filing-projection.ts). No foreign keys, like the case projection (migration 0003):
 * the journal is the source of truth and the actor checks court and accounts before it journals.
 */
export const filings = pgTable(
  'filings',
  {
    id: uuid('id').primaryKey(),
    courtId: uuid('court_id').notNull(),
    filedBy: uuid('filed_by').notNull(),
    filedByRole: text('filed_by_role').notNull(),
    /** The lawyer filing for a client (filing.agent.userId), who may read the filing too. */
    agentUserId: uuid('agent_user_id'),
    draftId: uuid('draft_id'),
    status: text('status').notNull().$type<FilingStatus>(),
    /** The filing actor's machine state ('checked', 'autoAccepted', …), finer than status. */
    state: text('state').notNull(),
    cause: text('cause').notNull(),
    procedure: text('procedure'),
    claimAmount: numeric('claim_amount', { precision: 16, scale: 2 }),
    /** filingFingerprint(filing): a second filing of the same dispute is found by it. */
    fingerprint: text('fingerprint').notNull(),
    /** The filing as journalled (FilingInput with ID numbers and phones sealed). */
    filing: jsonb('filing').$type<Record<string, unknown>>().notNull(),
    /** The latest evaluation (decision, rule set version, procedure, fee, trace) plus the checks run. */
    decision: jsonb('decision').$type<Record<string, unknown>>(),
    /** The fee due (诉讼费, after halving), from the evaluation. */
    fee: numeric('fee', { precision: 16, scale: 2 }),
    /** When returned for correction: { fields, deadline, reasons }. */
    correction: jsonb('correction').$type<Record<string, unknown>>(),
    /** Reasons (with legal basis) of a rejection or of a clerk's decision. */
    reasons: jsonb('reasons').$type<Record<string, unknown>[]>(),
    decidedBy: uuid('decided_by'),
    decidedAt: timestamp('decided_at', { withTimezone: true }),
    caseId: uuid('case_id'),
    caseNumber: text('case_number'),
    receiptDocumentId: uuid('receipt_document_id'),
    submittedAt: timestamp('submitted_at', { withTimezone: true }).notNull(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull(),
    lastSeq: integer('last_seq').notNull(),
  },
  (t) => [
    check('filings_status_check', sql`${t.status} in ('submitted', 'needsClerk', 'returned', 'rejected', 'accepted')`),
    // The clerk's queue: a court's filings by status, oldest first.
    index('filings_court_status_idx').on(t.courtId, t.status, t.submittedAt),
    index('filings_filed_by_idx').on(t.filedBy, t.submittedAt),
    index('filings_agent_idx').on(t.agentUserId),
    index('filings_fingerprint_idx').on(t.fingerprint),
  ],
);

/** 立案草稿: a partial FilingInput saved by the guided form (identifiers sealed). */
export const filingDrafts = pgTable(
  'filing_drafts',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id),
    courtId: uuid('court_id'),
    cause: text('cause'),
    data: jsonb('data').$type<Record<string, unknown>>().notNull(),
    createdAt: createdAt(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('filing_drafts_user_idx').on(t.userId, t.updatedAt)],
);

/** 立案材料: a file uploaded for a draft, later bound to the filing that lists it (content in the blob store). */
export const filingMaterials = pgTable(
  'filing_materials',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id),
    draftId: uuid('draft_id'),
    filingId: uuid('filing_id'),
    type: text('type').notNull(),
    name: text('name').notNull(),
    sha256: text('sha256').notNull(),
    blobKey: text('blob_key').notNull(),
    mimeType: text('mime_type').notNull(),
    sizeBytes: bigint('size_bytes', { mode: 'number' }).notNull(),
    pageCount: integer('page_count'),
    createdAt: createdAt(),
  },
  (t) => [
    index('filing_materials_user_idx').on(t.userId, t.createdAt),
    index('filing_materials_draft_idx').on(t.draftId),
    index('filing_materials_filing_idx').on(t.filingId),
  ],
);

/** 站内信: what the platform tells a user (立案受理, 补正通知, 缴费通知 …), newest first. */
export const inboxMessages = pgTable(
  'inbox_messages',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id),
    kind: text('kind').notNull(),
    title: text('title').notNull(),
    titleEn: text('title_en').notNull(),
    body: jsonb('body').$type<Record<string, unknown>>().notNull(),
    link: text('link'),
    documentId: uuid('document_id'),
    createdAt: createdAt(),
    readAt: timestamp('read_at', { withTimezone: true }),
  },
  (t) => [index('inbox_messages_user_idx').on(t.userId, t.createdAt)],
);

/**
 * 立案规则集: versions of a court's filing rules (models/filing-rules/rule-set.ts), the newest applies;
 * court_id null is the platform default. Nulls not distinct, so the default's versions are unique too.
 */
export const filingRuleSets = pgTable(
  'filing_rule_sets',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    courtId: uuid('court_id').references(() => courts.id),
    version: integer('version').notNull(),
    ruleSet: jsonb('rule_set').$type<Record<string, unknown>>().notNull(),
    createdBy: uuid('created_by').references(() => users.id),
    createdAt: createdAt(),
  },
  (t) => [unique('filing_rule_sets_court_version_unique').on(t.courtId, t.version).nullsNotDistinct()],
);
