import { describe, expect, it } from 'vitest';
import { randomUUID } from 'node:crypto';
import { hashPassword, verifyPassword, UNKNOWN_USER_HASH } from '../../hub/auth/password.ts';
import {
  bearerToken,
  InvalidSessionTokenError,
  SESSION_LIFETIME_SECONDS,
  signSessionToken,
  verifySessionToken,
} from '../../hub/auth/session-token.ts';
import { LoginRateLimit, RateLimitedError } from '../../hub/auth/login-rate-limit.ts';

const secret = Buffer.from('a-session-secret-of-at-least-32-characters!!');
const subject = { userId: randomUUID(), role: 'clerk' as const, courtId: randomUUID() };

describe('password hashing (scrypt)', () => {
  it('hashes in the scrypt$N$r$p$salt$hash format with the default cost, and verifies', async () => {
    const hash = await hashPassword('correct horse battery');
    const parts = hash.split('$');
    expect(parts).toHaveLength(6);
    expect(parts.slice(0, 4)).toEqual(['scrypt', String(2 ** 15), '8', '1']);
    expect(await verifyPassword('correct horse battery', hash)).toBe(true);
    expect(await verifyPassword('correct horse batterY', hash)).toBe(false);
  });

  it('salts every hash differently', async () => {
    const cost = { N: 2 ** 10, r: 8, p: 1 };
    const [a, b] = await Promise.all([hashPassword('same', cost), hashPassword('same', cost)]);
    expect(a).not.toBe(b);
    expect(await verifyPassword('same', a)).toBe(true);
    expect(await verifyPassword('same', b)).toBe(true);
  });

  it('reads the cost from the stored hash (old hashes keep working after a cost change)', async () => {
    const hash = await hashPassword('pw-1234', { N: 2 ** 11, r: 8, p: 1 });
    expect(hash.startsWith('scrypt$2048$8$1$')).toBe(true);
    expect(await verifyPassword('pw-1234', hash)).toBe(true);
  });

  it('never matches malformed or absurd stored hashes', async () => {
    expect(await verifyPassword('x', '')).toBe(false);
    expect(await verifyPassword('x', 'bcrypt$10$abc')).toBe(false);
    expect(await verifyPassword('x', 'scrypt$1000$8$1$c2FsdHNhbHQ$a2V5a2V5a2V5a2V5a2V5a2V5')).toBe(false); // N not a power of 2
    expect(await verifyPassword('x', `scrypt$${2 ** 24}$8$1$c2FsdHNhbHQ$a2V5a2V5a2V5a2V5a2V5a2V5`)).toBe(false); // too costly
    expect(await verifyPassword('anything', UNKNOWN_USER_HASH)).toBe(false);
  });
});

describe('session tokens', () => {
  it('round-trips user id, role and court, valid for 12 hours', () => {
    const now = new Date('2026-11-27T08:00:00Z');
    const { token, session } = signSessionToken(secret, subject, now);
    expect(session.expiresAt - session.issuedAt).toBe(SESSION_LIFETIME_SECONDS);
    expect(SESSION_LIFETIME_SECONDS).toBe(12 * 3600);
    const verified = verifySessionToken(secret, token, new Date(now.getTime() + 11 * 3600_000));
    expect(verified).toMatchObject({ userId: subject.userId, role: 'clerk', courtId: subject.courtId });
  });

  it('keeps a null court for litigants', () => {
    const { token } = signSessionToken(secret, { userId: subject.userId, role: 'party', courtId: null });
    expect(verifySessionToken(secret, token).courtId).toBeNull();
  });

  it('refuses an expired token', () => {
    const now = new Date('2026-11-27T08:00:00Z');
    const { token } = signSessionToken(secret, subject, now);
    const later = new Date(now.getTime() + SESSION_LIFETIME_SECONDS * 1000);
    expect(() => verifySessionToken(secret, token, later)).toThrowError(InvalidSessionTokenError);
    try {
      verifySessionToken(secret, token, later);
    } catch (error) {
      expect((error as InvalidSessionTokenError).reason).toBe('expired');
      expect((error as InvalidSessionTokenError).code).toBe('UNAUTHENTICATED');
    }
  });

  it('refuses a tampered payload (role raised to judge)', () => {
    const { token } = signSessionToken(secret, { ...subject, role: 'party', courtId: null });
    const [prefix, payload, signature] = token.split('.');
    const claims = JSON.parse(Buffer.from(payload!, 'base64url').toString());
    claims.role = 'judge';
    const forged = [prefix, Buffer.from(JSON.stringify(claims)).toString('base64url'), signature].join('.');
    expect(() => verifySessionToken(secret, forged)).toThrowError(/Invalid or expired session/);
  });

  it('refuses a token signed with another secret, a truncated signature and garbage', () => {
    const { token } = signSessionToken(Buffer.from('another-secret-another-secret-another'), subject);
    expect(() => verifySessionToken(secret, token)).toThrowError(InvalidSessionTokenError);
    const good = signSessionToken(secret, subject).token;
    expect(() => verifySessionToken(secret, good.slice(0, -3))).toThrowError(InvalidSessionTokenError);
    expect(() => verifySessionToken(secret, 'not-a-token')).toThrowError(InvalidSessionTokenError);
    expect(() => verifySessionToken(secret, `v2.${good.split('.').slice(1).join('.')}`)).toThrowError(InvalidSessionTokenError);
  });

  it('reads bearer tokens from the Authorization header only with the Bearer scheme', () => {
    expect(bearerToken('Bearer abc.def.ghi')).toBe('abc.def.ghi');
    expect(bearerToken('bearer   abc')).toBe('abc');
    expect(bearerToken('Basic dXNlcjpwYXNz')).toBeNull();
    expect(bearerToken('Bearer')).toBeNull();
  });
});

describe('login rate limit', () => {
  it('allows 5 failures per username per minute, then refuses with a Retry-After until the window passes', () => {
    let now = 1_000_000;
    const limit = new LoginRateLimit({ now: () => now });
    for (let i = 0; i < 5; i++) {
      expect(() => limit.check('party1', '10.0.0.1')).not.toThrow();
      limit.recordFailure('party1', '10.0.0.1');
      now += 1000;
    }
    let refused: unknown;
    try {
      limit.check('PARTY1', '10.0.0.2'); // same account from elsewhere, any case
    } catch (error) {
      refused = error;
    }
    expect(refused).toBeInstanceOf(RateLimitedError);
    expect((refused as RateLimitedError).code).toBe('RATE_LIMITED');
    // First failure at t=1,000,000 leaves the window at t=1,060,000; now is 1,005,000.
    expect((refused as RateLimitedError).retryAfterSeconds).toBe(55);
    // Another account is not affected.
    expect(() => limit.check('party2', '10.0.0.2')).not.toThrow();
    now += 55_000;
    expect(() => limit.check('party1', '10.0.0.2')).not.toThrow();
  });

  it('limits failures per address across usernames', () => {
    const now = 5_000;
    const limit = new LoginRateLimit({ now: () => now, maxFailuresPerAddress: 3 });
    limit.recordFailure('a', '10.0.0.9');
    limit.recordFailure('b', '10.0.0.9');
    limit.recordFailure('c', '10.0.0.9');
    expect(() => limit.check('d', '10.0.0.9')).toThrowError(RateLimitedError);
    expect(() => limit.check('d', '10.0.0.10')).not.toThrow();
  });

  it('clears an account’s failures on success, and stays bounded in memory', () => {
    let now = 0;
    const limit = new LoginRateLimit({ now: () => now, maxKeys: 100 });
    for (let i = 0; i < 4; i++) limit.recordFailure('judge1', '1.1.1.1');
    limit.recordSuccess('judge1');
    limit.recordFailure('judge1', '1.1.1.1');
    expect(() => limit.check('judge1', '2.2.2.2')).not.toThrow();
    for (let i = 0; i < 1000; i++) {
      now += 1;
      limit.recordFailure(`user${i}`, `addr${i}`);
    }
    expect((limit as unknown as { failures: Map<string, number[]> }).failures.size).toBeLessThanOrEqual(100);
  });
});
