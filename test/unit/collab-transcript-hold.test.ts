// RoomRegistry.withRoom: server-side work keeps a room loaded (sessions leaving meanwhile do not
// unload it), works on the live room sessions edit, flushes its saves, and unloads afterwards.
import { afterEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { RoomRegistry } from '../../hub/collab/room-registry.ts';
import { resolveDocAccess } from '../../hub/collab/access.ts';
import { appendSegment, segmentsOf } from '../../hub/collab/transcript-model.ts';
import { silentLogger } from '../../platform/logger.ts';
import { TestCollabClient } from '../support/collab-client.ts';
import { MemoryDocPersistence } from '../support/collab-memory-persistence.ts';
import { settle } from '../support/collab-socket-pair.ts';
import { COURT_ID, docNameFor, makeUser } from '../support/collab-fixtures.ts';
import type { DocRoom } from '../../hub/collab/doc-room.ts';

const NAME = docNameFor('transcript');
const speaker = { participantId: 'p1', role: 'judge', displayName: '审判长' };
let registry: RoomRegistry | undefined;

afterEach(async () => {
  await registry?.closeAll();
  registry = undefined;
});

async function join(target: RoomRegistry) {
  const user = makeUser('clerk');
  const access = resolveDocAccess(user, 'transcript', { isMember: true, courtId: COURT_ID });
  if (!access.allowed) throw new Error('no access');
  let joined: DocRoom | undefined;
  const client = new TestCollabClient({
    handleMessage: (socket, bytes) => joined?.handleMessage(socket, bytes),
    handleClose: (socket) => joined?.handleClose(socket),
  });
  const room = await target.acquire(NAME, 'transcript', (ready) => {
    joined = ready;
    ready.handleOpen(client.socket, { user, access });
    client.start();
  });
  await settle();
  return { client, room };
}

describe('RoomRegistry.withRoom', () => {
  it('loads the stored document, holds it during the work and unloads it afterwards', async () => {
    const persistence = new MemoryDocPersistence();
    const seed = new Y.Doc();
    appendSegment(seed, { speaker, startMs: 0, endMs: 1, text: 'stored', source: 'human' });
    persistence.seed(NAME, Y.encodeStateAsUpdate(seed));
    registry = new RoomRegistry({ persistence, logger: silentLogger });

    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const work = registry.withRoom(NAME, 'transcript', async (room) => {
      await gate;
      return segmentsOf(room.doc).map((segment) => segment.text);
    });
    await settle();
    expect(registry.size).toBe(1);
    release();
    expect(await work).toEqual(['stored']);
    await settle();
    expect(registry.size).toBe(0);
    expect(persistence.loads).toBe(1);
  });

  it('works on the live room of connected sessions and keeps it loaded when the last session leaves meanwhile', async () => {
    const persistence = new MemoryDocPersistence();
    registry = new RoomRegistry({ persistence, logger: silentLogger });
    const { client, room } = await join(registry);
    client.doc.transact(() => appendSegment(client.doc, { speaker, startMs: 0, endMs: 1, text: 'live', source: 'human' }));
    await settle();

    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const work = registry.withRoom(NAME, 'transcript', async (held) => {
      expect(held).toBe(room);
      await gate;
      // The session left while we waited: the room must still be alive for this change.
      held.applySystemUpdate((doc) => appendSegment(doc, { speaker, startMs: 1, endMs: 2, text: 'system', source: 'human' }), {
        source: 'system',
        reason: 'test',
      });
      return segmentsOf(held.doc).length;
    });
    await settle();
    client.destroy();
    await settle();
    expect(room.isDestroyed).toBe(false);
    expect(registry.size).toBe(1);
    release();
    expect(await work).toBe(2);
    // withRoom resolved only after the system change was saved.
    expect(persistence.appended.map((entry) => entry.origin.source)).toEqual(['session', 'system']);
    await settle();
    expect(room.isDestroyed).toBe(true);
    expect(registry.size).toBe(0);
  });

  it('releases its hold when the work throws, and a session joining meanwhile keeps the room', async () => {
    registry = new RoomRegistry({ persistence: new MemoryDocPersistence(), logger: silentLogger });
    const failing = registry.withRoom(NAME, 'transcript', async () => {
      throw new Error('work failed');
    });
    await expect(failing).rejects.toThrow('work failed');
    await settle();
    expect(registry.size).toBe(0);

    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const work = registry.withRoom(NAME, 'transcript', () => gate);
    await settle();
    const { client, room } = await join(registry);
    release();
    await work;
    await settle();
    expect(room.isDestroyed).toBe(false);
    expect(registry.size).toBe(1);
    client.destroy();
    await settle();
    expect(registry.size).toBe(0);
  });
});
