// A sign-in through a linked external identity: its last-login time and the audit row, together.
import { eq } from 'drizzle-orm';
import type { Db } from '../database.ts';
import { writeAudit } from '../audit/write-audit.ts';
import { externalIdentities } from './schema.ts';

export async function recordOAuthLogin({ db, identityId, userId, role, provider, now = new Date() }: { db: Db; identityId: string; userId: string; role: string; provider: string; now?: Date }): Promise<void> {
  await db.transaction(async (tx) => {
    await tx.update(externalIdentities).set({ lastLoginAt: now }).where(eq(externalIdentities.id, identityId));
    await writeAudit(tx, { actor: { userId, role }, action: 'user.oauth_login', subjectKind: 'user', subjectId: userId, detail: { provider, externalIdentityId: identityId }, at: now });
  });
}
