// Filings decided for acceptance (by the rules or a clerk) whose case is not recorded yet: what the
// acceptor finishes at start, e.g. after a node stopped half-way through an acceptance.
import { asc, inArray } from 'drizzle-orm';
import type { Db } from '../database.ts';
import { filings } from './schema.ts';

export async function listFilingsToAccept({ db, limit = 500 }: { db: Db; limit?: number }): Promise<string[]> {
  const rows = await db
    .select({ id: filings.id })
    .from(filings)
    .where(inArray(filings.state, ['autoAccepted', 'clerkAccepted']))
    .orderBy(asc(filings.submittedAt))
    .limit(limit);
  return rows.map((row) => row.id);
}
