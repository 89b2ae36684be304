// The account an external identity is linked to, or null (a first login).
import { and, eq } from 'drizzle-orm';
import type { PersonalDataCipher } from '../../platform/personal-data.ts';
import type { Db } from '../database.ts';
import { users } from '../schema.ts';
import { externalIdentities } from './schema.ts';
import { externalSubjectIndex } from './subject-index.ts';

export interface LinkedAccount {
  identityId: string;
  userId: string;
  role: string;
  courtId: string | null;
  disabled: boolean;
}

export async function findLinkedAccount({ db, cipher, provider, subject }: { db: Db; cipher: PersonalDataCipher; provider: string; subject: string }): Promise<LinkedAccount | null> {
  const [row] = await db
    .select({ identityId: externalIdentities.id, userId: users.id, role: users.role, courtId: users.courtId, disabled: users.disabled })
    .from(externalIdentities)
    .innerJoin(users, eq(users.id, externalIdentities.userId))
    .where(and(eq(externalIdentities.provider, provider), eq(externalIdentities.subjectIndex, externalSubjectIndex(cipher, provider, subject))))
    .limit(1);
  return row ?? null;
}
