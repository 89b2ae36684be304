// Every court of the platform, by code.
import { asc } from 'drizzle-orm';
import type { Db } from '../database.ts';
import { courts } from '../schema.ts';
import { toCourt, type Court } from './court.ts';

export async function listCourts({ db }: { db: Db }): Promise<Court[]> {
  const rows = await db.select().from(courts).orderBy(asc(courts.code));
  return rows.map(toCourt);
}
