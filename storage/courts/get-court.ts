// One court by id (or by its code, as found in case numbers), or null.
import { eq } from 'drizzle-orm';
import type { Db } from '../database.ts';
import { courts } from '../schema.ts';
import { isUuid } from '../ids.ts';
import { toCourt, type Court } from './court.ts';

export interface GetCourtOptions {
  db: Db;
  courtId?: string;
  code?: string;
}

export async function getCourt({ db, courtId, code }: GetCourtOptions): Promise<Court | null> {
  if (courtId !== undefined && !isUuid(courtId)) return null;
  const where = courtId !== undefined ? eq(courts.id, courtId) : code !== undefined ? eq(courts.code, code) : undefined;
  if (where === undefined) throw new TypeError('getCourt needs courtId or code');
  const [row] = await db.select().from(courts).where(where).limit(1);
  return row ? toCourt(row) : null;
}
