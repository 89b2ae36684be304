// Two real hub processes on one Postgres and one NATS serve the same transcript: y-websocket clients
// on both edit it; the document's owner node is killed with SIGKILL mid-edit; the other node takes the
// document over (its sessions stay connected), the dead node's clients reconnect to it, and every
// client converges on a document holding every edit — in particular everything the owner had stored.
import { createRequire } from 'node:module';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import * as Y from 'yjs';
import { WebsocketProvider } from 'y-websocket';
import { Kvm } from '@nats-io/kv';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { appendSegment, segmentsOf } from '../../hub/collab/transcript-model.ts';
import { docLeaseBucket, docToken } from '../../hub/collab/relay/relay-subjects.ts';
import { silentLogger } from '../../platform/logger.ts';
import { createCollabStore } from '../../storage/collab/collab-store.ts';
import { openDatabase, type Database } from '../../storage/database.ts';
import { removeNatsNamespace, testNodeSecrets } from '../support/actor-node-process.ts';
import { startHubNode, type HubNode } from '../support/hub-node-process.ts';
import { NATS_TEST_URL, createTestDatabase, probeNats, probePostgres, uniqueNamespace } from '../support/services.ts';
import { logInDemo } from '../support/demo-platform.ts';

const WebSocketImpl = createRequire(import.meta.url)('ws');
const [postgres, nats] = await Promise.all([probePostgres(), probeNats()]);
const skipReason = postgres.skipReason || nats.skipReason;
const PASSWORD = 'demo-password-1';
const LEASE_TTL_MS = 2000;
const speaker = { participantId: 'p1', role: 'clerk', displayName: '书记员' };

async function until(probe: () => boolean | Promise<boolean>, what: string, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await probe())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

/** A y-websocket client editing the transcript: one segment per tick, text `<label>-<n>`. */
class Editor {
  readonly doc = new Y.Doc();
  provider: WebsocketProvider;
  readonly written: string[] = [];
  disconnects = 0;
  private timer: NodeJS.Timeout | undefined;

  constructor(
    readonly label: string,
    base: string,
    readonly docName: string,
    readonly token: string,
  ) {
    this.provider = this.connect(base);
  }

  connect(base: string): WebsocketProvider {
    const provider = new WebsocketProvider(`${base.replace(/^http/, 'ws')}/yjs`, this.docName, this.doc, {
      params: { token: this.token },
      WebSocketPolyfill: WebSocketImpl,
      disableBc: true,
    });
    provider.on('status', ({ status }: { status: string }) => {
      if (status === 'disconnected') this.disconnects++;
    });
    this.provider = provider;
    return provider;
  }

  /** As WebsocketProvider would if its URL led to a live node: the same Y.Doc resyncs with the other node. */
  reconnectTo(base: string): void {
    this.provider.destroy();
    this.connect(base);
  }

  startEditing(everyMs: number): void {
    this.timer = setInterval(() => this.typeOne(), everyMs);
  }

  typeOne(): void {
    const text = `${this.label}-${this.written.length}`;
    appendSegment(this.doc, { speaker, startMs: this.written.length, endMs: this.written.length + 1, text, source: 'human' });
    this.written.push(text);
  }

  stopEditing(): void {
    clearInterval(this.timer);
  }

  texts(): Set<string> {
    return new Set(segmentsOf(this.doc).map((segment) => segment.text));
  }

  destroy(): void {
    this.stopEditing();
    this.provider.destroy();
  }
}

describe.skipIf(!postgres.available || !nats.available)(`collaborative documents on two hub processes${skipReason}`, () => {
  const namespace = uniqueNamespace('crp');
  const secrets = testNodeSecrets();
  const nodes: HubNode[] = [];
  const editors: Editor[] = [];
  let dropDatabase: () => Promise<void>;
  let databaseUrl: string;
  let database: Database;
  let connection: NatsConnection;

  beforeAll(async () => {
    const created = await createTestDatabase();
    databaseUrl = created.url;
    dropDatabase = created.drop;
    connection = await connect({ servers: NATS_TEST_URL, name: 'collab-relay-test' });
  });

  afterAll(async () => {
    for (const editor of editors) editor.destroy();
    await Promise.all(nodes.map((node) => node.stop('SIGKILL')));
    if (connection) {
      await removeNatsNamespace(connection, namespace);
      await connection.close();
    }
    await database?.close();
    await dropDatabase?.();
  });

  /** What the database holds for the document now (every update some owner acknowledged). */
  async function storedTexts(docName: string): Promise<Set<string>> {
    const store = createCollabStore({ db: database.db, logger: silentLogger });
    try {
      const state = await store.load(docName);
      const doc = new Y.Doc();
      if (state) Y.applyUpdate(doc, state);
      return new Set(segmentsOf(doc).map((segment) => segment.text));
    } finally {
      await store.close();
    }
  }

  async function leaseOwner(docName: string): Promise<string | null> {
    const kv = await new Kvm(connection).open(docLeaseBucket(namespace));
    const entry = await kv.get(docToken(docName));
    return entry?.operation === 'PUT' ? entry.json<{ node: string }>().node : null;
  }

  const login = async (base: string, username: string): Promise<string> => (await logInDemo(base, username, PASSWORD)).token;

  it('survives the SIGKILL of the owner node mid-edit: takeover, reconnection, convergence, nothing acknowledged lost', async () => {
    // Node A also hosts the actors and seeds the demo court; node B is a hub only.
    const nodeA = await startHubNode({ role: 'all', databaseUrl, namespace, nodeId: 'hub-a', secrets, leaseTtlMs: LEASE_TTL_MS, seedDemo: { password: PASSWORD } });
    nodes.push(nodeA);
    const nodeB = await startHubNode({ role: 'hub', databaseUrl, namespace, nodeId: 'hub-b', secrets, leaseTtlMs: LEASE_TTL_MS });
    nodes.push(nodeB);
    database = await openDatabase({ databaseUrl });

    const [clerkToken, judgeToken] = await Promise.all([login(nodeA.url, 'clerk1'), login(nodeB.url, 'judge1')]);
    const listed = (await (await fetch(`${nodeB.url}/api/v1/hearings`, { headers: { authorization: `Bearer ${judgeToken}` } })).json()) as {
      hearings: { id: string; transcriptDoc: string }[];
    };
    const docName = listed.hearings[0]!.transcriptDoc;
    const hearingId = listed.hearings[0]!.id;

    // The judge opens the document on B first, so B owns it; the clerk on A is relayed; a second clerk on B.
    const judgeOnB = new Editor('judge@b', nodeB.url, docName, judgeToken);
    editors.push(judgeOnB);
    await until(() => judgeOnB.provider.synced, 'the judge’s sync on B');
    expect(await leaseOwner(docName)).toBe('hub-b');
    const clerkOnA = new Editor('clerk@a', nodeA.url, docName, clerkToken);
    const clerkOnB = new Editor('clerk@b', nodeB.url, docName, clerkToken);
    editors.push(clerkOnA, clerkOnB);
    await until(() => clerkOnA.provider.synced && clerkOnB.provider.synced, 'the clerks’ sync');
    const disconnectsOfA = clerkOnA.disconnects;

    for (const editor of editors) editor.startEditing(40);
    // Edits cross the nodes both ways before the kill.
    await until(() => clerkOnA.texts().has('judge@b-3') && judgeOnB.texts().has('clerk@a-3'), 'edits crossing the nodes');

    // The HTTP transcript routes work on a relay node too (its live room, saves acknowledged by the owner).
    const rendered = await fetch(`${nodeA.url}/api/v1/hearings/${hearingId}/transcript`, { headers: { authorization: `Bearer ${clerkToken}` } });
    expect(rendered.status).toBe(200);
    expect(((await rendered.json()) as { text: string }).text).toContain('judge@b-0');

    // The owner has stored some of it (so the check below has something to find) — and goes on editing.
    await until(async () => (await storedTexts(docName)).size >= 4, 'the owner storing edits');
    await nodeB.stop('SIGKILL');
    const killedAt = Date.now();
    const acknowledged = await storedTexts(docName);
    expect(acknowledged.size).toBeGreaterThan(0);

    // A takes the document over once B's lease expires; its own session goes on undisturbed.
    await until(async () => (await leaseOwner(docName)) === 'hub-a', 'node A owning the document', LEASE_TTL_MS * 5);
    const takeoverMs = Date.now() - killedAt;
    // The dead node's clients (they kept editing offline) come back through the surviving node with
    // everything they hold, typing on through the handshake — one edit the moment the socket opens, sent
    // before their own sync step 2: the room holds such edits until that step 2 brings what they build on.
    const warn = vi.spyOn(console, 'warn');
    for (const editor of [judgeOnB, clerkOnB]) {
      editor.reconnectTo(nodeA.url);
      const onStatus = ({ status }: { status: string }) => {
        if (status !== 'connected') return;
        editor.provider.off('status', onStatus);
        editor.typeOne();
      };
      editor.provider.on('status', onStatus);
    }
    await until(() => judgeOnB.provider.synced && clerkOnB.provider.synced, 'the reconnected clients’ sync');
    const typedBySync = judgeOnB.written.at(-1)!;
    await until(() => clerkOnA.texts().has(typedBySync), 'the offline edits arriving');
    await new Promise((resolve) => setTimeout(resolve, 400));
    for (const editor of editors) editor.stopEditing();
    // No edit was refused (a refused client would have diverged: README "wire protocol").
    expect(warn.mock.calls.filter((call) => String(call[0]).includes('FORBIDDEN_UPDATE'))).toEqual([]);
    warn.mockRestore();

    // Convergence: every client holds the same document, with every edit any client made.
    const everything = editors.flatMap((editor) => editor.written);
    await until(() => editors.every((editor) => editor.texts().size === everything.length), 'convergence');
    const reference = Y.encodeStateVector(clerkOnA.doc);
    for (const editor of editors) {
      expect(Y.encodeStateVector(editor.doc)).toEqual(reference);
      expect(editor.texts()).toEqual(new Set(everything));
    }
    // Nothing the dead owner had acknowledged (stored) is missing …
    for (const text of acknowledged) expect(clerkOnA.texts().has(text)).toBe(true);
    // … the relayed session never dropped …
    const warnings = nodeA.stderr().split('\n').filter((line) => /"level":"(warn|error)"|taken over/.test(line));
    expect(clerkOnA.disconnects, `node A (killed B at ${new Date(killedAt).toISOString()}):\n${warnings.join('\n')}`).toBe(disconnectsOfA);
    // … and the new owner stores everything.
    await until(async () => (await storedTexts(docName)).size === everything.length, 'everything stored by the new owner');
    console.info(`collab relay: takeover ${takeoverMs} ms after SIGKILL (lease TTL ${LEASE_TTL_MS} ms), ${everything.length} segments`);
  }, 60_000);
});
