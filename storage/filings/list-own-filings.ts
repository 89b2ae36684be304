// The filings a litigant filed, or filed for as the named agent, newest first.
import { desc, eq, or } from 'drizzle-orm';
import type { Db } from '../database.ts';
import { filings } from './schema.ts';
import type { FilingRow } from './get-filing.ts';

export async function listOwnFilings({ db, userId, limit = 200 }: { db: Db; userId: string; limit?: number }): Promise<FilingRow[]> {
  return db
    .select()
    .from(filings)
    .where(or(eq(filings.filedBy, userId), eq(filings.agentUserId, userId)))
    .orderBy(desc(filings.submittedAt))
    .limit(limit);
}
