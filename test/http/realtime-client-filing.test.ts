// The page's shared /rt client (web-components/src/realtime.ts), run in Node against the real hub:
// it carries the live filing messages next to the case subscriptions on ONE socket — a clerk's
// follow of the court's filing queue brings the filing actor's events, a filer's follow of their
// inbox brings the refetch hint — re-follows after the socket drops, and an undone follow stops.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomUUID } from 'node:crypto';
import { createRequire } from 'node:module';
import { logInEach, startDemoPlatform, type DemoPlatform } from '../support/demo-platform.ts';
import { callApi } from '../support/api-call.ts';
import { sampleFiling } from '../../models/filing-rules/samples.ts';
import { RealtimeClient, type RealtimeMessage } from '../../web-components/src/realtime.ts';

// The browser's WebSocket: Node 20 has none without a flag; `ws` (shipped with the uWS package) speaks the same events.
(globalThis as { WebSocket?: unknown }).WebSocket ??= createRequire(import.meta.url)('ws');

let demo: DemoPlatform;
const tokens: Record<string, string> = {};
const userIds: Record<string, string> = {};
let chaoyang: string;
const clients: RealtimeClient[] = [];
let submitted = 0;

/** A labour-remuneration filing (left to a clerk), submitted by party1 through the actor; each claims another amount (no duplicate). */
async function submitForClerk(): Promise<string> {
  const id = randomUUID();
  const filing = sampleFiling('labourRemuneration', chaoyang);
  submitted += 1;
  filing.claims = [{ text: '判令被告支付拖欠工资', amount: `${47000 + submitted}.00` }];
  const reply = await demo.platform.actors.ask({ kind: 'filing', id }, { type: 'SUBMIT', by: { userId: userIds.party1!, role: 'party' }, filing });
  if (!reply.ok) throw new Error(`SUBMIT refused: ${JSON.stringify(reply)}`);
  return id;
}

/** A client for `who` that records every message it emits. */
function clientFor(who: string): { client: RealtimeClient; heard: RealtimeMessage[] } {
  const client = new RealtimeClient({ url: `${demo.base.replace('http', 'ws')}/rt?token=${encodeURIComponent(tokens[who]!)}`, initialBackoffMs: 50 });
  clients.push(client);
  const heard: RealtimeMessage[] = [];
  client.onMessage((message) => heard.push(message));
  return { client, heard };
}

async function until<T>(what: () => T | undefined | false, label: string, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = what();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${label}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

beforeAll(async () => {
  demo = await startDemoPlatform({ tempPrefix: 'ecourt-realtime-client-filing-' });
  const courts = (await callApi(demo.base, 'GET', '/api/v1/courts')).json.courts as { id: string; code: string }[];
  chaoyang = courts.find((court) => court.code === '京0105')!.id;
  await logInEach(demo, ['clerk1', 'party1'], { tokens, userIds });
}, 120_000);

afterAll(async () => {
  for (const client of clients) client.close();
  await demo?.stop();
});

describe('the shared realtime client and the live filing messages', () => {
  it('follows the queue and the inbox beside a court subscription, re-follows after a drop, and stops on undo', async () => {
    const clerk = clientFor('clerk1');
    const filer = clientFor('party1');
    // The case-list's court subscription and the queue's follow share the clerk's one socket.
    clerk.client.subscribe({ scope: 'court' });
    const unfollowQueue = clerk.client.subscribe({ follow: 'filingQueue' });
    filer.client.subscribe({ follow: 'inbox' });
    await until(() => clerk.client.isFollowing('filingQueue') && filer.client.isFollowing('inbox'), 'both follows confirmed');
    expect(clerk.heard).toContainEqual({ type: 'following', follow: 'filingQueue' });
    expect(filer.client.isFollowing('filingQueue')).toBe(false);

    const id = await submitForClerk();
    const event = await until(() => clerk.heard.find((m) => m.type === 'filing.event' && m.event.id === id), 'the filing event');
    expect(event).toMatchObject({ type: 'filing.event', event: { kind: 'filing', id, type: 'SUBMIT', state: 'needsClerk', summary: { courtId: chaoyang, filedBy: userIds.party1 } } });
    expect(await until(() => filer.heard.find((m) => m.type === 'inbox.changed' && m.filingId === id), 'the inbox hint')).toEqual({ type: 'inbox.changed', filingId: id, state: 'needsClerk' });
    // The filer follows only their inbox: no court events reach them.
    expect(filer.heard.filter((m) => m.type === 'filing.event')).toEqual([]);

    // The socket drops: the client reconnects, is told to resync, and the hub confirms the follow again.
    const followsBefore = clerk.heard.filter((m) => m.type === 'following').length;
    (clerk.client as unknown as { socket: { close(): void } }).socket.close();
    await until(() => clerk.heard.filter((m) => m.type === 'following').length > followsBefore, 'the follow confirmed again');
    expect(clerk.heard).toContainEqual({ type: 'resync' });
    expect(clerk.client.isFollowing('filingQueue')).toBe(true);
    const afterDrop = await submitForClerk();
    await until(() => clerk.heard.find((m) => m.type === 'filing.event' && m.event.id === afterDrop), 'an event after the reconnect');

    unfollowQueue();
    expect(clerk.client.isFollowing('filingQueue')).toBe(false);
    const unseen = await submitForClerk();
    await until(() => filer.heard.find((m) => m.type === 'inbox.changed' && m.filingId === unseen), 'the filer’s hint for the unseen filing');
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(clerk.heard.filter((m) => m.type === 'filing.event' && m.event.id === unseen)).toEqual([]);
  }, 60_000);
});
