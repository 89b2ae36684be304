// The live hearing over HTTP and /rt (issue 4, points 1 and 4's server side): the demo hearing's actor
// spawned from the case's SCHEDULE_HEARING, its participants' path from the waiting room into the
// room, the judge's commands and their refusals for others, live hearing events, the chat with the
// court, and what strangers see (nothing). The whole platform in-process.
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { demoHearing, startDemoPlatform, type DemoPlatform } from '../support/demo-platform.ts';
import { connectRt, type RawClient } from '../support/rt-client.ts';
import { MANUAL_CHECK_NOTE } from '../support/hearing-flow.ts';

let demo: DemoPlatform;
let base: string;
const tokens: Record<string, string> = {};
const clients: RawClient[] = [];
/** The demo sales case's hearing: filed by lawyer1 for party1; party2 is not in it. */
let hearingId: string;
let caseId: string;
const me: Record<string, string> = {};

const USERS = ['judge1', 'clerk1', 'party1', 'party2', 'lawyer1', 'admin1'] as const;
type Username = (typeof USERS)[number];

async function call(method: string, path: string, as: Username, body?: unknown) {
  const response = await fetch(base + path, {
    method,
    headers: { authorization: `Bearer ${tokens[as]}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  return { status: response.status, json: (await response.json()) as any };
}
const live = (as: Username) => call('GET', `/api/v1/hearings/${hearingId}/live`, as);
const command = (as: Username, command: Record<string, unknown>) => call('POST', `/api/v1/hearings/${hearingId}/commands`, as, { v: 1, command });
const statusOf = (hearing: any, participantId: string) => hearing.participants.find((p: any) => p.participantId === participantId);

beforeAll(async () => {
  demo = await startDemoPlatform({ tempPrefix: 'ecourt-hearing-live-' });
  base = demo.base;
  for (const username of USERS) tokens[username] = (await demo.logIn(username)).token;
  ({ id: hearingId, caseId } = await demoHearing(base, tokens.judge1!));
  // The hearing actor is spawned right after the seed's SCHEDULE_HEARING; wait for its projection.
  const deadline = Date.now() + 15_000;
  while ((await live('judge1')).status !== 200) {
    if (Date.now() > deadline) throw new Error('the demo hearing actor was never spawned');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  for (const username of ['judge1', 'clerk1', 'party1', 'lawyer1'] as const) me[username] = (await live(username)).json.me.participantId;
}, 120_000);

afterAll(async () => {
  for (const client of clients) client.terminate();
  await demo?.stop();
});

describe('the live hearing', () => {
  it('was spawned from the case with its invitees: judge, clerk, the parties with accounts and the filing lawyer', async () => {
    const answer = await live('party1');
    expect(answer.status).toBe(200);
    expect(answer.json.hearing.state).toBe('scheduled');
    // Scheduled without a language: the hearing actor stamped the hub's default (ECOURT_ASR_LANGUAGE).
    expect(answer.json.hearing.language).toBe('en');
    expect(answer.json.me.role).toBe('party');
    expect(answer.json.transcriptDoc).toBe(`cases/${caseId}/hearings/${hearingId}/transcript`);
    const roles = answer.json.hearing.participants.map((p: any) => p.role).sort();
    // party1 (plaintiff), party3 (a defendant), lawyer1 (who filed for party1).
    expect(roles).toEqual(['clerk', 'judge', 'lawyer', 'party', 'party']);
    // Account ids stay on the server.
    expect(JSON.stringify(answer.json)).not.toContain((await demo.logIn('party1')).user.id);
  });

  it('is invisible to a litigant of another case, and court staff who were not invited see it without a seat', async () => {
    expect((await live('party2')).status).toBe(404);
    expect((await command('party2', { type: 'RAISE_HAND', participantId: me.party1 })).status).toBe(404);
    const admin = await live('admin1');
    expect(admin.status).toBe(200);
    expect(admin.json.me).toBeNull();
    expect((await call('GET', '/api/v1/hearings/00000000-0000-4000-8000-000000000000/live', 'judge1')).status).toBe(404);
  });

  it('takes a party from the waiting room into the room, with the judge running the sitting and others refused', async () => {
    const party = await connectRt(base, `?token=${encodeURIComponent(tokens.party1!)}`, clients);
    await party.next('ready');
    party.send({ v: 1, type: 'subscribe', caseId });
    await party.next('subscribed');

    expect((await command('clerk1', { type: 'OPEN_LOBBY' })).json.hearing.state).toBe('lobbyOpen');
    const event = await party.next('hearing.event');
    expect(event.event).toMatchObject({ kind: 'hearing', id: hearingId, type: 'OPEN_LOBBY', state: 'lobbyOpen' });

    const check = { passed: true, camera: true, microphone: true, speaker: true, browserSupported: true, roundTripMs: 20, bandwidthKbps: 20_000 };
    expect((await command('party1', { type: 'DEVICE_CHECKED', participantId: me.party1, result: check })).status).toBe(200);
    expect((await command('party1', { type: 'DECLARE_IDENTITY', participantId: me.party1, declaration: '本人陈静，确认身份属实。' })).status).toBe(200);
    // The identity gate: no waiting room before a face check or the judge's manual check.
    const unverified = await command('party1', { type: 'ENTER_WAITING', participantId: me.party1 });
    expect(unverified.status).toBe(403);
    expect(unverified.json.error.code).toBe('IDENTITY_NOT_VERIFIED');
    expect((await command('party1', { type: 'APPROVE_MANUAL_IDENTITY', participantId: me.party1, note: '本人确认' })).json.error.code).toBe('FORBIDDEN');
    expect((await command('judge1', { type: 'IDENTITY_VERIFIED', participantId: me.party1, checkId: '3c9d2b1a-4e5f-4a6b-8c7d-9e0f1a2b3c4d', method: 'face' })).status).toBe(403);
    const approved = await command('judge1', { type: 'APPROVE_MANUAL_IDENTITY', participantId: me.party1, note: MANUAL_CHECK_NOTE });
    expect(statusOf(approved.json.hearing, me.party1!)).toMatchObject({ identityCheck: { method: 'manual' } });
    const waiting = await command('party1', { type: 'ENTER_WAITING', participantId: me.party1 });
    expect(statusOf(waiting.json.hearing, me.party1!).status).toBe('waiting');

    // Only the judge starts, mutes or admits; a party acting for someone else is refused too.
    const refused = await command('party1', { type: 'START' });
    expect(refused.status).toBe(403);
    expect(refused.json.error.code).toBe('FORBIDDEN');
    expect((await command('party1', { type: 'ENTER_WAITING', participantId: me.lawyer1 })).status).toBe(403);
    expect((await command('lawyer1', { type: 'MUTE', participantId: me.party1 })).json.error.code).toBe('FORBIDDEN');
    // Server-only commands cannot come from a browser, whoever sends them.
    expect((await command('judge1', { type: 'CONNECTION_LOST', participantId: me.party1 })).status).toBe(403);
    // A party cannot join the room before admission.
    expect((await command('party1', { type: 'JOIN_ROOM', participantId: me.party1 })).json.error.code).toBe('INVALID_STATE');

    expect(statusOf((await command('judge1', { type: 'ADMIT', participantId: me.party1 })).json.hearing, me.party1!).status).toBe('admitted');
    const started = await command('judge1', { type: 'START' });
    expect(started.json.hearing.state).toBe('inSession');
    expect(started.json.hearing.recording).toBe(true);
    expect(statusOf((await command('party1', { type: 'JOIN_ROOM', participantId: me.party1 })).json.hearing, me.party1!).status).toBe('inRoom');
    expect(statusOf((await command('judge1', { type: 'MUTE', participantId: me.party1 })).json.hearing, me.party1!).muted).toBe(true);
    expect(statusOf((await command('party1', { type: 'RAISE_HAND', participantId: me.party1 })).json.hearing, me.party1!).handRaised).toBe(true);
  });

  it('refuses malformed commands with a coded error', async () => {
    expect((await call('POST', `/api/v1/hearings/${hearingId}/commands`, 'judge1', { v: 2, command: { type: 'START' } })).status).toBe(422);
    const unknown = await command('judge1', { type: 'TAKE_OVER' });
    expect(unknown.status).toBe(422);
    expect(unknown.json.error.code).toBe('VALIDATION_FAILED');
  });

  it('carries a party’s chat line privately to the court staff present, and the clerk’s answer to that party', async () => {
    const clerk = await connectRt(base, `?token=${encodeURIComponent(tokens.clerk1!)}`, clients);
    const lawyer = await connectRt(base, `?token=${encodeURIComponent(tokens.lawyer1!)}`, clients);
    const party = await connectRt(base, `?token=${encodeURIComponent(tokens.party1!)}`, clients);
    const stranger = await connectRt(base, `?token=${encodeURIComponent(tokens.party2!)}`, clients);
    for (const client of [clerk, lawyer, party, stranger]) await client.next('ready');
    const chatTexts = (client: { received: () => any[] }) => client.received().filter((m) => m.type === 'hearing.chat').map((m) => m.text);
    // Everyone present: a line of each (the clerk's, without `to`, goes to all of them).
    lawyer.send({ v: 1, type: 'hearing.chat', hearingId, text: '代理人已到。' });
    await lawyer.next('hearing.chat');
    party.send({ v: 1, type: 'hearing.chat', hearingId, text: '当事人已到。' });
    await party.next('hearing.chat');
    clerk.send({ v: 1, type: 'hearing.chat', hearingId, text: '请各方保持网络畅通。' });
    for (const client of [clerk, lawyer, party]) expect((await client.next('hearing.chat')).text).toBe('请各方保持网络畅通。');

    party.send({ v: 1, type: 'hearing.chat', hearingId, text: '我的麦克风好像没有声音。' });
    const atClerk = await clerk.next('hearing.chat');
    expect(atClerk.text === '我的麦克风好像没有声音。' ? atClerk : await clerk.next('hearing.chat')).toMatchObject({
      hearingId,
      text: '我的麦克风好像没有声音。',
      from: { participantId: me.party1, role: 'party' },
    });
    clerk.send({ v: 1, type: 'hearing.chat', hearingId, to: me.party1, text: '请检查麦克风权限。' });
    await vi.waitFor(() => expect(chatTexts(party)).toContain('请检查麦克风权限。'));
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(chatTexts(lawyer)).not.toContain('我的麦克风好像没有声音。');
    expect(chatTexts(lawyer)).not.toContain('请检查麦克风权限。');

    stranger.send({ v: 1, type: 'hearing.chat', hearingId, text: '你好' });
    expect((await stranger.next('error')).code).toBe('NOT_A_PARTICIPANT');
    party.send({ v: 1, type: 'hearing.chat', hearingId, text: '' });
    expect((await party.next('error')).code).toBe('VALIDATION_FAILED');
  });

  it('answers media signalling from strangers and malformed messages with coded media errors', async () => {
    const stranger = await connectRt(base, `?token=${encodeURIComponent(tokens.party2!)}`, clients);
    await stranger.next('ready');
    stranger.send({ v: 1, type: 'media.join', hearingId });
    expect((await stranger.next('media.error')).code).toBe('MEDIA_NOT_JOINED');
    stranger.send({ v: 1, type: 'media.answer', sdp: 'v=0' });
    expect((await stranger.next('media.error')).code).toBe('MEDIA_NOT_JOINED');
    stranger.send({ v: 1, type: 'media.offer', sdp: 'x'.repeat(70_000) });
    expect((await stranger.next('media.error')).code).toBe('MEDIA_TOO_LARGE');
  });

  it('marks a participant "device checked" in the hearing when they store a device check', async () => {
    const stored = await call('POST', `/api/v1/hearings/${hearingId}/device-checks`, 'lawyer1', {
      camera: { ok: true, width: 1280, height: 720 },
      microphone: { ok: true, peakLevel: 0.4 },
      speaker: { confirmed: true },
      browser: { webRtc: true, getUserMedia: true, webAudio: true, opus: true, vp8: true },
      network: { roundTripP50Ms: 18, roundTripP95Ms: 40, downloadMbps: 48.2, uploadMbps: 21.5 },
    });
    expect(stored.status).toBe(201);
    const lawyer = statusOf((await live('clerk1')).json.hearing, me.lawyer1!);
    expect(lawyer.status).toBe('deviceChecked');
    expect(lawyer.deviceCheck).toMatchObject({ passed: true, camera: true, microphone: true, speaker: true, roundTripMs: 18, bandwidthKbps: 21_500 });
  });

  it('ends the sitting on the judge’s END', async () => {
    const ended = await command('judge1', { type: 'END' });
    expect(ended.json.hearing.state).toBe('concluded');
    expect(ended.json.hearing.recording).toBe(false);
  });
});
