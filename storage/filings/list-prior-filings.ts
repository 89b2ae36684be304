// Earlier filings of the same dispute (same fingerprint: parties, cause, claim amounts), for the
// duplicate-filing rule (重复起诉). Read from the filing projection; the filing itself is left out.
import { and, asc, eq, ne } from 'drizzle-orm';
import type { PriorFiling } from '../../models/filing-rules/evaluate.ts';
import type { Db } from '../database.ts';
import { filings } from './schema.ts';

/** At most this many are passed to the rules: one is enough to see a duplicate, a few show the history. */
const LIMIT = 20;

export async function listPriorFilings({ db, fingerprint, exceptFilingId }: { db: Db; fingerprint: string; exceptFilingId: string }): Promise<PriorFiling[]> {
  const rows = await db
    .select({ id: filings.id, fingerprint: filings.fingerprint, caseNumber: filings.caseNumber, status: filings.status, submittedAt: filings.submittedAt })
    .from(filings)
    .where(and(eq(filings.fingerprint, fingerprint), ne(filings.id, exceptFilingId)))
    .orderBy(asc(filings.submittedAt))
    .limit(LIMIT);
  return rows.map((row) => ({ ...row, submittedAt: row.submittedAt.toISOString() }));
}
