// DocRoom holding updates that arrive before the content they build on (a client typing while it
// reconnects, before its sync step 2): applied in order once placeable, still authorised, bounded in
// count, bytes and time, and forgotten when their session closes.
import { afterEach, describe, expect, it, vi } from 'vitest';
import * as Y from 'yjs';
import * as encoding from 'lib0/encoding';
import type { DocRoom, RoomLimits } from '../../hub/collab/doc-room.ts';
import { COLLAB_CLOSE, FORBIDDEN_UPDATE } from '../../hub/collab/protocol.ts';
import { checkUpdate } from '../../hub/collab/update-policy.ts';
import { appendSegment, confirmSegment, confirmationsOf, findSegment, segmentsOf } from '../../hub/collab/transcript-model.ts';
import type { Role } from '../../platform/roles.ts';
import { TestCollabClient } from '../support/collab-client.ts';
import { joinRoom, makeUser, openRoom } from '../support/collab-fixtures.ts';
import { settle } from '../support/collab-socket-pair.ts';

const rooms: DocRoom[] = [];
const clients: TestCollabClient[] = [];
const docs: Y.Doc[] = [];
afterEach(() => {
  for (const client of clients.splice(0)) client.destroy();
  for (const room of rooms.splice(0)) room.destroy();
  for (const doc of docs.splice(0)) doc.destroy();
});

const HOLD_MS = 100;
const speaker = { participantId: 'p-clerk', role: 'clerk', displayName: '书记员 张三' };

async function transcriptRoom(limits: Partial<RoomLimits> = {}) {
  const opened = await openRoom('transcript', { limits: { holdMs: HOLD_MS, ...limits } });
  rooms.push(opened.room);
  return opened;
}

function join(room: DocRoom, role: Role, setup?: (client: TestCollabClient) => void) {
  const user = makeUser(role, `${role}-${clients.length}`);
  const client = joinRoom(room, user, setup);
  clients.push(client);
  return { user, client };
}

/** A client's document as it was when the connection dropped: edits to it are not sent. */
function offlineCopy(room: DocRoom): Y.Doc {
  const doc = new Y.Doc();
  docs.push(doc);
  Y.applyUpdate(doc, Y.encodeStateAsUpdate(room.doc));
  return doc;
}

/** One transaction on `doc`, returned as the update y-websocket would send for it. */
function edit(doc: Y.Doc, change: (doc: Y.Doc) => void): Uint8Array {
  const before = Y.encodeStateVector(doc);
  change(doc);
  return Y.encodeStateAsUpdate(doc, before);
}

/** A sync `update` frame (message type 0, sync type 2). */
function updateFrame(update: Uint8Array): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, 0);
  encoding.writeVarUint(encoder, 2);
  encoding.writeVarUint8Array(encoder, update);
  return encoding.toUint8Array(encoder);
}

async function sleep(ms: number): Promise<void> {
  await new Promise((resolve) => setTimeout(resolve, ms));
}

describe('DocRoom: updates that arrive before what they build on', () => {
  it.each(['clerk', 'party'] as const)('%s: holds an update built on its own unsent one, then applies both in order', async (role) => {
    const { room, persistence } = await transcriptRoom();
    const judge = join(room, 'judge');
    await settle();
    const segmentId = appendSegment(judge.client.doc, { speaker, startMs: 0, endMs: 1000, text: '开庭', source: 'human' });
    await settle();
    const writer = join(room, role);
    await settle();
    await room.flush();
    const appendedBefore = persistence.appended.length;

    // Two edits made offline, the second building on the first (same client, next clocks).
    const offline = offlineCopy(room);
    const first =
      role === 'clerk'
        ? edit(offline, (doc) => void appendSegment(doc, { speaker, startMs: 1000, endMs: 2000, text: 'first', source: 'human' }))
        : edit(offline, (doc) => confirmSegment(doc, writer.user.userId, segmentId, { status: 'objected', at: 'first' }));
    const second =
      role === 'clerk'
        ? edit(offline, (doc) => (findSegment(doc, segmentsOf(doc)[1]!.id)!.get('text') as Y.Text).insert(5, ' and second'))
        : edit(offline, (doc) => confirmSegment(doc, writer.user.userId, segmentId, { status: 'confirmed', at: 'second' }));

    writer.client.sendRaw(updateFrame(second));
    await settle();
    // Held: not applied, not refused, not seen by the others.
    expect(persistence.appended.length).toBe(appendedBefore);
    expect(Y.encodeStateVector(room.doc)).toEqual(Y.encodeStateVector(judge.client.doc));

    writer.client.sendRaw(updateFrame(first));
    await settle();
    await room.flush();
    expect(writer.client.refusals).toEqual([]);
    expect(writer.client.closedBy).toBeNull();
    // Both stored in doc order, each with the writer's session origin.
    const appended = persistence.appended.slice(appendedBefore);
    expect(appended.map((entry) => entry.update)).toEqual([first, second]);
    for (const entry of appended) expect(entry.origin).toMatchObject({ source: 'session', userId: writer.user.userId });
    // Everyone converges on the offline document.
    for (const doc of [room.doc, judge.client.doc]) expect(Y.encodeStateVector(doc)).toEqual(Y.encodeStateVector(offline));
    if (role === 'clerk') expect(segmentsOf(judge.client.doc).map((segment) => segment.text)).toEqual(['开庭', 'first and second']);
    else expect(confirmationsOf(judge.client.doc, writer.user.userId)[segmentId]).toMatchObject({ status: 'confirmed', at: 'second' });
    expect(room.doc.store.pendingStructs).toBeNull();
  });

  it('a reconnecting client that types before its sync step 2 gets no refusal and converges', async () => {
    const { room, persistence } = await transcriptRoom();
    const judge = join(room, 'judge');
    await settle();
    appendSegment(judge.client.doc, { speaker, startMs: 0, endMs: 1000, text: 'online', source: 'human' });
    await settle();
    // The clerk's document holds an edit the server never got (typed while the connection was down) …
    const offline = offlineCopy(room);
    appendSegment(offline, { speaker, startMs: 1000, endMs: 2000, text: 'offline', source: 'human' });
    // … and it types again as the socket opens: WebsocketProvider sends that update at once, before
    // the sync step 2 with which it answers the server's step 1 (frames in y-websocket's order).
    const typed = edit(offline, (doc) => void appendSegment(doc, { speaker, startMs: 2000, endMs: 3000, text: 'typed while reconnecting', source: 'human' }));
    const clerk = join(room, 'clerk');
    clerk.client.sendRaw(updateFrame(typed));
    const step2 = encoding.createEncoder();
    encoding.writeVarUint(step2, 0);
    encoding.writeVarUint(step2, 1);
    encoding.writeVarUint8Array(step2, Y.encodeStateAsUpdate(offline, Y.encodeStateVector(room.doc)));
    clerk.client.sendRaw(encoding.toUint8Array(step2));
    await settle();
    await room.flush();
    expect(clerk.client.refusals).toEqual([]);
    expect(segmentsOf(judge.client.doc).map((segment) => segment.text)).toEqual(['online', 'offline', 'typed while reconnecting']);
    expect(Y.encodeStateVector(room.doc)).toEqual(Y.encodeStateVector(offline));
    expect(segmentsOf(persistence.docOf(room.name)).map((segment) => segment.text)).toEqual(['online', 'offline', 'typed while reconnecting']);
  });

  it('refuses a held update that turns out forbidden once it can be placed, and applies the rest', async () => {
    const { room, persistence } = await transcriptRoom();
    const judge = join(room, 'judge');
    await settle();
    const segmentId = appendSegment(judge.client.doc, { speaker, startMs: 0, endMs: 1000, text: 'original', source: 'human' });
    await settle();
    const party = join(room, 'party');
    await settle();

    const offline = offlineCopy(room);
    const own = edit(offline, (doc) => confirmSegment(doc, party.user.userId, segmentId, { status: 'confirmed', at: 'now' }));
    const forged = edit(offline, (doc) => (findSegment(doc, segmentId)!.get('text') as Y.Text).insert(0, 'forged '));
    party.client.sendRaw(updateFrame(forged));
    await settle();
    expect(party.client.refusals).toEqual([]);

    party.client.sendRaw(updateFrame(own));
    await settle();
    await room.flush();
    expect(party.client.refusals).toHaveLength(1);
    expect(party.client.refusals[0]).toMatch(new RegExp(`^${FORBIDDEN_UPDATE}: parties may write only`));
    expect(party.client.closedBy).toBeNull();
    expect(segmentsOf(judge.client.doc)[0]?.text).toBe('original');
    expect(confirmationsOf(judge.client.doc, party.user.userId)[segmentId]?.status).toBe('confirmed');
    expect(persistence.appended.at(-1)?.update).toEqual(own);
  });

  it('closes a session whose held updates exceed the count or byte limit with 4009; nothing of them is applied', async () => {
    const { room, persistence } = await transcriptRoom({ maxHeldUpdates: 3, maxHeldBytes: 64 * 1024 });
    const judge = join(room, 'judge');
    const clerk = join(room, 'clerk');
    await settle();
    const offline = offlineCopy(room);
    const updates = Array.from({ length: 5 }, (_, index) =>
      edit(offline, (doc) => void appendSegment(doc, { speaker, startMs: index, endMs: index + 1, text: `s${index}`, source: 'human' })),
    );
    for (const update of updates.slice(1)) clerk.client.sendRaw(updateFrame(update));
    await settle();
    expect(clerk.client.closedBy).toEqual(COLLAB_CLOSE.tooManyHeld);
    expect(COLLAB_CLOSE.tooManyHeld.code).toBe(4009);
    expect(clerk.client.refusals).toEqual([]);
    expect(room.sessionCount).toBe(1);

    // Bytes: one large held update over maxHeldBytes.
    const big = offlineCopy(room);
    const gapFiller = edit(big, (doc) => void appendSegment(doc, { speaker, startMs: 0, endMs: 1, text: 'x', source: 'human' }));
    const large = edit(big, (doc) => void appendSegment(doc, { speaker, startMs: 1, endMs: 2, text: 'y'.repeat(70 * 1024), source: 'human' }));
    const clerk2 = join(room, 'clerk');
    await settle();
    clerk2.client.sendRaw(updateFrame(large));
    await settle();
    expect(clerk2.client.closedBy).toEqual(COLLAB_CLOSE.tooManyHeld);
    expect(gapFiller.byteLength).toBeGreaterThan(0);

    await room.flush();
    expect(persistence.appended).toEqual([]);
    expect(segmentsOf(judge.client.doc)).toEqual([]);
    expect(room.doc.store.pendingStructs).toBeNull();
  });

  it('forgets the held updates of a session that closes: the missing content arriving later pulls nothing in', async () => {
    const { room, persistence } = await transcriptRoom();
    const judge = join(room, 'judge');
    const clerk = join(room, 'clerk');
    await settle();
    const offline = offlineCopy(room);
    const first = edit(offline, (doc) => void appendSegment(doc, { speaker, startMs: 0, endMs: 1, text: 'first', source: 'human' }));
    const second = edit(offline, (doc) => void appendSegment(doc, { speaker, startMs: 1, endMs: 2, text: 'held', source: 'human' }));
    clerk.client.sendRaw(updateFrame(second));
    await settle();
    expect(clerk.client.refusals).toEqual([]);
    clerk.client.pair.closeFromClient();
    await settle();

    // The same user's next session sends only the first edit.
    const again = joinRoom(room, clerk.user);
    clients.push(again);
    await settle();
    again.sendRaw(updateFrame(first));
    await settle();
    await sleep(HOLD_MS * 2);
    await room.flush();
    expect(segmentsOf(judge.client.doc).map((segment) => segment.text)).toEqual(['first']);
    expect(persistence.appended.map((entry) => entry.update)).toEqual([first]);
    expect(again.refusals).toEqual([]);
  });

  it('releases a held update when a replicated update (relay) brings what it builds on', async () => {
    const { room, persistence } = await transcriptRoom();
    const judge = join(room, 'judge');
    const clerk = join(room, 'clerk');
    await settle();
    // Another node's client wrote a segment; this node's clerk already edits inside it.
    const elsewhere = offlineCopy(room);
    const remote = edit(elsewhere, (doc) => void appendSegment(doc, { speaker, startMs: 0, endMs: 1, text: 'remote', source: 'human' }));
    const clerkDoc = offlineCopy(room);
    Y.applyUpdate(clerkDoc, remote);
    const local = edit(clerkDoc, (doc) => (findSegment(doc, segmentsOf(doc)[0]!.id)!.get('text') as Y.Text).insert(6, ' + local'));
    clerk.client.sendRaw(updateFrame(local));
    await settle();
    expect(segmentsOf(room.doc)).toEqual([]);

    room.applyReplicatedUpdate(remote);
    await settle();
    await room.flush();
    expect(clerk.client.refusals).toEqual([]);
    expect(segmentsOf(judge.client.doc).map((segment) => segment.text)).toEqual(['remote + local']);
    // The replicated update is not saved here (the owner did); the clerk's is, with its session origin.
    expect(persistence.appended.map((entry) => entry.update)).toEqual([local]);
    expect(persistence.appended[0]?.origin).toMatchObject({ source: 'session', userId: clerk.user.userId });
  });

  it('refuses updates still unplaceable after the hold time, once, and keeps the session open', async () => {
    const { room, persistence } = await transcriptRoom();
    const clerk = join(room, 'clerk');
    await settle();
    const offline = offlineCopy(room);
    edit(offline, (doc) => void appendSegment(doc, { speaker, startMs: 0, endMs: 1, text: 'never sent', source: 'human' }));
    for (const text of ['a', 'b']) {
      clerk.client.sendRaw(updateFrame(edit(offline, (doc) => void appendSegment(doc, { speaker, startMs: 1, endMs: 2, text, source: 'human' }))));
    }
    await settle();
    expect(clerk.client.refusals).toEqual([]);
    await sleep(HOLD_MS * 3);
    expect(clerk.client.refusals).toHaveLength(1);
    expect(clerk.client.refusals[0]).toMatch(/does not have/);
    expect(clerk.client.closedBy).toBeNull();
    await room.flush();
    expect(persistence.appended).toEqual([]);
  });

  it('leaves no timer behind: the hold clock stops when its session closes or the room is destroyed', async () => {
    vi.useFakeTimers();
    try {
      const { room } = await transcriptRoom();
      const clerk = join(room, 'clerk');
      await settle();
      const offline = offlineCopy(room);
      edit(offline, (doc) => void appendSegment(doc, { speaker, startMs: 0, endMs: 1, text: 'unsent', source: 'human' }));
      const gapped = edit(offline, (doc) => void appendSegment(doc, { speaker, startMs: 1, endMs: 2, text: 'held', source: 'human' }));
      const idle = vi.getTimerCount();
      clerk.client.sendRaw(updateFrame(gapped));
      await settle();
      expect(vi.getTimerCount()).toBe(idle + 1);
      clerk.client.pair.closeFromClient();
      expect(vi.getTimerCount()).toBe(idle);

      const again = join(room, 'clerk');
      await settle();
      const withAgain = vi.getTimerCount();
      again.client.sendRaw(updateFrame(gapped));
      await settle();
      expect(vi.getTimerCount()).toBe(withAgain + 1);
      room.destroy();
      // The room's awareness check and the hold clock are both gone.
      expect(vi.getTimerCount()).toBe(withAgain - 1);
      expect(again.client.refusals).toEqual([]);
    } finally {
      vi.useRealTimers();
    }
  });
});

describe('checkUpdate: what a held update waits for', () => {
  it('marks a clock gap, an unknown origin and an unknown deleted id as missing, naming the first id needed', () => {
    const server = new Y.Doc();
    const clerk = makeUser('clerk');
    const check = (update: Uint8Array, write: 'editor' | 'ownAreas' = 'editor') => checkUpdate({ doc: server, kind: 'transcript', write, user: clerk }, update);
    const client = new Y.Doc();
    const first = edit(client, (doc) => void appendSegment(doc, { speaker, startMs: 0, endMs: 1, text: 'first', source: 'human' }));
    const firstEnd = Y.getState(client.store, client.clientID);
    const second = edit(client, (doc) => void appendSegment(doc, { speaker, startMs: 1, endMs: 2, text: 'second', source: 'human' }));
    // The second continues the first: a gap up to the first's last clock.
    expect(check(second)).toEqual({ ok: false, reason: expect.stringMatching(/does not have/), missing: true, needs: { client: client.clientID, clock: firstEnd - 1 } });

    // Another client's edit inside the first segment's text: its origin is unknown here.
    const other = new Y.Doc();
    Y.applyUpdate(other, first);
    const inside = edit(other, (doc) => (findSegment(doc, segmentsOf(doc)[0]!.id)!.get('text') as Y.Text).insert(5, '!'));
    expect(check(inside)).toMatchObject({ ok: false, missing: true, needs: { client: client.clientID } });
    // A deletion of content the server never saw.
    const deletion = edit(other, (doc) => (findSegment(doc, segmentsOf(doc)[0]!.id)!.get('text') as Y.Text).delete(0, 2));
    const deleteOnly = Y.diffUpdate(deletion, Y.encodeStateVector(other));
    expect(check(deleteOnly)).toMatchObject({ ok: false, missing: true, needs: { client: client.clientID } });

    // Once the server has the first edit, the second passes; a forbidden change is refused, not missing.
    Y.applyUpdate(server, first);
    expect(check(second)).toEqual({ ok: true });
    expect(check(inside, 'ownAreas')).toEqual({ ok: false, reason: expect.stringMatching(/parties may write only/), missing: false });
    for (const doc of [server, client, other]) doc.destroy();
  });
});
