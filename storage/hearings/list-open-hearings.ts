// Hearings whose actor may still need a timed command (lobby opening, a reconnect grace ending, the
// transcript's confirmation deadline):
// what the hearing clock re-arms at start, from the hearing_live projection.
import { inArray } from 'drizzle-orm';
import type { Db } from '../database.ts';
import { hearingLive } from './live-schema.ts';

const OPEN_STATES = ['scheduled', 'lobbyOpen', 'inSession', 'paused', 'suspended', 'transcriptConfirmation'];

export async function listOpenHearings({ db }: { db: Db }): Promise<{ id: string; state: string; summary: Record<string, unknown> }[]> {
  const rows = await db
    .select({ id: hearingLive.hearingId, state: hearingLive.state, summary: hearingLive.summary })
    .from(hearingLive)
    .where(inArray(hearingLive.state, OPEN_STATES));
  return rows.map((row) => ({ id: row.id, state: row.state, summary: row.summary as Record<string, unknown> }));
}
