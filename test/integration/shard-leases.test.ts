// Shard leases in JetStream KV with real NATS: keepers split the shards, take over from a
// stopped or dead node within about one TTL, drop a shard whose lease was changed under them,
// and rebalance when a node joins.
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { Kvm } from '@nats-io/kv';
import { jetstreamManager } from '@nats-io/jetstream';
import { createNatsBus, type NatsBus } from '../../actors/bus/nats-bus.ts';
import { buckets } from '../../actors/bus/subjects.ts';
import { startShardKeeper, type ShardKeeper } from '../../actors/runtime/shard-keeper.ts';
import { silentLogger } from '../../platform/logger.ts';
import { NATS_TEST_URL, probeNats, uniqueNamespace } from '../support/services.ts';

const nats = await probeNats();
const TTL_MS = 1500;
const SHARDS = 8;

/** Stands in for the ActorHost: records which shards it serves, and every serve/release. */
class RecordingHost {
  readonly serving = new Set<string>();
  readonly released: string[] = [];
  readonly servedAt = new Map<string, number>();
  readonly releasedAt = new Map<string, number>();
  serveShard(kind: string, shard: number): void {
    this.serving.add(`${kind}.${shard}`);
    this.servedAt.set(`${kind}.${shard}`, performance.now());
  }
  async releaseShard(kind: string, shard: number): Promise<void> {
    this.serving.delete(`${kind}.${shard}`);
    this.released.push(`${kind}.${shard}`);
    this.releasedAt.set(`${kind}.${shard}`, performance.now());
  }
}

async function eventually(check: () => void | Promise<void>, timeoutMs: number): Promise<number> {
  const started = Date.now();
  for (;;) {
    try {
      await check();
      return Date.now() - started;
    } catch (error) {
      if (Date.now() - started > timeoutMs) throw error;
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
  }
}

const allUnits = (kinds: string[]) => kinds.flatMap((kind) => Array.from({ length: SHARDS }, (_, s) => `${kind}.${s}`)).sort();
const keys = (keeper: ShardKeeper) => keeper.ownedShards().map((u) => `${u.kind}.${u.shard}`);

describe.skipIf(!nats.available)(`shard leases${nats.skipReason}`, () => {
  const cleanups: (() => Promise<void>)[] = [];
  const namespaces: string[] = [];
  let admin: NatsBus | undefined;

  async function node(namespace: string, nodeId: string, kinds = ['case']) {
    const bus = await createNatsBus({ url: NATS_TEST_URL, namespace, logger: silentLogger, name: nodeId });
    const host = new RecordingHost();
    const keeper = await startShardKeeper({ bus, nodeId, kinds, shardCount: SHARDS, leaseTtlMs: TTL_MS, host, logger: silentLogger });
    cleanups.push(async () => {
      await keeper.stop().catch(() => undefined);
      await bus.close();
    });
    return { bus, host, keeper };
  }

  const fresh = () => {
    const namespace = uniqueNamespace('sl');
    namespaces.push(namespace);
    return namespace;
  };

  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });

  afterAll(async () => {
    admin = await createNatsBus({ url: NATS_TEST_URL, namespace: uniqueNamespace('sl'), logger: silentLogger });
    const jsm = await jetstreamManager(admin.connection);
    for (const namespace of [...namespaces, admin.namespace]) {
      for (const stream of [`ECOURT_EVENTS_${namespace}`, `KV_${buckets.shardLeases}_${namespace}`, `KV_${buckets.nodes}_${namespace}`]) {
        await jsm.streams.delete(stream).catch(() => undefined);
      }
    }
    await admin.close();
  });

  it('a lone keeper takes every shard of every kind and serves them', async () => {
    const a = await node(fresh(), 'node-a', ['case', 'hearing']);
    expect(keys(a.keeper).sort()).toEqual(allUnits(['case', 'hearing']));
    expect([...a.host.serving].sort()).toEqual(allUnits(['case', 'hearing']));
  });

  it('two keepers split the shards: disjoint, together all, and a joiner gets its share', async () => {
    const namespace = fresh();
    const a = await node(namespace, 'node-a');
    expect(keys(a.keeper)).toHaveLength(SHARDS);
    const b = await node(namespace, 'node-b');
    await eventually(() => {
      expect(keys(a.keeper)).toHaveLength(SHARDS / 2);
      expect(keys(b.keeper)).toHaveLength(SHARDS / 2);
    }, 4 * TTL_MS);
    const union = [...keys(a.keeper), ...keys(b.keeper)].sort();
    expect(union).toEqual(allUnits(['case']));
    expect(new Set(union).size).toBe(SHARDS);
    // Hosts serve exactly what their keeper holds: the hand-over released before the other claimed.
    expect([...a.host.serving].sort()).toEqual(keys(a.keeper).sort());
    expect([...b.host.serving].sort()).toEqual(keys(b.keeper).sort());
    expect(a.host.released).toHaveLength(SHARDS / 2);
  });

  it('when a keeper stops, the other takes all its shards at once', async () => {
    const namespace = fresh();
    const a = await node(namespace, 'node-a');
    const b = await node(namespace, 'node-b');
    await eventually(() => expect(keys(b.keeper)).toHaveLength(SHARDS / 2), 4 * TTL_MS);
    await b.keeper.stop();
    expect(b.host.serving.size).toBe(0);
    const took = await eventually(() => expect(keys(a.keeper)).toHaveLength(SHARDS), 2 * TTL_MS);
    // A graceful stop deletes the keys, so this is much faster than waiting out the TTL.
    expect(took).toBeLessThan(TTL_MS);
    expect([...a.host.serving].sort()).toEqual(allUnits(['case']));
  });

  it('when a node dies without a word, its leases expire and the survivor claims them within about a TTL', async () => {
    const namespace = fresh();
    const a = await node(namespace, 'node-a');
    const b = await node(namespace, 'node-b');
    await eventually(() => expect(keys(b.keeper)).toHaveLength(SHARDS / 2), 4 * TTL_MS);
    const bShards = keys(b.keeper);
    // Cut b's connection: its keeper can neither renew nor delete anything any more.
    await b.bus.connection.close();
    const took = await eventually(() => expect(keys(a.keeper)).toHaveLength(SHARDS), 4 * TTL_MS);
    expect(took).toBeLessThan(2 * TTL_MS + 1000);
    // The cut-off node stopped serving each shard on its own BEFORE the survivor began serving it.
    expect(b.host.serving.size).toBe(0);
    for (const key of bShards) {
      expect(b.host.releasedAt.get(key)).toBeLessThan(a.host.servedAt.get(key)!);
    }
  });

  it('a keeper whose lease was changed under it stops serving that shard and does not take it back', async () => {
    const namespace = fresh();
    const a = await node(namespace, 'node-a');
    const kv = await new Kvm(a.bus.connection).open(`${buckets.shardLeases}_${namespace}`);
    // Another writer takes case.3 (as a node that claimed it after a partition would).
    const stolen = JSON.stringify({ v: 1, node: 'node-x', at: new Date().toISOString() });
    await kv.put('case.3', stolen);
    await a.keeper.rebalance();
    expect(keys(a.keeper)).not.toContain('case.3');
    expect(a.host.serving.has('case.3')).toBe(false);
    expect(a.host.released).toEqual(['case.3']);
    // node-x keeps renewing it; a's next rounds leave it alone.
    const entry = await kv.get('case.3');
    await kv.update('case.3', stolen, entry!.revision);
    await a.keeper.rebalance();
    expect(keys(a.keeper)).not.toContain('case.3');
    expect(keys(a.keeper)).toHaveLength(SHARDS - 1);
    // node-x stops renewing: once its entry expires, a claims the shard again.
    await eventually(() => expect(keys(a.keeper)).toContain('case.3'), 3 * TTL_MS);
    expect(a.host.serving.has('case.3')).toBe(true);
  });

  it('stop() releases every lease and leaves no timers or watchers behind', async () => {
    const namespace = fresh();
    const a = await node(namespace, 'node-a');
    await a.keeper.stop();
    expect(a.keeper.ownedShards()).toEqual([]);
    const kv = await new Kvm(a.bus.connection).open(`${buckets.shardLeases}_${namespace}`);
    const left: string[] = [];
    for await (const key of await kv.keys()) left.push(key);
    expect(left).toEqual([]);
  });
});
