// The probes' per-account budget (hub/auth/probe-rate-limit.ts), on an injected clock.
import { describe, expect, it } from 'vitest';
import { ProbeRateLimit } from '../../hub/auth/probe-rate-limit.ts';
import { RateLimitedError } from '../../hub/auth/login-rate-limit.ts';

const refusal = (fn: () => void): RateLimitedError => {
  try {
    fn();
  } catch (error) {
    if (error instanceof RateLimitedError) return error;
    throw error;
  }
  throw new Error('expected a RateLimitedError');
};

describe('probe rate limit', () => {
  it('allows the request budget per window, then refuses until the oldest leaves the window', () => {
    let now = 1_000_000;
    const limit = new ProbeRateLimit({ windowMs: 60_000, maxRequests: 3, maxBytes: 1000, now: () => now });
    limit.take('a', 0);
    now += 10_000;
    limit.take('a', 0);
    limit.take('a', 0);
    const refused = refusal(() => limit.take('a', 0));
    expect(refused.code).toBe('RATE_LIMITED');
    expect(refused.message).toBe('Too many network probes; try again later');
    expect(refused.retryAfterSeconds).toBe(50);
    limit.take('b', 0);
    now += 50_000;
    limit.take('a', 0);
    expect(() => limit.take('a', 0)).toThrow(RateLimitedError);
  });

  it('counts bytes: a probe that would pass the byte budget is refused and not counted', () => {
    let now = 0;
    const limit = new ProbeRateLimit({ windowMs: 1000, maxRequests: 100, maxBytes: 1000, now: () => now });
    limit.take('a', 600);
    now = 500;
    expect(refusal(() => limit.take('a', 500)).retryAfterSeconds).toBe(1);
    limit.take('a', 400);
    expect(() => limit.take('a', 1)).toThrow(RateLimitedError);
    // A single probe larger than the whole budget waits a whole window.
    expect(refusal(() => new ProbeRateLimit({ maxBytes: 10 }).take('x', 11)).retryAfterSeconds).toBe(60);
    now = 1001;
    limit.take('a', 600);
    now = 1501;
    limit.take('a', 400);
  });

  it('forgets idle accounts when full instead of growing', () => {
    let now = 0;
    const limit = new ProbeRateLimit({ windowMs: 1000, maxRequests: 1, maxKeys: 10, now: () => now });
    for (let i = 0; i < 10; i += 1) limit.take(`user-${i}`, 0);
    now = 2000;
    for (let i = 10; i < 30; i += 1) limit.take(`user-${i}`, 0);
    expect((limit as unknown as { uses: Map<string, unknown> }).uses.size).toBeLessThanOrEqual(10);
  });
});
