// The filer's own drafts, most recently saved first (summaries: no answers, nothing to open).
import { desc, eq, sql } from 'drizzle-orm';
import type { Db } from '../database.ts';
import { filingDrafts } from '../filings/schema.ts';
import type { FilingDraftSummary } from './filing-draft.ts';

export async function listFilingDrafts({ db, userId, limit = 50 }: { db: Db; userId: string; limit?: number }): Promise<FilingDraftSummary[]> {
  const rows = await db
    .select({ id: filingDrafts.id, courtId: filingDrafts.courtId, cause: filingDrafts.cause, step: sql<string | null>`${filingDrafts.data}->>'step'`, updatedAt: filingDrafts.updatedAt })
    .from(filingDrafts)
    .where(eq(filingDrafts.userId, userId))
    .orderBy(desc(filingDrafts.updatedAt))
    .limit(limit);
  return rows.map((row) => ({ ...row, updatedAt: new Date(row.updatedAt) }));
}
