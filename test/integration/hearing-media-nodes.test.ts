// A hearing's media across hub nodes (issue 4, points 2 and 6): two real hub processes and an actor
// process on one Postgres and one NATS. The judge's werift peer signals over /rt on hub A, the party's
// on hub B; the first join makes A the hearing's media owner (its lease in JetStream KV), B relays the
// party's signalling to A and the party's media flows to A directly, so each hears the other. Then A
// is killed with SIGKILL: its lease expires, B tells the party to join again (MEDIA_HEARING_MOVED), the
// judge's browser reconnects to B, B claims the hearing, builds its router from the hearing actor's
// summary, and both hear each other again.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { Kvm } from '@nats-io/kv';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { hearingLeaseKey, mediaLeaseBucket } from '../../hub/hearings/media-relay-subjects.ts';
import type { HearingRouter } from '../../media/sfu/hearing-router.ts';
import type { ServerSignal } from '../../media/signalling/protocol.ts';
import { distributedNodeEnv, removeNatsNamespace, startActorNode, startReadyNode, testNodeSecrets } from '../support/actor-node-process.ts';
import { runEcourt, type EcourtProcess } from '../support/cli-process.ts';
import { logInDemo } from '../support/demo-platform.ts';
import { MediaTestClient } from '../support/media-client.ts';
import { bringToTheRoom } from '../support/hearing-flow.ts';
import { fakeVideoFrame, opusTone, pause } from '../support/media-samples.ts';
import { connectRt, type RawClient, type RtClient } from '../support/rt-client.ts';
import { NATS_TEST_URL, createTestDatabase, probeNats, probePostgres, uniqueNamespace } from '../support/services.ts';

const [postgres, nats] = await Promise.all([probePostgres(), probeNats()]);
const skipReason = postgres.skipReason || nats.skipReason;
const PASSWORD = 'demo-password-1';
const LEASE_TTL_MS = 2000;
/** Every node must agree on the shard count (the hubs route commands by it). */
const SHARDS = 16;
const WAIT = { timeout: 20_000, interval: 100 };
const tone = opusTone(50);
const frame = fakeVideoFrame();

/** A participant's browser: a /rt socket to one hub and a werift peer that joins again when told the hearing moved. */
class Browser {
  rt!: RtClient;
  peer!: MediaTestClient;
  moved = 0;
  private readonly peers: MediaTestClient[] = [];

  constructor(
    readonly participantId: string,
    readonly hearingId: string,
    readonly token: string,
    private readonly sockets: RawClient[],
  ) {}

  async connect(base: string): Promise<void> {
    const rt = await connectRt(base, `?token=${encodeURIComponent(this.token)}`, this.sockets);
    await rt.next('ready');
    this.rt = rt;
    rt.ws.on('message', (data) => {
      const message = JSON.parse(String(data)) as ServerSignal;
      if (rt !== this.rt || typeof message.type !== 'string' || !message.type.startsWith('media.')) return;
      if (message.type === 'media.error' && message.code === 'MEDIA_HEARING_MOVED') {
        // As the hearing room does: a new connection, joined again through the same socket.
        this.moved++;
        void pause(200).then(() => this.join());
        return;
      }
      this.peer.deliver(message);
    });
    await this.join();
  }

  async join(): Promise<void> {
    const rt = this.rt;
    const overRt = {
      hearingId: this.hearingId,
      handleSignal: async (_participantId: string, message: unknown) => rt.send(typeof message === 'string' ? JSON.parse(message) : message),
    } as unknown as HearingRouter;
    const previous = this.peer;
    this.peer = new MediaTestClient(overRt, this.participantId);
    this.peers.push(this.peer);
    void previous?.close();
    await this.peer.join();
  }

  close(): Promise<unknown> {
    return Promise.all(this.peers.map((peer) => peer.close()));
  }
}

async function sendMedia(browsers: Browser[], rounds: number): Promise<void> {
  for (let i = 0; i < rounds; i++) {
    for (const { peer } of browsers) {
      peer.sendAudio(tone[i % tone.length]!);
      if (i % 2 === 0) peer.sendVideoFrame(frame);
    }
    await pause(10);
  }
}

/** Waits until each browser receives the other's audio (fresh packets, sent while waiting). */
async function hearEachOther(judge: Browser, party: Browser): Promise<void> {
  await vi.waitFor(async () => {
    await sendMedia([judge, party], 10);
    expect(judge.peer.receivedFrom(party.participantId, 'audio')).toBeGreaterThan(5);
    expect(party.peer.receivedFrom(judge.participantId, 'audio')).toBeGreaterThan(5);
  }, WAIT);
}

describe.skipIf(!postgres.available || !nats.available)(`hearing media on two hub processes${skipReason}`, () => {
  const namespace = uniqueNamespace('hmn');
  const secrets = testNodeSecrets();
  const processes: EcourtProcess[] = [];
  const sockets: RawClient[] = [];
  const browsers: Browser[] = [];
  const dataDirs: string[] = [];
  let dropDatabase: () => Promise<void>;
  let databaseUrl: string;
  let connection: NatsConnection;

  beforeAll(async () => {
    const created = await createTestDatabase();
    databaseUrl = created.url;
    dropDatabase = created.drop;
    connection = await connect({ servers: NATS_TEST_URL, name: 'hearing-media-nodes-test' });
  });

  afterAll(async () => {
    await Promise.all(browsers.map((browser) => browser.close()));
    for (const socket of sockets) socket.terminate();
    await Promise.all(processes.map((node) => node.stop('SIGKILL')));
    if (connection) {
      await removeNatsNamespace(connection, namespace);
      await connection.close();
    }
    await dropDatabase?.();
    for (const dir of dataDirs) rmSync(dir, { recursive: true, force: true });
  });

  async function startHub(nodeId: string): Promise<{ node: EcourtProcess; url: string }> {
    const dataDir = mkdtempSync(join(tmpdir(), `ecourt-${nodeId}-`));
    dataDirs.push(dataDir);
    const env = {
      ...distributedNodeEnv({ databaseUrl, namespace, nodeId, secrets, leaseTtlMs: LEASE_TTL_MS }),
      PORT: '0',
      HOST: '127.0.0.1',
      ECOURT_DATA_DIR: dataDir,
      ECOURT_SEED_DEMO: 'never',
      ECOURT_MEDIA_LOOPBACK_ONLY: 'true',
      ECOURT_SHARDS: String(SHARDS),
    };
    const { node, ready } = await startReadyNode(['start', '--role', 'hub'], env);
    processes.push(node);
    return { node, url: ready.url as string };
  }

  async function leaseOwner(hearingId: string): Promise<string | null> {
    const kv = await new Kvm(connection).open(mediaLeaseBucket(namespace));
    const entry = await kv.get(hearingLeaseKey(hearingId));
    return entry?.operation === 'PUT' ? entry.json<{ node: string }>().node : null;
  }

  it('relays the party’s signalling to the owner node, and moves the hearing when the owner is killed', async () => {
    // The demo court in Postgres (`ecourt seed-demo` runs its own actors for the while), then the nodes.
    const seed = runEcourt(['seed-demo'], { ...distributedNodeEnv({ databaseUrl, namespace, nodeId: 'seed', secrets }), ECOURT_DEMO_PASSWORD: PASSWORD });
    processes.push(seed);
    expect((await seed.exited).code).toBe(0);
    const [, hubA, hubB] = await Promise.all([
      startActorNode({ databaseUrl, namespace, nodeId: 'actors-1', secrets, shards: SHARDS, leaseTtlMs: LEASE_TTL_MS }).then((node) => (processes.push(node), node)),
      startHub('hub-a'),
      startHub('hub-b'),
    ]);

    const tokens: Record<string, string> = {};
    for (const username of ['judge1', 'clerk1', 'party1']) tokens[username] = (await logInDemo(hubB.url, username, PASSWORD)).token;
    const get = async (as: string, path: string) => {
      const response = await fetch(hubB.url + path, { headers: { authorization: `Bearer ${tokens[as]}` } });
      return { status: response.status, body: (await response.json()) as any };
    };
    const command = async (as: string, body: Record<string, unknown>) => {
      const response = await fetch(`${hubB.url}/api/v1/hearings/${hearingId}/commands`, {
        method: 'POST',
        headers: { authorization: `Bearer ${tokens[as]}`, 'content-type': 'application/json' },
        body: JSON.stringify({ v: 1, command: body }),
      });
      if (response.status !== 200) throw new Error(`${body.type} by ${as}: ${await response.text()}`);
    };
    const hearingId: string = (await get('judge1', '/api/v1/hearings')).body.hearings[0].id;
    await vi.waitFor(async () => expect((await get('judge1', `/api/v1/hearings/${hearingId}/live`)).status).toBe(200), WAIT);
    const seats: Record<string, string> = {};
    for (const as of ['judge1', 'party1']) seats[as] = (await get(as, `/api/v1/hearings/${hearingId}/live`)).body.me.participantId;

    // The hearing flow over HTTP: the party is admitted and the hearing starts.
    // The hubs learn which node serves the hearing's shard from its lease: until then the actor is unavailable.
    await vi.waitFor(() => command('clerk1', { type: 'OPEN_LOBBY' }), WAIT);
    await bringToTheRoom(command, { judge: ['judge1', seats.judge1!], party: ['party1', seats.party1!] });
    await command('judge1', { type: 'ADMIT', participantId: seats.party1 });
    await command('party1', { type: 'JOIN_ROOM', participantId: seats.party1 });
    await command('judge1', { type: 'START' });

    // The judge joins first, on A: A owns the hearing's media; the party on B is relayed to A.
    const judge = new Browser(seats.judge1!, hearingId, tokens.judge1!, sockets);
    const party = new Browser(seats.party1!, hearingId, tokens.party1!, sockets);
    browsers.push(judge, party);
    await judge.connect(hubA.url);
    await vi.waitFor(async () => expect(await leaseOwner(hearingId)).toBe('hub-a'), WAIT);
    await party.connect(hubB.url);
    await vi.waitFor(() => {
      expect(judge.peer.connected).toBe(true);
      expect(party.peer.connected).toBe(true);
    }, WAIT);
    await hearEachOther(judge, party);
    expect(await leaseOwner(hearingId)).toBe('hub-a');
    expect(party.moved).toBe(0);

    // The owner dies. Its lease expires; B tells the party to join again; the judge's browser reconnects to B.
    await hubA.node.stop('SIGKILL');
    await judge.connect(hubB.url);
    await vi.waitFor(() => expect(party.moved).toBeGreaterThan(0), WAIT);
    await vi.waitFor(async () => expect(await leaseOwner(hearingId)).toBe('hub-b'), WAIT);
    await vi.waitFor(() => {
      expect(judge.peer.connected).toBe(true);
      expect(party.peer.connected).toBe(true);
    }, WAIT);
    await hearEachOther(judge, party);
  }, 90_000);
});
