// One account's public fields, or null.
import { eq } from 'drizzle-orm';
import type { Db } from '../database.ts';
import { isUuid } from '../ids.ts';
import { users } from '../schema.ts';
import type { PublicUser } from './public-user.ts';

export async function getUser({ db, userId }: { db: Db; userId: string }): Promise<PublicUser | null> {
  if (!isUuid(userId)) return null;
  const [row] = await db
    .select({ id: users.id, username: users.username, displayName: users.displayName, role: users.role, courtId: users.courtId })
    .from(users)
    .where(eq(users.id, userId))
    .limit(1);
  return row ?? null;
}
