// The recordings filed for a hearing (庭审录音录像), oldest first; or one of them by id.
import { and, asc, eq } from 'drizzle-orm';
import type { Db } from '../database.ts';
import { hearingRecordings } from './live-schema.ts';

export type HearingRecording = typeof hearingRecordings.$inferSelect;

export async function listHearingRecordings({ db, hearingId, recordingId }: { db: Db; hearingId: string; recordingId?: string }): Promise<HearingRecording[]> {
  return db
    .select()
    .from(hearingRecordings)
    .where(recordingId ? and(eq(hearingRecordings.hearingId, hearingId), eq(hearingRecordings.id, recordingId)) : eq(hearingRecordings.hearingId, hearingId))
    .orderBy(asc(hearingRecordings.recordedAt), asc(hearingRecordings.participantId), asc(hearingRecordings.kind));
}
