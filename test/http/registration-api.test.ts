// 实名注册 over HTTP on the embedded platform (PGlite, demo court): the phone's one-time code read
// from the demo inbox, party and lawyer accounts, the refusals (bad ID number with its reason,
// wrong / replayed / expired / exhausted codes, duplicate identity and username, resend too soon)
// and a user's own identity checks.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomInt } from 'node:crypto';
import { eq, sql } from 'drizzle-orm';
import { startDemoPlatform, type DemoPlatform } from '../support/demo-platform.ts';
import { residentIdCheckCharacter } from '../../platform/identity/resident-id.ts';
import { listAudit } from '../../storage/audit/list-audit.ts';
import { users } from '../../storage/schema.ts';
import { phoneCodes } from '../../storage/identity/schema.ts';
import { callApi } from '../support/api-call.ts';

let demo: DemoPlatform;
let base: string;

beforeAll(async () => {
  demo = await startDemoPlatform({ tempPrefix: 'ecourt-registration-' });
  base = demo.base;
}, 120_000);

afterAll(async () => {
  await demo?.stop();
});

const call = (method: string, path: string, options: { token?: string; body?: unknown } = {}) => callApi(base, method, path, options);

let phoneSerial = randomInt(1_000_000, 8_000_000);
const newPhone = () => `139${String(phoneSerial++).padStart(8, '0')}`;
/** A valid resident ID number nobody else in this run has (Shanghai Pudong, born 1990-05-17). */
let idSerial = 100;
const newResidentId = (sex: 'male' | 'female' = 'female') => {
  const first17 = `31011519900517${String(idSerial++ * 2 + (sex === 'male' ? 1 : 0)).padStart(3, '0')}`;
  return first17 + residentIdCheckCharacter(first17);
};
let userSerial = 0;
const newUsername = () => `reg${Date.now().toString(36)}${userSerial++}`;

/** Requests a code for the phone and reads it from the embedded node's demo inbox. */
async function codeFor(phone: string): Promise<string> {
  const sent = await call('POST', '/api/v1/registrations/phone-code', { body: { phone } });
  expect(sent.status, sent.text).toBe(201);
  expect(sent.json.resendAfterSeconds).toBe(60);
  const inbox = await call('GET', `/api/v1/registrations/demo-inbox?phone=${phone}`);
  expect(inbox.status, inbox.text).toBe(200);
  return inbox.json.messages[0].code;
}

const party = (phone: string, phoneCode: string, overrides: Record<string, unknown> = {}) => ({
  name: '孙丽',
  idType: 'resident',
  idNumber: newResidentId(),
  phone,
  phoneCode,
  username: newUsername(),
  password: 'correct horse 1',
  role: 'party',
  ...overrides,
});

describe('registration of a party', () => {
  it('opens the account with its identity sealed, signs it in and records a local real-name check', async () => {
    const phone = newPhone();
    const body = party(phone, await codeFor(phone));
    const registered = await call('POST', '/api/v1/registrations', { body });
    expect(registered.status, registered.text).toBe(201);
    expect(registered.json.user).toMatchObject({ username: body.username, displayName: '孙丽', role: 'party', courtId: null });
    expect(registered.json.identityCheck).toMatchObject({ kind: 'real_name', adapter: 'local', outcome: 'passed' });

    const me = await call('GET', '/api/v1/me', { token: registered.json.token });
    expect(me.status).toBe(200);
    expect(me.json.user.id).toBe(registered.json.user.id);
    const login = await call('POST', '/api/v1/auth/login', { body: { username: body.username, password: body.password } });
    expect(login.status, login.text).toBe(200);

    const checks = await call('GET', '/api/v1/me/identity-checks', { token: registered.json.token });
    expect(checks.status).toBe(200);
    expect(checks.json.checks).toHaveLength(1);
    const [check] = checks.json.checks;
    expect(check).toMatchObject({ kind: 'real_name', adapter: 'local', outcome: 'passed' });
    expect(check.details.checks).toEqual([
      { check: 'id_number_rules', passed: true },
      { check: 'name_form', passed: true },
    ]);
    expect(check.details.limits).toContain('no public-security');
    // Personal data stays out of the record, and out of the database in clear.
    const serialised = JSON.stringify(checks.json);
    for (const secret of [body.idNumber, phone, '孙丽']) expect(serialised).not.toContain(secret);
    const db = demo.platform.database.db;
    const [row] = await db.select().from(users).where(eq(users.id, registered.json.user.id));
    expect(row!.idType).toBe('resident');
    expect(row!.idNumberSealed).not.toContain(body.idNumber);
    expect(demo.platform.cipher.open(row!.idNumberSealed!)).toBe(body.idNumber);
    expect(demo.platform.cipher.open(row!.phoneSealed!)).toBe(phone);
    const stored = await db.select().from(phoneCodes).where(eq(phoneCodes.phoneIndex, demo.platform.cipher.blindIndex(phone)));
    expect(stored).toHaveLength(1);
    expect(stored[0]!.codeHash).not.toContain(body.phoneCode);
    expect(stored[0]!.usedAt).not.toBeNull();

    const audit = await listAudit({ db, subjectKind: 'user', subjectId: registered.json.user.id });
    expect(audit.map((entry) => entry.action)).toEqual(['user.create', 'user.register', 'identity.check']);
    expect(JSON.stringify(audit)).not.toContain(body.idNumber);
  });

  it('refuses a replayed code', async () => {
    const phone = newPhone();
    const code = await codeFor(phone);
    expect((await call('POST', '/api/v1/registrations', { body: party(phone, code) })).status).toBe(201);
    const replay = await call('POST', '/api/v1/registrations', { body: party(phone, code) });
    expect(replay.status).toBe(422);
    expect(replay.json.error.code).toBe('PHONE_CODE_INVALID');
    expect(replay.json.error.details).toMatchObject({ reason: 'CODE_USED', zh: '验证码已使用，请重新获取' });
  });

  it('refuses a wrong code, and every code after five wrong tries', async () => {
    const phone = newPhone();
    const code = await codeFor(phone);
    const wrong = String((Number(code) + 1) % 1_000_000).padStart(6, '0');
    for (let i = 0; i < 5; i++) {
      const refused = await call('POST', '/api/v1/registrations', { body: party(phone, wrong) });
      expect(refused.status).toBe(422);
      expect(refused.json.error.details.reason).toBe('CODE_WRONG');
    }
    const exhausted = await call('POST', '/api/v1/registrations', { body: party(phone, code) });
    expect(exhausted.json.error).toMatchObject({ code: 'PHONE_CODE_INVALID', details: { reason: 'CODE_ATTEMPTS' } });
  });

  it('refuses an expired code and a phone that was sent none', async () => {
    const phone = newPhone();
    const code = await codeFor(phone);
    await demo.platform.database.db
      .update(phoneCodes)
      .set({ expiresAt: sql`now() - interval '1 second'` })
      .where(eq(phoneCodes.phoneIndex, demo.platform.cipher.blindIndex(phone)));
    const expired = await call('POST', '/api/v1/registrations', { body: party(phone, code) });
    expect(expired.json.error).toMatchObject({ code: 'PHONE_CODE_INVALID', details: { reason: 'CODE_EXPIRED' } });
    const none = await call('POST', '/api/v1/registrations', { body: party(newPhone(), '123456') });
    expect(none.json.error).toMatchObject({ code: 'PHONE_CODE_INVALID', details: { reason: 'CODE_MISSING' } });
  });

  it('refuses a second code to the same phone within a minute', async () => {
    const phone = newPhone();
    await codeFor(phone);
    const again = await call('POST', '/api/v1/registrations/phone-code', { body: { phone } });
    expect(again.status).toBe(429);
    expect(again.json.error.code).toBe('RATE_LIMITED');
    expect(again.json.error.details.retryAfterSeconds).toBeGreaterThan(0);
  });

  it('refuses a number that is not a mainland mobile', async () => {
    const refused = await call('POST', '/api/v1/registrations/phone-code', { body: { phone: '01065550100' } });
    expect(refused.status).toBe(422);
    expect(refused.json.error).toMatchObject({ code: 'VALIDATION_FAILED', details: { field: 'phone' } });
  });

  it('refuses an invalid ID number with its coded reasons, before the code is touched', async () => {
    const phone = newPhone();
    const code = await codeFor(phone);
    const good = newResidentId();
    const wrongCheck = good.slice(0, 17) + (good[17] === '0' ? '1' : '0');
    const refused = await call('POST', '/api/v1/registrations', { body: party(phone, code, { idNumber: wrongCheck }) });
    expect(refused.status).toBe(422);
    expect(refused.json.error.code).toBe('ID_NUMBER_INVALID');
    expect(refused.json.error.details.reasons).toEqual([expect.objectContaining({ code: 'ID_CHECK_DIGIT', zh: expect.stringContaining('校验码') })]);
    const future = '310115' + '20991231' + '002';
    const unborn = await call('POST', '/api/v1/registrations', { body: party(phone, code, { idNumber: future + residentIdCheckCharacter(future) }) });
    expect(unborn.json.error.details.reasons.map((r: { code: string }) => r.code)).toEqual(['ID_BIRTH_DATE']);
    // The code was not spent by the refusals.
    expect((await call('POST', '/api/v1/registrations', { body: party(phone, code) })).status).toBe(201);
  });

  it('refuses a second account for the same identity (however the number is typed) and a taken username, keeping the code', async () => {
    const first = newPhone();
    const idNumber = newResidentId();
    const taken = party(first, await codeFor(first), { idNumber });
    expect((await call('POST', '/api/v1/registrations', { body: taken })).status).toBe(201);

    const phone = newPhone();
    const code = await codeFor(phone);
    const sameIdentity = await call('POST', '/api/v1/registrations', { body: party(phone, code, { idNumber: idNumber.toLowerCase() }) });
    expect(sameIdentity.status).toBe(409);
    expect(sameIdentity.json.error).toMatchObject({ code: 'IDENTITY_TAKEN', details: { zh: '该证件已注册过账户' } });
    const sameUsername = await call('POST', '/api/v1/registrations', { body: party(phone, code, { username: taken.username }) });
    expect(sameUsername.status).toBe(409);
    expect(sameUsername.json.error.code).toBe('CONFLICT');
    expect((await call('POST', '/api/v1/registrations', { body: party(phone, code) })).status).toBe(201);
  });
});

describe('registration of a lawyer', () => {
  it('needs the 17-digit practising certificate number', async () => {
    const phone = newPhone();
    const code = await codeFor(phone);
    const without = await call('POST', '/api/v1/registrations', { body: party(phone, code, { role: 'lawyer', name: '吴律' }) });
    expect(without.status).toBe(422);
    expect(without.json.error).toMatchObject({ code: 'VALIDATION_FAILED', details: { field: 'lawyerLicence' } });
    const short = await call('POST', '/api/v1/registrations', { body: party(phone, code, { role: 'lawyer', lawyerLicence: '1110120151012345' }) });
    expect(short.status).toBe(422);
    const partyWithLicence = await call('POST', '/api/v1/registrations', { body: party(phone, code, { lawyerLicence: '13101201910234567' }) });
    expect(partyWithLicence.json.error.details.field).toBe('lawyerLicence');

    const registered = await call('POST', '/api/v1/registrations', {
      body: party(phone, code, { role: 'lawyer', name: '吴律', idNumber: newResidentId('male'), lawyerLicence: '13101201910234567' }),
    });
    expect(registered.status, registered.text).toBe(201);
    expect(registered.json.user.role).toBe('lawyer');
    const [row] = await demo.platform.database.db.select().from(users).where(eq(users.id, registered.json.user.id));
    expect(row!.lawyerLicence).toBe('13101201910234567');
  });
});

describe('identity checks', () => {
  it("are each user's own: another account sees only its own, and nobody signed out sees any", async () => {
    const phone = newPhone();
    const registered = await call('POST', '/api/v1/registrations', { body: party(phone, await codeFor(phone)) });
    expect(registered.status).toBe(201);
    const other = await demo.logIn('party1');
    const theirs = await call('GET', '/api/v1/me/identity-checks', { token: other.token });
    expect(theirs.status).toBe(200);
    expect(theirs.json.checks.map((c: { id: string }) => c.id)).not.toContain(registered.json.identityCheck.id);
    expect((await call('GET', '/api/v1/me/identity-checks')).status).toBe(401);
  });
});

describe('OpenAPI', () => {
  it('documents the registration routes with their refusals', async () => {
    const doc = await call('GET', '/api/v1/openapi.json');
    expect(doc.status).toBe(200);
    const register = doc.json.paths['/api/v1/registrations'].post;
    expect(register.operationId).toBe('register');
    expect(Object.keys(register.responses)).toEqual(expect.arrayContaining(['201', '409', '422']));
    expect(Object.keys(doc.json.paths['/api/v1/registrations/phone-code'].post.responses)).toEqual(expect.arrayContaining(['201', '429', '503']));
    expect(Object.keys(doc.json.paths['/api/v1/me/identity-checks'].get.responses)).toEqual(expect.arrayContaining(['200', '401']));
  });
});
