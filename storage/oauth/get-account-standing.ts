// What linking and ticket exchange need to know of an account: its role and court, whether it is
// disabled, and whether its real-name identity is on file (never the identity itself).
import { eq } from 'drizzle-orm';
import type { Db } from '../database.ts';
import { isUuid } from '../ids.ts';
import { users } from '../schema.ts';

export interface AccountStanding {
  userId: string;
  username: string;
  displayName: string;
  role: string;
  courtId: string | null;
  disabled: boolean;
  realNameOnFile: boolean;
}

export async function getAccountStanding({ db, userId }: { db: Db; userId: string }): Promise<AccountStanding | null> {
  if (!isUuid(userId)) return null;
  const [row] = await db
    .select({ userId: users.id, username: users.username, displayName: users.displayName, role: users.role, courtId: users.courtId, disabled: users.disabled, idNumberIndex: users.idNumberIndex })
    .from(users)
    .where(eq(users.id, userId))
    .limit(1);
  if (!row) return null;
  const { idNumberIndex, ...rest } = row;
  return { ...rest, realNameOnFile: idNumberIndex !== null };
}
