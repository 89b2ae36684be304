// A hearing as its actor last projected it (hearing_live), with the caller's participant entry if
// the caller is one of its participants. Null when the hearing actor does not exist (yet).
import { and, eq } from 'drizzle-orm';
import type { Db } from '../database.ts';
import { hearingLive, hearingParticipants } from './live-schema.ts';

export interface LiveHearing {
  hearingId: string;
  caseId: string | null;
  courtId: string | null;
  state: string;
  lastSeq: number;
  summary: Record<string, unknown>;
  /** The caller as a participant (null: not invited). */
  me: { participantId: string; role: string; displayName: string; courtId: string } | null;
}

export async function getLiveHearing({ db, hearingId, accountId }: { db: Db; hearingId: string; accountId: string }): Promise<LiveHearing | null> {
  const [row] = await db.select().from(hearingLive).where(eq(hearingLive.hearingId, hearingId)).limit(1);
  if (!row) return null;
  const [me] = await db
    .select({ participantId: hearingParticipants.participantId, role: hearingParticipants.role, displayName: hearingParticipants.displayName, courtId: hearingParticipants.courtId })
    .from(hearingParticipants)
    .where(and(eq(hearingParticipants.hearingId, hearingId), eq(hearingParticipants.accountId, accountId)))
    .limit(1);
  return {
    hearingId: row.hearingId,
    caseId: row.caseId,
    courtId: row.courtId,
    state: row.state,
    lastSeq: row.lastSeq,
    summary: row.summary as Record<string, unknown>,
    me: me ?? null,
  };
}
