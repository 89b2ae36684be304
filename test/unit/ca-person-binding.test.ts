// A judge's signature certificate bound to the judge's account (签名人): the CA records the holder of a
// `person` certificate (never of a seal), binds an older unbound one once, lists the holder; and the
// pure rule who may apply a signature — its holder only; for an unbound one a judge whose account name
// is the certificate's — and that a signature is never a request someone else approves.
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CourtCa } from '../../documents/ca/court-ca.ts';
import { AppError } from '../../platform/errors.ts';
import { decideSeal, signatureIsTheirs } from '../../platform/seal-roles.ts';

let dir: string;
let ca: CourtCa;
const judgeA = { userId: randomUUID(), username: 'judge.li' };

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'ecourt-ca-binding-'));
  ca = new CourtCa(join(dir, 'ca'), randomBytes(32));
  ca.init({ court: '北京市海淀区人民法院', courtCode: '1101080000001' });
});

afterEach(() => rmSync(dir, { recursive: true, force: true }));

const codeOf = (run: () => unknown): string | undefined => {
  try {
    run();
  } catch (error) {
    return error instanceof AppError ? error.code : String(error);
  }
  return undefined;
};

describe('the court CA records whose signature a person certificate is', () => {
  it('a person certificate keeps its holder in ca.json and in the listing; its signer still signs', () => {
    const entry = ca.issue({ id: 'judge-li', kind: 'person', name: '李明', department: '审判员', holder: judgeA });
    expect(entry.holder).toEqual(judgeA);
    expect(ca.list().certificates.find((c) => c.id === 'judge-li')?.holder).toEqual(judgeA);
    const state = JSON.parse(readFileSync(join(dir, 'ca', 'ca.json'), 'utf8'));
    expect(state.certificates[0].holder).toEqual(judgeA);
    expect(ca.signer('judge-li').entry.holder).toEqual(judgeA);
  });

  it('a seal is the court’s, not an account’s; a holder must be an account id and a username', () => {
    expect(codeOf(() => ca.issue({ id: 'court', kind: 'court-seal', name: '北京市海淀区人民法院', holder: judgeA }))).toBe('VALIDATION_FAILED');
    expect(codeOf(() => ca.issue({ id: 'judge-x', kind: 'person', name: '李明', holder: { userId: 'judge1', username: 'judge1' } }))).toBe('VALIDATION_FAILED');
    expect(codeOf(() => ca.issue({ id: 'judge-y', kind: 'person', name: '李明', holder: { userId: randomUUID(), username: ' ' } }))).toBe('VALIDATION_FAILED');
    expect(ca.list().certificates).toEqual([]);
  });

  it('an unbound (older) person certificate is bound once, keeping its serial; not a seal, not twice, not a revoked one', () => {
    const old = ca.issue({ id: 'judge-old', kind: 'person', name: '李明' });
    expect(old.holder).toBeUndefined();
    const bound = ca.bind('judge-old', judgeA);
    expect(bound).toMatchObject({ id: 'judge-old', serial: old.serial, holder: judgeA });
    expect(ca.list().certificates[0]!.holder).toEqual(judgeA);
    expect(codeOf(() => ca.bind('judge-old', { userId: randomUUID(), username: 'judge.wang' }))).toBe('CONFLICT');

    ca.issue({ id: 'court', kind: 'court-seal', name: '北京市海淀区人民法院' });
    expect(codeOf(() => ca.bind('court', judgeA))).toBe('VALIDATION_FAILED');
    expect(codeOf(() => ca.bind('no-such', judgeA))).toBe('NOT_FOUND');
    ca.issue({ id: 'judge-gone', kind: 'person', name: '王芳' });
    ca.revoke('judge-gone', 'left the court');
    expect(codeOf(() => ca.bind('judge-gone', judgeA))).toBe('CONFLICT');
  });
});

describe('who may apply a signature', () => {
  const bound = { kind: 'person', name: '李明', holder: { userId: judgeA.userId } };
  const unbound = { kind: 'person', name: '李明' };

  it('a bound signature: its holder only — not another judge, even one with the same name', () => {
    expect(signatureIsTheirs(bound, { userId: judgeA.userId, role: 'judge', displayName: '李明' })).toBe(true);
    expect(signatureIsTheirs(bound, { userId: randomUUID(), role: 'judge', displayName: '李明' })).toBe(false);
    expect(signatureIsTheirs(bound, { userId: randomUUID(), role: 'clerk', displayName: '张华' })).toBe(false);
  });

  it('an unbound signature: a judge whose account name is the certificate’s; not another judge, not a clerk of that name', () => {
    expect(signatureIsTheirs(unbound, { userId: randomUUID(), role: 'judge', displayName: '李明' })).toBe(true);
    expect(signatureIsTheirs(unbound, { userId: randomUUID(), role: 'judge', displayName: '王芳' })).toBe(false);
    expect(signatureIsTheirs(unbound, { userId: randomUUID(), role: 'clerk', displayName: '李明' })).toBe(false);
    expect(signatureIsTheirs(unbound, { userId: randomUUID(), role: 'judge', displayName: null })).toBe(false);
  });

  it('seals are nobody’s own: the rule passes them to the role rules', () => {
    expect(signatureIsTheirs({ kind: 'court-seal', name: '北京市海淀区人民法院' }, { userId: randomUUID(), role: 'clerk', displayName: '张华' })).toBe(true);
  });

  it('a clerk may request the court seal but never a signature; the judge signs at once', () => {
    const allowed = ['judge'] as const;
    expect(decideSeal({ role: 'clerk', allowed, needsApproval: ['clerk'] })).toBe('request');
    expect(decideSeal({ role: 'clerk', allowed, needsApproval: ['clerk'], signature: true })).toBe('forbidden');
    expect(decideSeal({ role: 'judge', allowed, needsApproval: ['clerk'], signature: true })).toBe('apply');
  });
});
