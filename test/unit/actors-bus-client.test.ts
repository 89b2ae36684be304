import { afterEach, describe, expect, it } from 'vitest';
import { createInProcessBus } from '../../actors/bus/in-process-bus.ts';
import type { Bus } from '../../actors/bus/bus.ts';
import { subjects } from '../../actors/bus/subjects.ts';
import { createBusActorClient } from '../../actors/runtime/bus-actor-client.ts';
import { shardOf } from '../../actors/runtime/shards.ts';

describe('shardOf', () => {
  it('is stable, in range and spreads ids', () => {
    expect(shardOf('case-1', 16)).toBe(shardOf('case-1', 16));
    const counts = new Array(8).fill(0);
    for (let i = 0; i < 8000; i++) counts[shardOf(`id-${i}`, 8)]++;
    for (const count of counts) expect(count).toBeGreaterThan(800);
    expect(() => shardOf('x', 0)).toThrow(RangeError);
  });
});

describe('bus actor client', () => {
  let bus: Bus;
  afterEach(async () => {
    await bus.close();
  });

  it('sends an envelope to the shard subject and returns the reply', async () => {
    bus = createInProcessBus();
    const id = 'c0ffee';
    const seen: unknown[] = [];
    bus.serve(subjects.actorCommand('case', shardOf(id, 4)), async (payload) => {
      seen.push(payload);
      return { ok: true, seq: 1, state: 'filed', context: {} };
    });
    const client = createBusActorClient({ bus, shardCount: 4 });
    expect(await client.ask({ kind: 'case', id }, { type: 'FILE' })).toEqual({ ok: true, seq: 1, state: 'filed', context: {} });
    expect(seen).toEqual([{ v: 1, id, command: { type: 'FILE' } }]);
  });

  it('retries while the shard answers ACTOR_UNAVAILABLE, but not other refusals', async () => {
    bus = createInProcessBus();
    let calls = 0;
    bus.serve(subjects.actorCommand('case', shardOf('a', 2)), async () => {
      calls++;
      return calls < 3 ? { ok: false, error: { code: 'ACTOR_UNAVAILABLE', message: 'moving' } } : { ok: false, error: { code: 'CONFLICT', message: 'x' } };
    });
    const client = createBusActorClient({ bus, shardCount: 2 });
    expect(await client.ask({ kind: 'case', id: 'a' }, { type: 'X' })).toMatchObject({ ok: false, error: { code: 'CONFLICT' } });
    expect(calls).toBe(3);
  });

  it('gives up with ACTOR_UNAVAILABLE when nobody serves the shard in time; a malformed reply is INTERNAL', async () => {
    bus = createInProcessBus();
    const client = createBusActorClient({ bus, shardCount: 2, defaultTimeoutMs: 80 });
    const started = Date.now();
    expect(await client.ask({ kind: 'case', id: 'a' }, { type: 'X' })).toMatchObject({ ok: false, error: { code: 'ACTOR_UNAVAILABLE' } });
    expect(Date.now() - started).toBeLessThan(1000);
    bus.serve(subjects.actorCommand('case', shardOf('b', 2)), async () => 'nonsense');
    expect(await client.ask({ kind: 'case', id: 'b' }, { type: 'X' })).toMatchObject({ ok: false, error: { code: 'INTERNAL' } });
  });
});
