// Live recognition into the hearing transcript (issue 5, point 2): 16 kHz speech from the fixtures, as
// a hearing router's audio tap delivers it, through the real pocketsphinx engine into a real transcript
// room: a partial segment first, replaced in place by the recognised words with the speaker and
// hearing-relative times; a clerk's edit made meanwhile survives the late result; mute stops recognition.
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { CollabUser } from '../../hub/collab/access.ts';
import { RoomRegistry } from '../../hub/collab/room-registry.ts';
import { editSegmentText, segmentsOf, type TranscriptSegment } from '../../hub/collab/transcript-model.ts';
import { transcriptRoomWriter } from '../../hub/hearings/live-transcription.ts';
import type { AudioTap } from '../../media/audio/audio-tap.ts';
import { HearingRouter } from '../../media/sfu/hearing-router.ts';
import { HearingTranscriber } from '../../media/transcription/hearing-transcriber.ts';
import type { AsrEngine } from '../../models/asr/asr-engine.ts';
import { createPocketsphinxEngine } from '../../models/asr/pocketsphinx/pocketsphinx-engine.ts';
import { wordErrorRate } from '../../models/asr/word-error-rate.ts';
import { silentLogger } from '../../platform/logger.ts';
import { concatPcm, descendantProcesses, fixtureSpeech, silence } from '../support/asr-audio.ts';
import type { TestCollabClient } from '../support/collab-client.ts';
import { docNameFor, joinRoom, makeUser } from '../support/collab-fixtures.ts';
import { MemoryDocPersistence } from '../support/collab-memory-persistence.ts';
import { pause } from '../support/media-samples.ts';

const WAIT = { timeout: 20_000, interval: 50 };
const PARTY = { participantId: 'party-1', role: 'party', displayName: '李雷' };
const JUDGE = { participantId: 'judge-1', role: 'judge', displayName: '王法官' };
/** The hearing started this long before the transcriber was created; the router's clock starts at 0 then. */
const STARTED_BEFORE_MS = 5_000;

let engine: AsrEngine;
let registry: RoomRegistry;
let router: HearingRouter;
let transcriber: HearingTranscriber;
let clerk: TestCollabClient;
let clerkUser: CollabUser;
let routerNow = 0;
const taps: AudioTap[] = [];
/** Every state of the clerk's copy of the segments, in order. */
const history: TranscriptSegment[][] = [];

/** Speech as the tap delivers it: 20 ms frames stamped with router time, written faster than real time. */
async function speak(pcm: Int16Array, atRouterMs: number): Promise<void> {
  const tap = taps.at(-1)!;
  for (let i = 0, frame = 0; i < pcm.length; i += 320, frame++) {
    tap.events.emit('frame', { participantId: PARTY.participantId, hearingTimeMs: atRouterMs + frame * 20, sampleRate: 16_000, samples: pcm.slice(i, i + 320) });
    if (frame % 50 === 49) await pause(1);
  }
  routerNow = Math.max(routerNow, atRouterMs + (pcm.length / 16_000) * 1000);
}

const segments = () => segmentsOf(clerk.doc);
const finals = () => segments().filter((segment) => !segment.partial && segment.text !== '');

beforeAll(async () => {
  engine = createPocketsphinxEngine({ logger: silentLogger });
  registry = new RoomRegistry({ persistence: new MemoryDocPersistence(), logger: silentLogger });
  clerkUser = makeUser('clerk', 'Clerk');
  await registry.acquire(docNameFor('transcript'), 'transcript', (room) => {
    clerk = joinRoom(room, clerkUser);
  });
  clerk.doc.on('update', () => history.push(segmentsOf(clerk.doc)));
  router = new HearingRouter({ hearingId: 'hearing-asr-test', now: () => routerNow });
  const audioTap = router.audioTap.bind(router);
  router.audioTap = (participantId: string) => {
    const tap = audioTap(participantId);
    taps.push(tap);
    return tap;
  };
  const createdAt = Date.now();
  transcriber = new HearingTranscriber({
    router,
    engine,
    language: 'en',
    writeTranscript: transcriptRoomWriter(registry, docNameFor('transcript'), engine.name, silentLogger),
    logger: silentLogger,
    // The speech written here ends in real silence; no padding may end an utterance while the test pauses.
    quietMs: 60_000,
  });
  transcriber.follow({ state: 'inSession', startedAt: new Date(createdAt - STARTED_BEFORE_MS).toISOString(), participants: [PARTY, JUDGE] });
  router.admit(PARTY.participantId);
  expect(transcriber.listening).toEqual([PARTY.participantId]);
});

afterAll(async () => {
  await transcriber?.stop();
  await router?.close();
  await engine?.close();
  await registry?.closeAll();
  expect(descendantProcesses().filter((p) => p.name === 'pocketsphinx_co')).toEqual([]);
});

describe('live recognition into the transcript room', () => {
  it('opens a partial segment for the speaker, then writes the recognised words into it with hearing times', async () => {
    const speech = fixtureSpeech('court-in-session');
    await speak(concatPcm([speech.samples, silence(1.5)]), 10_000);
    await vi.waitFor(() => expect(finals()).toHaveLength(1), WAIT);

    const [segment] = finals();
    expect(segment!.speaker).toEqual(PARTY);
    expect(segment!.source).toBe('asr:pocketsphinx');
    expect(wordErrorRate(speech.text, segment!.text)).toBeLessThanOrEqual(0.2);
    // Router time 10 s is 15 s into the hearing (a few ms of slack for the clock read at creation).
    const speechStart = 10_000 + STARTED_BEFORE_MS;
    const speechEnd = speechStart + (speech.samples.length / 16_000) * 1000;
    expect(segment!.startMs).toBeGreaterThanOrEqual(speechStart - 20);
    expect(segment!.endMs).toBeGreaterThan(segment!.startMs);
    expect(segment!.endMs).toBeLessThanOrEqual(speechEnd + 50);

    // The same segment was first there as an empty partial of the same speaker.
    const partial = history.flat().find((seen) => seen.id === segment!.id && seen.partial);
    expect(partial).toMatchObject({ text: '', speaker: PARTY, partial: true });
    expect(segments().filter((seen) => seen.partial)).toEqual([]);
    expect(transcriber.status()).toMatchObject({ engine: 'pocketsphinx', speakers: 1, errors: 0 });
    expect(transcriber.status().lastDelayMs).not.toBeNull();
  });

  it('keeps the text a clerk typed into the partial segment; the late recognition goes to asrText', async () => {
    const speech = fixtureSpeech('court-in-session');
    const half = Math.floor(speech.samples.length * 0.6);
    const before = finals().length;
    await speak(speech.samples.subarray(0, half), 20_000);
    await vi.waitFor(() => expect(segments().find((segment) => segment.partial)).toBeDefined(), WAIT);
    const partial = segments().find((segment) => segment.partial)!;
    editSegmentText(clerk.doc, partial.id, 'Court is in session (typed by the clerk)', { userId: clerkUser.userId, role: 'clerk' });
    await speak(concatPcm([speech.samples.subarray(half), silence(1.5)]), 20_000 + (half / 16_000) * 1000);

    await vi.waitFor(() => expect(segments().find((segment) => segment.id === partial.id)?.asrText).toBeDefined(), WAIT);
    const settled = segments().find((segment) => segment.id === partial.id)!;
    expect(settled.text).toBe('Court is in session (typed by the clerk)');
    expect(settled.partial).toBeUndefined();
    expect(settled.editedBy.map((edit) => edit.userId)).toEqual([clerkUser.userId]);
    expect(wordErrorRate(speech.text, settled.asrText!)).toBeLessThanOrEqual(0.5);
    expect(finals().length).toBe(before + 1);
  });

  it('hears nothing while the participant is muted, and again once unmuted', async () => {
    router.setMuted(PARTY.participantId, true);
    expect(transcriber.listening).toEqual([]);
    const passage = fixtureSpeech('hearing-passage');
    // Whatever reached the muted participant's old tap goes nowhere.
    await speak(concatPcm([passage.samples.subarray(0, 16_000 * 6), silence(1)]), 30_000);

    router.setMuted(PARTY.participantId, false);
    expect(transcriber.listening).toEqual([PARTY.participantId]);
    const before = finals().length;
    const speech = fixtureSpeech('court-in-session');
    await speak(concatPcm([speech.samples, silence(1.5)]), 40_000);
    await vi.waitFor(() => expect(finals().length).toBe(before + 1), WAIT);
    await transcriber.drain();

    const text = finals().map((segment) => segment.text).join(' ');
    for (const word of ['witness', 'sworn', 'truth']) expect(text).not.toContain(word);
    expect(finals().at(-1)!.startMs).toBeGreaterThanOrEqual(40_000 + STARTED_BEFORE_MS - 20);
    expect(segments().filter((segment) => segment.partial)).toEqual([]);
  });

  it('recognises a speaker whose audio stops right after the words (no trailing silence: it is padded)', async () => {
    const doc = docNameFor('transcript');
    const quietRouter = new HearingRouter({ hearingId: 'hearing-asr-quiet', now: () => 0 });
    let tap: AudioTap | undefined;
    const audioTap = quietRouter.audioTap.bind(quietRouter);
    quietRouter.audioTap = (participantId: string) => (tap = audioTap(participantId));
    const quiet = new HearingTranscriber({ router: quietRouter, engine, language: 'en', writeTranscript: transcriptRoomWriter(registry, doc, engine.name, silentLogger), logger: silentLogger });
    try {
      quiet.follow({ state: 'inSession', startedAt: new Date().toISOString(), participants: [JUDGE] });
      quietRouter.admit(JUDGE.participantId);
      const before = finals().length;
      const speech = fixtureSpeech('court-in-session');
      for (let i = 0, frame = 0; i < speech.samples.length; i += 320, frame++) {
        tap!.events.emit('frame', { participantId: JUDGE.participantId, hearingTimeMs: frame * 20, sampleRate: 16_000, samples: speech.samples.slice(i, i + 320) });
      }
      await vi.waitFor(() => expect(finals().length).toBe(before + 1), WAIT);
      expect(finals().at(-1)!.speaker).toEqual(JUDGE);
      expect(wordErrorRate(speech.text, finals().at(-1)!.text)).toBeLessThanOrEqual(0.3);
    } finally {
      await quiet.stop();
      await quietRouter.close();
    }
  });
});
