// The audit of a hearing's transcript: who (user, ASR engine or system) changed which segments
// when, in order. Answers from collab_updates' origin columns, which compaction keeps.
import { and, asc, arrayContains, eq, gt, type SQL } from 'drizzle-orm';
import type { Db } from '../database.ts';
import { isUuid } from '../ids.ts';
import { collabUpdates } from './schema.ts';

export interface TranscriptChange {
  seq: number;
  at: string;
  source: 'session' | 'asr' | 'system';
  userId: string | null;
  sessionId: string | null;
  engine: string | null;
  reason: string | null;
  segmentIds: string[] | null;
}

export interface ListTranscriptChangesOptions {
  db: Db;
  hearingId: string;
  /** Only changes that touched this segment. */
  segmentId?: string;
  /** Paging: changes after this seq. */
  afterSeq?: number;
  limit?: number;
}

export async function listTranscriptChanges({ db, hearingId, segmentId, afterSeq = 0, limit = 10_000 }: ListTranscriptChangesOptions): Promise<TranscriptChange[]> {
  if (!isUuid(hearingId)) return [];
  const conditions: SQL[] = [eq(collabUpdates.hearingId, hearingId.toLowerCase()), gt(collabUpdates.seq, afterSeq)];
  if (segmentId !== undefined) conditions.push(arrayContains(collabUpdates.segmentIds, [segmentId]));
  const rows = await db
    .select({
      seq: collabUpdates.seq,
      at: collabUpdates.at,
      source: collabUpdates.originSource,
      userId: collabUpdates.userId,
      sessionId: collabUpdates.sessionId,
      engine: collabUpdates.engine,
      reason: collabUpdates.reason,
      segmentIds: collabUpdates.segmentIds,
    })
    .from(collabUpdates)
    .where(and(...conditions))
    .orderBy(asc(collabUpdates.seq))
    .limit(limit);
  return rows.map((row) => ({ ...row, seq: Number(row.seq), at: row.at.toISOString() }));
}
