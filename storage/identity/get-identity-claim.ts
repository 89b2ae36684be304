// The name and identity document an account was opened with, the number opened from its seal: what an
// ID-card photo is compared with. Only for checks of the account's own card; never sent to others.
import { eq } from 'drizzle-orm';
import type { PersonalDataCipher } from '../../platform/personal-data.ts';
import type { Db } from '../database.ts';
import { isUuid } from '../ids.ts';
import { users } from '../schema.ts';

export interface IdentityClaim {
  name: string;
  idType: string | null;
  idNumber: string | null;
}

export async function getIdentityClaim({ db, cipher, userId }: { db: Db; cipher: PersonalDataCipher; userId: string }): Promise<IdentityClaim | null> {
  if (!isUuid(userId)) return null;
  const [row] = await db
    .select({ name: users.displayName, idType: users.idType, idNumberSealed: users.idNumberSealed })
    .from(users)
    .where(eq(users.id, userId))
    .limit(1);
  if (!row) return null;
  return { name: row.name, idType: row.idType, idNumber: row.idNumberSealed === null ? null : cipher.open(row.idNumberSealed) };
}
