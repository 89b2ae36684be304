// Shard ownership as leases in JetStream KV: one key per (kind, shard) naming its owner node,
// kept alive by compare-and-set renewals, plus one key per live node. Both buckets expire
// entries after the lease TTL, so a dead node's leases and membership vanish on their own.
import { Kvm, KvWatchInclude, type KV } from '@nats-io/kv';
import type { NatsConnection } from '@nats-io/transport-node';
import { z } from 'zod';
import { buckets } from '../bus/subjects.ts';
import { keyLeases, KeyLeaseLostError } from './kv-leases.ts';

export interface ShardUnit {
  kind: string;
  shard: number;
}

export interface HeldLease extends ShardUnit {
  /** KV revision of our latest write; the next renewal must match it. */
  revision: number;
}

/** Why a lease write failed: someone else holds/changed it, or the server didn't answer. */
export class LeaseLostError extends Error {
  constructor(readonly unit: ShardUnit, readonly reason: 'taken' | 'unconfirmed', options?: { cause?: unknown }) {
    super(`lease ${unit.kind}/${unit.shard} ${reason === 'taken' ? 'is held by another node' : 'could not be confirmed'}`, options);
    this.name = 'LeaseLostError';
  }
}

const nodeValue = z.object({ v: z.literal(1), node: z.string().min(1), at: z.iso.datetime() });

export const leaseKey = (unit: ShardUnit): string => `${unit.kind}.${unit.shard}`;

export function parseLeaseKey(key: string): ShardUnit | null {
  const match = /^([A-Za-z0-9_-]+)\.(\d+)$/.exec(key);
  return match ? { kind: match[1]!, shard: Number(match[2]) } : null;
}

export interface ShardLeases {
  readonly ttlMs: number;
  /** Takes a free lease. Null when another node holds it. */
  claim(unit: ShardUnit, node: string): Promise<HeldLease | null>;
  /** Renews a held lease by compare-and-set; throws LeaseLostError when it is no longer ours. */
  renew(lease: HeldLease, node: string, timeoutMs: number): Promise<HeldLease>;
  /** Gives a lease back so another node can take it at once (only if still ours). */
  release(lease: HeldLease): Promise<void>;
  /** Current owner of a lease, if any. */
  owner(unit: ShardUnit): Promise<{ node: string; revision: number } | null>;
  /** Keys of all leases currently held by anyone. */
  heldKeys(): Promise<Set<string>>;
  /** Records that a node is alive (for one TTL). */
  heartbeat(node: string): Promise<void>;
  leave(node: string): Promise<void>;
  liveNodes(): Promise<string[]>;
  /** Calls back on lease releases and node arrivals/departures, so keepers rebalance at once. */
  watchChanges(onChange: (what: { bucket: 'leases' | 'nodes'; key: string; operation: string }) => void): Promise<() => Promise<void>>;
}

async function collectKeys(kv: KV): Promise<string[]> {
  const keys: string[] = [];
  for await (const key of await kv.keys()) keys.push(key);
  return keys;
}

/** The lease bucket of a namespace (created when missing). history 1: only the current owner matters; ttl: an unrenewed entry disappears. */
export function openLeaseBucket(options: { connection: NatsConnection; namespace: string; ttlMs: number }): Promise<KV> {
  return new Kvm(options.connection).create(`${buckets.shardLeases}_${options.namespace}`, { history: 1, ttl: options.ttlMs });
}

export async function openShardLeases(options: { connection: NatsConnection; namespace: string; ttlMs: number }): Promise<ShardLeases> {
  const { connection, namespace, ttlMs } = options;
  const kvm = new Kvm(connection);
  const leases = await openLeaseBucket(options);
  const nodes = await kvm.create(`${buckets.nodes}_${namespace}`, { history: 1, ttl: ttlMs });
  const keyed = keyLeases(leases);

  return {
    ttlMs,

    async claim(unit, node) {
      const revision = await keyed.claim(leaseKey(unit), node);
      return revision === null ? null : { ...unit, revision };
    },

    async renew(lease, node, timeoutMs) {
      try {
        const revision = await keyed.renew(leaseKey(lease), node, lease.revision, timeoutMs);
        return { ...lease, revision };
      } catch (error) {
        if (!(error instanceof KeyLeaseLostError)) throw error;
        throw new LeaseLostError(lease, error.reason, { cause: error.cause });
      }
    },

    release: (lease) => keyed.release(leaseKey(lease), lease.revision),

    owner: (unit) => keyed.owner(leaseKey(unit)),

    async heldKeys() {
      return new Set(await collectKeys(leases));
    },

    async heartbeat(node) {
      await nodes.put(node, JSON.stringify({ v: 1, node, at: new Date().toISOString() } satisfies z.infer<typeof nodeValue>));
    },

    async leave(node) {
      await nodes.delete(node);
    },

    async liveNodes() {
      return (await collectKeys(nodes)).sort();
    },

    async watchChanges(onChange) {
      const watches = await Promise.all([
        leases.watch({ include: KvWatchInclude.UpdatesOnly }),
        nodes.watch({ include: KvWatchInclude.UpdatesOnly }),
      ]);
      const loops = watches.map(async (watch, index) => {
        for await (const entry of watch) {
          onChange({ bucket: index === 0 ? 'leases' : 'nodes', key: entry.key, operation: entry.operation });
        }
      });
      return async () => {
        for (const watch of watches) watch.stop();
        await Promise.allSettled(loops);
      };
    },
  };
}
