// A client's view of which node holds which shard, from a watch on the lease bucket: with it the
// client batches its commands per node (one request for all the shards a node serves) instead of
// per shard. The view may be stale — a lease that expired leaves no trace in the watch, a shard may
// move — so it is only a hint: the host checks every command's shard, and the client falls back to
// the shard's own subject for a shard whose route failed, until the lease changes again.
import type { NatsConnection } from '@nats-io/transport-node';
import { decodeLeaseOwner } from './kv-leases.ts';
import { openLeaseBucket, parseLeaseKey, type ShardUnit } from './shard-leases.ts';

export interface ShardRoutes {
  /** The node holding the shard's lease, as last seen; undefined when unknown or distrusted. */
  nodeOf(kind: string, shard: number): string | undefined;
  /** A request routed by this view failed: use the shard's subject until its lease changes. */
  distrust(kind: string, shard: number): void;
  stop(): Promise<void>;
}

const routeKey = (unit: ShardUnit) => `${unit.kind}.${unit.shard}`;

/**
 * Watches the lease bucket of a namespace (creating it like the shard keepers do, with their lease
 * TTL, when no node has yet). Resolves once the watch runs; the current leases follow within ms.
 */
export async function watchShardRoutes(options: { connection: NatsConnection; namespace: string; ttlMs: number }): Promise<ShardRoutes> {
  const routes = new Map<string, string>();
  const kv = await openLeaseBucket(options);
  const watch = await kv.watch();
  // Not awaited: until the current leases have arrived (a few ms) commands simply go by shard.
  const loop = (async () => {
    for await (const entry of watch) {
      const unit = parseLeaseKey(entry.key);
      if (!unit) continue;
      const owner = entry.operation === 'PUT' ? decodeLeaseOwner(entry.string()) : null;
      if (owner) routes.set(routeKey(unit), owner);
      else routes.delete(routeKey(unit));
    }
  })();
  return {
    nodeOf: (kind, shard) => routes.get(`${kind}.${shard}`),
    distrust: (kind, shard) => void routes.delete(`${kind}.${shard}`),
    async stop() {
      watch.stop();
      await loop.catch(() => undefined);
    },
  };
}
