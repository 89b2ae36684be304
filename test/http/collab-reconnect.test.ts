// A WebsocketProvider (unchanged y-websocket) that loses its connection, edits offline and types on
// while it reconnects: its updates sent before its own sync step 2 are held by the room, not refused,
// and every client converges. Real uWS hub on the demo platform, in-memory document store.
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createRequire } from 'node:module';
import * as Y from 'yjs';
import { WebsocketProvider } from 'y-websocket';
import { startDemoPlatform, startHubBeside, type DemoPlatform } from '../support/demo-platform.ts';
import type { RunningHub } from '../../hub/server.ts';
import { appendSegment, confirmSegment, confirmationsOf, segmentsOf } from '../../hub/collab/transcript-model.ts';
import { MemoryDocPersistence } from '../support/collab-memory-persistence.ts';

const WebSocketImpl = createRequire(import.meta.url)('ws');

let demo: DemoPlatform;
let hub: RunningHub;
let wsBase: string;
let transcriptDoc = '';
const persistence = new MemoryDocPersistence();
const tokens: Record<string, string> = {};
const users: Record<string, { id: string; displayName: string }> = {};
const providers: WebsocketProvider[] = [];

async function waitFor(probe: () => boolean, what: string, timeoutMs = 8000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!probe()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

function connect(username: string): { doc: Y.Doc; provider: WebsocketProvider } {
  const doc = new Y.Doc();
  const provider = new WebsocketProvider(`${wsBase}/yjs`, transcriptDoc, doc, {
    params: { token: tokens[username]! },
    WebSocketPolyfill: WebSocketImpl,
    disableBc: true,
    maxBackoffTime: 200,
  });
  providers.push(provider);
  return { doc, provider };
}

beforeAll(async () => {
  demo = await startDemoPlatform({ tempPrefix: 'ecourt-collab-reconnect-' });
  const platform = demo.platform;
  hub = await startHubBeside(platform, demo.dataDir, persistence);
  wsBase = hub.url.replace('http', 'ws');
  for (const username of ['judge1', 'clerk1', 'party1']) {
    const { token, user } = await demo.logIn(username);
    tokens[username] = token;
    users[username] = user;
  }
  const deadline = Date.now() + 15_000;
  while (!transcriptDoc && Date.now() < deadline) {
    const response = await fetch(`${hub.url}/api/v1/hearings`, { headers: { authorization: `Bearer ${tokens.judge1}` } });
    const body = (await response.json()) as { hearings: { transcriptDoc: string }[] };
    if (body.hearings[0]) transcriptDoc = body.hearings[0].transcriptDoc;
    else await new Promise((resolve) => setTimeout(resolve, 100));
  }
}, 120_000);

afterAll(async () => {
  for (const provider of providers) provider.destroy();
  await hub?.close();
  await demo?.stop();
});

describe('/yjs: reconnecting while typing', () => {
  it('holds what a reconnecting clerk and party send before their sync step 2: no refusal, everyone converges', async () => {
    const judge = connect('judge1');
    const clerk = connect('clerk1');
    const party = connect('party1');
    await waitFor(() => judge.provider.synced && clerk.provider.synced && party.provider.synced, 'the first sync');
    const speaker = { participantId: users.clerk1!.id, role: 'clerk', displayName: users.clerk1!.displayName };
    const segmentIds = Array.from({ length: 30 }, (_, index) =>
      appendSegment(judge.doc, { speaker, startMs: index * 1000, endMs: index * 1000 + 900, text: `judge-${index}`, source: 'human' }),
    );
    await waitFor(() => segmentsOf(clerk.doc).length === 30 && segmentsOf(party.doc).length === 30, 'the judge’s segments');

    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    try {
      // A network blip: both drop off and go on editing offline.
      clerk.provider.disconnect();
      party.provider.disconnect();
      const clerkTexts: string[] = [];
      let partyMarks = 0;
      const clerkTypes = () => {
        const text = `clerk-${clerkTexts.length}`;
        clerkTexts.push(text);
        appendSegment(clerk.doc, { speaker, startMs: 0, endMs: 1, text, source: 'human' });
      };
      const partyConfirms = () => {
        confirmSegment(party.doc, users.party1!.id, segmentIds[partyMarks]!, { status: 'confirmed', at: `mark-${partyMarks}` });
        partyMarks++;
      };
      for (let index = 0; index < 3; index++) {
        clerkTypes();
        partyConfirms();
      }
      appendSegment(judge.doc, { speaker, startMs: 0, endMs: 1, text: 'judge-meanwhile', source: 'human' });

      // Back online, typing from the very moment the socket opens: WebsocketProvider sends that update
      // before its sync step 1 — long before its step 2 resends the offline edits the update builds on.
      for (const [provider, type] of [
        [clerk.provider, clerkTypes],
        [party.provider, partyConfirms],
      ] as const) {
        const onStatus = ({ status }: { status: string }) => {
          if (status !== 'connected') return;
          provider.off('status', onStatus);
          type();
        };
        provider.on('status', onStatus);
        provider.connect();
      }
      // … and on through the handshake.
      const typing = setInterval(() => {
        clerkTypes();
        if (partyMarks < segmentIds.length) partyConfirms();
      }, 5);
      await waitFor(() => clerk.provider.synced && party.provider.synced, 'the resync');
      await new Promise((resolve) => setTimeout(resolve, 100));
      clearInterval(typing);

      const expectedSegments = 30 + 1 + clerkTexts.length;
      await waitFor(
        () => [judge, clerk, party].every(({ doc }) => segmentsOf(doc).length === expectedSegments && Object.keys(confirmationsOf(doc, users.party1!.id)).length === partyMarks),
        'convergence',
      );
      const refusals = warn.mock.calls.filter((call) => String(call[0]).includes('FORBIDDEN_UPDATE'));
      expect(refusals).toEqual([]);
      expect(clerk.provider.wsconnected && party.provider.wsconnected).toBe(true);
      const reference = Y.encodeStateVector(judge.doc);
      for (const { doc } of [clerk, party]) expect(Y.encodeStateVector(doc)).toEqual(reference);
      const judgeTexts = new Set(segmentsOf(judge.doc).map((segment) => segment.text));
      for (const text of clerkTexts) expect(judgeTexts.has(text)).toBe(true);
      expect(confirmationsOf(judge.doc, users.party1!.id)[segmentIds[partyMarks - 1]!]).toMatchObject({ status: 'confirmed', at: `mark-${partyMarks - 1}` });
    } finally {
      warn.mockRestore();
    }
  }, 30_000);
});
