// Per-account budget for the network probes (ping, download, upload) over a sliding window: a
// device check needs a dozen requests and 1.5 MiB, so honest users never meet it, while a script
// cannot use the probes to load the hub. Memory stays bounded without timers.
import { RateLimitedError } from './login-rate-limit.ts';

export interface ProbeRateLimitOptions {
  windowMs?: number;
  /** Probe requests per account per window. */
  maxRequests?: number;
  /** Bytes sent or received by probes per account per window. */
  maxBytes?: number;
  /** How many accounts may be tracked before idle ones are swept. */
  maxKeys?: number;
  now?: () => number;
}

interface Use {
  at: number;
  bytes: number;
}

export const PROBE_RATE_LIMIT_DEFAULTS = { windowMs: 60_000, maxRequests: 120, maxBytes: 48 * 1024 * 1024 } as const;

export class ProbeRateLimit {
  private readonly uses = new Map<string, Use[]>();
  private readonly windowMs: number;
  private readonly maxRequests: number;
  private readonly maxBytes: number;
  private readonly maxKeys: number;
  private readonly now: () => number;

  constructor(options: ProbeRateLimitOptions = {}) {
    this.windowMs = options.windowMs ?? PROBE_RATE_LIMIT_DEFAULTS.windowMs;
    this.maxRequests = options.maxRequests ?? PROBE_RATE_LIMIT_DEFAULTS.maxRequests;
    this.maxBytes = options.maxBytes ?? PROBE_RATE_LIMIT_DEFAULTS.maxBytes;
    this.maxKeys = options.maxKeys ?? 50_000;
    this.now = options.now ?? Date.now;
  }

  /** Counts one probe of `bytes` for the account, or throws RateLimitedError (nothing counted) when over budget. */
  take(userId: string, bytes: number): void {
    const now = this.now();
    if (!this.uses.has(userId) && this.uses.size >= this.maxKeys) this.sweep(now);
    const list = this.live(userId, now);
    const used = list.reduce((sum, use) => sum + use.bytes, 0);
    if (list.length + 1 > this.maxRequests || used + bytes > this.maxBytes) {
      throw new RateLimitedError(Math.max(1, Math.ceil(this.waitMs(list, bytes, now) / 1000)), 'Too many network probes; try again later');
    }
    list.push({ at: now, bytes });
    this.uses.set(userId, list);
  }

  private live(userId: string, now: number): Use[] {
    const list = this.uses.get(userId);
    if (!list) return [];
    const cutoff = now - this.windowMs;
    while (list.length > 0 && (list[0] as Use).at <= cutoff) list.shift();
    if (list.length === 0) this.uses.delete(userId);
    return list;
  }

  /** Until enough of the oldest uses leave the window for this one to fit (a probe larger than the whole budget never fits: one window). */
  private waitMs(list: readonly Use[], bytes: number, now: number): number {
    let count = list.length;
    let used = list.reduce((sum, use) => sum + use.bytes, 0);
    for (const use of list) {
      count -= 1;
      used -= use.bytes;
      if (count + 1 <= this.maxRequests && used + bytes <= this.maxBytes) return use.at + this.windowMs - now;
    }
    return this.windowMs;
  }

  private sweep(now: number): void {
    for (const key of [...this.uses.keys()]) this.live(key, now);
    // Still full: forget the oldest accounts rather than grow without bound.
    const excess = this.uses.size - Math.floor(this.maxKeys * 0.9);
    if (excess > 0) {
      let dropped = 0;
      for (const key of this.uses.keys()) {
        if (dropped++ >= excess) break;
        this.uses.delete(key);
      }
    }
  }
}
