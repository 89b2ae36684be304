// Collaborative documents across hub nodes, in one process on a real NATS: document leases (claim,
// renewal, release, expiry), and two RoomRegistry "nodes" (each with its own NATS connection) serving
// one document — owner and relay — with updates and awareness crossing, acknowledgement only after
// the owner persisted, and a relay taking over from an owner that vanished, with nothing lost.
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { jetstreamManager } from '@nats-io/jetstream';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { resolveDocAccess, type CollabUser } from '../../hub/collab/access.ts';
import type { DocRoom } from '../../hub/collab/doc-room.ts';
import type { DocPersistence, PersistedOrigin } from '../../hub/collab/persistence.ts';
import { RoomRegistry } from '../../hub/collab/room-registry.ts';
import { appendSegment, segmentsOf } from '../../hub/collab/transcript-model.ts';
import { DocOwnership } from '../../hub/collab/relay/doc-ownership.ts';
import { startDocReplication, type DocReplication } from '../../hub/collab/relay/doc-replication.ts';
import { docLeaseBucket } from '../../hub/collab/relay/relay-subjects.ts';
import { silentLogger } from '../../platform/logger.ts';
import { TestCollabClient } from '../support/collab-client.ts';
import { COURT_ID, docNameFor, makeUser } from '../support/collab-fixtures.ts';
import { MemoryDocPersistence } from '../support/collab-memory-persistence.ts';
import { NATS_TEST_URL, probeNats, uniqueNamespace } from '../support/services.ts';

const nats = await probeNats();
const TTL_MS = 1000;
const NAME = docNameFor('transcript');
const speaker = { participantId: 'p1', role: 'judge', displayName: '审判长' };

async function until(probe: () => boolean, what: string, timeoutMs = 8000): Promise<number> {
  const started = Date.now();
  while (!probe()) {
    if (Date.now() - started > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  return Date.now() - started;
}

/** One node's view of the shared store: can hold its appends (an owner about to die with them unsaved). */
class NodeStore implements DocPersistence {
  hold = false;
  private held: { run: () => Promise<void>; resolve: () => void; reject: (error: Error) => void }[] = [];
  constructor(private readonly shared: MemoryDocPersistence) {}
  load(docName: string) {
    return this.shared.load(docName);
  }
  append(docName: string, update: Uint8Array, origin: PersistedOrigin): Promise<void> {
    if (!this.hold) return this.shared.append(docName, update, origin);
    return new Promise((resolve, reject) => this.held.push({ run: () => this.shared.append(docName, update, origin), resolve, reject }));
  }
  /** Writes the held appends, in order. */
  async release(): Promise<void> {
    this.hold = false;
    for (const entry of this.held.splice(0)) await entry.run().then(entry.resolve, entry.reject);
  }
  /** The process died: the held appends never happen. */
  abandon(): void {
    for (const entry of this.held.splice(0)) entry.reject(new Error('the node died'));
  }
}

interface HubNode {
  nodeId: string;
  dropBroadcasts: number;
  connection: NatsConnection;
  store: NodeStore;
  replication: DocReplication;
  registry: RoomRegistry;
  join(user: CollabUser): Promise<{ client: TestCollabClient; room: DocRoom }>;
  /** Graceful: rooms closed, leases given back. */
  stop(): Promise<void>;
  /** As if the process died: the connection goes, nothing is flushed or released. */
  kill(): Promise<void>;
}

describe.skipIf(!nats.available)(`collaborative documents across hub nodes${nats.skipReason}`, () => {
  const namespace = uniqueNamespace('cr');
  const connections: NatsConnection[] = [];
  const nodes: HubNode[] = [];
  const clients: TestCollabClient[] = [];

  const open = async (name: string) => {
    const connection = await connect({ servers: NATS_TEST_URL, name });
    connections.push(connection);
    return connection;
  };

  async function startNode(nodeId: string, shared: MemoryDocPersistence): Promise<HubNode> {
    const connection = await open(nodeId);
    const store = new NodeStore(shared);
    // Network fault injection: the next `dropBroadcasts` update broadcasts of this node are lost on the way.
    const lossy = new Proxy(connection, {
      get(target, property, receiver) {
        if (property !== 'publish') {
          const value: unknown = Reflect.get(target, property, receiver);
          return typeof value === 'function' ? value.bind(target) : value;
        }
        return (subject: string, data: Uint8Array) => {
          if (subject.endsWith('.updates') && node.dropBroadcasts > 0) {
            node.dropBroadcasts--;
            return;
          }
          target.publish(subject, data);
        };
      },
    });
    const replication = await startDocReplication({ connection: lossy, namespace, nodeId, store, leaseTtlMs: TTL_MS, logger: silentLogger });
    const registry = new RoomRegistry({ persistence: store, logger: silentLogger, replication });
    let killed = false;
    const node: HubNode = {
      nodeId,
      dropBroadcasts: 0,
      connection,
      store,
      replication,
      registry,
      async join(user) {
        let room: DocRoom | undefined;
        const client = new TestCollabClient({
          handleMessage: (socket, bytes) => room?.handleMessage(socket, bytes),
          handleClose: (socket) => room?.handleClose(socket),
        });
        clients.push(client);
        const access = resolveDocAccess(user, 'transcript', { isMember: true, courtId: COURT_ID });
        if (!access.allowed) throw new Error('no access');
        await registry.acquire(NAME, 'transcript', (ready) => {
          room = ready;
          ready.handleOpen(client.socket, { user, access });
          client.start();
        });
        await until(() => client.synced, `${nodeId} client sync`);
        return { client, room: room! };
      },
      async stop() {
        if (killed) return;
        killed = true;
        await registry.closeAll();
        await replication.stop();
        await connection.close();
      },
      async kill() {
        killed = true;
        // Connection first, so nothing is released or published; then free this process's leftovers.
        await connection.close();
        await replication.ownership.stop().catch(() => undefined);
        store.abandon();
        await registry.closeAll().catch(() => undefined);
      },
    };
    nodes.push(node);
    return node;
  }

  afterEach(async () => {
    for (const client of clients.splice(0)) client.destroy();
    for (const node of nodes.splice(0)) await node.stop();
  });

  afterAll(async () => {
    const admin = await open('cleanup');
    const jsm = await jetstreamManager(admin);
    await jsm.streams.delete(`KV_${docLeaseBucket(namespace)}`).catch(() => undefined);
    for (const connection of connections) await connection.close().catch(() => undefined);
  });

  it('leases a document to one node, keeps it renewed past its TTL, and hands it over on release or expiry', async () => {
    const [a, b] = await Promise.all([open('lease-a'), open('lease-b')]);
    const ownershipA = await DocOwnership.open({ connection: a, namespace, nodeId: 'lease-a', ttlMs: TTL_MS, logger: silentLogger });
    const ownershipB = await DocOwnership.open({ connection: b, namespace, nodeId: 'lease-b', ttlMs: TTL_MS, logger: silentLogger });
    const doc = `${NAME}-lease`;
    const lost: string[] = [];
    try {
      expect(await ownershipA.claim(doc, (reason) => lost.push(reason))).toBe(true);
      expect(await ownershipB.claim(doc, () => undefined)).toBe(false);
      expect(await ownershipB.owner(doc)).toBe('lease-a');
      // Renewed: still A's after twice the TTL.
      await new Promise((resolve) => setTimeout(resolve, TTL_MS * 2));
      expect(await ownershipB.owner(doc)).toBe('lease-a');
      expect(await ownershipB.claim(doc, () => undefined)).toBe(false);
      // Released: B takes it at once.
      await ownershipA.release(doc);
      expect(await ownershipB.claim(doc, () => undefined)).toBe(true);
      expect(ownershipA.isOwner(doc)).toBe(false);
      // B dies without releasing: the lease expires within about one TTL and another node takes it.
      await b.close();
      await ownershipB.stop().catch(() => undefined);
      const died = Date.now();
      const other = await open('lease-a2');
      const ownershipA2 = await DocOwnership.open({ connection: other, namespace, nodeId: 'lease-c', ttlMs: TTL_MS, logger: silentLogger });
      for (;;) {
        if (await ownershipA2.claim(doc, () => undefined)) break;
        if (Date.now() - died > TTL_MS * 4) throw new Error('the released lease was never taken');
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      await ownershipA2.stop();
      expect(lost).toEqual([]);
    } finally {
      await ownershipA.stop();
      await ownershipB.stop();
    }
  });

  it('drops a lease taken over under its owner and tells it', async () => {
    const [a, b] = await Promise.all([open('steal-a'), open('steal-b')]);
    const ownershipA = await DocOwnership.open({ connection: a, namespace, nodeId: 'steal-a', ttlMs: TTL_MS, logger: silentLogger });
    const doc = `${NAME}-steal`;
    const lost: string[] = [];
    try {
      expect(await ownershipA.claim(doc, (reason) => lost.push(reason))).toBe(true);
      // Another writer overwrites the key (as after a partition): A's next compare-and-set fails.
      const { Kvm } = await import('@nats-io/kv');
      const kv = await new Kvm(b).open(docLeaseBucket(namespace));
      const { docToken } = await import('../../hub/collab/relay/relay-subjects.ts');
      await kv.put(docToken(doc), JSON.stringify({ v: 1, node: 'steal-b', at: new Date().toISOString() }));
      await until(() => lost.length > 0, 'the lease loss', TTL_MS * 3);
      expect(lost).toEqual(['taken']);
      expect(ownershipA.isOwner(doc)).toBe(false);
    } finally {
      await ownershipA.stop();
    }
  });

  it('relays updates and awareness between nodes; a relay’s edit is acknowledged only once the owner stored it', async () => {
    const shared = new MemoryDocPersistence();
    const owner = await startNode('owner-1', shared);
    const relay = await startNode('relay-1', shared);
    const clerk = makeUser('clerk', '书记员');
    const judge = makeUser('judge', '审判长');

    const onOwner = await owner.join(judge);
    expect(await owner.replication.ownership.owner(NAME)).toBe('owner-1');
    appendSegment(onOwner.client.doc, { speaker, startMs: 0, endMs: 1, text: '开庭', source: 'human' });
    // The relay's first client syncs from the owner.
    const onRelay = await relay.join(clerk);
    await until(() => segmentsOf(onRelay.client.doc).length === 1, 'the owner’s edit on the relay');
    expect(relay.replication.ownership.isOwner(NAME)).toBe(false);

    // Relay → owner: the relay's session update reaches the owner's client and is stored by the owner, with its author.
    appendSegment(onRelay.client.doc, { speaker, startMs: 1, endMs: 2, text: '书记员记录', source: 'human' });
    await until(() => segmentsOf(onOwner.client.doc).length === 2, 'the relay’s edit on the owner');
    await onRelay.room.flush();
    const stored = shared.appended.filter((entry) => entry.origin.source === 'session' && entry.origin.userId === clerk.userId);
    expect(stored.length).toBeGreaterThan(0);
    expect(stored[0]!.origin.segmentIds).toHaveLength(1);

    // Not acknowledged before the owner persisted: hold the owner's appends and the relay's flush waits.
    owner.store.hold = true;
    appendSegment(onRelay.client.doc, { speaker, startMs: 2, endMs: 3, text: '未落盘', source: 'human' });
    await until(() => segmentsOf(onOwner.client.doc).length === 3, 'the third edit on the owner');
    let acknowledged = false;
    void onRelay.room.flush().then(() => (acknowledged = true));
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(acknowledged).toBe(false);
    await owner.store.release();
    await until(() => acknowledged, 'the acknowledgement once stored');

    // Awareness crosses both ways, stamped by the node the session is on.
    onRelay.client.awareness.setLocalStateField('cursor', { index: 3 });
    onOwner.client.awareness.setLocalStateField('cursor', { index: 1 });
    await until(() => onOwner.client.peers().size === 1 && onRelay.client.peers().size === 1, 'awareness on both nodes');
    expect([...onOwner.client.peers().values()][0]!.user).toMatchObject({ id: clerk.userId, name: '书记员', role: 'clerk' });
    expect([...onRelay.client.peers().values()][0]!.user).toMatchObject({ id: judge.userId, role: 'judge' });
    // A late joiner on the relay node sees the owner's session and vice versa (awareness query).
    const late = await relay.join(makeUser('clerk', '书记员二'));
    await until(() => late.client.peers().size === 2, 'both peers for a late joiner');
  });

  it('a relay that missed an owner broadcast fetches what it lacks', async () => {
    const shared = new MemoryDocPersistence();
    const owner = await startNode('owner-4', shared);
    const relay = await startNode('relay-4', shared);
    const onOwner = await owner.join(makeUser('judge', '审判长'));
    const onRelay = await relay.join(makeUser('clerk', '书记员'));
    owner.dropBroadcasts = 1;
    appendSegment(onOwner.client.doc, { speaker, startMs: 0, endMs: 1, text: 'lost on the way', source: 'human' });
    await until(() => owner.dropBroadcasts === 0, 'the dropped broadcast');
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(segmentsOf(onRelay.client.doc)).toHaveLength(0);
    // The next broadcast builds on the lost one: the relay notices the gap and syncs from the owner.
    appendSegment(onOwner.client.doc, { speaker, startMs: 1, endMs: 2, text: 'delivered', source: 'human' });
    await until(() => segmentsOf(onRelay.client.doc).length === 2, 'the relay catching up');
    expect(segmentsOf(onRelay.client.doc).map((segment) => segment.text)).toEqual(['lost on the way', 'delivered']);
  });

  it('a relay gives a new owner what it lacks: content the dead owner broadcast but never stored', async () => {
    const shared = new MemoryDocPersistence();
    const owner = await startNode('owner-5', shared);
    const relay = await startNode('relay-5', shared);
    const onOwner = await owner.join(makeUser('judge', '审判长'));
    const onRelay = await relay.join(makeUser('clerk', '书记员'));
    owner.store.hold = true;
    appendSegment(onOwner.client.doc, { speaker, startMs: 0, endMs: 1, text: 'only in the relay’s replica', source: 'human' });
    await until(() => segmentsOf(onRelay.client.doc).length === 1, 'the unsaved edit on the relay');
    await owner.kill();

    // A third node opens the document: it claims the expired lease and loads the store, which lacks that edit.
    const newcomer = await startNode('newcomer-5', shared);
    const onNewcomer = await newcomer.join(makeUser('judge', '审判长'));
    expect(newcomer.replication.ownership.isOwner(NAME)).toBe(true);
    expect(segmentsOf(onNewcomer.client.doc)).toHaveLength(0);
    // The relay's next edit builds on it: the new owner answers "incomplete" and the relay sends all it lacks.
    appendSegment(onRelay.client.doc, { speaker, startMs: 1, endMs: 2, text: 'builds on it', source: 'human' });
    await until(() => segmentsOf(onNewcomer.client.doc).length === 2, 'both edits on the new owner');
    await until(() => segmentsOf(onRelay.room.doc).length === 2, 'the edit in the relay’s room');
    await onRelay.room.flush();
    const reloaded = new Y.Doc();
    Y.applyUpdate(reloaded, (await shared.load(NAME))!);
    expect(segmentsOf(reloaded).map((segment) => segment.text)).toEqual(['only in the relay’s replica', 'builds on it']);
    expect(shared.appended.some((entry) => entry.origin.source === 'system' && entry.origin.reason === 'relay-resync')).toBe(true);
  });

  it('hands a document over at once when the owner unloads it while a relay still has sessions', async () => {
    const shared = new MemoryDocPersistence();
    const owner = await startNode('owner-3', shared);
    const relay = await startNode('relay-3', shared);
    const onOwner = await owner.join(makeUser('judge', '审判长'));
    const onRelay = await relay.join(makeUser('clerk', '书记员'));
    appendSegment(onOwner.client.doc, { speaker, startMs: 0, endMs: 1, text: 'before', source: 'human' });
    await until(() => segmentsOf(onRelay.client.doc).length === 1, 'the edit on the relay');

    // The owner's last session leaves: its room unloads and gives the lease back.
    onOwner.client.destroy();
    await until(() => owner.registry.size === 0, 'the owner unloading the document');
    const started = Date.now();
    appendSegment(onRelay.client.doc, { speaker, startMs: 1, endMs: 2, text: 'after', source: 'human' });
    await until(() => segmentsOf(onRelay.room.doc).length === 2, 'the edit in the relay’s room');
    await onRelay.room.flush();
    // No lease expiry to wait for.
    expect(Date.now() - started).toBeLessThan(TTL_MS);
    expect(relay.replication.ownership.isOwner(NAME)).toBe(true);
    const reloaded = new Y.Doc();
    Y.applyUpdate(reloaded, (await shared.load(NAME))!);
    expect(segmentsOf(reloaded).map((segment) => segment.text)).toEqual(['before', 'after']);
  });

  it('a relay takes a document over from an owner that died, saving what only its replica had; sessions stay connected', async () => {
    const shared = new MemoryDocPersistence();
    const owner = await startNode('owner-2', shared);
    const relay = await startNode('relay-2', shared);
    const judge = makeUser('judge', '审判长');
    const clerk = makeUser('clerk', '书记员');
    const onOwner = await owner.join(judge);
    const onRelay = await relay.join(clerk);

    appendSegment(onOwner.client.doc, { speaker, startMs: 0, endMs: 1, text: 'stored by the owner', source: 'human' });
    await until(() => segmentsOf(onRelay.client.doc).length === 1, 'the first edit on the relay');
    await onOwner.room.flush();
    // The owner applies and broadcasts this one but dies before storing it.
    owner.store.hold = true;
    appendSegment(onOwner.client.doc, { speaker, startMs: 1, endMs: 2, text: 'never stored by the owner', source: 'human' });
    await until(() => segmentsOf(onRelay.client.doc).length === 2, 'the unsaved edit on the relay');
    await owner.kill();

    // The relay's session keeps editing: its forward finds no owner, the lease expires, the relay takes over.
    const killedAt = Date.now();
    appendSegment(onRelay.client.doc, { speaker, startMs: 2, endMs: 3, text: 'written during the takeover', source: 'human' });
    await until(() => segmentsOf(onRelay.room.doc).length === 3, 'the edit in the relay’s room');
    await onRelay.room.flush();
    const takeoverMs = Date.now() - killedAt;
    expect(relay.replication.ownership.isOwner(NAME)).toBe(true);
    expect(takeoverMs).toBeLessThan(TTL_MS * 4);
    expect(onRelay.client.closedBy).toBeNull();

    const reloaded = new Y.Doc();
    Y.applyUpdate(reloaded, (await shared.load(NAME))!);
    expect(segmentsOf(reloaded).map((segment) => segment.text)).toEqual(['stored by the owner', 'never stored by the owner', 'written during the takeover']);
    expect(shared.appended.some((entry) => entry.origin.source === 'system' && entry.origin.reason === 'takeover')).toBe(true);

    // A client of the dead node reconnects to the new owner with what it has; both converge.
    const again = await relay.join(judge);
    Y.applyUpdate(again.client.doc, Y.encodeStateAsUpdate(onOwner.client.doc));
    await until(() => segmentsOf(again.client.doc).length === 3, 'the reconnected client converging');
    expect(Y.encodeStateVector(again.client.doc)).toEqual(Y.encodeStateVector(onRelay.client.doc));
  });
});
