// The filing reference check (storage/journal/filing-references.ts) on a real database (PGlite):
// it tells known from unknown courts and accounts, remembers what it found, and a burst of checks
// in one turn shares one query instead of one per filing.
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { SYSTEM_ACTOR } from '../../storage/audit/write-audit.ts';
import { createCourt } from '../../storage/courts/create-court.ts';
import { createUser } from '../../storage/users/create-user.ts';
import { createFilingReferenceCheck } from '../../storage/journal/filing-references.ts';
import { newId, openMigratedPglite, testCipher, type OpenedTestDatabase } from '../support/storage.ts';

describe('filing reference check', () => {
  let opened: OpenedTestDatabase;
  let courtId: string;
  let userIds: string[];

  beforeAll(async () => {
    opened = await openMigratedPglite();
    const db = opened.database.db;
    const cipher = testCipher();
    courtId = (await createCourt({ db, court: { code: '京0105', name: '北京市朝阳区人民法院', nameEn: 'Chaoyang Court', region: '北京市朝阳区' }, actor: SYSTEM_ACTOR })).id;
    userIds = [];
    for (const name of ['a', 'b', 'c']) {
      const user = await createUser({ db, cipher, user: { username: `filer-${name}-${newId().slice(0, 6)}`, displayName: '张三', role: 'party', passwordHash: 'scrypt$x' }, actor: SYSTEM_ACTOR });
      userIds.push(user.id);
    }
  });
  afterAll(async () => {
    await opened?.dispose();
  });

  /** Counts the database queries the check sends (a spy on the real driver, not a stand-in). */
  function countQueries(): { count: () => number; restore: () => void } {
    const driver = opened.database.driver;
    if (driver.dialect !== 'pglite') throw new Error('expected PGlite');
    const spy = vi.spyOn(driver.client, 'query');
    return { count: () => spy.mock.calls.length, restore: () => spy.mockRestore() };
  }

  it('tells known from unknown courts and accounts', async () => {
    const check = createFilingReferenceCheck(opened.database.db);
    const stranger = newId();
    expect(await check({ courtId, userIds: [userIds[0]!, stranger] })).toEqual({ courtKnown: true, unknownUserIds: [stranger] });
    expect(await check({ courtId: newId(), userIds: [userIds[1]!] })).toEqual({ courtKnown: false, unknownUserIds: [] });
  });

  it('answers a burst of checks in one turn with one query, and remembers what it found', async () => {
    const check = createFilingReferenceCheck(opened.database.db);
    const queries = countQueries();
    try {
      const stranger = newId();
      const answers = await Promise.all([
        check({ courtId, userIds: [userIds[0]!] }),
        check({ courtId, userIds: [userIds[1]!, userIds[0]!] }),
        check({ courtId, userIds: [userIds[2]!, stranger] }),
        check({ courtId: newId(), userIds: [userIds[0]!] }),
      ]);
      expect(answers).toEqual([
        { courtKnown: true, unknownUserIds: [] },
        { courtKnown: true, unknownUserIds: [] },
        { courtKnown: true, unknownUserIds: [stranger] },
        { courtKnown: false, unknownUserIds: [] },
      ]);
      expect(queries.count()).toBe(1);
      // Known ids are not asked for again; a check started while a lookup runs waits for it.
      expect(await check({ courtId, userIds: userIds })).toEqual({ courtKnown: true, unknownUserIds: [] });
      expect(queries.count()).toBe(1);
      const again = newId();
      const first = check({ courtId, userIds: [again] });
      await Promise.resolve();
      const second = check({ courtId, userIds: [again] });
      expect(await Promise.all([first, second])).toEqual([
        { courtKnown: true, unknownUserIds: [again] },
        { courtKnown: true, unknownUserIds: [again] },
      ]);
      expect(queries.count()).toBe(2);
    } finally {
      queries.restore();
    }
  });
});
