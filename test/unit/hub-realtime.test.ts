// The realtime channel without uWS: fake sockets, the in-process bus, fake timers.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { randomUUID } from 'node:crypto';
import { RealtimeChannel, type RealtimeSocket } from '../../hub/realtime/channel.ts';
import { signSessionToken } from '../../hub/auth/session-token.ts';
import { createInProcessBus } from '../../actors/bus/in-process-bus.ts';
import { subjects } from '../../actors/bus/subjects.ts';
import type { DomainEvent, DomainEventBatch } from '../../actors/runtime/types.ts';
import { silentLogger } from '../../platform/logger.ts';
import type { Role } from '../../platform/roles.ts';

const secret = Buffer.from('realtime-test-secret-realtime-test-secret');
const courtA = randomUUID();
const courtB = randomUUID();

class FakeSocket implements RealtimeSocket {
  sent: any[] = [];
  closedWith: { code: number; reason: string } | null = null;
  buffered = 0;
  refuse = false;
  send(text: string) {
    if (this.closedWith) return 'closed' as const;
    if (this.refuse) return 'dropped' as const;
    this.sent.push(JSON.parse(text));
    return 'sent' as const;
  }
  bufferedAmount() {
    return this.buffered;
  }
  close(code: number, reason: string) {
    this.closedWith = { code, reason };
  }
  of(type: string) {
    return this.sent.filter((message) => message.type === type);
  }
}

const token = (role: Role, courtId: string | null, userId = randomUUID()) => signSessionToken(secret, { userId, role, courtId }).token;

function event(caseId: string, courtId: string, seq = 1): DomainEvent {
  return { kind: 'case', id: caseId, seq, type: 'ACCEPT', state: 'accepted', at: new Date().toISOString(), summary: { courtId, caseNumber: null } };
}

/** The events of one group commit, as the actor host publishes them. */
const batchOf = (...events: DomainEvent[]): DomainEventBatch => ({ kind: 'case', events });

const flush = () => new Promise((resolve) => setTimeout(resolve, 5));

let cleanup: (() => Promise<void>) | null = null;
afterEach(async () => {
  await cleanup?.();
  cleanup = null;
  vi.useRealTimers();
});

function setup(members: Record<string, string[]> = {}) {
  const bus = createInProcessBus();
  const channel = new RealtimeChannel({
    bus,
    logger: silentLogger,
    sessionSecret: secret,
    authTimeoutMs: 5000,
    slowConsumerBytes: 1000,
    isCaseMember: async (session, caseId) => (members[caseId] ?? []).includes(session.userId),
  });
  channel.start();
  cleanup = async () => {
    channel.stop();
    await bus.close();
  };
  return { bus, channel };
}

describe('realtime channel', () => {
  it('closes an unauthenticated socket after the deadline with 4401, and leaves no timer behind', () => {
    vi.useFakeTimers();
    const channel = new RealtimeChannel({
      bus: createInProcessBus(),
      logger: silentLogger,
      sessionSecret: secret,
      isCaseMember: async () => true,
    });
    const socket = new FakeSocket();
    channel.handleOpen(socket, null);
    vi.advanceTimersByTime(4999);
    expect(socket.closedWith).toBeNull();
    vi.advanceTimersByTime(1);
    expect(socket.closedWith?.code).toBe(4401);
    expect(channel.connectionCount).toBe(0);
    expect(vi.getTimerCount()).toBe(0);

    const authed = new FakeSocket();
    channel.handleOpen(authed, null);
    channel.handleMessage(authed, JSON.stringify({ v: 1, type: 'auth', token: token('clerk', courtA) }));
    expect(authed.of('ready')).toHaveLength(1);
    expect(vi.getTimerCount()).toBe(1); // the session-expiry timer only
    const waiting = new FakeSocket();
    channel.handleOpen(waiting, null);
    channel.stop();
    expect(waiting.closedWith?.code).toBe(1001);
    expect(authed.closedWith?.code).toBe(1001);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('closes a socket with 4401 when its session expires', () => {
    vi.useFakeTimers();
    vi.setSystemTime(new Date('2026-11-27T08:00:00Z'));
    const channel = new RealtimeChannel({ bus: createInProcessBus(), logger: silentLogger, sessionSecret: secret, isCaseMember: async () => true });
    const socket = new FakeSocket();
    channel.handleOpen(socket, token('judge', courtA));
    vi.advanceTimersByTime(12 * 3600_000 - 1000);
    expect(socket.closedWith).toBeNull();
    vi.advanceTimersByTime(1000);
    expect(socket.closedWith).toEqual({ code: 4401, reason: 'session expired' });
    expect(vi.getTimerCount()).toBe(0);
  });

  it('fans one bus event out to the case’s followers and its court’s staff only', async () => {
    const caseId = randomUUID();
    const partyId = randomUUID();
    const { bus, channel } = setup({ [caseId]: [partyId] });
    const party = new FakeSocket();
    const clerkA = new FakeSocket();
    const clerkB = new FakeSocket();
    const bystander = new FakeSocket();
    channel.handleOpen(party, token('party', null, partyId));
    channel.handleOpen(clerkA, token('clerk', courtA));
    channel.handleOpen(clerkB, token('clerk', courtB));
    channel.handleOpen(bystander, token('party', null));
    channel.handleMessage(party, JSON.stringify({ v: 1, type: 'subscribe', caseId }));
    channel.handleMessage(clerkA, JSON.stringify({ v: 1, type: 'subscribe', scope: 'court' }));
    channel.handleMessage(clerkB, JSON.stringify({ v: 1, type: 'subscribe', scope: 'court' }));
    channel.handleMessage(bystander, JSON.stringify({ v: 1, type: 'subscribe', caseId }));
    await flush();
    expect(party.of('subscribed')).toEqual([{ v: 1, type: 'subscribed', caseId }]);
    expect(bystander.of('error')).toEqual([{ v: 1, type: 'error', code: 'NOT_FOUND', message: 'Case not found' }]);

    await bus.publishDurable(subjects.actorEventBatch('case'), batchOf(event(caseId, courtA)));
    await flush();
    expect(party.of('case.event').map((m) => m.event.id)).toEqual([caseId]);
    expect(clerkA.of('case.event')).toHaveLength(1);
    expect(clerkB.of('case.event')).toHaveLength(0);
    expect(bystander.of('case.event')).toHaveLength(0);

    // Unsubscribing stops delivery; malformed bus payloads are ignored.
    channel.handleMessage(party, JSON.stringify({ v: 1, type: 'unsubscribe', caseId }));
    bus.publish(subjects.actorEventBatch('case'), { nonsense: true });
    bus.publish(subjects.actorEventBatch('case'), batchOf({ nonsense: true } as unknown as DomainEvent));
    await bus.publishDurable(subjects.actorEventBatch('case'), batchOf(event(caseId, courtA, 2)));
    await flush();
    expect(party.of('case.event')).toHaveLength(1);
    expect(clerkA.of('case.event')).toHaveLength(2);
  });

  it('sends a case notice (evidence added) only to the sockets following that case; malformed notices are ignored', async () => {
    const caseId = randomUUID();
    const partyId = randomUUID();
    const { bus, channel } = setup({ [caseId]: [partyId] });
    const party = new FakeSocket();
    const otherCase = new FakeSocket();
    const courtFollower = new FakeSocket();
    channel.handleOpen(party, token('party', null, partyId));
    channel.handleOpen(otherCase, token('clerk', courtA));
    channel.handleOpen(courtFollower, token('clerk', courtA));
    channel.handleMessage(party, JSON.stringify({ v: 1, type: 'subscribe', caseId }));
    channel.handleMessage(courtFollower, JSON.stringify({ v: 1, type: 'subscribe', scope: 'court' }));
    await flush();
    const notice = { caseId, type: 'evidence.added', evidenceId: randomUUID(), at: new Date().toISOString() };
    bus.publish(subjects.caseNotice(), notice);
    bus.publish(subjects.caseNotice(), { caseId, type: 'evidence.deleted' });
    bus.publish(subjects.caseNotice(), 'nonsense');
    await flush();
    expect(party.of('case.notice')).toEqual([{ v: 1, type: 'case.notice', notice }]);
    expect(otherCase.of('case.notice')).toHaveLength(0);
    expect(courtFollower.of('case.notice')).toHaveLength(0);
  });

  it('closes a hopeless slow consumer with 4008 instead of dropping events silently', async () => {
    const caseId = randomUUID();
    const { bus, channel } = setup();
    const slow = new FakeSocket();
    const dropping = new FakeSocket();
    const fine = new FakeSocket();
    for (const socket of [slow, dropping, fine]) {
      channel.handleOpen(socket, token('judge', courtA));
      channel.handleMessage(socket, JSON.stringify({ v: 1, type: 'subscribe', scope: 'court' }));
    }
    slow.buffered = 5000;
    dropping.refuse = true;
    await bus.publishDurable(subjects.actorEventBatch('case'), batchOf(event(caseId, courtA)));
    await flush();
    expect(slow.closedWith).toEqual({ code: 4008, reason: 'slow consumer' });
    expect(dropping.closedWith?.code).toBe(4008);
    expect(fine.closedWith).toBeNull();
    expect(fine.of('case.event')).toHaveLength(1);
    expect(channel.connectionCount).toBe(1);
  });

  it('keys connections by socket: closing an old socket of a user leaves the new one subscribed', async () => {
    const userId = randomUUID();
    const { bus, channel } = setup();
    const old = new FakeSocket();
    const reconnected = new FakeSocket();
    const sessionToken = token('clerk', courtA, userId);
    channel.handleOpen(old, sessionToken);
    channel.handleMessage(old, JSON.stringify({ v: 1, type: 'subscribe', scope: 'court' }));
    channel.handleOpen(reconnected, sessionToken);
    channel.handleMessage(reconnected, JSON.stringify({ v: 1, type: 'subscribe', scope: 'court' }));
    channel.handleClose(old); // the late close of the old socket
    channel.handleClose(old); // twice: idempotent
    const caseId = randomUUID();
    await bus.publishDurable(subjects.actorEventBatch('case'), batchOf(event(caseId, courtA)));
    await flush();
    expect(reconnected.of('case.event')).toHaveLength(1);
  });

  it('does not subscribe a socket that closed while its membership was being checked', async () => {
    const caseId = randomUUID();
    const userId = randomUUID();
    let release!: () => void;
    const bus = createInProcessBus();
    const channel = new RealtimeChannel({
      bus,
      logger: silentLogger,
      sessionSecret: secret,
      isCaseMember: () => new Promise((resolve) => (release = () => resolve(true))),
    });
    channel.start();
    cleanup = async () => {
      channel.stop();
      await bus.close();
    };
    const socket = new FakeSocket();
    channel.handleOpen(socket, token('party', null, userId));
    channel.handleMessage(socket, JSON.stringify({ v: 1, type: 'subscribe', caseId }));
    channel.handleClose(socket);
    release();
    await flush();
    expect(socket.of('subscribed')).toHaveLength(0);
    await bus.publishDurable(subjects.actorEventBatch('case'), batchOf(event(caseId, courtA)));
    await flush();
    expect(socket.of('case.event')).toHaveLength(0);
  });

  it('refuses a second auth and binary frames', () => {
    const { channel } = setup();
    const socket = new FakeSocket();
    channel.handleOpen(socket, token('clerk', courtA));
    channel.handleMessage(socket, JSON.stringify({ v: 1, type: 'auth', token: token('judge', courtA) }));
    expect(socket.of('error')).toEqual([expect.objectContaining({ code: 'PROTOCOL_ERROR' })]);
    channel.handleMessage(socket, null);
    expect(socket.closedWith?.code).toBe(4002);
  });
});
