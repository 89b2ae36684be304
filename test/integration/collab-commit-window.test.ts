// The hub's durability contract with windowed commits, on the real store (embedded PGlite): an update
// is broadcast at once but acknowledged only when its window's commit is done; a crash before that
// loses only unacknowledged updates, and the clients that hold them restore them when they resync.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { addAnnotation, annotationsOf } from '../../hub/collab/annotation-model.ts';
import { DocRoom } from '../../hub/collab/doc-room.ts';
import type { DocPersistence } from '../../hub/collab/persistence.ts';
import { silentLogger } from '../../platform/logger.ts';
import { createCollabStore, type CollabStore } from '../../storage/collab/collab-store.ts';
import { joinRoom, makeUser, docNameFor } from '../support/collab-fixtures.ts';
import { settle } from '../support/collab-socket-pair.ts';
import { openMigratedPglite, type OpenedTestDatabase } from '../support/storage.ts';

let opened: OpenedTestDatabase;
beforeAll(async () => {
  opened = await openMigratedPglite();
}, 60_000);
afterAll(async () => {
  await opened?.dispose();
});

const note = (text: string) => ({ shape: 'note' as const, page: 1, region: { x: 0, y: 0, width: 0.1, height: 0.1 }, text });
const waitUntil = async (probe: () => boolean, what: string) => {
  const deadline = Date.now() + 5_000;
  while (!probe()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
};

async function openStoredRoom(store: CollabStore): Promise<DocRoom> {
  const room = new DocRoom({ name: docNameFor('annotations'), kind: 'annotations', persistence: store as DocPersistence, logger: silentLogger });
  await room.load();
  return room;
}

describe('windowed commits: broadcast at once, acknowledged after the commit', () => {
  it('a crash before the window’s commit loses only the unacknowledged update, and its client restores it', async () => {
    // A window far longer than the test: nothing commits unless a flush asks for it.
    const store = createCollabStore({ db: opened.database.db, maxDelayMs: 600_000 });
    const room = await openStoredRoom(store);
    const clerkUser = makeUser('clerk', '书记员');
    const clerk = joinRoom(room, clerkUser);
    const judge = joinRoom(room, makeUser('judge', '法官'));
    await settle();
    const author = { userId: clerkUser.userId, role: clerkUser.role, displayName: clerkUser.displayName };

    addAnnotation(clerk.doc, author, note('已确认'));
    await settle();
    await room.flush(); // acknowledged: its commit is done
    expect(store.stats().committedUpdates).toBe(1);

    addAnnotation(clerk.doc, author, note('未确认'));
    await waitUntil(() => annotationsOf(judge.doc).length === 2, 'the broadcast');
    // Broadcast at once, not acknowledged: it waits in the window.
    expect(store.stats()).toMatchObject({ pendingUpdates: 1, committedUpdates: 1 });

    // Crash: the process dies with the window open (the store and room are simply abandoned).
    const afterCrash = createCollabStore({ db: opened.database.db, maxDelayMs: 600_000 });
    const reloaded = await openStoredRoom(afterCrash);
    expect(annotationsOf(reloaded.doc).map((a) => a.text)).toEqual(['已确认']);

    // The clerk's client still holds the lost update: its resync (sync step 1/2 on reconnect) restores it.
    const again = joinRoom(reloaded, clerkUser);
    Y.applyUpdate(again.doc, Y.encodeStateAsUpdate(clerk.doc));
    await waitUntil(() => annotationsOf(reloaded.doc).length === 2, 'the resync');
    await reloaded.flush();
    const stored = await afterCrash.load(docNameFor('annotations'));
    const check = new Y.Doc();
    Y.applyUpdate(check, stored!);
    expect(annotationsOf(check).map((a) => a.text).sort()).toEqual(['已确认', '未确认']);

    for (const client of [clerk, judge, again]) client.destroy();
    room.destroy();
    reloaded.destroy();
    await afterCrash.close();
  }, 30_000);
});
