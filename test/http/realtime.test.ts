// The /rt realtime channel end to end: a real WebSocket client against the whole platform.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDemoPlatform, type DemoPlatform } from '../support/demo-platform.ts';
import { solidPng } from '../support/evidence-files.ts';
import { connectRt, type RawClient, type RtClient } from '../support/rt-client.ts';

let demo: DemoPlatform;
let base: string;
const tokens: Record<string, string> = {};
let courtId: string;
const clients: RawClient[] = [];

async function post(path: string, token: string, body: unknown) {
  const response = await fetch(base + path, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify(body),
  });
  return { status: response.status, json: (await response.json()) as any };
}

function connect(query = ''): Promise<RtClient> {
  return connectRt(base, query, clients);
}

const send = (ws: RawClient, message: unknown) => ws.send(JSON.stringify(message));

async function fileCase(token: string): Promise<string> {
  const response = await post('/api/v1/cases', token, {
    courtId,
    cause: '民间借贷纠纷',
    claims: '判令被告归还借款人民币3,000元。',
    claimAmount: '3000.00',
    plaintiffs: [{ name: '陈静', kind: 'person' }],
    defendants: [{ name: '王五', kind: 'person' }],
  });
  expect(response.status).toBe(201);
  return response.json.case.id;
}

beforeAll(async () => {
  demo = await startDemoPlatform({ tempPrefix: 'ecourt-rt-' });
  base = demo.base;
  for (const username of ['party1', 'party2', 'clerk1']) {
    const { token, user } = await demo.logIn(username);
    tokens[username] = token;
    if (username === 'clerk1') courtId = user.courtId!;
  }
}, 120_000);

afterAll(async () => {
  for (const ws of clients) ws.terminate();
  await demo?.stop();
});

describe('/rt realtime channel', () => {
  it('delivers a case event to a clerk following the case when a command is sent over HTTP', async () => {
    const caseId = await fileCase(tokens.party1!);
    const clerk = await connect(`?token=${encodeURIComponent(tokens.clerk1!)}`);
    expect(await clerk.next('ready')).toMatchObject({ v: 1, type: 'ready', user: { role: 'clerk', courtId } });
    send(clerk.ws, { v: 1, type: 'subscribe', caseId });
    expect(await clerk.next('subscribed')).toEqual({ v: 1, type: 'subscribed', caseId });

    const review = await post(`/api/v1/cases/${caseId}/commands`, tokens.clerk1!, { type: 'BEGIN_REVIEW' });
    expect(review.status).toBe(200);
    const message = await clerk.next('case.event');
    expect(message.event).toMatchObject({ kind: 'case', id: caseId, type: 'BEGIN_REVIEW', state: 'underReview', summary: { courtId } });
    expect(JSON.stringify(message)).not.toMatch(/idNumber|phone/);

    send(clerk.ws, { v: 1, type: 'ping' });
    expect(await clerk.next('pong')).toEqual({ v: 1, type: 'pong' });
  });

  it('tells the sockets following a case that an evidence file was added (uploads are not actor events)', async () => {
    const caseId = await fileCase(tokens.party1!);
    const clerk = await connect(`?token=${encodeURIComponent(tokens.clerk1!)}`);
    await clerk.next('ready');
    send(clerk.ws, { v: 1, type: 'subscribe', caseId });
    await clerk.next('subscribed');
    const uploaded = await fetch(`${base}/api/v1/cases/${caseId}/evidence?title=${encodeURIComponent('借条')}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${tokens.party1!}`, 'content-type': 'image/png' },
      body: new Uint8Array(solidPng(2, 2)),
    });
    expect(uploaded.status).toBe(201);
    const { evidence } = (await uploaded.json()) as { evidence: { id: string } };
    expect((await clerk.next('case.notice')).notice).toMatchObject({ caseId, type: 'evidence.added', evidenceId: evidence.id });
  });

  it('authenticates with a first auth message and follows the whole court as staff', async () => {
    const clerk = await connect();
    send(clerk.ws, { v: 1, type: 'auth', token: tokens.clerk1 });
    await clerk.next('ready');
    send(clerk.ws, { v: 1, type: 'subscribe', scope: 'court' });
    expect(await clerk.next('subscribed')).toEqual({ v: 1, type: 'subscribed', scope: 'court' });
    const caseId = await fileCase(tokens.party1!);
    const message = await clerk.next('case.event');
    expect(message.event).toMatchObject({ id: caseId, type: 'FILE', state: 'filed' });
  });

  it('does not let a party follow another party’s case, nor a whole court', async () => {
    const caseId = await fileCase(tokens.party1!);
    const party2 = await connect(`?token=${encodeURIComponent(tokens.party2!)}`);
    await party2.next('ready');
    send(party2.ws, { v: 1, type: 'subscribe', caseId });
    expect(await party2.next('error')).toMatchObject({ code: 'NOT_FOUND' });
    send(party2.ws, { v: 1, type: 'subscribe', scope: 'court' });
    expect(await party2.next('error')).toMatchObject({ code: 'FORBIDDEN' });

    // The owner may, and receives the events.
    const party1 = await connect(`?token=${encodeURIComponent(tokens.party1!)}`);
    await party1.next('ready');
    send(party1.ws, { v: 1, type: 'subscribe', caseId });
    await party1.next('subscribed');
    await post(`/api/v1/cases/${caseId}/commands`, tokens.party1!, { type: 'WITHDRAW', reason: '已和解' });
    expect((await party1.next('case.event')).event).toMatchObject({ id: caseId, type: 'WITHDRAW' });
    // …and party2 got nothing: a pong sent after the fan-out would queue behind any event to it.
    send(party2.ws, { v: 1, type: 'ping' });
    await party2.next('pong');
    expect(party2.received().filter((message) => message.type === 'case.event')).toEqual([]);
  });

  it('closes on binary garbage with 4002 PROTOCOL_ERROR', async () => {
    const client = await connect(`?token=${encodeURIComponent(tokens.clerk1!)}`);
    await client.next('ready');
    client.ws.send(Buffer.from([0xde, 0xad, 0xbe, 0xef]));
    expect((await client.closed).code).toBe(4002);
  });

  it('answers invalid messages with errors, then closes with 4002 after repeated ones', async () => {
    const client = await connect(`?token=${encodeURIComponent(tokens.clerk1!)}`);
    await client.next('ready');
    client.ws.send('not json');
    expect(await client.next('error')).toMatchObject({ code: 'PROTOCOL_ERROR' });
    send(client.ws, { v: 2, type: 'ping' });
    expect(await client.next('error')).toMatchObject({ code: 'PROTOCOL_ERROR' });
    send(client.ws, { v: 1, type: 'subscribe' });
    expect((await client.closed).code).toBe(4002);
  });

  it('closes with 4401 on a bad token or when the first message is not auth', async () => {
    const forged = await connect('?token=v1.e30.AAAA');
    expect(await forged.next('error')).toMatchObject({ code: 'UNAUTHENTICATED' });
    expect((await forged.closed).code).toBe(4401);
    const rude = await connect();
    send(rude.ws, { v: 1, type: 'ping' });
    expect((await rude.closed).code).toBe(4401);
  });
});
