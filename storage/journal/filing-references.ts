// Checks that the court and the accounts a case filing names exist, before the case actor
// journals the filing. This replaces the foreign keys the projection tables no longer have (they
// cost ≈ 37 % of a FILE's commit): an unknown id is refused for that one command, where a failing
// foreign key rolled back the whole group commit of every actor in it.
import { inArray } from 'drizzle-orm';
import type { Db } from '../database.ts';
import { courts, users } from '../schema.ts';

export interface FilingReferences {
  courtId: string;
  /** The filer and every party's account. */
  userIds: readonly string[];
}

export interface UnknownFilingReferences {
  courtKnown: boolean;
  unknownUserIds: string[];
}

export type CheckFilingReferences = (refs: FilingReferences) => Promise<UnknownFilingReferences>;

/** Courts and accounts are never deleted, so an id seen once stays known: only misses go to the database. */
const MAX_REMEMBERED = 100_000;

export function createFilingReferenceCheck(db: Db): CheckFilingReferences {
  const knownCourts = new Set<string>();
  const knownUsers = new Set<string>();
  const remember = (set: Set<string>, id: string) => {
    if (set.size >= MAX_REMEMBERED) set.clear();
    set.add(id);
  };

  return async ({ courtId, userIds }) => {
    const courtUnseen = !knownCourts.has(courtId);
    const usersUnseen = [...new Set(userIds)].filter((id) => !knownUsers.has(id));
    if (courtUnseen) {
      const found = await db.select({ id: courts.id }).from(courts).where(inArray(courts.id, [courtId]));
      for (const row of found) remember(knownCourts, row.id);
    }
    if (usersUnseen.length > 0) {
      const found = await db.select({ id: users.id }).from(users).where(inArray(users.id, usersUnseen));
      for (const row of found) remember(knownUsers, row.id);
    }
    return {
      courtKnown: knownCourts.has(courtId),
      unknownUserIds: usersUnseen.filter((id) => !knownUsers.has(id)),
    };
  };
}
