// Identity at registration over HTTP, on real Postgres with the real OCR engine (tesseract.js on Debian's
// chi_sim) and a real OpenID Connect provider: ID-card reading for the form (front, back, refusals), the
// new account's card recorded as an 'id_card_ocr' check (and the card's portrait tried for face enrolment), a first
// external sign-in linked by registration (and refused when its token is forged or expired), and 立案须实名
// (a party without a passed real-name check may not file).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomBytes, randomInt } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { startDemoPlatform, type DemoPlatform } from '../support/demo-platform.ts';
import { createTestDatabase } from '../support/services.ts';
import type { ScratchDatabase } from '../../storage/scratch-database.ts';
import { startTestOidcProvider, type TestOidcProvider } from '../support/oidc-test-provider.ts';
import { CookieBrowser } from '../support/cookie-browser.ts';
import { chromiumSkipReason, hasChromium, openIdCardCamera, SAMPLE_FRONTS, syntheticBack } from '../support/idcard-images.ts';
import { issuePhoneCode } from '../../storage/identity/issue-phone-code.ts';
import { identityChecks } from '../../storage/identity/schema.ts';
import { externalIdentities } from '../../storage/oauth/schema.ts';
import { users } from '../../storage/schema.ts';
import { createUser } from '../../storage/users/create-user.ts';
import { verifyRealName } from '../../storage/identity/verify-real-name.ts';
import { createLocalRealNameVerifier } from '../../platform/identity/real-name-verifier.ts';
import { sealPendingExternalIdentity } from '../../hub/auth/oauth/external-identity-token.ts';
import { hashPassword } from '../../hub/auth/password.ts';
import { residentIdCheckCharacter } from '../../platform/identity/resident-id.ts';
import { callApi } from '../support/api-call.ts';

const PROVIDER = 'court-idp';
let scratch: ScratchDatabase;
let oidc: TestOidcProvider;
let demo: DemoPlatform;
let base: string;
/** The first sample card (张伟) photographed askew with noise, and a card back. */
let front: Buffer;
let back: Buffer;
let courtId: string;

beforeAll(async () => {
  scratch = await createTestDatabase('ecourt_regid');
  oidc = await startTestOidcProvider();
  demo = await startDemoPlatform({
    tempPrefix: 'ecourt-registration-identity-',
    env: {
      DATABASE_URL: scratch.url,
      ECOURT_SECRET: randomBytes(32).toString('hex'),
      ECOURT_DATA_KEY: randomBytes(32).toString('hex'),
      ECOURT_SEED_DEMO: 'always',
      ECOURT_OAUTH_PROVIDERS: JSON.stringify({
        providers: [{ id: PROVIDER, kind: 'oidc', name: { zh: '法院统一身份认证', en: 'Court sign-on' }, issuer: oidc.issuer, clientId: oidc.clientId, clientSecret: oidc.clientSecret }],
      }),
    },
  });
  base = demo.base;
  oidc.configure(`${base}/api/v1/auth/oauth/${PROVIDER}/callback`);
  courtId = (await demo.logIn('clerk1')).user.courtId!;
  if (hasChromium) {
    const camera = await openIdCardCamera();
    try {
      front = await camera.front(SAMPLE_FRONTS[0]!, { rotation: 3, noise: 10, seed: 5 });
      back = await camera.back(syntheticBack(2), { rotation: -2, noise: 8, seed: 6 });
    } finally {
      await camera.close();
    }
  }
}, 180_000);

afterAll(async () => {
  await demo?.stop();
  await oidc?.close();
  await scratch?.drop();
});

const call = (method: string, path: string, options: { token?: string; body?: unknown } = {}) => callApi(base, method, path, options);

async function upload(path: string, bytes: Uint8Array, options: { type?: string; token?: string; headers?: Record<string, string> } = {}) {
  const response = await fetch(base + path, {
    method: 'POST',
    headers: { 'content-type': options.type ?? 'image/png', ...(options.token ? { authorization: `Bearer ${options.token}` } : {}), ...options.headers },
    body: Buffer.from(bytes),
  });
  const text = await response.text();
  return { status: response.status, json: text ? JSON.parse(text) : null, text };
}

let phoneSerial = randomInt(1_000_000, 8_000_000);
const newPhone = () => `137${String(phoneSerial++).padStart(8, '0')}`;
let userSerial = 0;
const newUsername = () => `rid${Date.now().toString(36)}${userSerial++}`;
let idSerial = 200;
const newResidentId = () => {
  const first17 = `31011519910623${String(idSerial++ * 2).padStart(3, '0')}`;
  return first17 + residentIdCheckCharacter(first17);
};

/** A node with a database is no demo node: no SMS inbox, so the code is issued the way the route would. */
async function codeFor(phone: string): Promise<string> {
  const issued = await issuePhoneCode({ db: demo.platform.database.db, cipher: demo.platform.cipher, phone, purpose: 'registration' });
  if (!issued.issued) throw new Error('no code issued');
  return issued.code;
}

async function registration(overrides: Record<string, unknown> = {}): Promise<Record<string, unknown>> {
  const phone = newPhone();
  return {
    name: '孙丽',
    idType: 'resident',
    idNumber: newResidentId(),
    phone,
    phoneCode: await codeFor(phone),
    username: newUsername(),
    password: 'correct horse 1',
    role: 'party',
    ...overrides,
  };
}

const filing = () => ({
  courtId,
  cause: '民间借贷纠纷',
  claims: '判令被告归还借款人民币3,000元。',
  claimAmount: '3000.00',
  plaintiffs: [{ name: '孙丽', kind: 'person' }],
  defendants: [{ name: '王五', kind: 'person' }],
});

describe.skipIf(!hasChromium)(`ID-card reading during registration${chromiumSkipReason}`, () => {
  it('reads a front, compares it with what was typed, and reads a back', async () => {
    const card = SAMPLE_FRONTS[0]!;
    const read = await upload('/api/v1/registrations/id-card?side=front', front, {
      headers: { 'x-ecourt-typed-name': encodeURIComponent(card.name), 'x-ecourt-typed-id-number': card.idNumber },
    });
    expect(read.status, read.text).toBe(200);
    expect(read.json.reading.side).toBe('front');
    expect(read.json.reading.fields.name).toMatchObject({ value: card.name });
    expect(read.json.reading.fields.idNumber).toMatchObject({ value: card.idNumber });
    expect(read.json.reading.fields.idNumber.reasons.map((r: { code: string }) => r.code)).not.toContain('TYPED_MISMATCH');

    const typedOther = await upload('/api/v1/registrations/id-card?side=front', front, { headers: { 'x-ecourt-typed-name': encodeURIComponent('王芳') } });
    expect(typedOther.status).toBe(200);
    expect(typedOther.json.reading.fields.name.needsCorrection).toBe(true);
    expect(typedOther.json.reading.fields.name.reasons.map((r: { code: string }) => r.code)).toContain('TYPED_MISMATCH');

    const backRead = await upload('/api/v1/registrations/id-card?side=back', back);
    expect(backRead.status, backRead.text).toBe(200);
    expect(backRead.json.reading.side).toBe('back');
    expect(Object.keys(backRead.json.reading.fields).sort()).toEqual(['issuingAuthority', 'validity']);
    expect(backRead.json.reading.fields.issuingAuthority.value).toBe(syntheticBack(2).issuingAuthority);
  }, 60_000);

  it('refuses what is not an image, a wrong media type, a huge image and a bad side', async () => {
    const text = await upload('/api/v1/registrations/id-card', new TextEncoder().encode('not a picture at all'));
    expect(text.status).toBe(415);
    expect(text.json.error).toMatchObject({ code: 'UNSUPPORTED_MEDIA_TYPE', details: { reason: 'not-an-image' } });
    const pdf = await upload('/api/v1/registrations/id-card', new TextEncoder().encode('%PDF-1.4'), { type: 'application/pdf' });
    expect(pdf.status).toBe(415);
    const huge = new Uint8Array(10 * 1024 * 1024 + 1);
    huge.set(front.subarray(0, 64));
    const tooBig = await upload('/api/v1/registrations/id-card', huge);
    expect(tooBig.status).toBe(413);
    expect(tooBig.json.error.code).toBe('PAYLOAD_TOO_LARGE');
    const side = await upload('/api/v1/registrations/id-card?side=inside', front);
    expect(side.status).toBe(422);
  });

  it("records the new account's card as an id_card_ocr check, without the card's text", async () => {
    const card = SAMPLE_FRONTS[0]!;
    const registered = await call('POST', '/api/v1/registrations', { body: await registration({ name: card.name, idNumber: card.idNumber }) });
    expect(registered.status, registered.text).toBe(201);
    const token = registered.json.token as string;

    const checked = await upload('/api/v1/me/id-card?enrolFace=true', front, { token });
    expect(checked.status, checked.text).toBe(201);
    // The synthetic card's portrait is a silhouette: no face, said with its reason (the portal then asks for a selfie).
    expect(checked.json.faceEnrolment).toMatchObject({ enrolled: false, refusal: { code: expect.stringMatching(/^FACE_(NONE|TOO_SMALL)$/) } });
    expect(checked.json.identityCheck).toMatchObject({ kind: 'id_card_ocr', adapter: 'tesseract.js', outcome: 'passed', details: { matches: { name: true, idNumber: true } } });
    expect(checked.json.identityCheck.details.imageSha256).toMatch(/^[0-9a-f]{64}$/);
    const [row] = await demo.platform.database.db.select().from(identityChecks).where(eq(identityChecks.id, checked.json.identityCheck.id));
    const stored = JSON.stringify(row!.details);
    for (const secret of [card.name, card.idNumber, card.address, card.idNumber.slice(6, 14)]) expect(stored).not.toContain(secret);
    expect(row!.details).toMatchObject({ fields: { idNumber: { read: true, flags: [] } } });

    const mine = await call('GET', '/api/v1/me/identity-checks', { token });
    expect(mine.json.checks.map((c: { kind: string }) => c.kind)).toEqual(expect.arrayContaining(['real_name', 'id_card_ocr']));

    // Someone else's card is a failed check, not a refusal.
    const other = await call('POST', '/api/v1/registrations', { body: await registration() });
    const foreign = await upload('/api/v1/me/id-card?enrolFace=true', front, { token: other.json.token });
    expect(foreign.status).toBe(201);
    expect(foreign.json.identityCheck).toMatchObject({ outcome: 'failed', details: { matches: { name: false, idNumber: false } } });
    // No face is ever taken from a card that is not the account's.
    expect(foreign.json.faceEnrolment).toMatchObject({ enrolled: false, refusal: { code: 'VALIDATION_FAILED' } });

    // Signed-in parties and lawyers only.
    expect((await upload('/api/v1/me/id-card', front)).status).toBe(401);
    expect((await upload('/api/v1/me/id-card', front, { token: (await demo.logIn('clerk1')).token })).status).toBe(403);
  }, 60_000);
});

describe('external sign-in at registration', () => {
  async function pendingIdentity(accountId: string): Promise<string> {
    oidc.signInAs = { accountId, name: 'Wu Min' };
    const { stoppedAt } = await new CookieBrowser().follow(`${base}/api/v1/auth/oauth/${PROVIDER}/start`);
    const params = new URLSearchParams(new URL(stoppedAt).hash.slice('#/oauth?'.length));
    expect(params.get('pending'), stoppedAt).toBeTruthy();
    return params.get('pending')!;
  }

  it('links the pending identity of a first external sign-in to the new account; the next sign-in is direct', async () => {
    const accountId = `wumin-${randomInt(1e9)}`;
    const pending = await pendingIdentity(accountId);
    const body = await registration({ name: '吴敏', pendingExternalIdentity: pending });
    const registered = await call('POST', '/api/v1/registrations', { body });
    expect(registered.status, registered.text).toBe(201);
    expect(registered.json.linkedExternalIdentity).toMatchObject({ provider: PROVIDER });
    const links = await demo.platform.database.db.select().from(externalIdentities).where(eq(externalIdentities.userId, registered.json.user.id));
    expect(links).toHaveLength(1);
    expect(JSON.stringify(links[0])).not.toContain(accountId);

    oidc.signInAs = { accountId, name: 'Wu Min' };
    const again = await new CookieBrowser().follow(`${base}/api/v1/auth/oauth/${PROVIDER}/start`);
    const ticket = new URLSearchParams(new URL(again.stoppedAt).hash.slice('#/oauth?'.length)).get('ticket');
    expect(ticket, again.stoppedAt).toBeTruthy();
    const session = await call('POST', '/api/v1/auth/oauth/session', { body: { ticket } });
    expect(session.status).toBe(200);
    expect(session.json.user.id).toBe(registered.json.user.id);

    // The same external identity cannot open a second account: refused, nothing created.
    const second = await registration({ pendingExternalIdentity: pending });
    const refused = await call('POST', '/api/v1/registrations', { body: second });
    expect(refused.status).toBe(409);
    expect(await demo.platform.database.db.select().from(users).where(eq(users.username, second.username as string))).toHaveLength(0);
  }, 60_000);

  it('refuses a forged or expired pending identity with its code and creates no account', async () => {
    const pending = await pendingIdentity(`forged-${randomInt(1e9)}`);
    const forged = await registration({ pendingExternalIdentity: pending.slice(0, -6) + 'AAAAAA' });
    const mismatch = await call('POST', '/api/v1/registrations', { body: forged });
    expect(mismatch.status).toBe(400);
    expect(mismatch.json.error.code).toBe('OAUTH_STATE_MISMATCH');

    const stale = sealPendingExternalIdentity(demo.platform.secrets.sessionSecret, { provider: PROVIDER, subject: 'late-1', displayName: null }, new Date(Date.now() - 31 * 60_000));
    const late = await registration({ pendingExternalIdentity: stale });
    const expired = await call('POST', '/api/v1/registrations', { body: late });
    expect(expired.status).toBe(400);
    expect(expired.json.error.code).toBe('OAUTH_STATE_EXPIRED');
    for (const username of [forged.username, late.username]) {
      expect(await demo.platform.database.db.select().from(users).where(eq(users.username, username as string))).toHaveLength(0);
    }
    // The code was not spent: the same registration without the token goes through.
    const { pendingExternalIdentity: _dropped, ...plain } = late;
    expect((await call('POST', '/api/v1/registrations', { body: plain })).status).toBe(201);
  }, 60_000);
});

describe('立案须实名: filing needs a passed real-name check', () => {
  it('refuses a party without one and accepts the same party once verified; a registered party files at once', async () => {
    const db = demo.platform.database.db;
    const idNumber = newResidentId();
    const migrated = await createUser({
      db,
      cipher: demo.platform.cipher,
      user: { username: newUsername(), displayName: '郑华', role: 'party', passwordHash: await hashPassword('migrated pass 1'), idType: 'resident', idNumber },
      actor: { userId: null, role: null },
    });
    const login = await call('POST', '/api/v1/auth/login', { body: { username: migrated.username, password: 'migrated pass 1' } });
    const refused = await call('POST', '/api/v1/cases', { token: login.json.token, body: filing() });
    expect(refused.status).toBe(403);
    expect(refused.json.error).toMatchObject({ code: 'IDENTITY_NOT_VERIFIED', details: { zh: expect.stringContaining('实名'), en: expect.any(String) } });

    await verifyRealName({ db, userId: migrated.id, claim: { name: '郑华', idType: 'resident', idNumber }, verifier: createLocalRealNameVerifier(), actor: { userId: null, role: null } });
    const accepted = await call('POST', '/api/v1/cases', { token: login.json.token, body: filing() });
    expect(accepted.status, accepted.text).toBe(201);

    const registered = await call('POST', '/api/v1/registrations', { body: await registration() });
    const filed = await call('POST', '/api/v1/cases', { token: registered.json.token, body: filing() });
    expect(filed.status, filed.text).toBe(201);

    // The demo court's parties and lawyer were verified by the seed; institutions are not asked.
    for (const username of ['party1', 'lawyer1', 'bank1']) {
      const { token } = await demo.logIn(username);
      expect((await call('POST', '/api/v1/cases', { token, body: filing() })).status, username).toBe(201);
    }
  }, 60_000);
});
