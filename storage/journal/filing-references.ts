// Checks that the court and the accounts a case filing names exist, before the case actor
// journals the filing. This replaces the foreign keys the projection tables no longer have (they
// cost ≈ 37 % of a FILE's commit): an unknown id is refused for that one command, where a failing
// foreign key rolled back the whole group commit of every actor in it.
import { inArray, sql } from 'drizzle-orm';
import { unionAll } from 'drizzle-orm/pg-core';
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

/** The ids one database lookup asks for, and its outcome. */
interface Lookup {
  courtIds: Set<string>;
  userIds: Set<string>;
  done: Promise<void>;
}

/**
 * Misses are looked up together: every check of the same turn of the event loop (e.g. all FILEs of
 * one command batch) shares ONE query, and an id already being looked up is not asked for again.
 * Without this a burst of filings naming an id not yet remembered (a new node's first second) sent
 * two queries per filing and queued them on the connection pool, ahead of the journal's commits.
 */
export function createFilingReferenceCheck(db: Db): CheckFilingReferences {
  const knownCourts = new Set<string>();
  const knownUsers = new Set<string>();
  const remember = (set: Set<string>, id: string) => {
    if (set.size >= MAX_REMEMBERED) set.clear();
    set.add(id);
  };
  /** Ids asked for by a lookup not finished yet ('court:<id>' / 'user:<id>'). */
  const asked = new Map<string, Promise<void>>();
  /** The lookup still gathering ids (sent at the end of this turn). */
  let gathering: Lookup | null = null;

  const run = async (lookup: Lookup): Promise<void> => {
    const courtIds = [...lookup.courtIds];
    const userIds = [...lookup.userIds];
    try {
      const found = await unionAll(
        db.select({ table: sql<string>`'court'`.as('table'), id: courts.id }).from(courts).where(inArray(courts.id, courtIds)),
        db.select({ table: sql<string>`'user'`.as('table'), id: users.id }).from(users).where(inArray(users.id, userIds)),
      );
      for (const row of found) remember(row.table === 'court' ? knownCourts : knownUsers, row.id);
    } finally {
      for (const id of courtIds) asked.delete(`court:${id}`);
      for (const id of userIds) asked.delete(`user:${id}`);
    }
  };

  /** The lookup that answers for this id: the one already asking, else the one gathering. */
  const lookupOf = (table: 'court' | 'user', id: string): Promise<void> => {
    const key = `${table}:${id}`;
    const pending = asked.get(key);
    if (pending) return pending;
    if (!gathering) {
      let start!: () => void;
      const lookup: Lookup = { courtIds: new Set(), userIds: new Set(), done: new Promise<void>((resolve) => (start = resolve)).then(() => run(lookup)) };
      gathering = lookup;
      queueMicrotask(() => {
        gathering = null;
        start();
      });
    }
    (table === 'court' ? gathering.courtIds : gathering.userIds).add(id);
    asked.set(key, gathering.done);
    return gathering.done;
  };

  return async ({ courtId, userIds }) => {
    const usersUnseen = [...new Set(userIds)].filter((id) => !knownUsers.has(id));
    const waits: Promise<void>[] = usersUnseen.map((id) => lookupOf('user', id));
    if (!knownCourts.has(courtId)) waits.push(lookupOf('court', courtId));
    if (waits.length > 0) await Promise.all(waits);
    return {
      courtKnown: knownCourts.has(courtId),
      unknownUserIds: usersUnseen.filter((id) => !knownUsers.has(id)),
    };
  };
}
