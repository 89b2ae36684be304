import { afterEach, describe, expect, it, vi } from 'vitest';
import { createInProcessBus, subjectMatches } from '../../actors/bus/in-process-bus.ts';
import type { Bus } from '../../actors/bus/bus.ts';
import { AppError } from '../../platform/errors.ts';

const tick = () => new Promise((resolve) => setTimeout(resolve, 0));

describe('in-process bus', () => {
  let bus: Bus;
  afterEach(async () => {
    vi.useRealTimers();
    await bus?.close();
  });

  it('matches subjects like NATS', () => {
    const m = (pattern: string, subject: string) => subjectMatches(pattern.split('.'), subject.split('.'));
    expect(m('a.b.c', 'a.b.c')).toBe(true);
    expect(m('a.*.c', 'a.b.c')).toBe(true);
    expect(m('a.*', 'a.b.c')).toBe(false);
    expect(m('a.>', 'a.b.c')).toBe(true);
    expect(m('a.>', 'a')).toBe(false);
    expect(m('>', 'a')).toBe(true);
    expect(m('a.b.c', 'a.b')).toBe(false);
    expect(m('*.b', 'x.b')).toBe(true);
  });

  it('delivers to exact and wildcard subscribers, asynchronously and as copies', async () => {
    bus = createInProcessBus();
    const seen: string[] = [];
    const payloads: unknown[] = [];
    bus.subscribe('event.case.*', (payload, subject) => {
      seen.push(`star:${subject}`);
      payloads.push(payload);
    });
    bus.subscribe('event.>', (_payload, subject) => seen.push(`gt:${subject}`));
    bus.subscribe('event.case.c1', (_payload, subject) => seen.push(`exact:${subject}`));
    bus.subscribe('event.hearing.*', () => seen.push('wrong'));
    const original = { nested: { n: 1 } };
    bus.publish('event.case.c1', original);
    expect(seen).toEqual([]); // never inside the publisher's call
    await tick();
    expect(seen.sort()).toEqual(['exact:event.case.c1', 'gt:event.case.c1', 'star:event.case.c1']);
    expect(payloads[0]).toEqual(original);
    expect(payloads[0]).not.toBe(original);
    (payloads[0] as { nested: { n: number } }).nested.n = 2;
    expect(original.nested.n).toBe(1);
  });

  it('publishDurable resolves after current subscribers got the message; unsubscribe stops delivery', async () => {
    bus = createInProcessBus();
    const got: unknown[] = [];
    const subscription = bus.subscribe('event.case.*', (payload) => got.push(payload));
    await bus.publishDurable('event.case.c1', { seq: 1 });
    expect(got).toEqual([{ seq: 1 }]);
    subscription.unsubscribe();
    await bus.publishDurable('event.case.c1', { seq: 2 });
    expect(got).toEqual([{ seq: 1 }]);
  });

  it('answers requests; one member of a queue group answers each request', async () => {
    bus = createInProcessBus();
    const calls = { a: 0, b: 0 };
    bus.serve('actor.case.1.cmd', async (payload) => {
      calls.a++;
      return { from: 'a', echo: payload };
    }, { queue: 'q' });
    bus.serve('actor.case.1.cmd', async (payload) => {
      calls.b++;
      return { from: 'b', echo: payload };
    }, { queue: 'q' });
    const replies = await Promise.all(Array.from({ length: 10 }, (_, i) => bus.request('actor.case.1.cmd', { i })));
    expect(calls.a + calls.b).toBe(10);
    expect(calls.a).toBeGreaterThan(0);
    expect(calls.b).toBeGreaterThan(0);
    replies.forEach((reply, i) => expect((reply as { echo: unknown }).echo).toEqual({ i }));
  });

  it('a handler failure rejects the request with a coded error', async () => {
    bus = createInProcessBus();
    bus.serve('svc.fail', async () => {
      throw new Error('boom');
    });
    await expect(bus.request('svc.fail', {})).rejects.toMatchObject({ code: 'INTERNAL' });
  });

  it('times out with ACTOR_UNAVAILABLE when a responder does not answer in time', async () => {
    bus = createInProcessBus();
    bus.serve('svc.slow', () => new Promise(() => undefined));
    const error = await bus.request('svc.slow', {}, { timeoutMs: 30 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AppError);
    expect((error as AppError).code).toBe('ACTOR_UNAVAILABLE');
  });

  it('with no responder waits for one to appear, else fails with ACTOR_UNAVAILABLE at the timeout', async () => {
    vi.useFakeTimers();
    bus = createInProcessBus();
    const lost = bus.request('actor.case.3.cmd', {}, { timeoutMs: 100 }).catch((e: unknown) => e);
    await vi.advanceTimersByTimeAsync(101);
    expect(((await lost) as AppError).code).toBe('ACTOR_UNAVAILABLE');

    const late = bus.request('actor.case.3.cmd', { x: 1 }, { timeoutMs: 100 });
    await vi.advanceTimersByTimeAsync(50);
    bus.serve('actor.case.*.cmd', async (payload) => ({ got: payload }));
    await vi.advanceTimersByTimeAsync(1);
    await expect(late).resolves.toEqual({ got: { x: 1 } });
    expect(vi.getTimerCount()).toBe(0);
  });

  it('refuses wildcard publish subjects and fails pending requests on close', async () => {
    bus = createInProcessBus();
    expect(() => bus.publish('event.*', {})).toThrow(AppError);
    const pending = bus.request('nobody.home', {}, { timeoutMs: 10_000 }).catch((e: unknown) => e);
    await bus.close();
    expect(((await pending) as AppError).code).toBe('ACTOR_UNAVAILABLE');
    expect((await bus.health()).ok).toBe(false);
    await expect(bus.request('x', {})).rejects.toMatchObject({ code: 'ACTOR_UNAVAILABLE' });
  });
});
