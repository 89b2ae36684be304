// Keeps this node's share of the shards: renews its leases, claims free ones up to a fair
// share (ceil(units / live nodes)), gives back the excess when nodes join, and stops serving a
// shard the moment its lease is lost or can no longer be confirmed in time.
import type { Logger } from '../../platform/logger.ts';
import type { NatsBus } from '../bus/nats-bus.ts';
import { LeaseLostError, leaseKey, openShardLeases, type HeldLease, type ShardLeases, type ShardUnit } from './shard-leases.ts';

export interface ShardHost {
  serveShard(kind: string, shard: number): void;
  releaseShard(kind: string, shard: number): Promise<void>;
}

export interface ShardKeeperOptions {
  bus: NatsBus;
  nodeId: string;
  kinds: string[];
  shardCount: number;
  leaseTtlMs?: number;
  host: ShardHost;
  logger: Logger;
}

export interface ShardKeeper {
  ownedShards(): ShardUnit[];
  /** Runs one renew/claim/balance round now (also runs on its own every ttl/3). */
  rebalance(): Promise<void>;
  /** Stops serving and deletes this node's leases and membership, so others take over at once. */
  stop(): Promise<void>;
}

interface Owned {
  lease: HeldLease;
  /** When the write that last confirmed the lease was sent: the server's TTL runs from no earlier. */
  confirmedAt: number;
}

/** Lease TTL when none is given; clients watching the leases (shard-routes.ts) must open the bucket with the same. */
export const DEFAULT_LEASE_TTL_MS = 6000;

/** A stable per-node starting point, so nodes don't all race for shard 0 first. */
function startOffset(nodeId: string, units: number): number {
  let hash = 2166136261;
  for (let i = 0; i < nodeId.length; i++) hash = Math.imul(hash ^ nodeId.charCodeAt(i), 16777619);
  return (hash >>> 0) % Math.max(units, 1);
}

export async function startShardKeeper(options: ShardKeeperOptions): Promise<ShardKeeper> {
  const { bus, nodeId, kinds, shardCount, host } = options;
  const ttlMs = options.leaseTtlMs ?? DEFAULT_LEASE_TTL_MS;
  const renewEveryMs = Math.floor(ttlMs / 3);
  const renewTimeoutMs = Math.floor(ttlMs / 2);
  // Past this age an unconfirmed lease may be about to expire on the server: stop serving it.
  const unsafeAgeMs = Math.floor((ttlMs * 3) / 4);
  const logger = options.logger.child({ component: 'shard-keeper' });
  const leases: ShardLeases = await openShardLeases({ connection: bus.connection, namespace: bus.namespace, ttlMs });

  const units: ShardUnit[] = kinds.flatMap((kind) => Array.from({ length: shardCount }, (_, shard) => ({ kind, shard })));
  const offset = startOffset(nodeId, units.length);
  const owned = new Map<string, Owned>();
  let stopped = false;
  let running: Promise<void> | null = null;
  let again = false;
  let timer: NodeJS.Timeout | undefined;
  let soonTimer: NodeJS.Timeout | undefined;

  /** Starts serving a freshly held lease; a host that refuses (it is stopping) gets the lease given back. */
  const serve = async (lease: HeldLease, confirmedAt: number): Promise<boolean> => {
    try {
      host.serveShard(lease.kind, lease.shard);
    } catch (error) {
      logger.warn('host refused a shard; lease given back', { kind: lease.kind, shard: lease.shard, error });
      await leases.release(lease).catch(() => undefined);
      return false;
    }
    owned.set(leaseKey(lease), { lease, confirmedAt });
    return true;
  };

  /** Stop serving at once (the lease is no longer safely ours); never throws. */
  const dropLost = (key: string, reason: string, error?: unknown) => {
    const entry = owned.get(key);
    if (!entry) return;
    owned.delete(key);
    logger.warn('shard lease lost, shard released', { kind: entry.lease.kind, shard: entry.lease.shard, reason, error });
    host.releaseShard(entry.lease.kind, entry.lease.shard).catch((releaseError: unknown) =>
      logger.error('releasing a lost shard failed', { kind: entry.lease.kind, shard: entry.lease.shard, error: releaseError }),
    );
  };

  /** Graceful hand-over: let in-flight commands finish, then delete the key so another node claims it. */
  const giveBack = async (key: string) => {
    const entry = owned.get(key);
    if (!entry) return;
    owned.delete(key);
    try {
      await host.releaseShard(entry.lease.kind, entry.lease.shard);
    } finally {
      await leases.release(entry.lease).catch((error: unknown) => logger.warn('lease delete failed; it will expire', { key, error }));
    }
  };

  const renewAll = async () => {
    const now = Date.now();
    await Promise.all(
      [...owned.entries()].map(async ([key, entry]) => {
        if (now - entry.confirmedAt >= unsafeAgeMs) {
          dropLost(key, 'not renewed in time');
          return;
        }
        const sentAt = Date.now();
        try {
          const lease = await leases.renew(entry.lease, nodeId, renewTimeoutMs);
          // The shard may have been given back or dropped while the renewal was in flight.
          if (owned.get(key) === entry) owned.set(key, { lease, confirmedAt: sentAt });
        } catch (error) {
          if (owned.get(key) !== entry) return;
          dropLost(key, error instanceof LeaseLostError ? error.reason : 'renewal failed', error);
        }
      }),
    );
  };

  const claimUpTo = async (target: number) => {
    let need = target - owned.size;
    if (need <= 0) return;
    const held = await leases.heldKeys();
    const candidates: ShardUnit[] = [];
    for (let i = 0; i < units.length && candidates.length < units.length; i++) {
      const unit = units[(offset + i) % units.length]!;
      const key = leaseKey(unit);
      if (!owned.has(key)) candidates.push(unit);
    }
    // Free shards first; then our own leftovers from an unconfirmed renewal (key still names us).
    for (const unit of candidates) {
      if (need <= 0 || stopped) break;
      const key = leaseKey(unit);
      if (held.has(key)) continue;
      const sentAt = Date.now();
      const lease = await leases.claim(unit, nodeId);
      if (lease && !stopped) {
        if (!(await serve(lease, sentAt))) return;
        need -= 1;
        logger.info('shard claimed', { kind: unit.kind, shard: unit.shard });
      } else if (lease) {
        await leases.release(lease);
      }
    }
    for (const unit of candidates) {
      if (need <= 0 || stopped) break;
      const key = leaseKey(unit);
      if (!held.has(key) || owned.has(key)) continue;
      const current = await leases.owner(unit);
      if (current?.node !== nodeId) continue;
      const sentAt = Date.now();
      try {
        const lease = await leases.renew({ ...unit, revision: current.revision }, nodeId, renewTimeoutMs);
        if (stopped) {
          await leases.release(lease);
          break;
        }
        if (!(await serve(lease, sentAt))) return;
        need -= 1;
        logger.info('shard lease recovered', { kind: unit.kind, shard: unit.shard });
      } catch {
        // Taken meanwhile: fine, someone else serves it.
      }
    }
  };

  const round = async () => {
    // Renewals first and on their own: a failing connection must end in dropped shards, not an aborted round.
    await renewAll();
    if (stopped) return;
    await leases.heartbeat(nodeId);
    const live = new Set(await leases.liveNodes());
    live.add(nodeId);
    const target = Math.ceil(units.length / live.size);
    if (owned.size > target) {
      const excess = [...owned.keys()].slice(target);
      logger.info('giving back shards for balance', { count: excess.length, target, liveNodes: live.size });
      await Promise.all(excess.map((key) => giveBack(key)));
    } else {
      await claimUpTo(target);
    }
  };

  const rebalance = (): Promise<void> => {
    if (stopped) return Promise.resolve();
    if (running) {
      again = true;
      return running;
    }
    running = (async () => {
      try {
        do {
          again = false;
          await round().catch((error: unknown) => logger.warn('shard keeper round failed', { error }));
        } while (again && !stopped);
      } finally {
        running = null;
      }
    })();
    return running;
  };

  const schedule = () => {
    if (stopped) return;
    timer = setTimeout(() => {
      void rebalance().finally(schedule);
    }, renewEveryMs);
  };

  /** A lease was released or a node came or went: rebalance soon (jittered, so keepers don't collide). */
  const soon = () => {
    if (stopped || soonTimer) return;
    soonTimer = setTimeout(() => {
      soonTimer = undefined;
      void rebalance();
    }, 20 + Math.random() * 80);
  };

  // Heartbeats are routine; only a release, a departure or a first heartbeat changes the balance.
  const knownNodes = new Set<string>();
  const stopWatching = await leases.watchChanges((change) => {
    if (change.bucket === 'leases') {
      if (change.operation !== 'PUT') soon();
      return;
    }
    if (change.key === nodeId) return;
    if (change.operation !== 'PUT') {
      knownNodes.delete(change.key);
      soon();
    } else if (!knownNodes.has(change.key)) {
      knownNodes.add(change.key);
      soon();
    }
  });

  await rebalance();
  schedule();
  logger.info('shard keeper started', { owned: owned.size, units: units.length, ttlMs });

  return {
    ownedShards: () =>
      [...owned.values()]
        .map(({ lease }) => ({ kind: lease.kind, shard: lease.shard }))
        .sort((a, b) => a.kind.localeCompare(b.kind) || a.shard - b.shard),
    rebalance,
    async stop() {
      if (stopped) return;
      stopped = true;
      clearTimeout(timer);
      clearTimeout(soonTimer);
      await stopWatching();
      await running?.catch(() => undefined);
      const count = owned.size;
      // Leave the node list first, so keepers woken by our lease deletions already count us out.
      await leases.leave(nodeId).catch((error: unknown) => logger.warn('leaving the node list failed', { error }));
      await Promise.all([...owned.keys()].map((key) => giveBack(key)));
      logger.info('shard keeper stopped', { released: count });
    },
  };
}
