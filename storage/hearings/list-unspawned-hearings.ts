// Hearings the case actor scheduled whose hearing actor does not exist yet (no hearing_live row):
// what the hearing spawner still has to create, after a SCHEDULE_HEARING or at start (a crash
// between the case's commit and the spawn loses nothing: the next start finds it here).
import { and, eq, isNull, type SQL } from 'drizzle-orm';
import type { Db } from '../database.ts';
import { cases, hearings } from '../schema.ts';
import { hearingLive } from './live-schema.ts';

export interface UnspawnedHearing {
  hearingId: string;
  caseId: string;
  courtId: string;
  startsAt: Date;
  courtroom: string;
  /** null: scheduled without a language; the hearing actor stamps the hub's default. */
  language: 'zh' | 'en' | null;
}

export async function listUnspawnedHearings({ db, caseId }: { db: Db; caseId?: string }): Promise<UnspawnedHearing[]> {
  const conditions: SQL[] = [eq(hearings.state, 'scheduled'), isNull(hearingLive.hearingId)];
  if (caseId) conditions.push(eq(hearings.caseId, caseId));
  return db
    .select({ hearingId: hearings.id, caseId: hearings.caseId, courtId: cases.courtId, startsAt: hearings.startsAt, courtroom: hearings.courtroom, language: hearings.language })
    .from(hearings)
    .innerJoin(cases, eq(cases.id, hearings.caseId))
    .leftJoin(hearingLive, eq(hearingLive.hearingId, hearings.id))
    .where(and(...conditions))
    .limit(500);
}
