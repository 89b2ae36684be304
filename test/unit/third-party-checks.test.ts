// Third-party checks of a filing (issue 8 point 3): the unified social credit code's GB 32100-2015
// form and check characters (real codes pass, one changed character fails), the enterprise
// registration result per organisation party (no registry queried unless an adapter is given), and
// the real-name status of the filer, the agent and party accounts from the recorded identity checks.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FilingInput } from '../../models/filing-rules/filing.ts';
import { checkUnifiedSocialCreditCode, creditCodeCheckCharacter, organisationCodeCheckCharacter } from '../../hub/filings/checks/unified-social-credit-code.ts';
import { CREDIT_CODE_SOURCE, REAL_NAME_SOURCE, runThirdPartyChecks, type EnterpriseRegistry } from '../../hub/filings/checks/third-party-checks.ts';
import { recordIdentityCheck } from '../../storage/identity/record-identity-check.ts';
import { createUser } from '../../storage/users/create-user.ts';
import { openMigratedPglite, testCipher, type OpenedTestDatabase } from '../support/storage.ts';

// Published codes of real enterprises (business licences are public), and the standard's own example.
const VALID_CODES = ['91350100M000100Y43', '914403001922038216', '91310000775785552L'];

describe('unified social credit code (GB 32100-2015)', () => {
  it.each(VALID_CODES)('%s is a valid code: both check characters agree', (code) => {
    const check = checkUnifiedSocialCreditCode(code);
    expect(check).toMatchObject({ valid: true, refusals: [], normalised: code });
    expect(creditCodeCheckCharacter(code.slice(0, 17))).toBe(code[17]);
    expect(organisationCodeCheckCharacter(code.slice(8, 16))).toBe(code[16]);
  });

  it('reads the parts: registration authority, category, division, organisation code', () => {
    expect(checkUnifiedSocialCreditCode('914403001922038216').parts).toEqual({ registrationAuthority: '9', category: '1', division: '440300', organisationCode: '192203821' });
  });

  it('folds what people type: lower case, full-width characters, spaces and dashes', () => {
    expect(checkUnifiedSocialCreditCode(' ９１３５０１００m０００１００y４３ ').valid).toBe(true);
    expect(checkUnifiedSocialCreditCode('913501-00M000 100Y43').valid).toBe(true);
  });

  it.each([
    ['91350100M000100Y44', ['checkCharacter']],
    ['91350100M000100Y53', ['organisationCheck', 'checkCharacter']],
    ['91350100M000100Y4', ['length']],
    ['91350100M000100Y433', ['length']],
    ['91350100M000100I43', ['characters']], // I, O, S, V, Z are not in the code's alphabet
    ['9135A100M000100Y43', ['divisionCode', 'checkCharacter']],
    ['', ['length']],
  ] as const)('%s is refused: %j', (code, refusals) => {
    const check = checkUnifiedSocialCreditCode(code);
    expect(check.valid).toBe(false);
    expect(check.refusals).toEqual(refusals);
  });

  it('every single-character change of a valid code is caught by a check character', () => {
    const code = VALID_CODES[1]!;
    const alphabet = '0123456789ABCDEFGHJKLMNPQRTUWXY';
    let changed = 0;
    for (let i = 0; i < 18; i += 1) {
      for (const c of alphabet) {
        if (c === code[i]) continue;
        changed += 1;
        expect(checkUnifiedSocialCreditCode(code.slice(0, i) + c + code.slice(i + 1)).valid, `${i}:${c}`).toBe(false);
      }
    }
    expect(changed).toBe(18 * 30);
  });
});

describe('runThirdPartyChecks', () => {
  let opened: OpenedTestDatabase;
  const cipher = testCipher();
  const system = { userId: null, role: null };
  const ids: Record<'verified' | 'unverified' | 'failedLater' | 'lawyer', string> = { verified: '', unverified: '', failedLater: '', lawyer: '' };
  const now = new Date('2026-05-01T02:00:00.000Z');

  const filing = (overrides: Partial<FilingInput> = {}): FilingInput => ({
    courtId: randomUUID(),
    cause: 'salesContract',
    plaintiffs: [{ kind: 'person', name: '陈静', phone: '13800138001', address: '北京市朝阳区示范路2号', userId: ids.verified }],
    defendants: [
      { kind: 'organisation', name: '示范商贸有限公司', idNumber: '91350100M000100Y43', address: '北京市朝阳区示范路1号' },
      { kind: 'organisation', name: '错码公司', idNumber: '91350100M000100Y44' },
      { kind: 'organisation', name: '无码公司' },
      { kind: 'person', name: '王强', userId: ids.unverified },
    ],
    claims: [{ text: '支付货款', amount: '12000.00' }],
    facts: '被告未付货款',
    causeFacts: {},
    jurisdiction: { basis: 'defendantDomicile', place: '北京市朝阳区' },
    evidence: [],
    electronicService: { consent: false, addresses: [] },
    materials: [],
    ...overrides,
  });

  beforeAll(async () => {
    opened = await openMigratedPglite();
    const db = opened.database.db;
    for (const name of Object.keys(ids) as (keyof typeof ids)[]) {
      const user = await createUser({ db, cipher, user: { username: `tpc-${name}`, displayName: name, role: name === 'lawyer' ? 'lawyer' : 'party', passwordHash: 'x' }, actor: system });
      ids[name] = user.id;
    }
    const record = (userId: string, outcome: 'passed' | 'failed', at: number) =>
      db.transaction(async (tx) => {
        await recordIdentityCheck({ tx, userId, kind: 'real_name', adapter: 'test', outcome, details: {}, actor: system });
        await new Promise((resolve) => setTimeout(resolve, at));
      });
    await record(ids.verified, 'passed', 5);
    await record(ids.lawyer, 'passed', 5);
    // A later failure is not masked by an earlier pass: only the newest check counts.
    await record(ids.failedLater, 'passed', 5);
    await record(ids.failedLater, 'failed', 5);
  }, 60_000);

  afterAll(async () => opened?.dispose());

  it('checks every organisation party locally and records pass, fail or uncertain with the source; persons get no registration check', async () => {
    const results = await runThirdPartyChecks({ db: opened.database.db, now: () => now }, filing(), ids.verified);
    const enterprise = results.filter((result) => result.check === 'enterpriseRegistration');
    expect(enterprise.map(({ party, outcome }) => [party, outcome])).toEqual([
      ['defendants.0', 'pass'],
      ['defendants.1', 'fail'],
      ['defendants.2', 'uncertain'],
    ]);
    for (const result of enterprise) {
      expect(result.source).toBe(CREDIT_CODE_SOURCE);
      expect(result.detail.registryQueried).toBe(false);
      expect(result.checkedAt).toBe(now.toISOString());
    }
    expect(enterprise[1]!.detail.refusals).toEqual(['checkCharacter']);
    expect(enterprise[2]!.detail.reason).toBe('noCreditCode');
    // The code itself is not copied into the recorded result.
    expect(JSON.stringify(results)).not.toContain('91350100M000100Y4');
  });

  it('real-name status: the filer must have passed (fail otherwise), a party account that has not is uncertain', async () => {
    const db = opened.database.db;
    const verified = await runThirdPartyChecks({ db, now: () => now }, filing(), ids.verified);
    const realName = verified.filter((result) => result.check === 'realNameStatus');
    expect(realName.map(({ party, outcome }) => [party, outcome])).toEqual([
      ['filer', 'pass'],
      ['plaintiffs.0', 'pass'],
      ['defendants.3', 'uncertain'],
    ]);
    expect(realName.every((result) => result.source === REAL_NAME_SOURCE)).toBe(true);

    const unverifiedFiler = await runThirdPartyChecks({ db, now: () => now }, filing(), ids.unverified);
    expect(unverifiedFiler.find((result) => result.party === 'filer')).toMatchObject({ outcome: 'fail', detail: { realNamePassed: false } });

    const failedLater = await runThirdPartyChecks({ db, now: () => now }, filing(), ids.failedLater);
    expect(failedLater.find((result) => result.party === 'filer')?.outcome).toBe('fail');
  });

  it('a lawyer filing for a client: the agent is the filer and is checked once; another agent is checked as "agent"', async () => {
    const db = opened.database.db;
    const agent = { userId: ids.lawyer, name: '周律', licenceNumber: '11101201510123456', powerOfAttorneyMaterialId: randomUUID() };
    const asFiler = await runThirdPartyChecks({ db }, filing({ agent }), ids.lawyer);
    expect(asFiler.filter((result) => result.check === 'realNameStatus').map((result) => result.party)).toEqual(['filer', 'plaintiffs.0', 'defendants.3']);
    const other = await runThirdPartyChecks({ db }, filing({ agent }), ids.verified);
    expect(other.find((result) => result.party === 'agent')).toMatchObject({ outcome: 'pass', detail: { userId: ids.lawyer } });
  });

  it('with a registry adapter: a registered enterprise passes, a deregistered one fails, an unreachable registry is uncertain', async () => {
    const db = opened.database.db;
    const asked: string[] = [];
    const registry = (status: 'registered' | 'deregistered' | Error): EnterpriseRegistry => ({
      source: 'test registry',
      async lookup(code) {
        asked.push(code);
        if (status instanceof Error) throw status;
        return { status };
      },
    });
    const only = filing({ defendants: [{ kind: 'organisation', name: '示范商贸有限公司', idNumber: '91350100m000100y43' }] });
    const outcome = async (adapter: EnterpriseRegistry) =>
      (await runThirdPartyChecks({ db, enterpriseRegistry: adapter }, only, ids.verified)).find((result) => result.check === 'enterpriseRegistration')!;
    expect(await outcome(registry('registered'))).toMatchObject({ outcome: 'pass', source: 'test registry', detail: { registryQueried: true, registryStatus: 'registered' } });
    expect((await outcome(registry('deregistered'))).outcome).toBe('fail');
    expect(await outcome(registry(new Error('timeout')))).toMatchObject({ outcome: 'uncertain', detail: { registryError: 'timeout' } });
    // The registry is asked with the normalised code, and never about a code that failed its check characters.
    expect(asked).toEqual(['91350100M000100Y43', '91350100M000100Y43', '91350100M000100Y43']);
    const bad = filing({ defendants: [{ kind: 'organisation', name: '错码公司', idNumber: '91350100M000100Y44' }] });
    await runThirdPartyChecks({ db, enterpriseRegistry: registry('registered') }, bad, ids.verified);
    expect(asked).toHaveLength(3);
  });
});
