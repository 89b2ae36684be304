// One filing of the filing review actor's projection, or null; visibility is the caller's job.
import { eq } from 'drizzle-orm';
import type { Db } from '../database.ts';
import { isUuid } from '../ids.ts';
import { filings } from './schema.ts';

export type FilingRow = typeof filings.$inferSelect;

export async function getFiling({ db, filingId }: { db: Db; filingId: string }): Promise<FilingRow | null> {
  if (!isUuid(filingId)) return null;
  const [row] = await db.select().from(filings).where(eq(filings.id, filingId)).limit(1);
  return row ?? null;
}
