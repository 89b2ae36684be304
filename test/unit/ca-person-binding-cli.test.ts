// `ecourt ca issue --kind person --user` and `ecourt ca bind` as the README shows them: real child
// processes against a migrated Postgres with real accounts — a judge's account is bound (its name
// becomes the certificate's), a clerk's or an unknown account is refused, `ca list` names the holder.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCourt } from '../../storage/courts/create-court.ts';
import { createUser } from '../../storage/users/create-user.ts';
import type { PublicUser } from '../../storage/users/public-user.ts';
import { runEcourtToEnd } from '../support/cli-process.ts';
import { openMigratedPostgres, testCipher, type OpenedTestDatabase } from '../support/storage.ts';

let dir: string;
let opened: OpenedTestDatabase;
let env: Record<string, string>;
let judge: PublicUser;
let clerk: PublicUser;
const ecourt = (args: string[]) => runEcourtToEnd(args, env);
const SYSTEM = { userId: null, role: null };

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'ecourt-ca-binding-cli-'));
  opened = await openMigratedPostgres();
  env = { ECOURT_DATA_DIR: join(dir, 'data'), DATABASE_URL: opened.url!, ECOURT_DATA_KEY: randomBytes(32).toString('hex'), ECOURT_SECRET: randomBytes(32).toString('hex') };
  const db = opened.database.db;
  const cipher = testCipher();
  const court = await createCourt({ db, court: { code: '京0108', name: '北京市海淀区人民法院', nameEn: 'Haidian District People’s Court', region: '北京市' }, actor: SYSTEM });
  judge = await createUser({ db, cipher, user: { username: 'judge.li', displayName: '李明', role: 'judge', courtId: court.id, passwordHash: 'h' }, actor: SYSTEM });
  clerk = await createUser({ db, cipher, user: { username: 'clerk.zhang', displayName: '张华', role: 'clerk', courtId: court.id, passwordHash: 'h' }, actor: SYSTEM });
  expect((await ecourt(['ca', 'init', '--court', '北京市海淀区人民法院', '--code', '1101080000001'])).code).toBe(0);
}, 60_000);

afterAll(async () => {
  await opened?.dispose();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('ecourt ca issue --kind person --user', () => {
  it('binds a judge’s signature to the judge’s account (by username or id); the account’s name is the certificate’s', async () => {
    const issued = await ecourt(['ca', 'issue', 'judge-li', '--kind', 'person', '--user', 'judge.li', '--department', '审判员', '--json']);
    expect(issued.code, issued.stderr).toBe(0);
    expect(JSON.parse(issued.stdout)).toMatchObject({ id: 'judge-li', kind: 'person', name: '李明', holder: { userId: judge.id, username: 'judge.li' } });

    const byId = await ecourt(['ca', 'issue', 'judge-li-2', '--kind', 'person', '--user', judge.id, '--name', '李明（审判长）', '--json']);
    expect(byId.code, byId.stderr).toBe(0);
    expect(JSON.parse(byId.stdout)).toMatchObject({ name: '李明（审判长）', holder: { userId: judge.id } });

    const listing = await ecourt(['ca', 'list']);
    expect(listing.code).toBe(0);
    expect(listing.stdout).toMatch(new RegExp(`judge-li\\tperson\\t李明 \\(审判员\\).*holder judge\\.li \\(${judge.id}\\)`));
  });

  it('refuses a clerk’s account (only judges hold a signature), an unknown account, and --user on a seal', async () => {
    const forClerk = await ecourt(['ca', 'issue', 'clerk-zhang', '--kind', 'person', '--user', 'clerk.zhang', '--json']);
    expect(forClerk.code).toBe(1);
    expect(JSON.parse(forClerk.stdout).error).toMatchObject({ code: 'VALIDATION_FAILED', details: { fields: ['user'], role: 'clerk' } });
    const unknown = await ecourt(['ca', 'issue', 'nobody', '--kind', 'person', '--user', 'no.such.judge']);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain('NOT_FOUND');
    const onSeal = await ecourt(['ca', 'issue', 'court', '--kind', 'court-seal', '--name', '北京市海淀区人民法院', '--user', 'judge.li']);
    expect(onSeal.code).toBe(2);
    const ids = JSON.parse((await ecourt(['ca', 'list', '--json'])).stdout).certificates.map((entry: { id: string }) => entry.id);
    expect(ids).not.toContain('clerk-zhang');
    expect(ids).not.toContain('court');
    expect(clerk.role).toBe('clerk');
  });

  it('an unbound certificate says so in the listing, and `ca bind` binds it to a judge once', async () => {
    expect((await ecourt(['ca', 'issue', 'judge-old', '--kind', 'person', '--name', '李明'])).code).toBe(0);
    expect((await ecourt(['ca', 'list'])).stdout).toMatch(/judge-old\tperson\t李明.*holder none \(unbound\)/);
    expect((await ecourt(['ca', 'bind', 'judge-old', '--user', 'clerk.zhang'])).code).toBe(1);
    const bound = await ecourt(['ca', 'bind', 'judge-old', '--user', 'judge.li', '--json']);
    expect(bound.code, bound.stderr).toBe(0);
    expect(JSON.parse(bound.stdout).holder).toEqual({ userId: judge.id, username: 'judge.li' });
    expect((await ecourt(['ca', 'bind', 'judge-old', '--user', 'judge.li'])).code).toBe(1);
  });
});
