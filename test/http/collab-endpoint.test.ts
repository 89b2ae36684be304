// The /yjs/<docName> endpoint on real uWS with y-websocket's own WebsocketProvider (unchanged), on the
// whole platform (demo data); the hub is started with an in-memory document store for this test.
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createRequire } from 'node:module';
import * as Y from 'yjs';
import { WebsocketProvider } from 'y-websocket';
import type { RunningPlatform } from '../../platform/node.ts';
import { startDemoPlatform, startHubBeside, type DemoPlatform } from '../support/demo-platform.ts';
import type { RunningHub } from '../../hub/server.ts';
import { appendSegment, segmentsArray, segmentsOf, confirmSegment, confirmationsOf } from '../../hub/collab/transcript-model.ts';
import { annotationsDocName, judgeNotesDocName, parseDocName } from '../../hub/collab/doc-names.ts';
import { addAnnotation } from '../../hub/collab/annotation-model.ts';
import { randomUUID } from 'node:crypto';
import { MemoryDocPersistence } from '../support/collab-memory-persistence.ts';
import { solidPng } from '../support/evidence-files.ts';
import { waitFor } from '../support/wait-for.ts';

interface RawClient {
  readonly readyState: number;
  /** ws internals: the TCP socket, paused to play a client that stops reading. */
  readonly _socket: { pause(): void; resume(): void };
  binaryType: string;
  send(data: string | Uint8Array): void;
  terminate(): void;
  on(event: 'close', listener: (code: number, reason: Buffer) => void): void;
  on(event: 'message', listener: (data: Buffer) => void): void;
  once(event: 'open', listener: () => void): void;
}
const WebSocketImpl = createRequire(import.meta.url)('ws') as new (url: string) => RawClient;

let demo: DemoPlatform;
let platform: RunningPlatform;
let hub: RunningHub;
let dataDir: string;
let wsBase: string;
const persistence = new MemoryDocPersistence();
const tokens: Record<string, string> = {};
const users: Record<string, { id: string; displayName: string }> = {};
let transcriptDoc = '';
const providers: WebsocketProvider[] = [];
const raws: RawClient[] = [];

async function startCollabHub(): Promise<RunningHub> {
  return startHubBeside(platform, dataDir, persistence);
}


function provider(username: string, docName = transcriptDoc): { doc: Y.Doc; provider: WebsocketProvider } {
  const doc = new Y.Doc();
  const connection = new WebsocketProvider(`${wsBase}/yjs`, docName, doc, {
    params: { token: tokens[username]! },
    WebSocketPolyfill: WebSocketImpl as never,
    disableBc: true,
    maxBackoffTime: 200,
  });
  providers.push(connection);
  return { doc, provider: connection };
}

/** Uploads a tiny PNG as evidence of the case (annotations documents exist only on real evidence files). */
async function uploadEvidence(caseId: string, username = 'clerk1'): Promise<string> {
  const response = await fetch(`${hub.url}/api/v1/cases/${caseId}/evidence?title=${encodeURIComponent('现场照片')}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${tokens[username]}`, 'content-type': 'image/png' },
    body: solidPng(2, 2) as unknown as BodyInit,
  });
  const body = (await response.json()) as { evidence: { id: string } };
  expect(response.status).toBe(201);
  return body.evidence.id;
}

/** A raw socket, to see close codes (WebsocketProvider would just reconnect). */
function raw(path: string): Promise<{ ws: RawClient; closed: Promise<{ code: number; reason: string }> }> {
  const ws = new WebSocketImpl(`${wsBase}${path}`);
  ws.binaryType = 'nodebuffer';
  raws.push(ws);
  const closed = new Promise<{ code: number; reason: string }>((resolve) => ws.on('close', (code, reason) => resolve({ code, reason: String(reason) })));
  return new Promise((resolve) => ws.once('open', () => resolve({ ws, closed })));
}

beforeAll(async () => {
  demo = await startDemoPlatform({ tempPrefix: 'ecourt-collab-' });
  platform = demo.platform;
  dataDir = demo.dataDir;
  hub = await startCollabHub();
  wsBase = hub.url.replace('http', 'ws');
  for (const username of ['judge1', 'clerk1', 'admin1', 'party1', 'party2', 'lawyer1']) {
    const { token, user } = await demo.logIn(username);
    tokens[username] = token;
    users[username] = user;
  }
  // The demo's scheduled hearing reaches the read model through the case projection.
  const deadline = Date.now() + 15_000;
  while (!transcriptDoc && Date.now() < deadline) {
    const response = await fetch(`${hub.url}/api/v1/hearings`, { headers: { authorization: `Bearer ${tokens.party1}` } });
    const body = (await response.json()) as { hearings: { id: string; caseId: string; transcriptDoc: string }[] };
    if (body.hearings[0]) transcriptDoc = body.hearings[0].transcriptDoc;
    else await new Promise((resolve) => setTimeout(resolve, 100));
  }
}, 120_000);

afterAll(async () => {
  for (const connection of providers) connection.destroy();
  for (const ws of raws) ws.terminate();
  await hub?.close();
  await demo?.stop();
});

describe('/yjs collaborative endpoint', () => {
  it('lists hearings with their transcript document name', async () => {
    const response = await fetch(`${hub.url}/api/v1/hearings`, { headers: { authorization: `Bearer ${tokens.party1}` } });
    const body = (await response.json()) as { hearings: { id: string; caseId: string; transcriptDoc: string }[] };
    expect(body.hearings).toHaveLength(1);
    const [hearing] = body.hearings;
    expect(hearing!.transcriptDoc).toBe(`cases/${hearing!.caseId}/hearings/${hearing!.id}/transcript`);
    expect(parseDocName(hearing!.transcriptDoc)).toMatchObject({ kind: 'transcript', hearingId: hearing!.id });
  });

  it('lets a judge and a party co-edit through WebsocketProvider, stamping awareness and refusing the party’s segment edits', async () => {
    const judge = provider('judge1');
    const party = provider('party1');
    party.provider.awareness.setLocalState({ user: { id: 'fake', name: '冒充的法官', role: 'judge', color: '#123456' }, cursor: 7 });
    await waitFor(() => judge.provider.synced && party.provider.synced, 'sync');

    const segmentId = appendSegment(judge.doc, { speaker: { participantId: users.judge1!.id, role: 'judge', displayName: '李明' }, startMs: 0, endMs: 3000, text: '现在开庭。', source: 'human' });
    await waitFor(() => segmentsOf(party.doc)[0]?.text === '现在开庭。', 'the judge’s segment at the party');

    const partyState = await waitFor(
      () => [...judge.provider.awareness.getStates().entries()].find(([clientId]) => clientId === party.doc.clientID)?.[1],
      'the party’s awareness at the judge',
    );
    expect(partyState).toEqual({ user: { color: '#123456', id: users.party1!.id, name: '陈静', role: 'party' }, cursor: 7 });

    // The party confirms in its own area: accepted.
    confirmSegment(party.doc, users.party1!.id, segmentId, { status: 'confirmed', at: new Date().toISOString() });
    await waitFor(() => confirmationsOf(judge.doc, users.party1!.id)[segmentId]?.status === 'confirmed', 'the confirmation at the judge');

    // The party edits the judge's text: refused with a permission-denied message, never applied.
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    try {
      (segmentsArray(party.doc).get(0).get('text') as Y.Text).insert(0, '伪造');
      const message = await waitFor(() => warn.mock.calls.find((call) => String(call[0]).includes('FORBIDDEN_UPDATE'))?.[0], 'the refusal');
      expect(String(message)).toMatch(/parties may write only their own confirmations and comments/);
    } finally {
      warn.mockRestore();
    }
    appendSegment(judge.doc, { speaker: { participantId: users.judge1!.id, role: 'judge', displayName: '李明' }, startMs: 3000, endMs: 4000, text: '核对身份。', source: 'human' });
    const clerk = provider('clerk1');
    await waitFor(() => clerk.provider.synced && segmentsOf(clerk.doc).length === 2, 'the clerk’s sync');
    expect(segmentsOf(clerk.doc).map((segment) => segment.text)).toEqual(['现在开庭。', '核对身份。']);

    // The court administrator follows read-only and invisibly.
    const admin = provider('admin1');
    admin.provider.awareness.setLocalState({ cursor: 1 });
    await waitFor(() => admin.provider.synced, 'the observer’s sync');
    await new Promise((resolve) => setTimeout(resolve, 150));
    expect(judge.provider.awareness.getStates().has(admin.doc.clientID)).toBe(false);
    expect(segmentsOf(admin.doc)).toHaveLength(2);
  });

  it('closes non-members, unknown documents, bad tokens and text frames with coded reasons', async () => {
    const outsider = await raw(`/yjs/${transcriptDoc}?token=${encodeURIComponent(tokens.party2!)}`);
    expect(await outsider.closed).toEqual({ code: 4404, reason: 'unknown document' });
    const unknown = await raw(`/yjs/cases/nothing/here?token=${encodeURIComponent(tokens.judge1!)}`);
    expect(await unknown.closed).toEqual({ code: 4404, reason: 'unknown document' });
    const notes = await raw(`/yjs/${transcriptDoc.replace(/transcript$/, 'judge-notes')}?token=${encodeURIComponent(tokens.clerk1!)}`);
    expect(await notes.closed).toEqual({ code: 4404, reason: 'unknown document' });
    const anonymous = await raw(`/yjs/${transcriptDoc}`);
    expect(await anonymous.closed).toEqual({ code: 4401, reason: 'sign in again' });
    const texting = await raw(`/yjs/${transcriptDoc}?token=${encodeURIComponent(tokens.judge1!)}`);
    texting.ws.send('hello');
    expect(await texting.closed).toEqual({ code: 4002, reason: 'protocol error' });
    const unknownType = await raw(`/yjs/${transcriptDoc}?token=${encodeURIComponent(tokens.judge1!)}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
    unknownType.ws.send(new Uint8Array([9, 9, 9]));
    expect(await unknownType.closed).toEqual({ code: 4002, reason: 'protocol error' });
  });

  it('keeps the document across a hub restart (saves flushed on close)', async () => {
    for (const connection of providers.splice(0)) connection.destroy();
    await hub.close();
    hub = await startCollabHub();
    wsBase = hub.url.replace('http', 'ws');
    const lawyer = provider('lawyer1');
    await waitFor(() => lawyer.provider.synced && segmentsOf(lawyer.doc).length === 2, 'the reloaded transcript');
    expect(segmentsOf(lawyer.doc).map((segment) => segment.text)).toEqual(['现在开庭。', '核对身份。']);
    expect(persistence.appended.every((entry) => entry.docName === transcriptDoc)).toBe(true);
    expect(persistence.appended.some((entry) => entry.origin.source === 'session' && entry.origin.userId === users.judge1!.id)).toBe(true);
  });

  it('fans a document out to its own members only: judge notes never reach the transcript’s parties and clerk', async () => {
    const hearing = parseDocName(transcriptDoc)!;
    if (hearing.kind === 'annotations') throw new Error('the transcript names a hearing');
    const notesDoc = judgeNotesDocName(hearing.caseId, hearing.hearingId);
    const marker = `仅限法官-${randomUUID()}`;
    // Raw sockets on the same hearing's transcript record every byte they are sent.
    const others = await Promise.all(['party1', 'clerk1', 'lawyer1'].map((username) => raw(`/yjs/${transcriptDoc}?token=${encodeURIComponent(tokens[username]!)}`)));
    const received: Buffer[] = [];
    for (const other of others) other.ws.on('message', (data) => received.push(data));
    // A non-judge cannot join the notes at all.
    const refused = await raw(`/yjs/${notesDoc}?token=${encodeURIComponent(tokens.clerk1!)}`);
    expect((await refused.closed).code).toBe(4404);

    const writer = provider('judge1', notesDoc);
    const reader = provider('judge1', notesDoc);
    await waitFor(() => writer.provider.synced && reader.provider.synced, 'the judges’ sync');
    writer.doc.getMap('notes').set('text', marker);
    await waitFor(() => reader.doc.getMap('notes').get('text') === marker, 'the note to reach the other judge session');
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(received.some((frame) => frame.includes(Buffer.from(marker)))).toBe(false);
    for (const other of others) expect(other.ws.readyState).toBe(1);
  });

  it('admits annotations only of an evidence file of that case: a made-up or another case’s evidence id closes with 4404', async () => {
    const caseId = parseDocName(transcriptDoc)!.caseId;
    const cases = (await (await fetch(`${hub.url}/api/v1/cases`, { headers: { authorization: `Bearer ${tokens.judge1}` } })).json()) as { cases: { id: string }[] };
    const otherCaseId = cases.cases.map((c) => c.id).find((id) => id !== caseId)!;
    expect(otherCaseId).toBeDefined();
    const own = await uploadEvidence(caseId);
    const foreign = await uploadEvidence(otherCaseId);
    const open = (docName: string) => raw(`/yjs/${docName}?token=${encodeURIComponent(tokens.judge1!)}`);

    for (const docName of [annotationsDocName(caseId, randomUUID()), annotationsDocName(caseId, foreign)]) {
      const refused = await open(docName);
      expect(await refused.closed).toEqual({ code: 4404, reason: 'unknown document' });
    }
    // The same judge on the evidence's own case: admitted and synced.
    const judge = provider('judge1', annotationsDocName(caseId, own));
    await waitFor(() => judge.provider.synced, 'the judge’s sync on real evidence');
    const other = provider('judge1', annotationsDocName(otherCaseId, foreign));
    await waitFor(() => other.provider.synced, 'the judge’s sync on the other case’s evidence');
  });

  it('closes a client that stops reading with 4008 instead of letting uWS drop updates', async () => {
    const caseId = parseDocName(transcriptDoc)!.caseId;
    const docName = annotationsDocName(caseId, await uploadEvidence(caseId));
    const slow = await raw(`/yjs/${docName}?token=${encodeURIComponent(tokens.party1!)}`);
    slow.ws._socket.pause();
    const judge = provider('judge1', docName);
    await waitFor(() => judge.provider.synced, 'the judge’s sync');
    const author = { userId: users.judge1!.id, role: 'judge', displayName: '李明' };
    // ~28 MiB of broadcasts: more than the kernel buffers plus the 8 MiB the hub lets pile up.
    for (let index = 0; index < 32; index++) {
      addAnnotation(judge.doc, author, { shape: 'note', page: 1, region: { x: 0, y: 0, width: 0.1, height: 0.1 }, text: String(index % 10).repeat(900_000) });
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    slow.ws._socket.resume();
    expect(await slow.closed).toEqual({ code: 4008, reason: 'slow consumer: reconnect to resynchronise' });
    // The writer is unaffected.
    expect(judge.provider.wsconnected).toBe(true);
  }, 60_000);
});
