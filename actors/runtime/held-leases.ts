// Leases one node holds on named things (a document, a hearing's media) in a JetStream KV bucket
// whose TTL is the lease TTL: claimed when the node starts serving the thing, renewed by
// compare-and-set every TTL/3 while it does, released when it stops; a dead owner's leases vanish
// after one TTL and another node claims them. Shared by the documents' owners
// (hub/collab/relay/doc-ownership.ts) and the hearings' media owners (hub/hearings/media-ownership.ts).
import { Kvm } from '@nats-io/kv';
import type { NatsConnection } from '@nats-io/transport-node';
import type { Logger } from '../../platform/logger.ts';
import { keyLeases, KeyLeaseLostError, type KeyLeases } from './kv-leases.ts';

export interface HeldLeasesOptions {
  nodeId: string;
  ttlMs: number;
  logger: Logger;
  /** The KV key of a thing's lease (a token safe as a key). */
  keyOf: (name: string) => string;
  /** What the leases are for, in log lines ('document', 'hearing media'). */
  what: string;
}

interface Held {
  revision: number;
  /** When the write that last confirmed the lease was sent: the server's TTL runs from no earlier. */
  confirmedAt: number;
  onLost: (reason: string) => void;
}

/** What a kind of held lease needs to open its bucket (documents' and hearing media's owners). */
export interface LeaseOwnershipOptions {
  connection: NatsConnection;
  namespace: string;
  nodeId: string;
  ttlMs: number;
  logger: Logger;
}

/** The bucket of a kind of lease: history 1 (only the current owner matters), TTL = the lease TTL. */
export async function openLeaseBucket(connection: NatsConnection, bucket: string, ttlMs: number): Promise<KeyLeases> {
  return keyLeases(await new Kvm(connection).create(bucket, { history: 1, ttl: ttlMs }));
}

export class HeldLeases {
  private readonly held = new Map<string, Held>();
  private readonly claiming = new Map<string, Promise<boolean>>();
  private readonly timer: NodeJS.Timeout;
  private renewing: Promise<void> | null = null;
  private stopped = false;

  constructor(
    private readonly leases: KeyLeases,
    private readonly options: HeldLeasesOptions,
  ) {
    this.timer = setInterval(() => void this.renewAll(), Math.max(100, Math.floor(options.ttlMs / 3)));
    this.timer.unref();
  }

  get nodeId(): string {
    return this.options.nodeId;
  }

  get ttlMs(): number {
    return this.options.ttlMs;
  }

  isOwner(name: string): boolean {
    return this.held.has(name);
  }

  /**
   * Takes the lease if nobody holds it (or it still names this node, left by an earlier instance or
   * process of ours). True when it is ours; `onLost` is called once if it is lost later.
   */
  claim(name: string, onLost: (reason: string) => void): Promise<boolean> {
    // Single flight per name: two claims racing on one node would each write the key, and the
    // revision kept would not be the last one, so the next renewal would lose the lease.
    let claiming = this.claiming.get(name);
    if (!claiming) {
      claiming = this.claimOnce(name, onLost).finally(() => this.claiming.delete(name));
      this.claiming.set(name, claiming);
    }
    return claiming;
  }

  /** The node named by the lease, or null when nobody holds it. */
  async owner(name: string): Promise<string | null> {
    return (await this.leases.owner(this.options.keyOf(name)))?.node ?? null;
  }

  /** Gives a lease back at once, so the next node to need the thing takes it. */
  async release(name: string): Promise<void> {
    const entry = this.held.get(name);
    if (!entry) return;
    this.held.delete(name);
    await this.leases
      .release(this.options.keyOf(name), entry.revision)
      .catch((error: unknown) => this.options.logger.warn(`${this.options.what} lease release failed; it will expire`, { name, error }));
  }

  /** Gives every lease back (graceful shutdown, after what they guarded was closed). */
  async stop(): Promise<void> {
    this.stopped = true;
    clearInterval(this.timer);
    await this.renewing;
    await Promise.all([...this.held.keys()].map((name) => this.release(name)));
  }

  private async claimOnce(name: string, onLost: (reason: string) => void): Promise<boolean> {
    if (this.stopped) return false;
    if (this.held.has(name)) return true;
    const key = this.options.keyOf(name);
    const sentAt = Date.now();
    let revision = await this.leases.claim(key, this.options.nodeId);
    if (revision === null) {
      const current = await this.leases.owner(key);
      if (current?.node !== this.options.nodeId) return false;
      try {
        revision = await this.leases.renew(key, this.options.nodeId, current.revision, Math.floor(this.options.ttlMs / 2));
      } catch (error) {
        if (error instanceof KeyLeaseLostError) return false;
        throw error;
      }
    }
    if (this.stopped) {
      await this.leases.release(key, revision).catch(() => undefined);
      return false;
    }
    this.held.set(name, { revision, confirmedAt: sentAt, onLost });
    return true;
  }

  private renewAll(): Promise<void> {
    // One round at a time: a slow server must not pile renewals up.
    this.renewing ??= this.renewRound().finally(() => {
      this.renewing = null;
    });
    return this.renewing;
  }

  private async renewRound(): Promise<void> {
    const { ttlMs, nodeId, keyOf } = this.options;
    // Past this age an unconfirmed lease may be about to expire on the server: stop acting as owner.
    const unsafeAgeMs = Math.floor((ttlMs * 3) / 4);
    await Promise.all(
      [...this.held.entries()].map(async ([name, entry]) => {
        if (Date.now() - entry.confirmedAt >= unsafeAgeMs) return this.lose(name, entry, 'not renewed in time');
        const sentAt = Date.now();
        try {
          const revision = await this.leases.renew(keyOf(name), nodeId, entry.revision, Math.floor(ttlMs / 2));
          if (this.held.get(name) === entry) this.held.set(name, { ...entry, revision, confirmedAt: sentAt });
        } catch (error) {
          if (this.held.get(name) !== entry) return;
          this.lose(name, entry, error instanceof KeyLeaseLostError ? error.reason : 'renewal failed', error);
        }
      }),
    );
  }

  private lose(name: string, entry: Held, reason: string, error?: unknown): void {
    if (this.held.get(name) !== entry) return;
    this.held.delete(name);
    this.options.logger.warn(`${this.options.what} lease lost`, { name, reason, error });
    entry.onLost(reason);
  }
}
