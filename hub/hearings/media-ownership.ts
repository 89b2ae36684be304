// Which hub node runs which hearing's media: one lease per hearing in a JetStream KV bucket whose TTL
// is the lease TTL (ECOURT_LEASE_TTL_MS). The node that first gets a media.join claims it, renews it
// by compare-and-set while its router lives and releases it when the router closes; a dead owner's
// lease vanishes after one TTL and the next join anywhere claims the hearing. The same mechanics as
// the documents' owners (hub/collab/relay/doc-ownership.ts), on their own bucket.
import { Kvm } from '@nats-io/kv';
import type { NatsConnection } from '@nats-io/transport-node';
import { keyLeases, KeyLeaseLostError, type KeyLeases } from '../../actors/runtime/kv-leases.ts';
import type { Logger } from '../../platform/logger.ts';
import { hearingLeaseKey, mediaLeaseBucket } from './media-relay-subjects.ts';

export interface MediaOwnershipOptions {
  connection: NatsConnection;
  namespace: string;
  nodeId: string;
  ttlMs: number;
  logger: Logger;
}

interface Held {
  revision: number;
  /** When the write that last confirmed the lease was sent: the server's TTL runs from no earlier. */
  confirmedAt: number;
  onLost: (reason: string) => void;
}

export class MediaOwnership {
  private readonly held = new Map<string, Held>();
  private readonly claiming = new Map<string, Promise<boolean>>();
  private readonly timer: NodeJS.Timeout;
  private renewing: Promise<void> | null = null;
  private stopped = false;

  private constructor(
    private readonly leases: KeyLeases,
    private readonly options: MediaOwnershipOptions,
  ) {
    this.timer = setInterval(() => void this.renewAll(), Math.max(100, Math.floor(options.ttlMs / 3)));
    this.timer.unref();
  }

  static async open(options: MediaOwnershipOptions): Promise<MediaOwnership> {
    // history 1: only the current owner matters; ttl: an unrenewed lease disappears on its own.
    const kv = await new Kvm(options.connection).create(mediaLeaseBucket(options.namespace), { history: 1, ttl: options.ttlMs });
    return new MediaOwnership(keyLeases(kv), options);
  }

  get nodeId(): string {
    return this.options.nodeId;
  }

  get ttlMs(): number {
    return this.options.ttlMs;
  }

  isOwner(hearingId: string): boolean {
    return this.held.has(hearingId);
  }

  /**
   * Takes a hearing's lease if nobody holds it (or it still names this node, left by an earlier
   * router or process of ours). True when it is ours; `onLost` is called once if it is lost later.
   */
  claim(hearingId: string, onLost: (reason: string) => void): Promise<boolean> {
    // Single flight per hearing: two claims racing on one node would each write the key, and the
    // revision kept would not be the last one, so the next renewal would lose the lease.
    let claiming = this.claiming.get(hearingId);
    if (!claiming) {
      claiming = this.claimOnce(hearingId, onLost).finally(() => this.claiming.delete(hearingId));
      this.claiming.set(hearingId, claiming);
    }
    return claiming;
  }

  private async claimOnce(hearingId: string, onLost: (reason: string) => void): Promise<boolean> {
    if (this.stopped) return false;
    if (this.held.has(hearingId)) return true;
    const key = hearingLeaseKey(hearingId);
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
    this.held.set(hearingId, { revision, confirmedAt: sentAt, onLost });
    return true;
  }

  /** The node named by a hearing's lease, or null when nobody holds it. */
  async owner(hearingId: string): Promise<string | null> {
    return (await this.leases.owner(hearingLeaseKey(hearingId)))?.node ?? null;
  }

  /** Gives a lease back at once (the router closed), so the next join anywhere takes the hearing. */
  async release(hearingId: string): Promise<void> {
    const entry = this.held.get(hearingId);
    if (!entry) return;
    this.held.delete(hearingId);
    await this.leases
      .release(hearingLeaseKey(hearingId), entry.revision)
      .catch((error: unknown) => this.options.logger.warn('media lease release failed; it will expire', { hearingId, error }));
  }

  /** Gives every lease back (graceful shutdown, after the routers were closed). */
  async stop(): Promise<void> {
    this.stopped = true;
    clearInterval(this.timer);
    await this.renewing;
    await Promise.all([...this.held.keys()].map((hearingId) => this.release(hearingId)));
  }

  private renewAll(): Promise<void> {
    // One round at a time: a slow server must not pile renewals up.
    this.renewing ??= this.renewRound().finally(() => {
      this.renewing = null;
    });
    return this.renewing;
  }

  private async renewRound(): Promise<void> {
    const { ttlMs, nodeId } = this.options;
    // Past this age an unconfirmed lease may be about to expire on the server: stop acting as owner.
    const unsafeAgeMs = Math.floor((ttlMs * 3) / 4);
    await Promise.all(
      [...this.held.entries()].map(async ([hearingId, entry]) => {
        if (Date.now() - entry.confirmedAt >= unsafeAgeMs) return this.lose(hearingId, entry, 'not renewed in time');
        const sentAt = Date.now();
        try {
          const revision = await this.leases.renew(hearingLeaseKey(hearingId), nodeId, entry.revision, Math.floor(ttlMs / 2));
          if (this.held.get(hearingId) === entry) this.held.set(hearingId, { ...entry, revision, confirmedAt: sentAt });
        } catch (error) {
          if (this.held.get(hearingId) !== entry) return;
          this.lose(hearingId, entry, error instanceof KeyLeaseLostError ? error.reason : 'renewal failed', error);
        }
      }),
    );
  }

  private lose(hearingId: string, entry: Held, reason: string, error?: unknown): void {
    if (this.held.get(hearingId) !== entry) return;
    this.held.delete(hearingId);
    this.options.logger.warn('media lease lost', { hearingId, reason, error });
    entry.onLost(reason);
  }
}
