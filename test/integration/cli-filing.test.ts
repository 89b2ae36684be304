// `ecourt fee` and `ecourt filing check` as the README shows them: the real commands in child processes,
// their output (table and JSON) and exit codes (fee: 0 printed, 2 bad amount; filing check: 0 auto-accepted,
// 1 any other decision or invalid filing, 2 bad usage).
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { filingFingerprint } from '../../models/filing-rules/evaluate.ts';
import { DEFAULT_RULE_SET } from '../../models/filing-rules/rule-set.ts';
import { sampleFiling } from '../../models/filing-rules/samples.ts';
import { runEcourtToEnd } from '../support/cli-process.ts';

let dir: string;
const file = (name: string, content: unknown) => {
  const path = join(dir, name);
  writeFileSync(path, typeof content === 'string' ? content : JSON.stringify(content));
  return path;
};

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'ecourt-cli-filing-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('ecourt fee', () => {
  it('prints the fee with its band-by-band calculation in Chinese and English', async () => {
    const result = await runEcourtToEnd(['fee', '123456.78', '--procedure', 'simplified']);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain('案件受理费 / acceptance fee: 1384.57 元 yuan');
    expect(result.stdout).toMatch(/100000\.00 – 200000\.00\s+2%\s+469\.1356/);
    expect(result.stdout).toContain('全额 / full fee: 2769.14, 减半后 / halved: 1384.57');
    expect(result.stdout).toContain('第十六条减半交纳1384.57元');
    expect(result.stdout).toContain('halved under art. 16 to 1384.57 yuan');
  });

  it('prints JSON with --json', async () => {
    const result = await runEcourtToEnd(['fee', '20000000.01', '--json']);
    expect(result.code, result.stderr).toBe(0);
    const printed = JSON.parse(result.stdout);
    expect(printed).toMatchObject({ claimAmount: '20000000.01', procedure: 'ordinary', fullFee: '141800.00', fee: '141800.00' });
    expect(printed.steps).toHaveLength(10);
  });

  it('refuses a bad amount or procedure with exit 2 and says why', async () => {
    const amount = await runEcourtToEnd(['fee', '12.345']);
    expect(amount.code).toBe(2);
    expect(amount.stderr).toContain('at most 2 fraction digits');
    expect((await runEcourtToEnd(['fee', '-5'])).code).toBe(2);
    const procedure = await runEcourtToEnd(['fee', '100', '--procedure', 'summary']);
    expect(procedure.code).toBe(2);
    expect(procedure.stderr).toContain('--procedure must be one of ordinary, simplified, small-claims');
    expect((await runEcourtToEnd(['fee'])).code).toBe(2);
  });
});

describe('ecourt filing check', () => {
  it('auto-accepts the sample credit-card filing (exit 0) and prints decision, fee and trace', async () => {
    const path = file('credit-card.json', sampleFiling('creditCard'));
    const result = await runEcourtToEnd(['filing', 'check', path, '--today', '2026-11-20']);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain('立案审查结果 / decision: 自动受理 / accepted automatically');
    expect(result.stdout).toContain('案件受理费 / acceptance fee: 133.13 元 yuan');
    expect(result.stdout).toContain('[pass] territorial');
    expect(result.stdout).toContain('[ n/a] powerOfAttorney');

    const json = await runEcourtToEnd(['filing', 'check', path, '--today', '2026-11-20', '--json']);
    const printed = JSON.parse(json.stdout);
    expect(printed).toMatchObject({ decision: 'autoAccept', procedure: 'small-claims', smallClaims: true, ruleSetVersion: 1, fee: { fee: '133.13' }, court: { region: '北京市朝阳区' } });
    expect(printed.trace.map((result: { ruleId: string }) => result.ruleId)).toEqual([...DEFAULT_RULE_SET.rules.map((rule) => rule.id), 'autoAcceptCause']);
  });

  it('rejects a filing outside the court region, naming the rule, field and legal basis (exit 1)', async () => {
    const path = file('credit-card.json', sampleFiling('creditCard'));
    const result = await runEcourtToEnd(['filing', 'check', path, '--today', '2026-11-20', '--court-region', '北京市海淀区']);
    expect(result.code).toBe(1);
    expect(result.stdout).toContain('不予受理 / rejected');
    expect(result.stdout).toContain('[FAIL] territorial → reject (jurisdiction.place)');
    expect(result.stdout).toContain('本院无管辖权');
    expect(result.stdout).toContain('依据 / basis: 《中华人民共和国民事诉讼法》第二十二条');
  });

  it('flags an expired limitation period for the clerk, and a duplicate of an accepted case as rejected', async () => {
    const filing = sampleFiling('creditCard');
    const path = file('credit-card.json', filing);
    const late = JSON.parse((await runEcourtToEnd(['filing', 'check', path, '--today', '2028-06-26', '--json'])).stdout);
    expect(late.decision).toBe('needsClerk');
    expect(late.trace.find((result: { ruleId: string }) => result.ruleId === 'limitation')).toMatchObject({ outcome: 'uncertain', fields: ['knewOn'], detail: { lastDay: '2028-06-25' } });

    const prior = file('prior.json', [{ id: 'f-1', fingerprint: filingFingerprint(filing), caseNumber: '（2026）京0105民初88号', status: 'accepted', submittedAt: '2026-11-01T10:00:00+08:00' }]);
    const duplicate = await runEcourtToEnd(['filing', 'check', path, '--today', '2026-11-20', '--prior', prior]);
    expect(duplicate.code).toBe(1);
    expect(duplicate.stdout).toContain('[FAIL] duplicate → reject');
    expect(duplicate.stdout).toContain('（2026）京0105民初88号');
  });

  it("uses a court's own rule set with --rules and refuses a bad one (exit 2)", async () => {
    const path = file('lending.json', sampleFiling('privateLending'));
    const rules = file('rules.json', { ...DEFAULT_RULE_SET, courtCode: '京0105', version: 4, autoAcceptCauses: ['creditCard'] });
    const clerk = JSON.parse((await runEcourtToEnd(['filing', 'check', path, '--today', '2026-11-20', '--rules', rules, '--json'])).stdout);
    expect(clerk).toMatchObject({ decision: 'needsClerk', ruleSetVersion: 4 });

    const bad = await runEcourtToEnd(['filing', 'check', path, '--rules', file('bad-rules.json', { ...DEFAULT_RULE_SET, smallClaimsLimit: 'lots' })]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('smallClaimsLimit');
  });

  it('lists every bad field of an invalid filing (exit 1) and refuses bad usage (exit 2)', async () => {
    const filing = sampleFiling('creditCard');
    filing.claims[0]!.amount = '18650.321';
    filing.knewOn = '2023-02-29';
    const result = await runEcourtToEnd(['filing', 'check', file('bad.json', filing), '--json']);
    expect(result.code).toBe(1);
    const printed = JSON.parse(result.stdout);
    expect(printed.error.code).toBe('VALIDATION_FAILED');
    expect(printed.error.details.issues.map((issue: { path: string }) => issue.path)).toEqual(['claims.0.amount', 'knewOn']);

    expect((await runEcourtToEnd(['filing', 'check', join(dir, 'missing.json')])).stderr).toContain('no such file');
    expect((await runEcourtToEnd(['filing', 'check', file('not.json', '{ nope')])).code).toBe(2);
    expect((await runEcourtToEnd(['filing', 'check', file('x.json', filing), '--today', '2026-02-30'])).code).toBe(2);
    expect((await runEcourtToEnd(['filing', 'submit'])).code).toBe(2);
  });
});
