// OAuth login storage on embedded PGlite and real Postgres: single-use keys (concurrent uses, one
// wins; expiry), linking (sealed identifier, one account per identity and one identity per provider
// and account, audit row), and finding the linked account.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { ConflictError } from '../../platform/errors.ts';
import { createUser } from '../../storage/users/create-user.ts';
import { SYSTEM_ACTOR } from '../../storage/audit/write-audit.ts';
import { listAudit } from '../../storage/audit/list-audit.ts';
import { useOnce } from '../../storage/oauth/use-once.ts';
import { linkExternalIdentity } from '../../storage/oauth/link-external-identity.ts';
import { findLinkedAccount } from '../../storage/oauth/find-linked-account.ts';
import { recordOAuthLogin } from '../../storage/oauth/record-oauth-login.ts';
import { getAccountStanding } from '../../storage/oauth/get-account-standing.ts';
import { openMigratedPglite, openMigratedPostgres, testCipher, type OpenedTestDatabase } from '../support/storage.ts';

describe.each([
  ['PGlite', openMigratedPglite],
  ['Postgres', openMigratedPostgres],
] as const)('OAuth storage on %s', (_engine, open) => {
  let opened: OpenedTestDatabase;
  const cipher = testCipher();
  const party = (username: string, idNumber: string | null) =>
    createUser({ db: opened.database.db, cipher, user: { username, displayName: username, role: 'party', passwordHash: 'x', idNumber }, actor: SYSTEM_ACTOR });

  beforeAll(async () => {
    opened = await open();
  });

  afterAll(async () => {
    await opened?.dispose();
  });

  it('lets one of several concurrent uses of a key win, and forgets it once expired', async () => {
    const db = opened.database.db;
    const now = new Date();
    const later = new Date(now.getTime() + 60_000);
    const results = await Promise.all(Array.from({ length: 5 }, () => useOnce({ db, kind: 'code:x', value: 'the-code', expiresAt: later, now })));
    expect(results.filter(Boolean)).toHaveLength(1);
    expect(await useOnce({ db, kind: 'code:y', value: 'the-code', expiresAt: later, now })).toBe(true);
    const rows = await db.execute(sql`select key from oauth_used_keys`);
    expect(JSON.stringify(rows)).not.toContain('the-code');
    // After its expiry the key is swept, so the table does not grow with every login.
    expect(await useOnce({ db, kind: 'code:x', value: 'the-code', expiresAt: new Date(later.getTime() + 60_000), now: new Date(later.getTime() + 1) })).toBe(true);
  });

  it('links an identity sealed, finds it again, and refuses a second link either way', async () => {
    const db = opened.database.db;
    const chen = await party('chen', '110105198805123024');
    const liu = await party('liu', null);
    const identity = { provider: 'wechat', subject: 'unionid:oCaseSensitive' };
    await linkExternalIdentity({ db, cipher, userId: chen.id, identity, actor: { userId: chen.id, role: 'party' } });

    const found = await findLinkedAccount({ db, cipher, ...identity });
    expect(found).toMatchObject({ userId: chen.id, role: 'party', disabled: false });
    // Identifiers differing only in case are different people.
    expect(await findLinkedAccount({ db, cipher, provider: 'wechat', subject: 'unionid:ocasesensitive' })).toBeNull();
    expect(await findLinkedAccount({ db, cipher, provider: 'dingtalk', subject: identity.subject })).toBeNull();

    await expect(linkExternalIdentity({ db, cipher, userId: liu.id, identity, actor: SYSTEM_ACTOR })).rejects.toBeInstanceOf(ConflictError);
    await expect(linkExternalIdentity({ db, cipher, userId: chen.id, identity: { provider: 'wechat', subject: 'unionid:other' }, actor: SYSTEM_ACTOR })).rejects.toBeInstanceOf(ConflictError);

    const stored = await db.execute(sql`select subject_sealed, subject_index from external_identities`);
    expect(JSON.stringify(stored)).not.toContain('oCaseSensitive');

    await recordOAuthLogin({ db, identityId: found!.identityId, userId: chen.id, role: 'party', provider: 'wechat' });
    const actions = (await listAudit({ db, subjectKind: 'user', subjectId: chen.id })).map((row) => row.action);
    expect(actions).toEqual(expect.arrayContaining(['user.oauth_link', 'user.oauth_login']));
    // The failed link left no audit row for liu.
    expect((await listAudit({ db, subjectKind: 'user', subjectId: liu.id })).map((row) => row.action)).not.toContain('user.oauth_link');

    expect(await getAccountStanding({ db, userId: chen.id })).toMatchObject({ realNameOnFile: true, disabled: false });
    expect(await getAccountStanding({ db, userId: liu.id })).toMatchObject({ realNameOnFile: false });
  });
});
