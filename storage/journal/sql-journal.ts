// The actor journal on SQL: a group commit appends a batch of records and runs each kind's
// projection in ONE statement (one round trip); loading gives the latest snapshot and the records after it.
import { and, asc, eq, gt, sql, type SQL } from 'drizzle-orm';
import {
  JournalConflictError,
  type ActorJournal,
  type ActorRef,
  type ActorSnapshotRecord,
  type JournalRecord,
} from '../../actors/runtime/types.ts';
import type { Db } from '../database.ts';
import { uniqueViolationOf } from '../database-errors.ts';
import { insertRowsSql } from '../insert-many.ts';
import { rowsOf } from '../raw-rows.ts';
import { actorJournal, actorSnapshots } from '../schema.ts';

/** One data-modifying statement of a projection (insert / update / delete). */
export interface ProjectionWrite {
  statement: SQL;
  /**
   * A check: the statement (which must then end in `returning 1`) has to touch exactly `rows`
   * rows, else the whole commit is rolled back with `failure(touched)`.
   */
  expect?: { rows: number; failure: (touched: number) => Error };
}

/**
 * Projects the records of one kind into read tables. Called once per kind per commit with that
 * kind's records in commit order, so a projection can batch its writes (e.g. one state update per
 * actor, not per record). It returns its writes instead of running them: the journal runs them
 * with the journal insert as ONE statement (data-modifying WITH queries), so a commit costs one
 * round trip to the database instead of one per table. All writes of a commit see the database
 * as it was before the commit (one snapshot): a projection must not read its own writes.
 */
export type Projection = (records: readonly JournalRecord[]) => ProjectionWrite[];

export interface SqlJournalOptions {
  db: Db;
  /** Projection per actor kind ('case' → caseProjection); kinds without one are only journalled. */
  projections?: Readonly<Record<string, Projection>>;
}

const JOURNAL_PK = 'actor_journal_pk';
// 'Key (kind, actor_id, seq)=(case, <id>, 3) already exists.'
const CONFLICT_KEY = /\)=\((.+), (.+), (\d+)\)/;

export function createSqlJournal({ db, projections = {} }: SqlJournalOptions): ActorJournal {
  return {
    async commit(records) {
      if (records.length === 0) return;
      const writes: ProjectionWrite[] = [
        {
          statement: insertRowsSql(actorJournal, [
            [actorJournal.kind, 'text', records.map((r) => r.kind)],
            [actorJournal.actorId, 'text', records.map((r) => r.id)],
            [actorJournal.seq, 'int', records.map((r) => r.seq)],
            [actorJournal.event, 'jsonb', records.map((r) => r.event)],
            [actorJournal.state, 'text', records.map((r) => r.state)],
            [actorJournal.at, 'timestamptz', records.map((r) => r.at)],
          ]),
        },
      ];
      for (const [kind, ofKind] of groupByKind(records)) {
        const projection = projections[kind];
        if (projection) writes.push(...projection(ofKind));
      }
      try {
        await runWrites(db, writes);
      } catch (error) {
        const violation = uniqueViolationOf(error);
        if (violation?.constraint === JOURNAL_PK) {
          const { ref, seq } = conflictingRecord(records, violation.detail);
          throw new JournalConflictError(ref, seq, { cause: error });
        }
        throw error;
      }
    },

    async load(ref) {
      const [snapshotRow] = await db
        .select({ seq: actorSnapshots.seq, state: actorSnapshots.state })
        .from(actorSnapshots)
        .where(and(eq(actorSnapshots.kind, ref.kind), eq(actorSnapshots.actorId, ref.id)))
        .limit(1);
      const snapshot: ActorSnapshotRecord | null = snapshotRow ? { seq: snapshotRow.seq, state: snapshotRow.state } : null;
      const rows = await db
        .select()
        .from(actorJournal)
        .where(and(eq(actorJournal.kind, ref.kind), eq(actorJournal.actorId, ref.id), gt(actorJournal.seq, snapshot?.seq ?? 0)))
        .orderBy(asc(actorJournal.seq));
      return {
        snapshot,
        records: rows.map((row) => ({
          kind: row.kind,
          id: row.actorId,
          seq: row.seq,
          event: row.event,
          state: row.state,
          at: row.at.toISOString(),
        })),
      };
    },

    async saveSnapshot(ref, snapshot) {
      // A late, older snapshot must never replace a newer one.
      await db
        .insert(actorSnapshots)
        .values({ kind: ref.kind, actorId: ref.id, seq: snapshot.seq, state: snapshot.state, at: new Date() })
        .onConflictDoUpdate({
          target: [actorSnapshots.kind, actorSnapshots.actorId],
          set: { seq: sql`excluded.seq`, state: sql`excluded.state`, at: sql`excluded.at` },
          setWhere: sql`${actorSnapshots.seq} < excluded.seq`,
        });
    },
  };
}

/**
 * Runs the writes as one statement: `with w0 as (…), w1 as (…) select <counts of the checked ones>`.
 * Without checks a single statement is atomic on its own; with checks it runs in a transaction
 * that a failed check rolls back.
 */
async function runWrites(db: Db, writes: readonly ProjectionWrite[]): Promise<void> {
  const ctes = sql.join(
    writes.map((write, index) => sql`${sql.raw(`w${index}`)} as (${write.statement})`),
    sql`, `,
  );
  const checked = writes.flatMap((write, index) => (write.expect ? [{ index, expect: write.expect }] : []));
  if (checked.length === 0) {
    await db.execute(sql`with ${ctes} select 1`);
    return;
  }
  const counts = sql.join(
    checked.map(({ index }) => sql.raw(`(select count(*) from w${index})::int as w${index}`)),
    sql`, `,
  );
  await db.transaction(async (tx) => {
    const [row] = rowsOf<Record<string, number>>(await tx.execute(sql`with ${ctes} select ${counts}`));
    for (const { index, expect } of checked) {
      const touched = Number(row?.[`w${index}`] ?? 0);
      if (touched !== expect.rows) throw expect.failure(touched);
    }
  });
}

function groupByKind(records: readonly JournalRecord[]): Map<string, JournalRecord[]> {
  const byKind = new Map<string, JournalRecord[]>();
  for (const record of records) {
    const list = byKind.get(record.kind);
    if (list) list.push(record);
    else byKind.set(record.kind, [record]);
  }
  return byKind;
}

/** The record the database names in its error detail; the batch's first record if it names none we sent. */
function conflictingRecord(records: readonly JournalRecord[], detail: string | undefined): { ref: ActorRef; seq: number } {
  const match = detail ? CONFLICT_KEY.exec(detail) : null;
  if (match) {
    const [, kind, id, seq] = match;
    const found = records.find((r) => r.kind === kind && r.id === id && r.seq === Number(seq));
    if (found) return { ref: { kind: found.kind, id: found.id }, seq: found.seq };
  }
  const first = records[0]!;
  return { ref: { kind: first.kind, id: first.id }, seq: first.seq };
}
