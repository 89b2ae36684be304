// The bound on live recognition per hearing (queue logic only): at most maxSessions engine sessions;
// a participant who speaks while none is free waits with a bounded backlog, reported as queued and then
// dropped audio, and gets the next free session with what waited. The engine is a double here (this
// tests the queue, not recognition: test/integration/transcription-pipeline.test.ts does that).
import { afterEach, describe, expect, it, vi } from 'vitest';
import * as Y from 'yjs';
import type { AsrEngine, AsrSession, AsrSessionOptions } from '../../models/asr/asr-engine.ts';
import type { AudioTap } from '../../media/audio/audio-tap.ts';
import { HearingRouter } from '../../media/sfu/hearing-router.ts';
import { HearingTranscriber, type TranscriptionStatus } from '../../media/transcription/hearing-transcriber.ts';
import { segmentsOf } from '../../hub/collab/transcript-model.ts';
import { silentLogger } from '../../platform/logger.ts';

/** A slow engine: takes audio, recognises nothing until ended, and counts what it was given. */
class SlowSession implements AsrSession {
  written = 0;
  ended = false;
  constructor(readonly options: AsrSessionOptions) {}
  get backlog() {
    return { queuedMs: this.ended ? 0 : this.written / 16, droppedMs: 0 };
  }
  write(pcm: Int16Array): void {
    this.written += pcm.length;
    this.options.onBacklog?.(this.backlog);
  }
  async end(): Promise<void> {
    this.ended = true;
  }
  abort(): void {
    this.ended = true;
  }
}

function slowEngine(): AsrEngine & { sessions: SlowSession[] } {
  const sessions: SlowSession[] = [];
  return { name: 'pocketsphinx', sessions, start: (options) => sessions[sessions.push(new SlowSession(options)) - 1]!, close: async () => {} };
}

/** 20 ms of a loud tone (speech, for the voice activity detector). */
function loudFrame(): Int16Array {
  const samples = new Int16Array(320);
  for (let i = 0; i < samples.length; i++) samples[i] = Math.round(8000 * Math.sin((2 * Math.PI * 300 * i) / 16_000));
  return samples;
}

const stops: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const stop of stops.splice(0)) await stop();
});

function setUp(options: { maxSessions: number; maxWaitingMs: number; now?: () => number }) {
  const doc = new Y.Doc();
  const router = new HearingRouter({ hearingId: 'queue-test', now: () => 0 });
  const taps = new Map<string, AudioTap>();
  const audioTap = router.audioTap.bind(router);
  router.audioTap = (participantId: string) => {
    const tap = audioTap(participantId);
    taps.set(participantId, tap);
    return tap;
  };
  const engine = slowEngine();
  const statuses: TranscriptionStatus[] = [];
  const transcriber = new HearingTranscriber({
    router,
    engine,
    language: 'en',
    writeTranscript: async (change) => change(doc),
    logger: silentLogger,
    onStatus: (status) => statuses.push(status),
    ...options,
  });
  stops.push(() => transcriber.stop(), () => router.close());
  const speakers = ['a', 'b'].map((id) => ({ participantId: id, role: 'party', displayName: id.toUpperCase() }));
  transcriber.follow({ state: 'inSession', startedAt: new Date().toISOString(), participants: speakers });
  for (const { participantId } of speakers) router.admit(participantId);
  const sound = (participantId: string, ms: number, fromMs: number, samples: () => Int16Array) => {
    for (let t = 0; t < ms; t += 20) taps.get(participantId)!.events.emit('frame', { participantId, hearingTimeMs: fromMs + t, sampleRate: 16_000, samples: samples() });
  };
  const speak = (participantId: string, ms: number, fromMs = 0) => sound(participantId, ms, fromMs, loudFrame);
  const keepQuiet = (participantId: string, ms: number, fromMs: number) => sound(participantId, ms, fromMs, () => new Int16Array(320));
  return { doc, router, engine, transcriber, statuses, speak, keepQuiet };
}

describe('live recognition queue per hearing', () => {
  it('runs at most maxSessions engine sessions; the next speaker waits and the wait is reported', async () => {
    const { engine, transcriber, speak, doc } = setUp({ maxSessions: 1, maxWaitingMs: 10_000 });
    speak('a', 1000);
    speak('b', 2000);
    expect(engine.sessions).toHaveLength(1);
    const status = transcriber.status();
    expect(status).toMatchObject({ speakers: 2, sessions: 1, waiting: 1, droppedMs: 0 });
    // a's second of speech is with the engine; b's two seconds wait.
    expect(status.queuedMs).toBeGreaterThanOrEqual(2000 + 900);
    // Both are shown as being recognised meanwhile (the room writes are queued in order).
    await vi.waitFor(() => expect(segmentsOf(doc)).toHaveLength(2));
    expect(segmentsOf(doc).filter((segment) => segment.partial).map((segment) => segment.speaker.participantId).sort()).toEqual(['a', 'b']);
  });

  it('shows how long a finished utterance has waited for its text (the engine keeps it and says nothing)', () => {
    let now = 1_000_000;
    const { transcriber, speak, keepQuiet } = setUp({ maxSessions: 1, maxWaitingMs: 10_000, now: () => now });
    expect(transcriber.status().awaitingTextMs).toBe(0);
    speak('a', 1000);
    // A second of quiet ends the utterance for the voice detector; the slow engine recognises nothing.
    keepQuiet('a', 1000, 1000);
    now += 4000;
    expect(transcriber.status().awaitingTextMs).toBeGreaterThanOrEqual(3000);
  });

  it('drops the oldest waiting audio beyond the bound and says how much', () => {
    const { transcriber, speak } = setUp({ maxSessions: 1, maxWaitingMs: 1000 });
    speak('a', 500);
    speak('b', 3000);
    const status = transcriber.status();
    expect(status.waiting).toBe(1);
    expect(status.queuedMs).toBeLessThanOrEqual(500 + 1000 + 20);
    expect(status.droppedMs).toBeGreaterThanOrEqual(1900);
  });

  it('gives the session to the waiting speaker when the first is muted, with the audio that waited', async () => {
    const { router, engine, transcriber, speak } = setUp({ maxSessions: 1, maxWaitingMs: 10_000 });
    speak('a', 1000);
    speak('b', 1500);
    router.setMuted('a', true);
    await transcriber.drain().catch(() => {});
    expect(engine.sessions).toHaveLength(2);
    expect(engine.sessions[0]!.ended).toBe(true);
    // b's session got everything b said while waiting (1.5 s = 24 000 samples, the first frames of pre-roll included).
    expect(engine.sessions[1]!.written).toBeGreaterThanOrEqual(24_000 - 320);
    expect(transcriber.status()).toMatchObject({ sessions: 0, waiting: 0, speakers: 0 });
  });

  it('reports a status to the clerk when asked to drain, and an engine that cannot start as an error, not a crash', async () => {
    const { engine, transcriber, speak, statuses } = setUp({ maxSessions: 2, maxWaitingMs: 1000 });
    engine.start = () => {
      throw new Error('engine down');
    };
    speak('a', 500);
    await transcriber.drain();
    expect(statuses.at(-1)).toMatchObject({ hearingId: 'queue-test', errors: 1, sessions: 0 });
  });
});
