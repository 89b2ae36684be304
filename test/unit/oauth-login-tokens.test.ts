// The pure parts of OAuth logins: sealed tokens, the browser-bound state cookie, the provider
// configuration, and Alipay's signing content.
import { describe, expect, it } from 'vitest';
import { randomBytes } from 'node:crypto';
import { oauthTokenKey, openToken, sealToken } from '../../hub/auth/oauth/sealed-token.ts';
import { openLoginAttempt, stateCookieHeader, STATE_COOKIE } from '../../hub/auth/oauth/state-cookie.ts';
import { openPendingExternalIdentity, sealPendingExternalIdentity } from '../../hub/auth/oauth/external-identity-token.ts';
import { openLoginTicket, sealLoginTicket } from '../../hub/auth/oauth/login-ticket.ts';
import { OAuthConfigError, parseOAuthConfig } from '../../hub/auth/oauth/oauth-config.ts';
import { createOAuthProviders } from '../../hub/auth/oauth/provider-registry.ts';
import { ConfigError } from '../../platform/config.ts';
import { alipaySigningContent, alipayTimestamp, alipaySignedText } from '../../hub/auth/oauth/alipay-signature.ts';
import { pkcePair } from '../../hub/auth/oauth/pkce.ts';
import { createHash } from 'node:crypto';

const secret = randomBytes(32);
const key = oauthTokenKey(secret);
const attempt = { provider: 'wechat', state: 'state-1', nonce: 'nonce-1', codeVerifier: 'verifier-1', redirectUri: 'https://court.example/cb' };
const cookieOf = (header: string) => header.split(';')[0]!;

describe('sealed tokens', () => {
  it('opens what it sealed, until it expires', () => {
    const now = new Date('2026-11-27T10:00:00Z');
    const token = sealToken(key, 'oauth-state', { a: 1 }, 60, now);
    expect(openToken(key, 'oauth-state', token, new Date('2026-11-27T10:00:59Z'))).toMatchObject({ ok: true, payload: { a: 1 } });
    expect(openToken(key, 'oauth-state', token, new Date('2026-11-27T10:01:00Z'))).toEqual({ ok: false, reason: 'expired' });
  });

  it('refuses another purpose, another key, and any changed character', () => {
    const token = sealToken(key, 'oauth-ticket', { u: 'x' }, 60);
    expect(openToken(key, 'oauth-state', token)).toEqual({ ok: false, reason: 'invalid' });
    expect(openToken(oauthTokenKey(randomBytes(32)), 'oauth-ticket', token)).toEqual({ ok: false, reason: 'invalid' });
    const last = token.at(-2) === 'A' ? 'B' : 'A';
    expect(openToken(key, 'oauth-ticket', token.slice(0, -2) + last + token.at(-1))).toEqual({ ok: false, reason: 'invalid' });
    expect(openToken(key, 'oauth-ticket', 'o1.x.y')).toEqual({ ok: false, reason: 'invalid' });
  });

  it('does not show its payload', () => {
    expect(sealPendingExternalIdentity(secret, { provider: 'wechat', subject: 'unionid:oSecret123', displayName: null })).not.toContain('oSecret');
  });
});

describe('state cookie', () => {
  const header = stateCookieHeader(secret, attempt, '/api/v1/auth/oauth/');

  it('is HttpOnly, SameSite=Lax, Secure for https callbacks, scoped to the OAuth routes', () => {
    expect(header).toMatch(/; HttpOnly; SameSite=Lax; Secure$/);
    expect(header).toContain('Path=/api/v1/auth/oauth/; Max-Age=600');
    expect(stateCookieHeader(secret, { ...attempt, redirectUri: 'http://127.0.0.1/cb' }, '/')).not.toContain('Secure');
  });

  it('gives the attempt back for the same provider and state', () => {
    expect(openLoginAttempt(secret, `other=1; ${cookieOf(header)}`, 'wechat', 'state-1')).toEqual(attempt);
  });

  it.each([
    ['no cookie', undefined, 'wechat', 'state-1', 'OAUTH_STATE_MISMATCH'],
    ['another state', 'cookie', 'wechat', 'state-2', 'OAUTH_STATE_MISMATCH'],
    ['no state', 'cookie', 'wechat', undefined, 'OAUTH_STATE_MISMATCH'],
    ['another provider', 'cookie', 'dingtalk', 'state-1', 'OAUTH_STATE_MISMATCH'],
    ['a forged cookie', `${STATE_COOKIE}=o1.AAAA.BBBB.CCCC`, 'wechat', 'state-1', 'OAUTH_STATE_MISMATCH'],
  ])('refuses %s', (_, cookie, provider, state, code) => {
    const cookieHeader = cookie === 'cookie' ? cookieOf(header) : cookie;
    expect(() => openLoginAttempt(secret, cookieHeader, provider, state)).toThrow(expect.objectContaining({ code }));
  });

  it('refuses an attempt older than ten minutes', () => {
    const old = stateCookieHeader(secret, attempt, '/', new Date(Date.now() - 601_000));
    expect(() => openLoginAttempt(secret, cookieOf(old), 'wechat', 'state-1')).toThrow(expect.objectContaining({ code: 'OAUTH_STATE_EXPIRED' }));
  });
});

describe('tickets and pending identities', () => {
  it('a ticket opens as a ticket only, for two minutes', () => {
    const ticket = sealLoginTicket(secret, { userId: 'u1', provider: 'wechat' });
    expect(openLoginTicket(secret, ticket)).toMatchObject({ userId: 'u1', provider: 'wechat' });
    expect(() => openPendingExternalIdentity(secret, ticket)).toThrow(expect.objectContaining({ code: 'OAUTH_STATE_MISMATCH' }));
    expect(() => openLoginTicket(secret, ticket, new Date(Date.now() + 121_000))).toThrow(expect.objectContaining({ code: 'OAUTH_STATE_EXPIRED' }));
  });

  it('a pending identity carries provider, subject and name', () => {
    const pending = sealPendingExternalIdentity(secret, { provider: 'dingtalk', subject: 'unionid:u1', displayName: '张华' });
    expect(openPendingExternalIdentity(secret, pending)).toEqual({ provider: 'dingtalk', subject: 'unionid:u1', displayName: '张华' });
  });
});

describe('PKCE', () => {
  it('the challenge is the base64url SHA-256 of a 64-character verifier', () => {
    const { verifier, challenge } = pkcePair();
    expect(verifier).toMatch(/^[A-Za-z0-9_-]{64}$/);
    expect(challenge).toBe(createHash('sha256').update(verifier).digest('base64url'));
  });
});

describe('ECOURT_OAUTH_PROVIDERS', () => {
  it('is empty when unset', () => {
    expect(parseOAuthConfig(undefined).providers).toEqual([]);
  });

  it('parses the providers with their defaults', () => {
    const config = parseOAuthConfig(
      JSON.stringify({ providers: [{ id: 'court-idp', kind: 'oidc', name: { zh: '统一认证', en: 'SSO' }, issuer: 'https://idp.example', clientId: 'c', clientSecret: 's' }] }),
    );
    expect(config.providers[0]).toMatchObject({ id: 'court-idp', kind: 'oidc', scopes: ['openid', 'profile'] });
  });

  it('names the problem without quoting secrets', () => {
    const bad = JSON.stringify({ providers: [{ id: 'WeChat!', kind: 'wechat', name: { zh: '微信', en: 'WeChat' }, appId: 'a', appSecret: 'very-secret-value' }] });
    expect(() => parseOAuthConfig(bad)).toThrow(OAuthConfigError);
    expect(() => parseOAuthConfig(bad)).toThrow(/providers\.0\.id/);
    try {
      parseOAuthConfig(bad);
    } catch (error) {
      expect((error as Error).message).not.toContain('very-secret-value');
    }
    const twice = JSON.stringify({ providers: [1, 2].map(() => ({ id: 'wx', kind: 'wechat', name: { zh: '微信', en: 'WeChat' }, appId: 'a', appSecret: 's' })) });
    expect(() => parseOAuthConfig(twice)).toThrow(/unique/);
    expect(() => parseOAuthConfig('{not json')).toThrow(/not valid JSON/);
    expect(() => parseOAuthConfig('/nonexistent/oauth.json')).toThrow(/cannot read/);
    // Reported like any bad variable: the CLI exits 2 naming ECOURT_OAUTH_PROVIDERS.
    expect(() => parseOAuthConfig(bad)).toThrow(ConfigError);
  });

  it('refuses an Alipay key that does not parse, without quoting it', () => {
    const config = parseOAuthConfig(
      JSON.stringify({ providers: [{ id: 'alipay', kind: 'alipay', name: { zh: '支付宝', en: 'Alipay' }, appId: '1', appPrivateKey: '-----BEGIN PRIVATE KEY-----\nnot-a-key-material\n-----END PRIVATE KEY-----' }] }),
    );
    expect(() => createOAuthProviders(config)).toThrow(OAuthConfigError);
    expect(() => createOAuthProviders(config)).not.toThrow(/not-a-key-material/);
  });
});

describe('Alipay signing', () => {
  it('signs the non-empty parameters but sign, sorted by name', () => {
    expect(alipaySigningContent({ method: 'm', app_id: '1', sign: 'x', biz_content: '', charset: 'utf-8' })).toBe('app_id=1&charset=utf-8&method=m');
  });

  it('dates in Beijing time', () => {
    expect(alipayTimestamp(new Date('2026-11-27T20:30:05Z'))).toBe('2026-11-28 04:30:05');
  });

  it('finds the exact signed text of an answer', () => {
    expect(alipaySignedText('{"a_response":{"code":"10000","x":"y"},"sign":"S"}', 'a_response')).toBe('{"code":"10000","x":"y"}');
    expect(alipaySignedText('{"other":{}}', 'a_response')).toBeNull();
  });
});
