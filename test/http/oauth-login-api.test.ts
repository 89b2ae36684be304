// OAuth/OIDC login end to end: a real OpenID Connect provider (oidc-provider) on loopback, the whole
// platform in-process, and a cookie-keeping HTTP client following the redirects like a browser.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { startDemoPlatform, type DemoPlatform } from '../support/demo-platform.ts';
import { startTestOidcProvider, type TestOidcProvider } from '../support/oidc-test-provider.ts';
import { CookieBrowser } from '../support/cookie-browser.ts';
import { listAudit } from '../../storage/audit/list-audit.ts';
import { externalIdentities } from '../../storage/oauth/schema.ts';
import { STATE_COOKIE, stateCookieHeader } from '../../hub/auth/oauth/state-cookie.ts';

let oidc: TestOidcProvider;
let demo: DemoPlatform;
let base: string;
const PROVIDER = 'court-idp';
const startUrl = () => `${base}/api/v1/auth/oauth/${PROVIDER}/start`;
const isCallback = (url: string) => url.startsWith(`${base}/api/v1/auth/oauth/${PROVIDER}/callback`);

/** The portal's fragment parameters of a redirect into "/#/oauth?…". */
function portalParams(url: string): URLSearchParams {
  const hash = new URL(url).hash;
  expect(hash.startsWith('#/oauth?'), url).toBe(true);
  return new URLSearchParams(hash.slice('#/oauth?'.length));
}

function errorOf(text: string): { code: string; message: string } {
  return (JSON.parse(text) as { error: { code: string; message: string } }).error;
}

async function postJson(path: string, body: unknown, token?: string) {
  const response = await fetch(base + path, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify(body),
  });
  return { status: response.status, json: (await response.json()) as any };
}

/** A browser that went to the provider and back, stopped just before our callback runs. */
async function browserAtCallback(): Promise<{ browser: CookieBrowser; callback: string }> {
  const browser = new CookieBrowser();
  const { stoppedAt } = await browser.follow(startUrl(), { stopBefore: isCallback });
  expect(isCallback(stoppedAt), stoppedAt).toBe(true);
  return { browser, callback: stoppedAt };
}

beforeAll(async () => {
  oidc = await startTestOidcProvider();
  demo = await startDemoPlatform({
    tempPrefix: 'ecourt-oauth-',
    env: {
      ECOURT_OAUTH_PROVIDERS: JSON.stringify({
        providers: [
          { id: PROVIDER, kind: 'oidc', name: { zh: '法院统一身份认证', en: 'Court single sign-on' }, issuer: oidc.issuer, clientId: oidc.clientId, clientSecret: oidc.clientSecret },
          { id: 'wechat', kind: 'wechat', name: { zh: '微信登录', en: 'WeChat' }, courts: ['沪0101'], appId: 'wx-app', appSecret: 'wechat-secret-value' },
        ],
      }),
    },
  });
  base = demo.base;
  oidc.configure(`${base}/api/v1/auth/oauth/${PROVIDER}/callback`);
}, 120_000);

afterAll(async () => {
  await demo?.stop();
  await oidc?.close();
});

describe('providers', () => {
  it('lists the court’s providers with Chinese and English names, never their secrets', async () => {
    const response = await fetch(`${base}/api/v1/auth/oauth/providers?court=${encodeURIComponent('京0105')}`);
    const text = await response.text();
    expect(response.status).toBe(200);
    expect(JSON.parse(text).providers).toEqual([
      { id: PROVIDER, kind: 'oidc', name: { zh: '法院统一身份认证', en: 'Court single sign-on' }, startPath: `/api/v1/auth/oauth/${PROVIDER}/start` },
    ]);
    const all = await (await fetch(`${base}/api/v1/auth/oauth/providers`)).text();
    expect(JSON.parse(all).providers.map((p: { id: string }) => p.id)).toEqual([PROVIDER, 'wechat']);
    for (const secret of [oidc.clientSecret, 'wechat-secret-value']) {
      expect(text).not.toContain(secret);
      expect(all).not.toContain(secret);
    }
  });

  it('answers an unknown provider with 404', async () => {
    const hop = await new CookieBrowser().request(`${base}/api/v1/auth/oauth/nobody/start`);
    expect(hop.status).toBe(404);
    expect(errorOf(hop.text).code).toBe('NOT_FOUND');
  });
});

describe('authorisation code flow', () => {
  it('sends the browser to the provider with state, nonce and an S256 PKCE challenge, bound by an HttpOnly cookie', async () => {
    const browser = new CookieBrowser();
    const hop = await browser.request(startUrl());
    expect(hop.status).toBe(302);
    const authorize = new URL(hop.location!);
    expect(authorize.origin).toBe(oidc.issuer);
    expect(authorize.searchParams.get('code_challenge_method')).toBe('S256');
    expect(authorize.searchParams.get('code_challenge')).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(authorize.searchParams.get('state')).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(authorize.searchParams.get('nonce')).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(authorize.searchParams.get('redirect_uri')).toBe(`${base}/api/v1/auth/oauth/${PROVIDER}/callback`);
    const cookie = browser.cookie(base, STATE_COOKIE)!;
    // The sealed cookie shows neither the state nor the verifier.
    expect(cookie).not.toContain(authorize.searchParams.get('state'));
  });

  it('first login → pending identity; linked to a verified account after a password sign-in; then signs in with a one-time ticket', async () => {
    oidc.signInAs = { accountId: 'alice-0001', name: 'Alice Chen' };
    const first = await new CookieBrowser().follow(startUrl());
    const pending = portalParams(first.stoppedAt);
    expect(pending.get('provider')).toBe(PROVIDER);
    expect(pending.get('name')).toBe('Alice Chen');
    expect(pending.get('ticket')).toBeNull();
    expect(pending.get('pending')).not.toContain('alice-0001');

    // An account without a real-name identity on file may not link.
    const bank = await demo.logIn('bank1');
    const refused = await postJson('/api/v1/auth/oauth/link', { pending: pending.get('pending') }, bank.token);
    expect(refused.status).toBe(403);
    expect(refused.json.error.code).toBe('FORBIDDEN');

    const party = await demo.logIn('party1');
    const linked = await postJson('/api/v1/auth/oauth/link', { pending: pending.get('pending') }, party.token);
    expect(linked.status, JSON.stringify(linked.json)).toBe(201);
    expect(linked.json.provider).toBe(PROVIDER);
    // The same external account cannot be linked a second time (to anyone).
    const again = await postJson('/api/v1/auth/oauth/link', { pending: pending.get('pending') }, (await demo.logIn('party2')).token);
    expect(again.status).toBe(409);

    const [row] = await demo.platform.database.db.select().from(externalIdentities).where(eq(externalIdentities.userId, party.user.id));
    expect(row!.provider).toBe(PROVIDER);
    expect(row!.subjectSealed).not.toContain('alice-0001');
    expect(demo.platform.cipher.open(row!.subjectSealed)).toBe('alice-0001');

    const second = await new CookieBrowser().follow(startUrl());
    const signedIn = portalParams(second.stoppedAt);
    expect(signedIn.get('pending')).toBeNull();
    const ticket = signedIn.get('ticket')!;
    const session = await postJson('/api/v1/auth/oauth/session', { ticket });
    expect(session.status, JSON.stringify(session.json)).toBe(200);
    expect(session.json.user).toMatchObject({ id: party.user.id, username: 'party1', role: 'party' });
    const me = await fetch(`${base}/api/v1/me`, { headers: { authorization: `Bearer ${session.json.token}` } });
    expect(((await me.json()) as any).user.id).toBe(party.user.id);

    const replayedTicket = await postJson('/api/v1/auth/oauth/session', { ticket });
    expect(replayedTicket.status).toBe(400);
    expect(replayedTicket.json.error.code).toBe('OAUTH_CODE_REPLAYED');

    const audit = await listAudit({ db: demo.platform.database.db, subjectKind: 'user', subjectId: party.user.id });
    const actions = audit.map((entry) => entry.action);
    expect(actions).toContain('user.oauth_link');
    expect(actions).toContain('user.oauth_login');
    expect(JSON.stringify(audit)).not.toContain('alice-0001');
  });
});

describe('refusals', () => {
  it('refuses a callback carried to another browser (state mismatch), and one without the cookie', async () => {
    const victim = await browserAtCallback();
    const attacker = await browserAtCallback();
    const crossed = await attacker.browser.request(victim.callback);
    expect(crossed.status).toBe(400);
    expect(errorOf(crossed.text).code).toBe('OAUTH_STATE_MISMATCH');
    const cookieless = await new CookieBrowser().request(victim.callback);
    expect(errorOf(cookieless.text).code).toBe('OAUTH_STATE_MISMATCH');
    // The victim's own attempt is still good: nothing was consumed by the refusals.
    const own = await victim.browser.follow(victim.callback);
    expect(new URL(own.stoppedAt).hash).toMatch(/^#\/oauth\?/);
  });

  it('refuses a forged state parameter', async () => {
    const { browser, callback } = await browserAtCallback();
    const forged = new URL(callback);
    forged.searchParams.set('state', 'A'.repeat(43));
    const hop = await browser.request(forged.toString());
    expect(errorOf(hop.text).code).toBe('OAUTH_STATE_MISMATCH');
  });

  it('refuses an ID token whose nonce is not this attempt’s (nonce tampered on the way to the provider)', async () => {
    const browser = new CookieBrowser();
    const result = await browser.follow(startUrl(), {
      rewrite: (url) => {
        const parsed = new URL(url);
        if (parsed.origin === oidc.issuer && parsed.searchParams.has('nonce')) parsed.searchParams.set('nonce', 'attacker-chosen-nonce');
        return parsed.toString();
      },
    });
    expect(result.last!.status).toBe(400);
    expect(errorOf(result.last!.text).code).toBe('OAUTH_NONCE_MISMATCH');
  });

  it('refuses a replayed callback and a replayed code', async () => {
    const { browser, callback } = await browserAtCallback();
    const cookie = browser.cookie(base, STATE_COOKIE)!;
    const first = await browser.request(callback);
    expect(first.status).toBe(302);
    // The callback clears the cookie; an attacker who kept it replays the whole answer.
    expect(browser.cookie(base, STATE_COOKIE)).toBeUndefined();
    browser.setCookie(base, STATE_COOKIE, cookie);
    const replay = await browser.request(callback);
    expect(replay.status).toBe(400);
    expect(errorOf(replay.text).code).toBe('OAUTH_CODE_REPLAYED');

    // The same code under a fresh, valid state of another attempt.
    const fresh = await browserAtCallback();
    const swapped = new URL(fresh.callback);
    swapped.searchParams.set('code', new URL(callback).searchParams.get('code')!);
    const reused = await fresh.browser.request(swapped.toString());
    expect(errorOf(reused.text).code).toBe('OAUTH_CODE_REPLAYED');
  });

  it('refuses an expired attempt', async () => {
    const state = 'S'.repeat(43);
    const browser = new CookieBrowser();
    const header = stateCookieHeader(
      demo.platform.secrets.sessionSecret,
      { provider: PROVIDER, state, nonce: 'n', codeVerifier: 'v', redirectUri: `${base}/api/v1/auth/oauth/${PROVIDER}/callback` },
      '/',
      new Date(Date.now() - 11 * 60_000),
    );
    browser.setCookie(base, STATE_COOKIE, header.split(';')[0]!.slice(STATE_COOKIE.length + 1));
    const hop = await browser.request(`${base}/api/v1/auth/oauth/${PROVIDER}/callback?code=abc&state=${state}`);
    expect(hop.status).toBe(400);
    expect(errorOf(hop.text).code).toBe('OAUTH_STATE_EXPIRED');
  });

  it('passes the provider’s refusal on as OAUTH_PROVIDER_ERROR', async () => {
    const { browser, callback } = await browserAtCallback();
    const denied = new URL(callback);
    denied.searchParams.delete('code');
    denied.searchParams.set('error', 'access_denied');
    const hop = await browser.request(denied.toString());
    expect(hop.status).toBe(502);
    expect(errorOf(hop.text)).toMatchObject({ code: 'OAUTH_PROVIDER_ERROR' });
    expect(JSON.parse(hop.text).error.details.providerCode).toBe('access_denied');
  });
});
