// When a hearing was actually held, for its transcript (庭审笔录 prints 时间：…至…): the instant of its
// actor's first START (the zero of the transcript's hearing time, as storage/hearings/get-hearing-start.ts
// reads it) and of its last END. Null parts while it has not started or ended.
import { and, asc, eq, sql } from 'drizzle-orm';
import type { Db } from '../database.ts';
import { actorJournal } from '../schema.ts';

export async function getHearingSpan({ db, hearingId }: { db: Db; hearingId: string }): Promise<{ startedAt: Date | null; endedAt: Date | null }> {
  const rows = await db
    .select({ type: sql<string>`${actorJournal.event}->>'type'`, at: sql<string>`coalesce(${actorJournal.event}->>'at', ${actorJournal.at}::text)` })
    .from(actorJournal)
    .where(and(eq(actorJournal.kind, 'hearing'), eq(actorJournal.actorId, hearingId), sql`${actorJournal.event}->>'type' in ('START', 'END')`))
    .orderBy(asc(actorJournal.seq));
  const start = rows.find((row) => row.type === 'START');
  const end = rows.filter((row) => row.type === 'END').at(-1);
  return { startedAt: start ? new Date(start.at) : null, endedAt: end ? new Date(end.at) : null };
}
