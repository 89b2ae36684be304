// RoomRegistry and CollabGateway: single-flight loads, failed loads never saved, unload after the
// last session (re-checked after awaits), shutdown flush, admission (token, name, membership), timers.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { randomBytes, randomUUID } from 'node:crypto';
import * as Y from 'yjs';
import { RoomRegistry, RoomLoadError } from '../../hub/collab/room-registry.ts';
import { CollabGateway, type ResolveAdmission } from '../../hub/collab/gateway.ts';
import { resolveDocAccess } from '../../hub/collab/access.ts';
import { appendSegment, segmentsOf } from '../../hub/collab/transcript-model.ts';
import { signSessionToken } from '../../hub/auth/session-token.ts';
import { silentLogger } from '../../platform/logger.ts';
import { TestCollabClient } from '../support/collab-client.ts';
import { MemoryDocPersistence } from '../support/collab-memory-persistence.ts';
import { settle } from '../support/collab-socket-pair.ts';
import { CASE_ID, COURT_ID, docNameFor, makeUser } from '../support/collab-fixtures.ts';
import type { CollabUser } from '../../hub/collab/access.ts';

const speaker = { participantId: 'p1', role: 'judge', displayName: '审判长' };
const NAME = docNameFor('transcript');

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

function clientOf(registry: RoomRegistry, user: CollabUser) {
  const client = new TestCollabClient({
    handleMessage: (socket, bytes) => joined?.handleMessage(socket, bytes),
    handleClose: (socket) => joined?.handleClose(socket),
  });
  let joined: Awaited<ReturnType<RoomRegistry['acquire']>> | undefined;
  const access = resolveDocAccess(user, 'transcript', { isMember: true, courtId: COURT_ID });
  if (!access.allowed) throw new Error('no access');
  const ready = registry.acquire(NAME, 'transcript', (room) => {
    joined = room;
    room.handleOpen(client.socket, { user, access });
    client.start();
  });
  return { client, ready };
}

describe('RoomRegistry', () => {
  it('loads a document once for concurrent opens (single flight) and serves both from one room', async () => {
    const persistence = new MemoryDocPersistence();
    const seed = new Y.Doc();
    appendSegment(seed, { speaker, startMs: 0, endMs: 1, text: 'stored', source: 'human' });
    persistence.seed(NAME, Y.encodeStateAsUpdate(seed));
    const registry = new RoomRegistry({ persistence, logger: silentLogger });
    const a = clientOf(registry, makeUser('judge'));
    const b = clientOf(registry, makeUser('party'));
    const [roomA, roomB] = await Promise.all([a.ready, b.ready]);
    expect(roomA).toBe(roomB);
    expect(persistence.loads).toBe(1);
    await settle();
    expect(segmentsOf(b.client.doc)[0]?.text).toBe('stored');
    a.client.destroy();
    b.client.destroy();
    await registry.closeAll();
    expect(vi.getTimerCount()).toBe(0);
  });

  it('destroys a room whose load failed, never saves it, and retries the load on the next open', async () => {
    const persistence = new MemoryDocPersistence();
    persistence.failLoads = true;
    const registry = new RoomRegistry({ persistence, logger: silentLogger });
    const judge = makeUser('judge');
    const first = clientOf(registry, judge);
    await expect(first.ready).rejects.toBeInstanceOf(RoomLoadError);
    expect(registry.size).toBe(0);
    // The failed room's awareness timer is gone too.
    first.client.destroy();
    expect(vi.getTimerCount()).toBe(0);
    expect(persistence.appended).toEqual([]);

    persistence.failLoads = false;
    const second = clientOf(registry, judge);
    const room = await second.ready;
    expect(persistence.loads).toBe(2);
    await settle();
    appendSegment(second.client.doc, { speaker, startMs: 0, endMs: 1, text: 'after retry', source: 'human' });
    await settle();
    await room.flush();
    expect(persistence.appended).toHaveLength(1);
    second.client.destroy();
    await registry.closeAll();
  });

  it('unloads after the last session leaves, flushing pending saves first, and re-checks after the await', async () => {
    const persistence = new MemoryDocPersistence();
    const registry = new RoomRegistry({ persistence, logger: silentLogger });
    const judge = makeUser('judge');
    const first = clientOf(registry, judge);
    const room = await first.ready;
    await settle();
    let release!: () => void;
    persistence.holdAppends = new Promise<void>((resolve) => (release = resolve));
    appendSegment(first.client.doc, { speaker, startMs: 0, endMs: 1, text: 'slow save', source: 'human' });
    await settle();
    first.client.destroy();
    await settle();
    // The save is still pending: the room waits for it before unloading.
    expect(room.isDestroyed).toBe(false);

    // Someone joins while the save is flushing: the room must stay.
    const second = clientOf(registry, makeUser('clerk'));
    expect(await second.ready).toBe(room);
    release();
    persistence.holdAppends = null;
    await settle();
    await room.flush();
    await settle();
    expect(room.isDestroyed).toBe(false);
    expect(registry.size).toBe(1);
    expect(persistence.appended).toHaveLength(1);

    second.client.destroy();
    await settle();
    await room.flush();
    await settle();
    expect(room.isDestroyed).toBe(true);
    expect(registry.size).toBe(0);
    expect(vi.getTimerCount()).toBe(0);

    // A new open loads the saved state afresh.
    const third = clientOf(registry, judge);
    const reloaded = await third.ready;
    expect(reloaded).not.toBe(room);
    await settle();
    expect(segmentsOf(third.client.doc)[0]?.text).toBe('slow save');
    third.client.destroy();
    await registry.closeAll();
    expect(vi.getTimerCount()).toBe(0);
  });

  it('closeAll closes sessions with 1001, flushes saves and leaves no timer behind', async () => {
    const persistence = new MemoryDocPersistence();
    const registry = new RoomRegistry({ persistence, logger: silentLogger });
    const a = clientOf(registry, makeUser('judge'));
    await a.ready;
    await settle();
    let release!: () => void;
    persistence.holdAppends = new Promise<void>((resolve) => (release = resolve));
    appendSegment(a.client.doc, { speaker, startMs: 0, endMs: 1, text: 'flushed on shutdown', source: 'human' });
    await settle();
    const closing = registry.closeAll();
    await settle();
    expect(a.client.closedBy).toEqual({ code: 1001, reason: 'server shutting down' });
    expect(persistence.appended).toHaveLength(0);
    release();
    await closing;
    expect(persistence.appended).toHaveLength(1);
    a.client.destroy();
    expect(vi.getTimerCount()).toBe(0);
    await expect(registry.acquire(NAME, 'transcript')).rejects.toThrow(/shutting down/);
  });
});

describe('CollabGateway', () => {
  const secret = randomBytes(32);
  const judge = makeUser('judge', '审判长 李明');
  const outsider = makeUser('party', 'outsider');
  const member = makeUser('party', '陈静');
  const resolveAdmission: ResolveAdmission = async (session, descriptor) => {
    await Promise.resolve();
    if (descriptor.caseId !== CASE_ID) return null;
    const user = [judge, outsider, member].find((candidate) => candidate.userId === session.userId);
    if (!user) return null;
    return { user, facts: { isMember: user !== outsider, courtId: COURT_ID } };
  };

  function setup() {
    const persistence = new MemoryDocPersistence();
    const registry = new RoomRegistry({ persistence, logger: silentLogger });
    const gateway = new CollabGateway({ registry, sessionSecret: secret, logger: silentLogger, resolveAdmission });
    const connect = (user: CollabUser | null, docName = NAME, token?: string) => {
      const client = new TestCollabClient(gateway);
      const signed = user ? signSessionToken(secret, { userId: user.userId, role: user.role, courtId: user.courtId }).token : null;
      gateway.handleOpen(client.socket, { token: token ?? signed, docName });
      // Like WebsocketProvider: the first frames go out before the server has admitted the socket.
      client.start();
      return client;
    };
    return { persistence, registry, gateway, connect };
  }

  it('admits a member, holding the frames sent while the room loads', async () => {
    const { registry, connect, gateway } = setup();
    const client = connect(judge);
    await settle(100);
    expect(client.closedBy).toBeNull();
    expect(client.synced).toBe(true);
    appendSegment(client.doc, { speaker, startMs: 0, endMs: 1, text: 'via gateway', source: 'human' });
    await settle();
    const room = await registry.acquire(NAME, 'transcript');
    expect(segmentsOf(room.doc)[0]?.text).toBe('via gateway');
    client.destroy();
    expect(gateway.connectionCount).toBe(0);
    await registry.closeAll();
    expect(vi.getTimerCount()).toBe(0);
  });

  const cases: [string, CollabUser | null, string, string | undefined, number][] = [
    ['an unknown document name', judge, 'cases/x/whatever', undefined, 4404],
    ['a case the user is not a member of', outsider, NAME, undefined, 4404],
    ['a case that does not exist', judge, `cases/${randomUUID()}/hearings/${randomUUID()}/transcript`, undefined, 4404],
    ['judge notes for a party of the case', member, docNameFor('judgeNotes'), undefined, 4404],
    ['a missing token', null, NAME, undefined, 4401],
    ['a forged token', null, NAME, 'v1.e30.AAAA', 4401],
  ];
  it.each(cases)('closes %s with %i', async (_label, user, docName, token, code) => {
    const { registry, connect, gateway } = setup();
    const client = connect(user, docName, token);
    await settle(100);
    expect(client.closedBy?.code).toBe(code);
    expect(gateway.connectionCount).toBe(0);
    expect(registry.size).toBe(0);
    client.destroy();
    await registry.closeAll();
  });

  it('closes a session with 4401 once its token has expired', async () => {
    let now = new Date();
    const persistence = new MemoryDocPersistence();
    const registry = new RoomRegistry({ persistence, logger: silentLogger });
    const gateway = new CollabGateway({ registry, sessionSecret: secret, logger: silentLogger, resolveAdmission, now: () => now });
    const client = new TestCollabClient(gateway);
    gateway.handleOpen(client.socket, { token: signSessionToken(secret, { userId: judge.userId, role: judge.role, courtId: judge.courtId }, now).token, docName: NAME });
    client.start();
    await settle(100);
    expect(client.closedBy).toBeNull();
    now = new Date(now.getTime() + 13 * 3600_000);
    client.sendRaw(new Uint8Array([3]));
    await settle();
    expect(client.closedBy).toEqual({ code: 4401, reason: 'sign in again' });
    client.destroy();
    await registry.closeAll();
    expect(vi.getTimerCount()).toBe(0);
  });

  it('close() ends admitted and still-admitting connections with 1001 and refuses new ones', async () => {
    const { registry, connect, gateway } = setup();
    const admitted = connect(judge);
    await settle(100);
    const admitting = connect(judge);
    await gateway.close();
    expect(admitted.closedBy).toEqual({ code: 1001, reason: 'server shutting down' });
    expect(admitting.closedBy).toEqual({ code: 1001, reason: 'server shutting down' });
    const late = connect(judge);
    expect(late.closedBy?.code).toBe(1001);
    await settle(100);
    expect(registry.size).toBe(0);
    for (const client of [admitted, admitting, late]) client.destroy();
    expect(vi.getTimerCount()).toBe(0);
  });

  it('unloads the room when the socket closed while it was loading', async () => {
    const { registry, connect, gateway } = setup();
    const client = connect(judge);
    client.pair.closeFromClient();
    await settle(100);
    expect(gateway.connectionCount).toBe(0);
    expect(registry.size).toBe(0);
    client.destroy();
    await registry.closeAll();
    expect(vi.getTimerCount()).toBe(0);
  });
});
