// Whether a user has passed an identity check of a kind (立案须实名: filing asks for a passed
// 'real_name' check). Only the newest check of the kind counts, so a later failure is not masked.
import { and, desc, eq } from 'drizzle-orm';
import type { Db } from '../database.ts';
import { isUuid } from '../ids.ts';
import { identityChecks } from './schema.ts';

export async function hasPassedIdentityCheck({ db, userId, kind }: { db: Db; userId: string; kind: string }): Promise<boolean> {
  if (!isUuid(userId)) return false;
  const [row] = await db
    .select({ outcome: identityChecks.outcome })
    .from(identityChecks)
    .where(and(eq(identityChecks.userId, userId), eq(identityChecks.kind, kind)))
    .orderBy(desc(identityChecks.at), desc(identityChecks.id))
    .limit(1);
  return row?.outcome === 'passed';
}
