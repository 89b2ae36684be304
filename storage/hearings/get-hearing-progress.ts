// A hearing as live recognition needs it when it starts following one: its projected state and
// summary (hearing_live) and when the judge started it (transcript times count from there).
// Null when the hearing actor does not exist (yet).
import { eq } from 'drizzle-orm';
import type { Db } from '../database.ts';
import { getHearingStart } from './get-hearing-start.ts';
import { hearingLive } from './live-schema.ts';

export interface HearingProgress {
  hearingId: string;
  caseId: string | null;
  state: string;
  /** The sequence number of the actor's event the state and summary are from. */
  lastSeq: number;
  summary: Record<string, unknown>;
  /** ISO time of the hearing's start, or null if it has not started. */
  startedAt: string | null;
}

export async function getHearingProgress({ db, hearingId }: { db: Db; hearingId: string }): Promise<HearingProgress | null> {
  const [row] = await db.select().from(hearingLive).where(eq(hearingLive.hearingId, hearingId)).limit(1);
  if (!row) return null;
  const startedAt = await getHearingStart({ db, hearingId });
  return {
    hearingId: row.hearingId,
    caseId: row.caseId,
    state: row.state,
    lastSeq: row.lastSeq,
    summary: row.summary as Record<string, unknown>,
    startedAt: startedAt ? startedAt.toISOString() : null,
  };
}
