// Which hub node owns which document: one lease per document in a JetStream KV bucket whose TTL is
// the lease TTL (ECOURT_LEASE_TTL_MS). The owner renews its leases by compare-and-set while it
// has the room loaded; a dead owner's leases vanish after one TTL and another node claims them.
import { Kvm } from '@nats-io/kv';
import type { NatsConnection } from '@nats-io/transport-node';
import { keyLeases, KeyLeaseLostError, type KeyLeases } from '../../../actors/runtime/kv-leases.ts';
import type { Logger } from '../../../platform/logger.ts';
import { docLeaseBucket, docToken } from './relay-subjects.ts';

export interface DocOwnershipOptions {
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

export class DocOwnership {
  private readonly held = new Map<string, Held>();
  private readonly timer: NodeJS.Timeout;
  private renewing: Promise<void> | null = null;
  private stopped = false;

  private constructor(
    private readonly leases: KeyLeases,
    private readonly options: DocOwnershipOptions,
  ) {
    this.timer = setInterval(() => void this.renewAll(), Math.max(100, Math.floor(options.ttlMs / 3)));
    this.timer.unref();
  }

  static async open(options: DocOwnershipOptions): Promise<DocOwnership> {
    // history 1: only the current owner matters; ttl: an unrenewed lease disappears on its own.
    const kv = await new Kvm(options.connection).create(docLeaseBucket(options.namespace), { history: 1, ttl: options.ttlMs });
    return new DocOwnership(keyLeases(kv), options);
  }

  get ttlMs(): number {
    return this.options.ttlMs;
  }

  get nodeId(): string {
    return this.options.nodeId;
  }

  isOwner(docName: string): boolean {
    return this.held.has(docName);
  }

  /**
   * Takes a document's lease if nobody holds it (or it still names this node, left by an earlier
   * room or process of ours). True when it is ours; `onLost` is called once if it is lost later.
   */
  async claim(docName: string, onLost: (reason: string) => void): Promise<boolean> {
    if (this.stopped) return false;
    if (this.held.has(docName)) return true;
    const key = docToken(docName);
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
    this.held.set(docName, { revision, confirmedAt: sentAt, onLost });
    return true;
  }

  /** The node named by a document's lease, or null when nobody holds it. */
  async owner(docName: string): Promise<string | null> {
    return (await this.leases.owner(docToken(docName)))?.node ?? null;
  }

  /** Gives a lease back at once (the room unloaded), so the next node to need the document takes it. */
  async release(docName: string): Promise<void> {
    const entry = this.held.get(docName);
    if (!entry) return;
    this.held.delete(docName);
    await this.leases
      .release(docToken(docName), entry.revision)
      .catch((error: unknown) => this.options.logger.warn('document lease release failed; it will expire', { doc: docName, error }));
  }

  /** Gives every lease back (graceful shutdown, after the rooms were closed). */
  async stop(): Promise<void> {
    this.stopped = true;
    clearInterval(this.timer);
    await this.renewing;
    await Promise.all([...this.held.keys()].map((docName) => this.release(docName)));
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
      [...this.held.entries()].map(async ([docName, entry]) => {
        if (Date.now() - entry.confirmedAt >= unsafeAgeMs) return this.lose(docName, entry, 'not renewed in time');
        const sentAt = Date.now();
        try {
          const revision = await this.leases.renew(docToken(docName), nodeId, entry.revision, Math.floor(ttlMs / 2));
          if (this.held.get(docName) === entry) this.held.set(docName, { ...entry, revision, confirmedAt: sentAt });
        } catch (error) {
          if (this.held.get(docName) !== entry) return;
          this.lose(docName, entry, error instanceof KeyLeaseLostError ? error.reason : 'renewal failed', error);
        }
      }),
    );
  }

  private lose(docName: string, entry: Held, reason: string, error?: unknown): void {
    if (this.held.get(docName) !== entry) return;
    this.held.delete(docName);
    this.options.logger.warn('document lease lost', { doc: docName, reason, error });
    entry.onLost(reason);
  }
}
