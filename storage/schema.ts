// The database schema (drizzle pg-core): courts, accounts, cases and their parties and hearings,
// documents, the audit log, and the actor journal with its snapshots. Migrations are generated from it.
import { sql } from 'drizzle-orm';
import {
  bigint,
  bigserial,
  boolean,
  check,
  doublePrecision,
  index,
  integer,
  jsonb,
  numeric,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import { COURT_STAFF_ROLES, ROLES } from '../platform/roles.ts';
import { DEVICE_CHECK_VERDICTS, type DeviceCheckVerdict } from './hearings/device-check.ts';

const createdAt = () => timestamp('created_at', { withTimezone: true }).notNull().defaultNow();
const quoted = (values: readonly string[]) => sql.raw(values.map((v) => `'${v}'`).join(', '));

/** 法院: the platform serves every court of a city. `code` is the court's code in case numbers ('京0105'). */
export const courts = pgTable('courts', {
  id: uuid('id').primaryKey().defaultRandom(),
  code: text('code').notNull().unique('courts_code_unique'),
  name: text('name').notNull(),
  nameEn: text('name_en').notNull(),
  region: text('region').notNull(),
  timeZone: text('time_zone').notNull().default('Asia/Shanghai'),
  createdAt: createdAt(),
});

/** Platform accounts. Identifiers are sealed (AES-GCM); the blind index finds duplicate identities. */
export const users = pgTable(
  'users',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    username: text('username').notNull().unique('users_username_unique'),
    displayName: text('display_name').notNull(),
    role: text('role').notNull(),
    courtId: uuid('court_id').references(() => courts.id),
    passwordHash: text('password_hash').notNull(),
    idType: text('id_type'),
    idNumberSealed: text('id_number_sealed'),
    idNumberIndex: text('id_number_index').unique('users_id_number_index_unique'),
    phoneSealed: text('phone_sealed'),
    lawyerLicence: text('lawyer_licence'),
    disabled: boolean('disabled').notNull().default(false),
    createdAt: createdAt(),
  },
  (t) => [
    check('users_role_check', sql`${t.role} in (${quoted(ROLES)})`),
    // Staff see their court's cases: a judge without a court would see nothing, or everything by mistake.
    check('users_staff_court_check', sql`${t.role} not in (${quoted(COURT_STAFF_ROLES)}) or ${t.courtId} is not null`),
    index('users_court_idx').on(t.courtId),
  ],
);

/** 案件: the read model of the case actor (written by its projection, never directly by handlers). */
export const cases = pgTable(
  'cases',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    // No foreign keys on the projection tables (cases, case_parties, hearings): only the case
    // actor's journal commit writes them, the actor checks the court and accounts a filing names
    // before it journals it (actors/case/case-behaviour.ts), and the checks cost ≈ 37 % of a FILE's
    // commit. The journal is the source of truth; these rows are derived from it.
    courtId: uuid('court_id').notNull(),
    caseNumber: text('case_number').unique('cases_case_number_unique'),
    cause: text('cause').notNull(),
    claims: text('claims').notNull(),
    claimAmount: numeric('claim_amount', { precision: 16, scale: 2 }),
    facts: text('facts').notNull().default(''),
    state: text('state').notNull(),
    filedBy: uuid('filed_by').notNull(),
    filedAt: timestamp('filed_at', { withTimezone: true }).notNull(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull(),
    lastSeq: integer('last_seq').notNull(),
    rejectionReasons: jsonb('rejection_reasons').$type<string[]>(),
    closingSummary: text('closing_summary'),
  },
  (t) => [
    index('cases_court_filed_idx').on(t.courtId, t.filedAt),
    index('cases_filed_by_idx').on(t.filedBy),
  ],
);

export const PARTY_SIDES = ['plaintiff', 'defendant', 'third_party'] as const;
export const PARTY_KINDS = ['person', 'organisation'] as const;

/** 当事人 of a case, in filing order per side. */
export const caseParties = pgTable(
  'case_parties',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    caseId: uuid('case_id').notNull(),
    side: text('side').notNull().$type<(typeof PARTY_SIDES)[number]>(),
    ordinal: integer('ordinal').notNull(),
    name: text('name').notNull(),
    kind: text('kind').notNull().$type<(typeof PARTY_KINDS)[number]>(),
    userId: uuid('user_id'),
    idNumberSealed: text('id_number_sealed'),
    phoneSealed: text('phone_sealed'),
    address: text('address'),
  },
  (t) => [
    check('case_parties_side_check', sql`${t.side} in (${quoted(PARTY_SIDES)})`),
    check('case_parties_kind_check', sql`${t.kind} in (${quoted(PARTY_KINDS)})`),
    index('case_parties_case_idx').on(t.caseId, t.side, t.ordinal),
    index('case_parties_user_idx').on(t.userId),
  ],
);

export const HEARING_STATES = ['scheduled', 'held', 'cancelled'] as const;

/** 庭审 scheduled for a case. */
export const hearings = pgTable(
  'hearings',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    caseId: uuid('case_id').notNull(),
    startsAt: timestamp('starts_at', { withTimezone: true }).notNull(),
    courtroom: text('courtroom').notNull(),
    /** 庭审语言 as scheduled ('zh' | 'en'); null: none chosen, the hub's default. */
    language: text('language').$type<'zh' | 'en'>(),
    state: text('state').notNull().default('scheduled').$type<(typeof HEARING_STATES)[number]>(),
    createdAt: createdAt(),
  },
  (t) => [
    check('hearings_state_check', sql`${t.state} in (${quoted(HEARING_STATES)})`),
    index('hearings_case_idx').on(t.caseId, t.startsAt),
  ],
);

/**
 * 设备检测: one participant's pre-hearing check of camera, microphone, speaker, browser and network
 * (storage/hearings/device-check.ts). Written by the hub from user input, so the account is a
 * foreign key; the hearing is not, because `hearings` is a projection without keys (migration 0003):
 * the route checks the hearing before it writes.
 */
export const hearingDeviceChecks = pgTable(
  'hearing_device_checks',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    hearingId: uuid('hearing_id').notNull(),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id),
    cameraOk: boolean('camera_ok').notNull(),
    cameraWidth: integer('camera_width'),
    cameraHeight: integer('camera_height'),
    microphoneOk: boolean('microphone_ok').notNull(),
    /** The loudest sample the level meter saw, 0–1 of full scale. */
    microphonePeak: doublePrecision('microphone_peak'),
    speakerConfirmed: boolean('speaker_confirmed').notNull(),
    /** { webRtc, getUserMedia, webAudio, opus, vp8 }: what the browser supports. */
    browser: jsonb('browser').$type<{ webRtc: boolean; getUserMedia: boolean; webAudio: boolean; opus: boolean; vp8: boolean }>().notNull(),
    roundTripP50Ms: doublePrecision('round_trip_p50_ms'),
    roundTripP95Ms: doublePrecision('round_trip_p95_ms'),
    downloadMbps: doublePrecision('download_mbps'),
    uploadMbps: doublePrecision('upload_mbps'),
    verdict: text('verdict').notNull().$type<DeviceCheckVerdict>(),
    /** Reason codes (device-check.ts), empty for a plain pass. */
    reasons: jsonb('reasons').$type<string[]>().notNull(),
    createdAt: createdAt(),
  },
  (t) => [
    check('hearing_device_checks_verdict_check', sql`${t.verdict} in (${quoted(DEVICE_CHECK_VERDICTS)})`),
    // The clerk's list: each participant's latest check of one hearing.
    index('hearing_device_checks_hearing_idx').on(t.hearingId, t.userId, t.createdAt),
  ],
);

/** 文书 and other files of a case; the content lives in the blob store under blob_key. */
export const documents = pgTable(
  'documents',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    caseId: uuid('case_id')
      .notNull()
      .references(() => cases.id, { onDelete: 'cascade' }),
    kind: text('kind').notNull(),
    title: text('title').notNull(),
    sha256: text('sha256').notNull(),
    blobKey: text('blob_key'),
    /** Of the stored file (evidence: application/pdf, image/png, image/jpeg). */
    mimeType: text('mime_type'),
    sizeBytes: bigint('size_bytes', { mode: 'number' }),
    /** PDFs only: read at upload, so viewers and lists know the length without opening the file. */
    pageCount: integer('page_count'),
    /** Null for the system (a filed hearing transcript). */
    createdBy: uuid('created_by').references(() => users.id),
    /** The hearing it comes from, for a hearing's documents (no foreign key: hearings are a projection, migration 0003). */
    hearingId: uuid('hearing_id'),
    /** Kind-specific facts; for a hearing transcript, the list of confirmations (who, role, how, when). */
    details: jsonb('details').$type<Record<string, unknown>>(),
    /** 验证码 printed (as text and QR) on a document the court issued, for anyone to look it up; null for evidence. */
    verificationCode: text('verification_code'),
    /**
     * Whom a document issued to one party is addressed to (a 传票 per party, an 应诉通知书 per defendant): the
     * party's stable key in the case, 'plaintiffs.0', 'defendants.1' … (never an ID number); null for a
     * document of the case or hearing as a whole.
     */
    addressee: text('addressee'),
    createdAt: createdAt(),
  },
  (t) => [
    index('documents_case_idx').on(t.caseId, t.createdAt),
    // The public verification looks a file up by its hash (findIssuedDocument).
    index('documents_sha256_idx').on(t.sha256),
    uniqueIndex('documents_verification_code_unique').on(t.verificationCode).where(sql`${t.verificationCode} is not null`),
    // One document of each kind per case for the case's own documents (受理通知书, 判决书 …): a stage hook run twice finds the first.
    // With an addressee, one per kind and addressee (an 应诉通知书 per defendant). The pair of partial indexes treats a null
    // addressee as one value, and keeps (case_id, kind) the conflict target of a document addressed to nobody.
    uniqueIndex('documents_case_kind_issued_unique').on(t.caseId, t.kind).where(sql`${t.hearingId} is null and ${t.verificationCode} is not null and ${t.addressee} is null`),
    uniqueIndex('documents_case_kind_addressee_issued_unique')
      .on(t.caseId, t.kind, t.addressee)
      .where(sql`${t.hearingId} is null and ${t.verificationCode} is not null and ${t.addressee} is not null`),
    // One document of each kind per hearing (one filed transcript): a second filing finds the first; with an addressee,
    // one per kind and addressee (a 传票 per party).
    uniqueIndex('documents_hearing_kind_unique').on(t.hearingId, t.kind).where(sql`${t.hearingId} is not null and ${t.addressee} is null`),
    uniqueIndex('documents_hearing_kind_addressee_unique').on(t.hearingId, t.kind, t.addressee).where(sql`${t.hearingId} is not null and ${t.addressee} is not null`),
  ],
);

export const SEAL_APPLICATION_STATUSES = ['requested', 'applied', 'refused'] as const;
export type SealApplicationStatus = (typeof SEAL_APPLICATION_STATUSES)[number];

/**
 * 用印记录 / 用印审批: every seal applied to a case's document through the API, or requested by a role
 * that needs a judge's approval (documents/sealing). The document's hash before and after sealing
 * ties each application to the exact bytes it changed.
 */
export const sealApplications = pgTable(
  'seal_applications',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    caseId: uuid('case_id')
      .notNull()
      .references(() => cases.id, { onDelete: 'cascade' }),
    documentId: uuid('document_id')
      .notNull()
      .references(() => documents.id, { onDelete: 'cascade' }),
    /** The court CA's certificate id of the seal (or a judge's signature). */
    sealId: text('seal_id').notNull(),
    mode: text('mode').notNull(),
    /** The placement asked for (page/x/y, keyword/occurrence, top, size) and, once applied, where each seal landed. */
    position: jsonb('position').$type<Record<string, unknown>>().notNull(),
    status: text('status').notNull().$type<SealApplicationStatus>(),
    requestedBy: uuid('requested_by')
      .notNull()
      .references(() => users.id),
    requestedRole: text('requested_role').notNull(),
    requestedAt: timestamp('requested_at', { withTimezone: true }).notNull().defaultNow(),
    /** The judge who approved or refused a request; the applier themself when applied at once. */
    decidedBy: uuid('decided_by').references(() => users.id),
    decidedAt: timestamp('decided_at', { withTimezone: true }),
    /** The document's SHA-256 when requested (or applied at once), and after the seal. */
    sha256Before: text('sha256_before').notNull(),
    sha256After: text('sha256_after'),
    /** Why a request was refused. */
    reason: text('reason'),
  },
  (t) => [
    index('seal_applications_document_idx').on(t.documentId, t.requestedAt),
    index('seal_applications_case_status_idx').on(t.caseId, t.status),
    check('seal_applications_status_check', sql`${t.status} in (${quoted(SEAL_APPLICATION_STATUSES)})`),
  ],
);

/** Append-only audit log. `detail` never holds personal identifiers in clear. */
export const auditLog = pgTable(
  'audit_log',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    at: timestamp('at', { withTimezone: true }).notNull().defaultNow(),
    actorUserId: uuid('actor_user_id'),
    actorRole: text('actor_role'),
    action: text('action').notNull(),
    subjectKind: text('subject_kind').notNull(),
    subjectId: text('subject_id').notNull(),
    detail: jsonb('detail').$type<Record<string, unknown>>().notNull().default({}),
  },
  (t) => [index('audit_log_subject_idx').on(t.subjectKind, t.subjectId, t.id)],
);

/**
 * The actors' event journal: events only. An actor's context is rebuilt by replaying them (from
 * the latest snapshot), so it is not stored per record — it would cost more than the rest of a
 * group commit (~1 KB per record).
 */
export const actorJournal = pgTable(
  'actor_journal',
  {
    kind: text('kind').notNull(),
    actorId: text('actor_id').notNull(),
    seq: integer('seq').notNull(),
    event: jsonb('event').$type<{ type: string } & Record<string, unknown>>().notNull(),
    state: text('state').notNull(),
    at: timestamp('at', { withTimezone: true }).notNull(),
  },
  (t) => [primaryKey({ name: 'actor_journal_pk', columns: [t.kind, t.actorId, t.seq] })],
);

/** Latest snapshot per actor, so rehydration replays only the tail of the journal. */
export const actorSnapshots = pgTable(
  'actor_snapshots',
  {
    kind: text('kind').notNull(),
    actorId: text('actor_id').notNull(),
    seq: integer('seq').notNull(),
    state: jsonb('state').notNull(),
    at: timestamp('at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ name: 'actor_snapshots_pk', columns: [t.kind, t.actorId] })],
);

/** Per court, year and case type (民初, 民终 …): the last number handed out. */
export const caseNumberSequences = pgTable(
  'case_number_sequences',
  {
    courtId: uuid('court_id')
      .notNull()
      .references(() => courts.id),
    year: integer('year').notNull(),
    typeCode: text('type_code').notNull(),
    lastValue: integer('last_value').notNull(),
  },
  (t) => [primaryKey({ name: 'case_number_sequences_pk', columns: [t.courtId, t.year, t.typeCode] })],
);
