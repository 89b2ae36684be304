// Sliding-window limit on FAILED logins, per username and per client address, so password guessing
// is slow while honest users who typed well are never held up. Memory stays bounded without timers.
import { AppError } from '../../platform/errors.ts';

export class RateLimitedError extends AppError {
  constructor(
    readonly retryAfterSeconds: number,
    message = 'Too many failed sign-in attempts; try again later',
  ) {
    super('RATE_LIMITED', message, { retryAfterSeconds });
    this.name = 'RateLimitedError';
  }
}

export interface LoginRateLimitOptions {
  windowMs?: number;
  maxFailuresPerUsername?: number;
  maxFailuresPerAddress?: number;
  /** How many keys may be tracked before expired ones are swept. */
  maxKeys?: number;
  now?: () => number;
}

export class LoginRateLimit {
  private readonly failures = new Map<string, number[]>();
  private readonly windowMs: number;
  private readonly perUsername: number;
  private readonly perAddress: number;
  private readonly maxKeys: number;
  private readonly now: () => number;

  constructor(options: LoginRateLimitOptions = {}) {
    this.windowMs = options.windowMs ?? 60_000;
    this.perUsername = options.maxFailuresPerUsername ?? 5;
    // Looser per address: many honest users can sit behind one court or company NAT.
    this.perAddress = options.maxFailuresPerAddress ?? 20;
    this.maxKeys = options.maxKeys ?? 50_000;
    this.now = options.now ?? Date.now;
  }

  /** Throws RateLimitedError when either the username or the address has used up its failures. */
  check(username: string, address: string): void {
    const now = this.now();
    const wait = Math.max(
      this.waitMs(usernameKey(username), this.perUsername, now),
      this.waitMs(addressKey(address), this.perAddress, now),
    );
    if (wait > 0) throw new RateLimitedError(Math.max(1, Math.ceil(wait / 1000)));
  }

  recordFailure(username: string, address: string): void {
    const now = this.now();
    if (this.failures.size >= this.maxKeys) this.sweep(now);
    for (const key of [usernameKey(username), addressKey(address)]) {
      const list = this.live(key, now);
      list.push(now);
      this.failures.set(key, list);
    }
  }

  /** A successful login clears the username's failures (not the address's: others may share it). */
  recordSuccess(username: string): void {
    this.failures.delete(usernameKey(username));
  }

  private live(key: string, now: number): number[] {
    const list = this.failures.get(key);
    if (!list) return [];
    const cutoff = now - this.windowMs;
    while (list.length > 0 && (list[0] as number) <= cutoff) list.shift();
    if (list.length === 0) this.failures.delete(key);
    return list;
  }

  private waitMs(key: string, limit: number, now: number): number {
    const list = this.live(key, now);
    if (list.length < limit) return 0;
    // Blocked until enough of the oldest failures leave the window.
    const releasing = list[list.length - limit] as number;
    return releasing + this.windowMs - now;
  }

  private sweep(now: number): void {
    for (const key of [...this.failures.keys()]) this.live(key, now);
    // Still full (an attack from many names): forget the oldest keys rather than grow without bound.
    const excess = this.failures.size - Math.floor(this.maxKeys * 0.9);
    if (excess > 0) {
      let dropped = 0;
      for (const key of this.failures.keys()) {
        if (dropped++ >= excess) break;
        this.failures.delete(key);
      }
    }
  }
}

const usernameKey = (username: string) => `u:${username.normalize('NFKC').toLowerCase()}`;
const addressKey = (address: string) => `a:${address}`;
