// A user's own identity checks, newest first (what "my identity checks" shows).
import { desc, eq } from 'drizzle-orm';
import type { Db } from '../database.ts';
import type { IdentityCheckRecord } from './record-identity-check.ts';
import { identityChecks } from './schema.ts';

export async function listIdentityChecks({ db, userId, limit = 200 }: { db: Db; userId: string; limit?: number }): Promise<IdentityCheckRecord[]> {
  return db
    .select({
      id: identityChecks.id,
      kind: identityChecks.kind,
      adapter: identityChecks.adapter,
      outcome: identityChecks.outcome,
      details: identityChecks.details,
      at: identityChecks.at,
    })
    .from(identityChecks)
    .where(eq(identityChecks.userId, userId))
    .orderBy(desc(identityChecks.at), desc(identityChecks.id))
    .limit(limit);
}
