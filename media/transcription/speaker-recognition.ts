// One participant's speech while they are heard (admitted, not muted): the tap's frames go through a
// voice activity detector, so a partial segment appears as soon as they speak, and into a speech
// recognition session (opened when speech starts, if the hearing has a free session; else the audio
// waits, boundedly). Final segments replace the partials they overlap; partials nothing was
// recognised for are dropped. Times are mapped from the engine's stream clock to the hearing's.
import type { AsrBacklog, AsrEngine, AsrLanguage, AsrSegment, AsrSession } from '../../models/asr/asr-engine.ts';
import { VoiceActivityDetector, voiceChunkMs } from '../../models/asr/vad.ts';
import type { TranscriptSpeaker } from '../../hub/collab/transcript-model.ts';
import { TAP_SAMPLE_RATE, type AudioFrame } from '../audio/audio-tap.ts';
import type { FinalSegment, PartialSegment } from './asr-transcript-edits.ts';
import { StreamClock } from './stream-clock.ts';

/** Audio kept from before speech starts, so the engine hears the first syllable too. */
const PRE_ROLL_MS = 600;
/** Speech times from the VAD and the engine differ a little: overlaps are judged with this margin. */
const OVERLAP_SLACK_MS = 400;
/** The VAD opens a chunk after this much loud audio: the speech began about this long before. */
const ONSET_LAG_MS = 120;
/** Silence padded when the sender went quiet mid-utterance (so the engine closes the utterance). */
const PAD_SILENCE_MS = 1000;

/** What a recognition stream asks of its hearing: the room writes, session slots and reports. */
export interface RecognitionHost {
  readonly engine: AsrEngine;
  readonly language: AsrLanguage;
  readonly maxWaitingMs: number;
  newSegmentId(): string;
  /** Router time → ms since the hearing started. */
  hearingMs(routerMs: number): number;
  /** Router time → wall clock (Date.now() scale). */
  wallMs(routerMs: number): number;
  now(): number;
  openPartial(partial: PartialSegment): void;
  settle(partialId: string | null, final: FinalSegment): void;
  dropPartial(partialId: string): void;
  /** A slot for an engine session: true at once, or later through grantSession(). */
  requestSession(stream: SpeakerRecognition): boolean;
  /** Gives back one slot (once per slot given). */
  releaseSession(): void;
  recognised(delayMs: number): void;
  backlogChanged(): void;
  failed(participantId: string, error: unknown): void;
}

interface Pending {
  id: string;
  startMs: number;
  /** null while the speech goes on. */
  endMs: number | null;
  /** Wall time the speech ended (for giving up on a partial nothing came for). */
  closedAt: number | null;
}

interface OpenSession {
  asr: AsrSession;
  clock: StreamClock;
}

export class SpeakerRecognition {
  private readonly vad = new VoiceActivityDetector();
  private readonly vadClock = new StreamClock();
  private readonly pending: Pending[] = [];
  /** Recent frames while no session listens (the pre-roll), or all frames while waiting for a slot. */
  private held: AudioFrame[] = [];
  private heldMs = 0;
  private waiting = false;
  private session: OpenSession | null = null;
  /** Sessions ending (their last finals still to come). */
  private readonly ending = new Set<Promise<void>>();
  private droppedMs = 0;
  /** Backlog of sessions that already ended (dropped audio stays counted). */
  private endedDroppedMs = 0;
  private state: 'listening' | 'ending' | 'ended' = 'listening';
  private lastFrameAt = 0;
  private padded = false;
  private lastSpeechAt = 0;
  private broken = false;
  private finished: Promise<void> | null = null;
  private onGranted: (() => void) | null = null;

  constructor(
    readonly participantId: string,
    private speaker: TranscriptSpeaker,
    private readonly host: RecognitionHost,
  ) {
    this.lastSpeechAt = host.now();
  }

  get isWaiting(): boolean {
    return this.waiting;
  }

  get hasSession(): boolean {
    return this.session !== null;
  }

  /** A session that may be given to another participant: nobody speaks here and nothing is pending. */
  idleFor(now: number): number {
    if (!this.session || this.vad.inSpeech || this.pending.length > 0) return 0;
    return now - this.lastSpeechAt;
  }

  /**
   * Wall time the oldest utterance that ended without text yet ended (null: none). The engine's own
   * backlog misses audio already handed to its process (pipes hold seconds of it), so this is what
   * shows honestly that recognition is falling behind.
   */
  get awaitingTextSince(): number | null {
    let oldest: number | null = null;
    for (const partial of this.pending) if (partial.closedAt !== null && (oldest === null || partial.closedAt < oldest)) oldest = partial.closedAt;
    return oldest;
  }

  get backlog(): AsrBacklog {
    const sessionBacklog = this.session?.asr.backlog ?? { queuedMs: 0, droppedMs: 0 };
    return {
      queuedMs: Math.round(sessionBacklog.queuedMs + (this.waiting ? this.heldMs : 0)),
      droppedMs: Math.round(this.droppedMs + this.endedDroppedMs + sessionBacklog.droppedMs),
    };
  }

  rename(speaker: TranscriptSpeaker): void {
    this.speaker = speaker;
  }

  hear(frame: AudioFrame): void {
    if (this.state !== 'listening' || this.broken) return;
    this.lastFrameAt = this.host.now();
    this.padded = false;
    this.detect(frame.samples, frame.hearingTimeMs);
    if (this.session) this.write(this.session, frame.samples, frame.hearingTimeMs);
    else this.hold(frame);
  }

  /** The host's tick: a sender that went quiet mid-utterance gets silence padded, so its utterance ends. */
  padIfQuiet(now: number, quietMs: number): void {
    if (this.state !== 'listening' || this.padded || !this.session || now - this.lastFrameAt < quietMs) return;
    if (!this.vad.inSpeech && this.pending.length === 0) return;
    this.padded = true;
    const silence = new Int16Array((TAP_SAMPLE_RATE * PAD_SILENCE_MS) / 1000);
    this.detect(silence, null);
    this.write(this.session, silence, null);
  }

  /** Partials whose speech ended long ago with nothing recognised (noise, or audio that was dropped). */
  dropStale(now: number, afterMs: number): void {
    // An engine that is behind still owes text for older speech: give it that much longer.
    const patienceMs = afterMs + this.backlog.queuedMs;
    for (const partial of [...this.pending]) {
      if (partial.closedAt !== null && now - partial.closedAt > patienceMs) this.forget(partial);
    }
  }

  /** The hearing gives this stream the session slot it waited for. */
  grantSession(): void {
    this.waiting = false;
    if (this.session || this.broken) this.host.releaseSession();
    else this.startSession();
    this.onGranted?.();
    this.onGranted = null;
  }

  /** Ends the engine session (the slot goes back); listening goes on and opens another when speech comes. */
  endSession(): Promise<void> {
    const session = this.session;
    if (!session) return Promise.resolve();
    this.session = null;
    const ended = session.asr
      .end()
      .catch((error: unknown) => this.host.failed(this.participantId, error))
      .finally(() => {
        this.endedDroppedMs += session.asr.backlog.droppedMs;
        this.ending.delete(ended);
        this.host.releaseSession();
        // Its last finals are in: what is still pending belonged to no words.
        if (!this.session) for (const partial of [...this.pending]) if (partial.endMs !== null) this.forget(partial);
        this.host.backlogChanged();
      });
    this.ending.add(ended);
    return ended;
  }

  /** Muted, dismissed, gone or the hearing is over: recognises what was said, then stops. Idempotent. */
  end(): Promise<void> {
    if (this.finished) return this.finished;
    this.state = 'ending';
    for (const chunk of this.vad.flush()) this.closePartial(chunk.startMs + voiceChunkMs(chunk));
    this.finished = (async () => {
      // Still in the hearing's queue: the slot comes as other sessions end, then what waited is recognised.
      if (this.waiting) await new Promise<void>((resolve) => (this.onGranted = resolve));
      await this.endSession();
      await Promise.all([...this.ending]);
      for (const partial of [...this.pending]) this.forget(partial);
      this.state = 'ended';
    })();
    return this.finished;
  }

  /** Stops at once (the engine is closing, the hub stops): nothing more is written. */
  abort(): void {
    this.state = 'ended';
    this.broken = true;
    this.session?.asr.abort();
    this.session = null;
    this.waiting = false;
    this.onGranted?.();
    this.onGranted = null;
  }

  // --- speech detection and partials ----------------------------------------------------------

  private detect(samples: Int16Array, routerMs: number | null): void {
    const wasInSpeech = this.vad.inSpeech;
    const streamStartMs = this.vadClock.writtenMs;
    this.vadClock.advance(samples.length, routerMs);
    const closed = this.vad.push(samples);
    for (const chunk of closed) this.closePartial(chunk.startMs + voiceChunkMs(chunk));
    if (!this.vad.inSpeech) return;
    this.lastSpeechAt = this.host.now();
    if (wasInSpeech && closed.length === 0) return;
    // Speech began (or a long one was cut and goes on): a partial, and a session to hear it.
    const onsetStreamMs = Math.max(0, streamStartMs + (samples.length * 1000) / TAP_SAMPLE_RATE - ONSET_LAG_MS);
    const partial: Pending = {
      id: this.host.newSegmentId(),
      startMs: Math.max(0, Math.round(this.host.hearingMs(this.vadClock.routerMsAt(onsetStreamMs)))),
      endMs: null,
      closedAt: null,
    };
    this.pending.push(partial);
    this.host.openPartial({ id: partial.id, speaker: this.speaker, startMs: partial.startMs, engine: this.host.engine.name });
    if (!this.session && !this.waiting) {
      if (this.host.requestSession(this)) this.startSession();
      else this.waiting = true;
    }
  }

  private closePartial(chunkEndStreamMs: number): void {
    const open = this.pending.find((partial) => partial.endMs === null);
    if (!open) return;
    open.endMs = Math.max(open.startMs, Math.round(this.host.hearingMs(this.vadClock.routerMsAt(chunkEndStreamMs))));
    open.closedAt = this.host.now();
  }

  private forget(partial: Pending): void {
    const index = this.pending.indexOf(partial);
    if (index < 0) return;
    this.pending.splice(index, 1);
    this.host.dropPartial(partial.id);
  }

  // --- the engine session -----------------------------------------------------------------------

  private startSession(): void {
    const clock = new StreamClock();
    let asr: AsrSession;
    try {
      asr = this.host.engine.start({
        language: this.host.language,
        onSegment: (segment) => this.onSegment(clock, segment),
        onBacklog: () => this.host.backlogChanged(),
      });
    } catch (error) {
      this.broken = true;
      this.host.releaseSession();
      this.host.failed(this.participantId, error);
      for (const partial of [...this.pending]) this.forget(partial);
      return;
    }
    this.session = { asr, clock };
    const held = this.held;
    this.held = [];
    this.heldMs = 0;
    for (const frame of held) this.write(this.session, frame.samples, frame.hearingTimeMs);
    this.host.backlogChanged();
  }

  private write(session: OpenSession, samples: Int16Array, routerMs: number | null): void {
    session.clock.advance(samples.length, routerMs);
    session.asr.write(samples);
  }

  /** Without a session: the pre-roll; while waiting for a slot: everything, up to the hearing's bound. */
  private hold(frame: AudioFrame): void {
    this.held.push(frame);
    this.heldMs += (frame.samples.length * 1000) / TAP_SAMPLE_RATE;
    const limit = this.waiting ? this.host.maxWaitingMs : PRE_ROLL_MS;
    let changed = false;
    while (this.heldMs > limit && this.held.length > 1) {
      const oldest = this.held.shift()!;
      const oldestMs = (oldest.samples.length * 1000) / TAP_SAMPLE_RATE;
      this.heldMs -= oldestMs;
      if (this.waiting) {
        this.droppedMs += oldestMs;
        changed = true;
      }
    }
    if (this.waiting) this.host.backlogChanged();
    else if (changed) this.host.backlogChanged();
  }

  private onSegment(clock: StreamClock, segment: AsrSegment): void {
    if (this.broken || !segment.final) return;
    const text = segment.text.trim();
    if (!text) return;
    const endRouterMs = clock.routerMsAt(segment.endMs);
    const startMs = Math.max(0, Math.round(this.host.hearingMs(clock.routerMsAt(segment.startMs))));
    const endMs = Math.max(startMs, Math.round(this.host.hearingMs(endRouterMs)));
    // Speech the engine passed over (pocketsphinx reports in order): nothing will come for it.
    for (const partial of [...this.pending]) {
      if (partial.endMs !== null && partial.endMs < startMs - OVERLAP_SLACK_MS) this.forget(partial);
    }
    const overlaps = (partial: Pending) => partial.startMs <= endMs + OVERLAP_SLACK_MS && (partial.endMs ?? Infinity) >= startMs - OVERLAP_SLACK_MS;
    const match = this.pending.find(overlaps) ?? null;
    if (match) this.pending.splice(this.pending.indexOf(match), 1);
    this.host.settle(match?.id ?? null, { speaker: this.speaker, startMs, endMs, text, engine: this.host.engine.name });
    // Two stretches of speech the engine heard as one utterance: the later partials are covered by this text.
    for (const partial of [...this.pending]) {
      if (partial.endMs !== null && overlaps(partial)) this.forget(partial);
    }
    this.host.recognised(Math.max(0, this.host.now() - this.host.wallMs(endRouterMs)));
  }
}
