// How many registration codes one client address may ask for in an hour (the per-phone limit is
// kept in the database by issuePhoneCode, across hub nodes). Looser than per phone: many honest
// users can share one address. Sliding window; memory bounded without timers.
import { RateLimitedError } from '../auth/login-rate-limit.ts';

export class PhoneCodeAddressLimit {
  private readonly sent = new Map<string, number[]>();

  constructor(
    private readonly perAddress = 20,
    private readonly windowMs = 3600_000,
    private readonly maxKeys = 50_000,
    private readonly now: () => number = Date.now,
    /** The same window also limits ID-card reading (CPU-heavy), with its own budget and words. */
    private readonly refusal = 'Too many codes requested from this address; try again later',
  ) {}

  /** Counts one request for the address (or other key), or throws RateLimitedError when its budget is spent. */
  take(address: string): void {
    const now = this.now();
    const list = (this.sent.get(address) ?? []).filter((at) => at > now - this.windowMs);
    if (list.length >= this.perAddress) {
      const wait = list[list.length - this.perAddress]! + this.windowMs - now;
      throw new RateLimitedError(Math.max(1, Math.ceil(wait / 1000)), this.refusal);
    }
    list.push(now);
    this.sent.delete(address);
    this.sent.set(address, list);
    // Oldest-touched addresses are forgotten first once the map is full.
    while (this.sent.size > this.maxKeys) this.sent.delete(this.sent.keys().next().value!);
  }
}
