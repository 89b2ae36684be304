// The account row for a login, including its password hash (for the hub's password check only).
import { eq } from 'drizzle-orm';
import type { Db } from '../database.ts';
import { users } from '../schema.ts';

export type UserRecord = typeof users.$inferSelect;

export async function findUserByUsername({ db, username }: { db: Db; username: string }): Promise<UserRecord | null> {
  const [row] = await db.select().from(users).where(eq(users.username, username)).limit(1);
  return row ?? null;
}
