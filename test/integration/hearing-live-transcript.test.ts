// Live recognition through the whole platform (issue 5, point 2): a werift peer standing in for the
// party's browser speaks the court sentence as Opus over WebRTC to the hub; the hub's media router taps
// it, pocketsphinx recognises it, and the words appear in the hearing's transcript attributed to the
// party, while the judge (not the party) is told over /rt how recognition keeps up (hearing.asr).
import OpusScript from 'opusscript';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { wordErrorRate } from '../../models/asr/word-error-rate.ts';
import { concatPcm, fixtureSpeech, silence } from '../support/asr-audio.ts';
import { demoHearing, startDemoPlatform, type DemoPlatform } from '../support/demo-platform.ts';
import { bringToTheRoom } from '../support/hearing-flow.ts';
import { HearingOverRt } from '../support/hearing-over-rt.ts';
import { opusSilence, pause } from '../support/media-samples.ts';

const WAIT = { timeout: 30_000, interval: 100 };

let demo: DemoPlatform;
let room: HearingOverRt;
let hearingId: string;
let caseId: string;
const tokens: Record<string, string> = {};
let seats: Record<string, { participantId: string; displayName: string }> = {};
const command = (as: string, hearingCommand: Record<string, unknown>) => room.command(as, hearingCommand);
const get = (as: string, path: string) => room.get(as, path);
/** A werift peer signalling over the user's own /rt socket, which also follows the case. */
const mediaPeer = (as: string) => room.mediaPeer(as, seats[as]!.participantId, caseId);

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
  room = new HearingOverRt(demo.base, hearingId, tokens);
  seats = await room.seats(['judge1', 'party1'], WAIT);
}, 120_000);

afterAll(async () => {
  await room?.close();
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
