// DocRoom's fan-out and save path: native topic fan-out (author skipped, direct sessions still served,
// slow members closed before the transport would drop a frame) and batched, ordered appends.
import { afterEach, describe, expect, it } from 'vitest';
import { addAnnotation, annotationsOf } from '../../hub/collab/annotation-model.ts';
import type { DocRoom } from '../../hub/collab/doc-room.ts';
import type { DocPersistence, PersistedOrigin } from '../../hub/collab/persistence.ts';
import { COLLAB_CLOSE } from '../../hub/collab/protocol.ts';
import { PUBLISH_CHECK_BYTES } from '../../hub/collab/socket.ts';
import type { Role } from '../../platform/roles.ts';
import type { TestCollabClient } from '../support/collab-client.ts';
import { joinRoom, makeUser, openRoom } from '../support/collab-fixtures.ts';
import { settle } from '../support/collab-socket-pair.ts';
import { FakeTopics } from '../support/collab-topics.ts';

const rooms: DocRoom[] = [];
const clients: TestCollabClient[] = [];
afterEach(() => {
  for (const client of clients.splice(0)) client.destroy();
  for (const room of rooms.splice(0)) room.destroy();
});

function join(room: DocRoom, role: Role, topics?: FakeTopics, isSlow?: () => boolean) {
  const user = makeUser(role, `${role}-${clients.length}`);
  const client = joinRoom(room, user, topics ? (c) => topics.enable(c.socket, isSlow) : undefined);
  clients.push(client);
  return { user, client, author: { userId: user.userId, role: user.role, displayName: user.displayName } };
}

const note = (text: string) => ({ shape: 'note' as const, page: 1, region: { x: 0, y: 0, width: 0.1, height: 0.1 }, text });

describe('DocRoom fan-out through transport topics', () => {
  it('publishes an update once through its author (who gets no echo); sessions without topics get a send', async () => {
    const { room } = await openRoom('annotations');
    rooms.push(room);
    const topics = new FakeTopics();
    const writer = join(room, 'clerk', topics);
    const readers = [join(room, 'judge', topics), join(room, 'party', topics)];
    const direct = join(room, 'lawyer');
    await settle();
    const writerBytes = writer.client.pair.sentBytes;

    addAnnotation(writer.client.doc, writer.author, note('第一条'));
    await settle();
    expect(topics.publishes).toBe(1);
    for (const reader of [...readers, direct]) expect(annotationsOf(reader.client.doc).map((a) => a.text)).toEqual(['第一条']);
    expect(writer.client.pair.sentBytes).toBe(writerBytes);
  });

  it('sends the updates of one event-loop turn as one merged frame: no echo for a single author', async () => {
    const { room } = await openRoom('annotations');
    rooms.push(room);
    const topics = new FakeTopics();
    const writer = join(room, 'clerk', topics);
    const reader = join(room, 'judge', topics);
    await settle();
    const writerBytes = writer.client.pair.sentBytes;
    const publishes = topics.publishes;

    // Two transactions, two frames, delivered to the room in the same turn.
    addAnnotation(writer.client.doc, writer.author, note('一'));
    addAnnotation(writer.client.doc, writer.author, note('二'));
    await settle();
    expect(topics.publishes - publishes).toBe(1);
    expect(annotationsOf(reader.client.doc).map((a) => a.text).sort()).toEqual(['一', '二'].sort());
    expect(writer.client.pair.sentBytes).toBe(writerBytes);
  });

  it('sends one merged frame to everyone, authors included, when several authors wrote in the same turn', async () => {
    const { room } = await openRoom('annotations');
    rooms.push(room);
    const topics = new FakeTopics();
    const first = join(room, 'clerk', topics);
    const second = join(room, 'clerk', topics);
    const reader = join(room, 'judge', topics);
    await settle();
    const publishes = topics.publishes;

    addAnnotation(first.client.doc, first.author, note('甲'));
    addAnnotation(second.client.doc, second.author, note('乙'));
    await settle();
    expect(topics.publishes - publishes).toBe(1);
    for (const member of [first, second, reader]) expect(annotationsOf(member.client.doc).map((a) => a.text).sort()).toEqual(['乙', '甲'].sort());
  });

  it('still reaches everyone when the author of a queued update left before the turn ended', async () => {
    const { room } = await openRoom('annotations');
    rooms.push(room);
    const topics = new FakeTopics();
    const writer = join(room, 'clerk', topics);
    const reader = join(room, 'judge', topics);
    await settle();

    addAnnotation(writer.client.doc, writer.author, note('留言'));
    // The frame reaches the room (microtasks), then the writer hangs up before the turn's fan-out.
    for (let index = 0; index < 5; index++) await Promise.resolve();
    writer.client.pair.closeFromClient();
    await settle();
    expect(annotationsOf(reader.client.doc).map((a) => a.text)).toEqual(['留言']);
  });

  it('reaches every member with a server-side update (no author): published through one member plus a send to it', async () => {
    const { room } = await openRoom('annotations');
    rooms.push(room);
    const topics = new FakeTopics();
    const members = [join(room, 'clerk', topics), join(room, 'judge', topics), join(room, 'party')];
    await settle();
    const author = { userId: members[0]!.user.userId, role: 'clerk', displayName: members[0]!.user.displayName };
    room.applySystemUpdate((doc) => addAnnotation(doc, author, note('系统')), { source: 'system', reason: 'test' });
    await settle();
    for (const member of members) expect(annotationsOf(member.client.doc).map((a) => a.text)).toEqual(['系统']);
    expect(topics.publishes).toBe(1);
  });

  it('checks the members’ backlog at least every PUBLISH_CHECK_BYTES published and closes a slow one with 4008', async () => {
    const { room } = await openRoom('annotations');
    rooms.push(room);
    const topics = new FakeTopics();
    const writer = join(room, 'clerk', topics);
    const reader = join(room, 'judge', topics);
    let slow = false;
    const stalled = join(room, 'party', topics, () => slow);
    await settle();

    // Small frames: no check until their bytes add up.
    addAnnotation(writer.client.doc, writer.author, note('小'));
    await settle();
    expect(topics.slowChecks).toBe(0);

    slow = true;
    const big = 'x'.repeat(Math.ceil(PUBLISH_CHECK_BYTES / 3));
    for (let index = 0; index < 4; index++) {
      addAnnotation(writer.client.doc, writer.author, note(`${index}${big}`));
      await settle();
    }
    expect(topics.slowChecks).toBeGreaterThan(0);
    expect(stalled.client.closedBy).toEqual(COLLAB_CLOSE.slowConsumer);
    expect(room.sessionCount).toBe(2);
    // The others carry on and converge.
    addAnnotation(writer.client.doc, writer.author, note('之后'));
    await settle();
    expect(annotationsOf(reader.client.doc)).toHaveLength(6);
    expect(reader.client.closedBy).toBeNull();
  });
});

/** Appends that resolve only when the test says so, recording what each call carried and when. */
class DeferredPersistence implements DocPersistence {
  readonly calls: { update: Uint8Array; origin: PersistedOrigin; resolve: () => void; reject: (error: Error) => void }[] = [];
  commitNowCalls = 0;
  async load(): Promise<Uint8Array | null> {
    return null;
  }
  append(_docName: string, update: Uint8Array, origin: PersistedOrigin): Promise<void> {
    return new Promise((resolve, reject) => this.calls.push({ update, origin, resolve, reject }));
  }
  commitNow(): void {
    this.commitNowCalls++;
  }
}

describe('DocRoom saves: batched while a save runs, in order, each with its origin', () => {
  it('hands the updates applied during a running save to persistence together, in doc order, with their own origins', async () => {
    const persistence = new DeferredPersistence();
    const { room } = await openRoom('annotations', { persistence: persistence as never });
    rooms.push(room);
    const clerk = join(room, 'clerk');
    const judge = join(room, 'judge');
    await settle();

    addAnnotation(clerk.client.doc, clerk.author, note('1'));
    await settle();
    expect(persistence.calls).toHaveLength(1);
    // While the first save runs, three more updates from two sessions: broadcast at once, saved later.
    addAnnotation(judge.client.doc, judge.author, note('2'));
    await settle();
    addAnnotation(clerk.client.doc, clerk.author, note('3'));
    await settle();
    addAnnotation(judge.client.doc, judge.author, note('4'));
    await settle();
    expect(annotationsOf(judge.client.doc).map((a) => a.text).sort()).toEqual(['1', '2', '3', '4']);
    expect(persistence.calls).toHaveLength(1);

    let flushed = false;
    const flushing = room.flush().then(() => (flushed = true));
    await settle();
    expect(persistence.commitNowCalls).toBeGreaterThan(0);
    persistence.calls[0]!.resolve();
    await settle();
    // One group of three, in the order the room applied them.
    expect(persistence.calls).toHaveLength(4);
    expect(persistence.calls.map((call) => (call.origin as { userId?: string }).userId)).toEqual([
      clerk.user.userId,
      judge.user.userId,
      clerk.user.userId,
      judge.user.userId,
    ]);
    expect(flushed).toBe(false);
    persistence.calls[1]!.resolve();
    persistence.calls[2]!.resolve();
    await settle();
    expect(flushed).toBe(false);
    persistence.calls[3]!.resolve();
    await flushing;
    expect(flushed).toBe(true);
  });

  it('stops saving after a failed append and closes the sessions (they resend on reconnect)', async () => {
    const persistence = new DeferredPersistence();
    const { room } = await openRoom('annotations', { persistence: persistence as never });
    rooms.push(room);
    const clerk = join(room, 'clerk');
    await settle();
    addAnnotation(clerk.client.doc, clerk.author, note('1'));
    await settle();
    addAnnotation(clerk.client.doc, clerk.author, note('2'));
    await settle();
    persistence.calls[0]!.reject(new Error('disk full (test)'));
    await settle();
    expect(clerk.client.closedBy).toEqual(COLLAB_CLOSE.unavailable);
    // The queued update is never handed over after the failure: no gap can be written.
    expect(persistence.calls).toHaveLength(1);
    await room.flush();
  });
});
