// Hands out the next number of a court's case series for a year and case type (e.g. 民初): one
// atomic upsert, so concurrent acceptances never get the same number.
import { is, sql } from 'drizzle-orm';
import { PgTransaction } from 'drizzle-orm/pg-core';
import type { Db } from '../database.ts';
import { rowsOf } from '../raw-rows.ts';
import { auditLog, caseNumberSequences } from '../schema.ts';
import { SYSTEM_ACTOR, type AuditActor } from '../audit/write-audit.ts';

export interface NextCaseSequenceOptions {
  db: Db;
  courtId: string;
  year: number;
  /** The case type code of the series, e.g. '民初'. */
  typeCode: string;
  /** Who asked; the system (the case actor accepting a case) when omitted. */
  actor?: AuditActor;
  /** How many consecutive numbers to reserve (default 1); the LAST one is returned. */
  count?: number;
}

export async function nextCaseSequence({ db, courtId, year, typeCode, actor = SYSTEM_ACTOR, count = 1 }: NextCaseSequenceOptions): Promise<number> {
  if (!Number.isInteger(count) || count < 1) throw new RangeError('count must be a positive integer');
  // Every acceptance of a court's cases in a year queues on one row, locked until commit. So the
  // increment and its audit row are ONE statement (atomic on its own: one round trip under the
  // lock), and a standalone call does not wait for the WAL flush, which capped acceptances at
  // ~60/s. The number is still durable before it can matter: the journal commit recording it
  // comes later in the WAL, and flushing that flushes this; a number lost in a crash was never
  // used. Inside a caller's transaction we leave its durability alone.
  const standalone = !is(db, PgTransaction);
  const t = caseNumberSequences;
  const result = await db.execute(sql`
    with next as (
      insert into ${t} (court_id, year, type_code, last_value) values (${courtId}::uuid, ${year}::int, ${typeCode}::text, ${count}::int)
      on conflict (court_id, year, type_code) do update set last_value = ${t}.last_value + ${count}::int
      returning last_value
    ), audited as (
      insert into ${auditLog} (actor_user_id, actor_role, action, subject_kind, subject_id, detail)
      select ${actor.userId}::uuid, ${actor.role}::text, 'caseNumber.next', 'court', ${courtId}::text,
             jsonb_build_object('year', ${year}::int, 'typeCode', ${typeCode}::text, 'value', next.last_value, 'count', ${count}::int)
      from next
    )
    select next.last_value as value ${standalone ? sql`, set_config('synchronous_commit', 'off', true) as durability` : sql``}
    from next`);
  const value = rowsOf<{ value: number }>(result)[0]?.value;
  if (typeof value !== 'number') throw new Error('case number sequence upsert returned no value');
  return value;
}
