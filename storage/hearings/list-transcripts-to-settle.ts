// Hearings whose transcript work a restart must finish (from hearing_live): concluded ones never
// submitted for confirmation, and archived ones whose transcript is not filed with the case yet.
import { and, eq, isNull, or } from 'drizzle-orm';
import type { Db } from '../database.ts';
import { HEARING_TRANSCRIPT_KIND } from '../documents/court-documents.ts';
import { documents } from '../schema.ts';
import { hearingLive } from './live-schema.ts';

export interface HearingToSettle {
  id: string;
  caseId: string;
  state: 'concluded' | 'archived';
  summary: Record<string, unknown>;
}

export async function listTranscriptsToSettle({ db }: { db: Db }): Promise<HearingToSettle[]> {
  const rows = await db
    .select({ id: hearingLive.hearingId, caseId: hearingLive.caseId, state: hearingLive.state, summary: hearingLive.summary })
    .from(hearingLive)
    .leftJoin(documents, and(eq(documents.hearingId, hearingLive.hearingId), eq(documents.kind, HEARING_TRANSCRIPT_KIND)))
    .where(or(eq(hearingLive.state, 'concluded'), and(eq(hearingLive.state, 'archived'), isNull(documents.id))));
  return rows
    .filter((row): row is typeof row & { caseId: string } => row.caseId !== null)
    .map((row) => ({ id: row.id, caseId: row.caseId, state: row.state as HearingToSettle['state'], summary: row.summary as Record<string, unknown> }));
}
