// The NATS bus against a real nats-server with JetStream: request/reply, queue groups,
// no responders, wildcards, durable events stored in the stream, namespace isolation.
import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { jetstreamManager, AckPolicy, DeliverPolicy } from '@nats-io/jetstream';
import { createNatsBus, type NatsBus } from '../../actors/bus/nats-bus.ts';
import { subjects } from '../../actors/bus/subjects.ts';
import { AppError } from '../../platform/errors.ts';
import { createLogger, silentLogger } from '../../platform/logger.ts';
import { NATS_TEST_URL, probeNats, uniqueNamespace } from '../support/services.ts';

const nats = await probeNats();

async function removeEventStream(bus: NatsBus): Promise<void> {
  const jsm = await jetstreamManager(bus.connection);
  await jsm.streams.delete(bus.eventStream).catch(() => undefined);
}

/** A TCP relay in front of nats-server that the test can cut and restore, to see the bus reconnect. */
async function startRelay(target: URL) {
  const sockets = new Set<net.Socket>();
  let server: net.Server;
  const listen = (port: number) =>
    new Promise<number>((resolve) => {
      server = net.createServer((client) => {
        const upstream = net.connect(Number(target.port), target.hostname);
        for (const socket of [client, upstream]) {
          sockets.add(socket);
          socket.on('close', () => sockets.delete(socket));
          socket.on('error', () => undefined);
        }
        client.pipe(upstream).pipe(client);
      });
      server.listen(port, '127.0.0.1', () => resolve((server.address() as net.AddressInfo).port));
    });
  const port = await listen(0);
  const cut = () =>
    new Promise<void>((resolve) => {
      for (const socket of sockets) socket.destroy();
      server.close(() => resolve());
    });
  return { url: `nats://127.0.0.1:${port}`, cut, restore: () => listen(port), close: cut };
}

const waitFor = async (check: () => boolean, timeoutMs = 3000) => {
  const until = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > until) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
};

describe.skipIf(!nats.available)(`NATS bus${nats.skipReason}`, () => {
  const namespace = uniqueNamespace('nb');
  let a: NatsBus;
  let b: NatsBus;

  beforeAll(async () => {
    a = await createNatsBus({ url: NATS_TEST_URL, namespace, logger: silentLogger, name: 'a' });
    b = await createNatsBus({ url: NATS_TEST_URL, namespace, logger: silentLogger, name: 'b' });
  });
  afterAll(async () => {
    if (a) await removeEventStream(a);
    await a?.close();
    await b?.close();
  });

  it('answers a request from another connection with the JSON reply', async () => {
    const served = b.serve('svc.echo', async (payload, subject) => ({ got: payload, subject }));
    await b.connection.flush();
    const reply = await a.request('svc.echo', { n: 1, text: '立案' });
    expect(reply).toEqual({ got: { n: 1, text: '立案' }, subject: 'svc.echo' });
    served.unsubscribe();
  });

  it('turns a handler failure into a coded error for the requester, and keeps serving', async () => {
    let calls = 0;
    const served = b.serve('svc.fail', async (payload) => {
      calls += 1;
      if ((payload as { kind: string }).kind === 'app') throw new AppError('CONFLICT', 'already filed', { seq: 3 });
      if ((payload as { kind: string }).kind === 'crash') throw new Error('secret internal detail');
      return 'fine';
    });
    await b.connection.flush();
    const conflict = await a.request('svc.fail', { kind: 'app' }).catch((error: unknown) => error);
    expect(conflict).toBeInstanceOf(AppError);
    expect(conflict).toMatchObject({ code: 'CONFLICT', message: 'already filed', details: { seq: 3 } });
    const internal = await a.request('svc.fail', { kind: 'crash' }).catch((error: unknown) => error);
    expect(internal).toMatchObject({ code: 'INTERNAL', message: 'Internal error' });
    expect((internal as Error).message).not.toContain('secret');
    await expect(a.request('svc.fail', { kind: 'ok' })).resolves.toBe('fine');
    expect(calls).toBe(3);
    served.unsubscribe();
  });

  it('spreads requests over a queue group, one answer per request', async () => {
    const counts = { a: 0, b: 0 };
    const sa = a.serve('svc.q', async () => { counts.a += 1; return 'a'; }, { queue: 'workers' });
    const sb = b.serve('svc.q', async () => { counts.b += 1; return 'b'; }, { queue: 'workers' });
    await Promise.all([a.connection.flush(), b.connection.flush()]);
    const replies = await Promise.all(Array.from({ length: 60 }, () => a.request('svc.q', {})));
    expect(replies).toHaveLength(60);
    expect(counts.a + counts.b).toBe(60);
    expect(counts.a).toBeGreaterThan(0);
    expect(counts.b).toBeGreaterThan(0);
    sa.unsubscribe();
    sb.unsubscribe();
  });

  it('rejects with ACTOR_UNAVAILABLE at once when nobody serves the subject', async () => {
    const started = Date.now();
    const error = await a.request(subjects.actorCommand('case', 7), {}, { timeoutMs: 3000 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AppError);
    expect(error).toMatchObject({ code: 'ACTOR_UNAVAILABLE', details: { reason: 'no-responders' } });
    expect(Date.now() - started).toBeLessThan(1500);
  });

  it('rejects with ACTOR_UNAVAILABLE when the server does not answer in time', async () => {
    const served = b.serve('svc.slow', () => new Promise((resolve) => setTimeout(() => resolve('late'), 400)));
    await b.connection.flush();
    const error = await a.request('svc.slow', {}, { timeoutMs: 100 }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'ACTOR_UNAVAILABLE', details: { reason: 'timeout' } });
    await new Promise((resolve) => setTimeout(resolve, 450));
    served.unsubscribe();
  });

  it('delivers publish() to wildcard subscribers with the subject outside the namespace', async () => {
    const seen: { payload: unknown; subject: string }[] = [];
    const sub = b.subscribe(subjects.allInspection(), (payload, subject) => seen.push({ payload, subject }));
    const one = b.subscribe(subjects.actorEventsOfKind('case'), () => undefined);
    await b.connection.flush();
    a.publish(subjects.inspection('case', 'c1'), { state: 'filed' });
    a.publish(subjects.inspection('hearing', 'h1'), { state: 'open' });
    a.publish('other.thing', { ignored: true });
    await waitFor(() => seen.length >= 2);
    expect(seen).toEqual([
      { payload: { state: 'filed' }, subject: 'inspect.case.c1' },
      { payload: { state: 'open' }, subject: 'inspect.hearing.h1' },
    ]);
    sub.unsubscribe();
    one.unsubscribe();
  });

  it('stores publishDurable() batches in the namespace stream, delivers them live, and never stores live per-actor events', async () => {
    const live: unknown[] = [];
    const sub = b.subscribe(subjects.actorEventBatch('case'), (payload) => live.push(payload));
    const perActor: unknown[] = [];
    const perActorSub = b.subscribe(subjects.actorEventsOfKind('case'), (payload) => perActor.push(payload));
    await b.connection.flush();
    const events = [1, 2, 3].map((seq) => ({ kind: 'case', events: [{ id: 'c42', seq, type: 'FILED' }] }));
    for (const event of events) {
      a.publish(subjects.actorEvent('case', 'c42'), event.events[0]);
      await a.publishDurable(subjects.actorEventBatch('case'), event);
    }
    await waitFor(() => live.length === 3 && perActor.length === 3);
    expect(live).toEqual(events);
    expect(perActor).toEqual(events.map((e) => e.events[0]));
    perActorSub.unsubscribe();

    // Read the stream back with a JetStream pull consumer (filter_subject: nats-server 2.9 has no filter_subjects).
    const jsm = await jetstreamManager(a.connection);
    await jsm.consumers.add(a.eventStream, { durable_name: 'reader', filter_subject: `${namespace}.event.case`, deliver_policy: DeliverPolicy.All, ack_policy: AckPolicy.Explicit });
    const consumer = await a.jetstream().consumers.get(a.eventStream, 'reader');
    const stored: unknown[] = [];
    const batch = await consumer.fetch({ max_messages: 3, expires: 2000 });
    for await (const message of batch) {
      stored.push(message.json());
      message.ack();
    }
    expect(stored).toEqual(events);
    const info = await jsm.streams.info(a.eventStream);
    expect(info.config.subjects).toEqual([`${namespace}.event.*`]);
    expect(info.config.storage).toBe('file');
    expect(info.state.messages).toBe(3);
    sub.unsubscribe();
  });

  it('keeps namespaces apart on one server', async () => {
    const other = await createNatsBus({ url: NATS_TEST_URL, namespace: uniqueNamespace('nb'), logger: silentLogger });
    try {
      const heard: unknown[] = [];
      const sub = other.subscribe('inspect.>', (payload) => heard.push(payload));
      const served = other.serve('svc.iso', async () => 'other namespace');
      await other.connection.flush();
      a.publish(subjects.inspection('case', 'x'), { from: 'a' });
      await expect(a.request('svc.iso', {}, { timeoutMs: 500 })).rejects.toMatchObject({ code: 'ACTOR_UNAVAILABLE' });
      await a.connection.flush();
      await new Promise((resolve) => setTimeout(resolve, 100));
      expect(heard).toEqual([]);
      await expect(other.request('svc.iso', {})).resolves.toBe('other namespace');
      sub.unsubscribe();
      served.unsubscribe();
    } finally {
      await removeEventStream(other);
      await other.close();
    }
  });

  it('bounds slow subscribers: drops beyond maxPending and counts the drops', async () => {
    const bounded = await createNatsBus({ url: NATS_TEST_URL, namespace, logger: silentLogger, maxPending: 5 });
    try {
      const release: (() => void)[] = [];
      const sub = bounded.subscribe('slow.>', () => new Promise<void>((resolve) => release.push(resolve)));
      await bounded.connection.flush();
      for (let i = 0; i < 20; i++) a.publish('slow.x', { i });
      await a.connection.flush();
      await waitFor(() => bounded.stats().dropped === 15);
      expect(release).toHaveLength(5);
      release.forEach((resolve) => resolve());
      await new Promise((resolve) => setTimeout(resolve, 10));
      a.publish('slow.x', { i: 20 });
      await waitFor(() => release.length === 6);
      release[5]?.();
      sub.unsubscribe();
    } finally {
      await bounded.close();
    }
  });

  it('reconnects after losing the server, reports it in health(), and serves again', async () => {
    const relay = await startRelay(new URL(NATS_TEST_URL));
    const lines: string[] = [];
    const logger = createLogger({ level: 'debug', write: (line) => lines.push(line) });
    const flaky = await createNatsBus({ url: relay.url, namespace, logger, name: 'flaky' });
    try {
      const served = flaky.serve('svc.flaky', async () => 'back');
      await flaky.connection.flush();
      await expect(a.request('svc.flaky', {})).resolves.toBe('back');
      await relay.cut();
      await waitFor(() => lines.some((line) => line.includes('"bus disconnected"')));
      expect(await flaky.health()).toMatchObject({ ok: false, detail: 'reconnecting' });
      await relay.restore();
      await waitFor(() => lines.some((line) => line.includes('"bus reconnected"')), 10_000);
      expect(await flaky.health()).toMatchObject({ ok: true });
      // The serve subscription was restored by the client on reconnect.
      await expect(a.request('svc.flaky', {}, { timeoutMs: 2000 })).resolves.toBe('back');
      served.unsubscribe();
    } finally {
      await flaky.close();
      await relay.close();
    }
  });

  it('reports health with the round-trip time, and unhealthy once closed', async () => {
    const probe = await createNatsBus({ url: NATS_TEST_URL, namespace, logger: silentLogger });
    const healthy = await probe.health();
    expect(healthy).toMatchObject({ ok: true, kind: 'nats' });
    expect(healthy.detail).toMatch(/rtt \d+ ms/);
    await probe.close();
    expect(await probe.health()).toMatchObject({ ok: false, kind: 'nats', detail: 'closed' });
  });
});
