// How many accounts exist: zero means a fresh platform (the demo seed decides on it).
import { count } from 'drizzle-orm';
import type { Db } from '../database.ts';
import { users } from '../schema.ts';

export async function countUsers({ db }: { db: Db }): Promise<number> {
  const [row] = await db.select({ n: count() }).from(users);
  return row?.n ?? 0;
}
