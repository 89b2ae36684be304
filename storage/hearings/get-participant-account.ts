// Whose account a hearing participant is (server-side only: account ids never reach other clients).
// Null for a participant id the hearing does not have.
import { and, eq } from 'drizzle-orm';
import type { Db } from '../database.ts';
import { hearingParticipants } from './live-schema.ts';

export async function getParticipantAccount({ db, hearingId, participantId }: { db: Db; hearingId: string; participantId: string }): Promise<string | null> {
  const [row] = await db
    .select({ accountId: hearingParticipants.accountId })
    .from(hearingParticipants)
    .where(and(eq(hearingParticipants.hearingId, hearingId), eq(hearingParticipants.participantId, participantId)))
    .limit(1);
  return row?.accountId ?? null;
}
