// The court a staff account (judge, clerk, court admin) acts for; null for anyone else. The filing
// actor asks before it takes a clerk's decision: only the filing's own court decides on it.
import { and, eq, inArray } from 'drizzle-orm';
import { COURT_STAFF_ROLES } from '../../platform/roles.ts';
import type { Db } from '../database.ts';
import { isUuid } from '../ids.ts';
import { users } from '../schema.ts';

export async function staffCourtOf({ db, userId }: { db: Db; userId: string }): Promise<string | null> {
  if (!isUuid(userId)) return null;
  const [row] = await db
    .select({ courtId: users.courtId })
    .from(users)
    .where(and(eq(users.id, userId), eq(users.disabled, false), inArray(users.role, [...COURT_STAFF_ROLES])))
    .limit(1);
  return row?.courtId ?? null;
}
