// The newest passed identity check of a kind whose details contain `detailsMatch` (jsonb containment),
// not older than `since`: e.g. a live face check for this hearing in the last 15 minutes.
import { and, desc, eq, gte, sql } from 'drizzle-orm';
import type { Db } from '../database.ts';
import { identityChecks } from './schema.ts';

export async function latestPassedCheck({
  db,
  userId,
  kind,
  detailsMatch,
  since,
}: {
  db: Db;
  userId: string;
  kind: string;
  detailsMatch: Record<string, unknown>;
  since: Date;
}): Promise<{ id: string; at: Date } | null> {
  const [row] = await db
    .select({ id: identityChecks.id, at: identityChecks.at })
    .from(identityChecks)
    .where(
      and(
        eq(identityChecks.userId, userId),
        eq(identityChecks.kind, kind),
        eq(identityChecks.outcome, 'passed'),
        gte(identityChecks.at, since),
        sql`${identityChecks.details} @> ${JSON.stringify(detailsMatch)}::jsonb`,
      ),
    )
    .orderBy(desc(identityChecks.at))
    .limit(1);
  return row ?? null;
}
