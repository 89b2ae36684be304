// The filing rules API (立案规则, issue 8 point 3) on the in-process demo platform: court staff read
// the set in force with each rule's id, reason and legal basis and the version history; only the
// court's own courtAdmin saves a new version, validated by parseRuleSet, numbered by the server and
// audited; a court without its own version follows the platform's, else the built-in set.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, eq } from 'drizzle-orm';
import { startDemoPlatform, type DemoPlatform } from '../support/demo-platform.ts';
import { callApi } from '../support/api-call.ts';
import { DEFAULT_RULE_SET } from '../../models/filing-rules/rule-set.ts';
import { hashPassword } from '../../hub/auth/password.ts';
import { createUser } from '../../storage/users/create-user.ts';
import { getCurrentRuleSet } from '../../storage/filing-rule-sets/get-current-rule-set.ts';
import { filingRuleSets } from '../../storage/filings/schema.ts';
import { auditLog } from '../../storage/schema.ts';

let demo: DemoPlatform;
const tokens: Record<string, string> = {};
let chaoyang: string;
let haidian: string;

const call = (method: string, path: string, who?: string, body?: unknown) => callApi(demo.base, method, path, { ...(who ? { token: tokens[who]! } : {}), ...(body === undefined ? {} : { body }) });
const rulesPath = (courtId: string) => `/api/v1/courts/${courtId}/filing-rules`;

/** The default set with the small-claims limit changed and the limitation rule turned off. */
const courtVersion = (smallClaimsLimit: string) => ({
  ...DEFAULT_RULE_SET,
  smallClaimsLimit,
  rules: DEFAULT_RULE_SET.rules.map((rule) => (rule.id === 'limitation' ? { ...rule, enabled: false } : rule)),
});

beforeAll(async () => {
  demo = await startDemoPlatform({ tempPrefix: 'ecourt-filing-rules-api-' });
  const courts = (await call('GET', '/api/v1/courts')).json.courts as { id: string; code: string }[];
  chaoyang = courts.find((court) => court.code === '京0105')!.id;
  haidian = courts.find((court) => court.code === '京0108')!.id;
  await createUser({
    db: demo.platform.database.db,
    cipher: demo.platform.cipher,
    user: { username: 'haidian-admin', displayName: '海淀管理员', role: 'courtAdmin', courtId: haidian, passwordHash: await hashPassword('demo-password-1') },
    actor: { userId: null, role: null },
  });
  for (const username of ['admin1', 'clerk1', 'judge1', 'party1', 'lawyer1', 'haidian-admin']) tokens[username] = (await demo.logIn(username)).token;
}, 120_000);

afterAll(async () => demo?.stop());

describe('GET /api/v1/courts/:courtId/filing-rules', () => {
  it('shows court staff the built-in set while the court has none: each rule with id, reason (zh/en) and legal basis', async () => {
    for (const who of ['clerk1', 'judge1', 'admin1']) {
      const { status, json } = await call('GET', rulesPath(chaoyang), who);
      expect(status, who).toBe(200);
      expect(json.court).toEqual({ id: chaoyang, code: '京0105', name: '北京市朝阳区人民法院' });
      expect(json.current).toMatchObject({ id: null, version: 1, source: 'builtIn', createdAt: null });
      expect(json.versions.map((v: { source: string }) => v.source)).toEqual(['builtIn']);
      const rules = json.current.ruleSet.rules as { id: string; reason: { zh: string; en: string }; legalBasis: string }[];
      expect(rules.map((rule) => rule.id)).toEqual(DEFAULT_RULE_SET.rules.map((rule) => rule.id));
      for (const rule of rules) expect(rule.reason.zh && rule.reason.en && rule.legalBasis).toBeTruthy();
    }
  });

  it('refuses litigants (403), staff of another court (403), no session (401) and a malformed court id (422)', async () => {
    expect((await call('GET', rulesPath(chaoyang), 'party1')).json.error.code).toBe('FORBIDDEN');
    expect((await call('GET', rulesPath(chaoyang), 'lawyer1')).status).toBe(403);
    const other = await call('GET', rulesPath(chaoyang), 'haidian-admin');
    expect(other.status).toBe(403);
    expect(other.json.error.code).toBe('FORBIDDEN');
    expect((await call('GET', rulesPath(chaoyang))).status).toBe(401);
    const bad = await call('GET', rulesPath('nope'), 'clerk1');
    expect(bad.status).toBe(422);
    expect(bad.json.error.details.issues[0].path).toBe('params.courtId');
  });
});

describe('PUT /api/v1/courts/:courtId/filing-rules', () => {
  it('a courtAdmin saves a new version: numbered by the server, the court code written in, audited, in force for the next filing', async () => {
    const { status, json } = await call('PUT', rulesPath(chaoyang), 'admin1', { ruleSet: { ...courtVersion('40000.00'), version: 99, courtCode: '*' }, note: '本院小额诉讼标准调整' });
    expect(status, JSON.stringify(json)).toBe(200);
    expect(json.current).toMatchObject({ version: 2, source: 'court', courtId: chaoyang, createdBy: expect.any(String) });
    expect(json.current.ruleSet).toMatchObject({ version: 2, courtCode: '京0105', smallClaimsLimit: '40000.00' });
    expect(json.current.ruleSet.rules.find((rule: { id: string }) => rule.id === 'limitation').enabled).toBe(false);
    expect(json.versions.map((v: { version: number; source: string }) => `${v.source}:${v.version}`)).toEqual(['court:2', 'builtIn:1']);

    const inForce = await getCurrentRuleSet({ db: demo.platform.database.db, courtId: chaoyang });
    expect(inForce).toMatchObject({ version: 2, courtCode: '京0105', smallClaimsLimit: '40000.00' });

    const audits = await demo.platform.database.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.action, 'filingRuleSet.add'), eq(auditLog.subjectId, chaoyang)));
    expect(audits).toHaveLength(1);
    expect(audits[0]).toMatchObject({ actorRole: 'courtAdmin', subjectKind: 'court' });
    expect(audits[0]!.detail).toMatchObject({ version: 2, previousVersion: 1, previousSource: 'builtIn', note: '本院小额诉讼标准调整' });

    const next = await call('PUT', rulesPath(chaoyang), 'admin1', { ruleSet: courtVersion('45000.00') });
    expect(next.json.current).toMatchObject({ version: 3, ruleSet: { smallClaimsLimit: '45000.00' } });
    expect(next.json.versions.map((v: { version: number }) => v.version)).toEqual([3, 2, 1]);
  });

  it('refuses an invalid set with VALIDATION_FAILED listing every bad field (body.ruleSet.…), and stores nothing', async () => {
    const before = await demo.platform.database.db.select().from(filingRuleSets).where(eq(filingRuleSets.courtId, chaoyang));
    const duplicate = { ...courtVersion('1.234'), rules: [...DEFAULT_RULE_SET.rules, DEFAULT_RULE_SET.rules[0]] };
    const { status, json } = await call('PUT', rulesPath(chaoyang), 'admin1', { ruleSet: duplicate });
    expect(status).toBe(422);
    expect(json.error.code).toBe('VALIDATION_FAILED');
    const paths = (json.error.details.issues as { path: string }[]).map((issue) => issue.path);
    expect(paths).toContain('body.ruleSet.smallClaimsLimit');
    expect(paths).toContain(`body.ruleSet.rules.${DEFAULT_RULE_SET.rules.length}.id`);
    const noRules = await call('PUT', rulesPath(chaoyang), 'admin1', { ruleSet: { ...DEFAULT_RULE_SET, rules: [], limitationYears: 5 } });
    expect((noRules.json.error.details.issues as { path: string }[]).map((issue) => issue.path).sort()).toEqual(['body.ruleSet.limitationYears', 'body.ruleSet.rules']);
    const notAnObject = await call('PUT', rulesPath(chaoyang), 'admin1', { ruleSet: 'rules' });
    expect(notAnObject.json.error.details.issues[0].path).toBe('body.ruleSet');
    const after = await demo.platform.database.db.select().from(filingRuleSets).where(eq(filingRuleSets.courtId, chaoyang));
    expect(after).toHaveLength(before.length);
  });

  it('only the court’s own courtAdmin: clerks, judges, litigants and another court’s admin are refused with 403', async () => {
    for (const who of ['clerk1', 'judge1', 'party1']) {
      const { status, json } = await call('PUT', rulesPath(chaoyang), who, { ruleSet: courtVersion('1000.00') });
      expect(status, who).toBe(403);
      expect(json.error.code).toBe('FORBIDDEN');
    }
    expect((await call('PUT', rulesPath(chaoyang), 'haidian-admin', { ruleSet: courtVersion('1000.00') })).status).toBe(403);
    expect((await call('GET', rulesPath(chaoyang), 'clerk1')).json.current.version).toBe(3);
  });

  it('a court without its own version follows the platform default; its first own version is numbered after it', async () => {
    const db = demo.platform.database.db;
    expect((await getCurrentRuleSet({ db, courtId: haidian })).version).toBe(1);
    await db.insert(filingRuleSets).values({ courtId: null, version: 5, ruleSet: { ...courtVersion('30000.00'), version: 5 } });
    const platform = await call('GET', rulesPath(haidian), 'haidian-admin');
    expect(platform.json.current).toMatchObject({ version: 5, source: 'platform', courtId: null, ruleSet: { smallClaimsLimit: '30000.00' } });
    expect(platform.json.versions.map((v: { source: string; version: number }) => `${v.source}:${v.version}`)).toEqual(['platform:5', 'builtIn:1']);
    // Chaoyang keeps its own newest version although the platform's number is higher.
    expect((await getCurrentRuleSet({ db, courtId: chaoyang })).version).toBe(3);
    const own = await call('PUT', rulesPath(haidian), 'haidian-admin', { ruleSet: courtVersion('35000.00') });
    expect(own.json.current).toMatchObject({ version: 6, source: 'court', ruleSet: { courtCode: '京0108' } });
  });
});
