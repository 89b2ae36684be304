// When a hearing started (开庭): the instant of its actor's first START, read from the journal — the
// same instant the hearing actor keeps as startedAt, and the zero of the transcript's hearing time.
// Null while it has not started.
import { and, asc, eq, sql } from 'drizzle-orm';
import { HEARING_KIND } from '../../actors/hearing/hearing-behaviour.ts';
import type { Db } from '../database.ts';
import { actorJournal } from '../schema.ts';

export async function getHearingStart({ db, hearingId }: { db: Db; hearingId: string }): Promise<Date | null> {
  const [first] = await db
    .select({ at: sql<string>`${actorJournal.event}->>'at'` })
    .from(actorJournal)
    .where(and(eq(actorJournal.kind, HEARING_KIND), eq(actorJournal.actorId, hearingId), sql`${actorJournal.event}->>'type' = 'START'`))
    .orderBy(asc(actorJournal.seq))
    .limit(1);
  return first ? new Date(first.at) : null;
}
