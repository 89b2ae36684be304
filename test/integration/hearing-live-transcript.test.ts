// Live recognition through the whole platform (issue 5, point 2): a werift peer standing in for the
// party's browser speaks the court sentence as Opus over WebRTC to the hub; the hub's media router taps
// it, pocketsphinx recognises it, and the words appear in the hearing's transcript attributed to the
// party, while the judge (not the party) is told over /rt how recognition keeps up (hearing.asr).
import OpusScript from 'opusscript';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { HearingRouter } from '../../media/sfu/hearing-router.ts';
import type { ServerSignal } from '../../media/signalling/protocol.ts';
import { wordErrorRate } from '../../models/asr/word-error-rate.ts';
import { concatPcm, fixtureSpeech, silence } from '../support/asr-audio.ts';
import { demoHearing, startDemoPlatform, type DemoPlatform } from '../support/demo-platform.ts';
import { bringToTheRoom } from '../support/hearing-flow.ts';
import { MediaTestClient } from '../support/media-client.ts';
import { opusSilence, pause } from '../support/media-samples.ts';
import { connectRt, type RawClient, type RtClient } from '../support/rt-client.ts';

const WAIT = { timeout: 30_000, interval: 100 };

let demo: DemoPlatform;
let hearingId: string;
let caseId: string;
const tokens: Record<string, string> = {};
const seats: Record<string, { participantId: string; displayName: string }> = {};
const sockets: RawClient[] = [];
const peers: MediaTestClient[] = [];

async function command(as: string, command: Record<string, unknown>) {
  const response = await fetch(`${demo.base}/api/v1/hearings/${hearingId}/commands`, {
    method: 'POST',
    headers: { authorization: `Bearer ${tokens[as]}`, 'content-type': 'application/json' },
    body: JSON.stringify({ v: 1, command }),
  });
  const body = (await response.json()) as any;
  if (response.status !== 200) throw new Error(`${command.type} by ${as}: ${JSON.stringify(body)}`);
  return body;
}

async function get(as: string, path: string): Promise<any> {
  const response = await fetch(demo.base + path, { headers: { authorization: `Bearer ${tokens[as]}` } });
  expect(response.status).toBe(200);
  return response.json();
}

/** A werift peer signalling over the user's own /rt socket, which also follows the case. */
async function mediaPeer(as: string): Promise<{ peer: MediaTestClient; rt: RtClient }> {
  const rt = await connectRt(demo.base, `?token=${encodeURIComponent(tokens[as]!)}`, sockets);
  await rt.next('ready');
  rt.send({ v: 1, type: 'subscribe', caseId });
  await rt.next('subscribed');
  const overRt = {
    hearingId,
    handleSignal: async (_participantId: string, message: unknown) => rt.send(typeof message === 'string' ? JSON.parse(message) : message),
  } as unknown as HearingRouter;
  const peer = new MediaTestClient(overRt, seats[as]!.participantId);
  peers.push(peer);
  rt.ws.on('message', (data) => {
    const message = JSON.parse(String(data)) as ServerSignal;
    if (typeof message.type === 'string' && message.type.startsWith('media.')) peer.deliver(message);
  });
  return { peer, rt };
}

/** 16 kHz speech as a browser would send it: 48 kHz Opus in 20 ms packets. */
function opusSpeech(samples16k: Int16Array): Buffer[] {
  const encoder = new OpusScript(48_000, 1, OpusScript.Application.VOIP);
  const packets: Buffer[] = [];
  const frame = new Int16Array(960);
  for (let start = 0; start < samples16k.length; start += 320) {
    for (let i = 0; i < 960; i++) {
      const at = start + i / 3;
      const here = samples16k[Math.floor(at)] ?? 0;
      const next = samples16k[Math.floor(at) + 1] ?? here;
      frame[i] = Math.round(here + (next - here) * (at - Math.floor(at)));
    }
    packets.push(Buffer.from(encoder.encode(Buffer.from(frame.buffer), 960)));
  }
  encoder.delete();
  return packets;
}

beforeAll(async () => {
  demo = await startDemoPlatform({ tempPrefix: 'ecourt-live-transcript-', env: { ECOURT_MEDIA_LOOPBACK_ONLY: 'true' } });
  for (const username of ['judge1', 'party1']) tokens[username] = (await demo.logIn(username)).token;
  ({ id: hearingId, caseId } = await demoHearing(demo.base, tokens.judge1!));
  await vi.waitFor(async () => expect((await fetch(`${demo.base}/api/v1/hearings/${hearingId}/live`, { headers: { authorization: `Bearer ${tokens.judge1}` } })).status).toBe(200), WAIT);
  for (const username of ['judge1', 'party1']) seats[username] = (await get(username, `/api/v1/hearings/${hearingId}/live`)).me;
}, 120_000);

afterAll(async () => {
  await Promise.all(peers.map((peer) => peer.close()));
  for (const socket of sockets) socket.terminate();
  await demo?.stop();
});

describe('live transcript through real media', () => {
  it('writes what the party says into the transcript, attributed to the party; the judge sees the recognition status', async () => {
    await command('judge1', { type: 'OPEN_LOBBY' });
    await bringToTheRoom(command, { judge: ['judge1', seats.judge1!.participantId], party: ['party1', seats.party1!.participantId] });
    await command('judge1', { type: 'ADMIT', participantId: seats.party1!.participantId });
    await command('party1', { type: 'JOIN_ROOM', participantId: seats.party1!.participantId });
    await command('judge1', { type: 'START' });
    // The media joins after the start (its router, and recognition, begin in session): the start's time
    // comes from the hearing's journal, not from an event this node heard.
    const startedAt = Date.now();
    const judge = await mediaPeer('judge1');
    const party = await mediaPeer('party1');
    await judge.peer.join();
    await party.peer.join();
    await vi.waitFor(() => expect(judge.peer.connected && party.peer.connected).toBe(true), WAIT);
    // The party's audio reaches the judge: the router forwards (and so taps) it. Silence, so the
    // engine's first audio is no test tone (a tone skews pocketsphinx's running normalisation).
    await vi.waitFor(async () => {
      for (const packet of opusSilence(5)) {
        party.peer.sendAudio(packet);
        await pause(20);
      }
      expect(judge.peer.receivedFrom(seats.party1!.participantId, 'audio')).toBeGreaterThan(3);
    }, WAIT);

    const speech = fixtureSpeech('court-in-session');
    for (const packet of opusSpeech(concatPcm([silence(0.5), speech.samples, silence(1.5)]))) {
      party.peer.sendAudio(packet);
      await pause(20);
    }

    let lines: string[] = [];
    await vi.waitFor(async () => {
      const transcript = await get('judge1', `/api/v1/hearings/${hearingId}/transcript`);
      lines = String(transcript.text).split('\n').filter((line) => line.startsWith(`${seats.party1!.displayName} (party)`));
      expect(lines.some((line) => wordErrorRate(speech.text, line.split(' — ').at(-1)!) <= 0.3), String(transcript.text)).toBe(true);
    }, WAIT);
    // Only the party spoke: nothing is attributed to the judge.
    const transcript = await get('judge1', `/api/v1/hearings/${hearingId}/transcript`);
    expect(String(transcript.text)).not.toContain(`${seats.judge1!.displayName} (judge)`);
    // Timed from the hearing's start: the sentence was spoken within the test's time since START.
    const spokenAt = lines.map((line) => line.split(' — ')[1]!.split('–')[0]!).map((clock) => {
      const [h, m, sec] = clock.split(':').map(Number);
      return ((h! * 60 + m!) * 60 + sec!) * 1000;
    });
    expect(Math.max(...spokenAt)).toBeGreaterThan(500);
    expect(Math.max(...spokenAt)).toBeLessThan(Date.now() - startedAt + 2000);

    // The status after the utterance: the party was heard, and how long its text took is known.
    await vi.waitFor(() => {
      const statuses = judge.rt.received().filter((message) => message.type === 'hearing.asr').map((message) => message.status);
      // The demo hearing was scheduled without a language: heard in the hub's default, English.
      expect(statuses.at(-1)).toMatchObject({ hearingId, caseId, engine: 'pocketsphinx', language: 'en', unavailable: null, errors: 0, speakers: 2 });
      expect(statuses.at(-1).lastDelayMs).toBeGreaterThanOrEqual(0);
    }, WAIT);
    expect(party.rt.received().filter((message) => message.type === 'hearing.asr')).toEqual([]);
  }, 120_000);
});
