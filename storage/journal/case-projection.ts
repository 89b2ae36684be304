// Projects the case actor's journal into the read tables (cases, case_parties, hearings).
// Batched: one insert per table and one state update for all cases of a commit, handed to the
// journal as writes of its one commit statement. No audit rows: the journal itself is the audit
// trail of case events (storage/audit/journal-audit.ts reads it).
import { sql, type SQL } from 'drizzle-orm';
import { z } from 'zod';
import type { JournalRecord } from '../../actors/runtime/types.ts';
import { insertRowsSql } from '../insert-many.ts';
import { caseParties, cases, hearings } from '../schema.ts';
import type { Projection, ProjectionWrite } from './sql-journal.ts';


/** A party as the actor journals it: identifiers already sealed. */
const journalledParty = z.object({
  name: z.string(),
  kind: z.enum(['person', 'organisation']),
  userId: z.string().nullable().optional(),
  idNumberSealed: z.string().nullable().optional(),
  phoneSealed: z.string().nullable().optional(),
  address: z.string().nullable().optional(),
});

const fileEvent = z.object({
  type: z.literal('FILE'),
  by: z.object({ userId: z.string(), role: z.string() }),
  filing: z.object({
    courtId: z.string(),
    cause: z.string(),
    claims: z.string(),
    claimAmount: z.string().nullable().optional(),
    facts: z.string().optional(),
    plaintiffs: z.array(journalledParty),
    defendants: z.array(journalledParty),
    thirdParties: z.array(journalledParty).optional(),
  }),
});
const acceptEvent = z.object({ type: z.literal('ACCEPT'), caseNumber: z.string().min(1) });
const rejectEvent = z.object({ type: z.literal('REJECT'), reasons: z.array(z.string()) });
const scheduleEvent = z.object({
  type: z.literal('SCHEDULE_HEARING'),
  hearingId: z.string(),
  startsAt: z.string(),
  courtroom: z.string(),
  language: z.enum(['zh', 'en']).optional(),
});
const heldEvent = z.object({ type: z.literal('RECORD_HEARING_HELD'), hearingId: z.string() });
const closingEvent = z.object({ type: z.enum(['ISSUE_JUDGMENT', 'SETTLE_BY_MEDIATION']), summary: z.string() });

export class CaseProjectionError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'CaseProjectionError';
  }
}

interface CasePatch {
  state: string;
  updatedAt: string;
  lastSeq: number;
  caseNumber?: string;
  rejectionReasons?: string[];
  closingSummary?: string;
}

/** Rows as sent to unnest(): times as ISO strings, absent values as null. */
interface NewCase {
  id: string;
  courtId: string;
  caseNumber: string | null;
  cause: string;
  claims: string;
  claimAmount: string | null;
  facts: string;
  state: string;
  filedBy: string;
  filedAt: string;
  updatedAt: string;
  lastSeq: number;
  rejectionReasons: string[] | null;
  closingSummary: string | null;
}
interface NewParty {
  caseId: string;
  side: string;
  ordinal: number;
  name: string;
  kind: string;
  userId: string | null;
  idNumberSealed: string | null;
  phoneSealed: string | null;
  address: string | null;
}
interface NewHearing {
  id: string;
  caseId: string;
  startsAt: string;
  courtroom: string;
  /** null: scheduled without one, held in the hub's default language. */
  language: string | null;
  state: 'scheduled' | 'held';
  createdAt: string;
}

export const caseProjection: Projection = (records) => {
  const newCases = new Map<string, NewCase>();
  const parties: NewParty[] = [];
  const newHearings = new Map<string, NewHearing>();
  const heldHearings = new Set<string>();
  const patches = new Map<string, CasePatch>();

  for (const record of records) {
    const event = record.event;
    const patch: CasePatch = patches.get(record.id) ?? { state: record.state, updatedAt: record.at, lastSeq: record.seq };
    patch.state = record.state;
    patch.updatedAt = record.at;
    patch.lastSeq = record.seq;
    patches.set(record.id, patch);

    switch (event.type) {
      case 'FILE': {
        const { filing, by: filer } = parse(fileEvent, record);
        newCases.set(record.id, {
          id: record.id,
          courtId: filing.courtId,
          cause: filing.cause,
          claims: filing.claims,
          caseNumber: null,
          claimAmount: filing.claimAmount ?? null,
          facts: filing.facts ?? '',
          state: record.state,
          filedBy: filer.userId,
          filedAt: record.at,
          updatedAt: record.at,
          lastSeq: record.seq,
          rejectionReasons: null,
          closingSummary: null,
        });
        const sides = [
          ['plaintiff', filing.plaintiffs],
          ['defendant', filing.defendants],
          ['third_party', filing.thirdParties ?? []],
        ] as const;
        for (const [side, list] of sides) {
          list.forEach((party, ordinal) =>
            parties.push({
              caseId: record.id,
              side,
              ordinal,
              name: party.name,
              kind: party.kind,
              userId: party.userId ?? null,
              idNumberSealed: party.idNumberSealed ?? null,
              phoneSealed: party.phoneSealed ?? null,
              address: party.address ?? null,
            }),
          );
        }
        break;
      }
      case 'ACCEPT':
        patch.caseNumber = parse(acceptEvent, record).caseNumber;
        break;
      case 'REJECT':
        patch.rejectionReasons = parse(rejectEvent, record).reasons;
        break;
      case 'SCHEDULE_HEARING': {
        const hearing = parse(scheduleEvent, record);
        newHearings.set(hearing.hearingId, {
          id: hearing.hearingId,
          caseId: record.id,
          startsAt: hearing.startsAt,
          courtroom: hearing.courtroom,
          language: hearing.language ?? null,
          state: 'scheduled',
          createdAt: record.at,
        });
        break;
      }
      case 'RECORD_HEARING_HELD': {
        const { hearingId } = parse(heldEvent, record);
        const scheduledNow = newHearings.get(hearingId);
        if (scheduledNow) scheduledNow.state = 'held';
        else heldHearings.add(hearingId);
        break;
      }
      case 'ISSUE_JUDGMENT':
      case 'SETTLE_BY_MEDIATION':
        patch.closingSummary = parse(closingEvent, record).summary;
        break;
      default:
        break;
    }
  }

  const writes: ProjectionWrite[] = [];

  // A case filed in this batch is inserted in its final state; the others get one update.
  for (const [id, row] of newCases) {
    const patch = patches.get(id)!;
    Object.assign(row, {
      state: patch.state,
      updatedAt: patch.updatedAt,
      lastSeq: patch.lastSeq,
      caseNumber: patch.caseNumber ?? null,
      rejectionReasons: patch.rejectionReasons ?? null,
      closingSummary: patch.closingSummary ?? null,
    });
    patches.delete(id);
  }
  if (newCases.size > 0) writes.push({ statement: insertCases([...newCases.values()]) });
  if (parties.length > 0) writes.push({ statement: insertParties(parties) });
  if (patches.size > 0) {
    writes.push({
      statement: updateCases(patches),
      expect: { rows: patches.size, failure: (updated) => new CaseProjectionError(`${patches.size - updated} case record(s) refer to a case that was never filed`) },
    });
  }
  if (newHearings.size > 0) writes.push({ statement: insertHearings([...newHearings.values()]) });
  if (heldHearings.size > 0) {
    writes.push({
      // Hearings scheduled in an earlier commit (one scheduled in this batch is inserted as held).
      statement: sql`update ${hearings} set state = 'held' where ${hearings.id} = any(${sql.param([...heldHearings])}::uuid[]) returning 1`,
      expect: { rows: heldHearings.size, failure: () => new CaseProjectionError('RECORD_HEARING_HELD names a hearing that was never scheduled') },
    });
  }
  return writes;
};

function insertCases(rows: NewCase[]): SQL {
  return insertRowsSql(cases, [
    [cases.id, 'uuid', rows.map((r) => r.id)],
    [cases.courtId, 'uuid', rows.map((r) => r.courtId)],
    [cases.caseNumber, 'text', rows.map((r) => r.caseNumber)],
    [cases.cause, 'text', rows.map((r) => r.cause)],
    [cases.claims, 'text', rows.map((r) => r.claims)],
    [cases.claimAmount, 'numeric', rows.map((r) => r.claimAmount)],
    [cases.facts, 'text', rows.map((r) => r.facts)],
    [cases.state, 'text', rows.map((r) => r.state)],
    [cases.filedBy, 'uuid', rows.map((r) => r.filedBy)],
    [cases.filedAt, 'timestamptz', rows.map((r) => r.filedAt)],
    [cases.updatedAt, 'timestamptz', rows.map((r) => r.updatedAt)],
    [cases.lastSeq, 'int', rows.map((r) => r.lastSeq)],
    [cases.rejectionReasons, 'jsonb', rows.map((r) => r.rejectionReasons)],
    [cases.closingSummary, 'text', rows.map((r) => r.closingSummary)],
  ]);
}

function insertParties(rows: NewParty[]): SQL {
  return insertRowsSql(caseParties, [
    [caseParties.caseId, 'uuid', rows.map((r) => r.caseId)],
    [caseParties.side, 'text', rows.map((r) => r.side)],
    [caseParties.ordinal, 'int', rows.map((r) => r.ordinal)],
    [caseParties.name, 'text', rows.map((r) => r.name)],
    [caseParties.kind, 'text', rows.map((r) => r.kind)],
    [caseParties.userId, 'uuid', rows.map((r) => r.userId)],
    [caseParties.idNumberSealed, 'text', rows.map((r) => r.idNumberSealed)],
    [caseParties.phoneSealed, 'text', rows.map((r) => r.phoneSealed)],
    [caseParties.address, 'text', rows.map((r) => r.address)],
  ]);
}

function insertHearings(rows: NewHearing[]): SQL {
  return insertRowsSql(hearings, [
    [hearings.id, 'uuid', rows.map((r) => r.id)],
    [hearings.caseId, 'uuid', rows.map((r) => r.caseId)],
    [hearings.startsAt, 'timestamptz', rows.map((r) => r.startsAt)],
    [hearings.courtroom, 'text', rows.map((r) => r.courtroom)],
    [hearings.language, 'text', rows.map((r) => r.language)],
    [hearings.state, 'text', rows.map((r) => r.state)],
    [hearings.createdAt, 'timestamptz', rows.map((r) => r.createdAt)],
  ]);
}

/**
 * One UPDATE … FROM jsonb_to_recordset(…) for every case touched by the batch; fields not set keep
 * their value. The LIMIT (exactly the row count) tells the planner how many rows the recordset
 * has: it assumes 100 for any set-returning function, and for a commit of a few dozen cases it
 * then hash-joined them against a sequential scan of the whole cases table (≈ 1–2 ms of
 * Postgres CPU per commit at 10,000 cases, growing with the table) instead of looking them up.
 */
function updateCases(patches: Map<string, CasePatch>): SQL {
  const rows = [...patches.entries()].map(([id, p]) => ({
    id,
    state: p.state,
    updated_at: p.updatedAt,
    last_seq: p.lastSeq,
    case_number: p.caseNumber ?? null,
    rejection_reasons: p.rejectionReasons ?? null,
    closing_summary: p.closingSummary ?? null,
  }));
  return sql`
    update ${cases} set
      state = v.state,
      updated_at = v.updated_at,
      last_seq = v.last_seq,
      case_number = coalesce(v.case_number, ${cases}.case_number),
      rejection_reasons = coalesce(v.rejection_reasons, ${cases}.rejection_reasons),
      closing_summary = coalesce(v.closing_summary, ${cases}.closing_summary)
    from (
      select * from jsonb_to_recordset(${JSON.stringify(rows)}::jsonb)
        as r(id uuid, state text, updated_at timestamptz, last_seq int, case_number text, rejection_reasons jsonb, closing_summary text)
      limit ${sql.raw(String(rows.length))}
    ) as v
    where ${cases}.id = v.id
    returning 1`;
}

function parse<T>(schema: z.ZodType<T>, record: JournalRecord): T {
  const result = schema.safeParse(record.event);
  if (!result.success) {
    throw new CaseProjectionError(`case/${record.id}#${record.seq}: malformed ${record.event.type} event: ${z.prettifyError(result.error)}`);
  }
  return result.data;
}
