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

  /** A shard that answers each command of a batch with `answer(entry)`. */
  const batchAnswer = (answer: (entry: { id: string; command: { type: string } }) => unknown) => async (payload: unknown) => {
    const { commands } = payload as { commands: { id: string; command: { type: string } }[] };
    return { v: 2, replies: commands.map(answer) };
  };

  it('sends the commands of one turn for one shard as ONE batch and gives each its own reply', async () => {
    bus = createInProcessBus();
    const ids = ['c0ffee', 'beef', 'f00d'].filter((id) => shardOf(id, 1) === 0);
    const seen: unknown[] = [];
    bus.serve(subjects.actorCommand('case', 0), async (payload) => {
      seen.push(payload);
      return batchAnswer(({ id }) => (id === 'beef' ? { ok: false, error: { code: 'CONFLICT', message: 'x' } } : { ok: true, seq: 1, state: `filed-${id}`, summary: {} }))(payload);
    });
    const client = createBusActorClient({ bus, shardCount: 1 });
    const replies = await Promise.all(ids.map((id) => client.ask({ kind: 'case', id }, { type: 'FILE' })));
    expect(replies).toEqual([
      { ok: true, seq: 1, state: 'filed-c0ffee', summary: {} },
      { ok: false, error: { code: 'CONFLICT', message: 'x' } },
      { ok: true, seq: 1, state: 'filed-f00d', summary: {} },
    ]);
    expect(seen).toEqual([{ v: 2, commands: ids.map((id) => ({ id, command: { type: 'FILE' } })) }]);
    // The next turn is a new batch.
    expect(await client.ask({ kind: 'case', id: 'c0ffee' }, { type: 'BEGIN_REVIEW' })).toMatchObject({ ok: true });
    expect(seen).toHaveLength(2);
  });

  it('sends commands for different shards in separate requests', async () => {
    bus = createInProcessBus();
    const [a, b] = ['a', 'b', 'c', 'd', 'e'].reduce<string[]>((found, id) => (found.length < 2 && !found.some((f) => shardOf(f, 2) === shardOf(id, 2)) ? [...found, id] : found), []);
    const batches: number[] = [];
    for (const shard of [0, 1]) {
      bus.serve(subjects.actorCommand('case', shard), async (payload) => {
        batches.push(shard);
        return batchAnswer(() => ({ ok: true, seq: 1, state: `on-${shard}`, summary: {} }))(payload);
      });
    }
    const client = createBusActorClient({ bus, shardCount: 2 });
    const replies = await Promise.all([client.ask({ kind: 'case', id: a! }, { type: 'X' }), client.ask({ kind: 'case', id: b! }, { type: 'X' })]);
    expect(replies).toEqual([
      { ok: true, seq: 1, state: `on-${shardOf(a!, 2)}`, summary: {} },
      { ok: true, seq: 1, state: `on-${shardOf(b!, 2)}`, summary: {} },
    ]);
    expect(batches.sort()).toEqual([0, 1]);
  });

  it('answers INTERNAL to every command of a batch whose reply has the wrong number of replies', async () => {
    bus = createInProcessBus();
    bus.serve(subjects.actorCommand('case', 0), async () => ({ v: 2, replies: [{ ok: true, seq: 1, state: 'x', summary: {} }] }));
    const client = createBusActorClient({ bus, shardCount: 1 });
    const replies = await Promise.all([client.ask({ kind: 'case', id: 'a' }, { type: 'X' }), client.ask({ kind: 'case', id: 'b' }, { type: 'X' })]);
    expect(replies).toMatchObject([{ ok: false, error: { code: 'INTERNAL' } }, { ok: false, error: { code: 'INTERNAL' } }]);
  });

  it('gives a command with a shorter deadline than its batch its own timeout', async () => {
    bus = createInProcessBus();
    bus.serve(subjects.actorCommand('case', 0), async (payload) => {
      await new Promise((resolve) => setTimeout(resolve, 300));
      return batchAnswer(() => ({ ok: true, seq: 1, state: 'late', summary: {} }))(payload);
    });
    const client = createBusActorClient({ bus, shardCount: 1 });
    const started = Date.now();
    const [short, long] = await Promise.all([
      client.ask({ kind: 'case', id: 'a' }, { type: 'X' }, { timeoutMs: 60 }).then((reply) => ({ reply, after: Date.now() - started })),
      client.ask({ kind: 'case', id: 'b' }, { type: 'X' }, { timeoutMs: 2000 }),
    ]);
    expect(short.reply).toMatchObject({ ok: false, error: { code: 'ACTOR_UNAVAILABLE' } });
    expect(short.after).toBeLessThan(250);
    expect(long).toEqual({ ok: true, seq: 1, state: 'late', summary: {} });
  });

  it('retries while the shard answers ACTOR_UNAVAILABLE, but not other refusals', async () => {
    bus = createInProcessBus();
    let calls = 0;
    bus.serve(
      subjects.actorCommand('case', shardOf('a', 2)),
      batchAnswer(() => {
        calls++;
        return calls < 3 ? { ok: false, error: { code: 'ACTOR_UNAVAILABLE', message: 'moving' } } : { ok: false, error: { code: 'CONFLICT', message: 'x' } };
      }),
    );
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
