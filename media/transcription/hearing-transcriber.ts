// Live speech recognition of one hearing (笔录的语音识别): every participant the router forwards (admitted,
// not muted, connected) while the hearing is in session is heard through an audio tap; their speech
// becomes transcript segments written through the transcript room, attributed to them, timed from the
// hearing's start. At most `maxSessions` engine sessions run per hearing; others wait with a bounded
// backlog. How far recognition is behind (queued, dropped, delay) is reported for the clerk.
import type * as Y from 'yjs';
import type { Logger } from '../../platform/logger.ts';
import type { AsrEngine, AsrLanguage } from '../../models/asr/asr-engine.ts';
import { newUuid } from '../../hub/collab/new-id.ts';
import type { TranscriptSpeaker } from '../../hub/collab/transcript-model.ts';
import type { AudioTap } from '../audio/audio-tap.ts';
import type { HearingRouter } from '../sfu/hearing-router.ts';
import type { Unsubscribe } from '../sfu/typed-events.ts';
import { dropPartialSegment, openPartialSegment, settleSegment, type FinalSegment, type PartialSegment } from './asr-transcript-edits.ts';
import { SpeakerRecognition, type RecognitionHost } from './speaker-recognition.ts';

export const DEFAULT_MAX_SESSIONS = 6;
export const DEFAULT_MAX_WAITING_MS = 15_000;
const TICK_MS = 250;
/** A sender silent this long mid-utterance (Opus DTX, a dropped connection) gets silence padded. */
export const DEFAULT_QUIET_MS = 600;
/** A partial whose speech ended this long ago with nothing recognised is dropped. */
const STALE_PARTIAL_MS = 8_000;
/** A session nobody spoke into for this long is ended (a process less); the next speech opens another. */
const IDLE_SESSION_MS = 60_000;
/** An idle session is handed over sooner when someone else waits for one. */
const IDLE_HANDOVER_MS = 1_500;
/** Status reports at most this often (it is live information, not a record). */
const STATUS_EVERY_MS = 1_000;

/** What the hearing actor says about the hearing, as far as recognition needs it. */
export interface HearingFacts {
  state: string;
  /** ISO time the judge started the hearing (null: not started). */
  startedAt: string | null;
  participants: readonly TranscriptSpeaker[];
}

/** What the clerk sees of live recognition (not persisted). */
export interface TranscriptionStatus {
  hearingId: string;
  engine: string;
  /** Participants being heard now. */
  speakers: number;
  /** Engine sessions running, and participants waiting for one. */
  sessions: number;
  waiting: number;
  /** Audio heard but not recognised yet, and audio dropped because recognition fell too far behind. */
  queuedMs: number;
  droppedMs: number;
  /** From the end of the last recognised utterance to its text (null: none yet). */
  lastDelayMs: number | null;
  /** How long the oldest utterance that ended has waited for its text (0: none waits); grows when recognition falls behind. */
  awaitingTextMs: number;
  /** Engine failures in this hearing so far. */
  errors: number;
}

/** What recognition needs of the hearing's router: its clock, who it forwards, and taps. */
export type TranscribedRouter = Pick<HearingRouter, 'hearingId' | 'events' | 'hearingTimeMs' | 'isClosed' | 'isAdmitted' | 'isMuted' | 'audioTap'>;

export interface HearingTranscriberOptions {
  router: TranscribedRouter;
  engine: AsrEngine;
  language: AsrLanguage;
  /** Runs one change in the hearing's transcript room (applySystemUpdate with an asr origin); resolves once saved. */
  writeTranscript(change: (doc: Y.Doc) => void): Promise<void>;
  logger: Logger;
  onStatus?(status: TranscriptionStatus): void;
  maxSessions?: number;
  maxWaitingMs?: number;
  /** After this long without audio from a speaker mid-utterance, silence is padded (default 600 ms). */
  quietMs?: number;
  /** Wall clock in ms (Date.now scale). */
  now?: () => number;
}

interface Heard {
  stream: SpeakerRecognition;
  tap: AudioTap;
}

export class HearingTranscriber implements RecognitionHost {
  readonly hearingId: string;
  readonly engine: AsrEngine;
  readonly language: AsrLanguage;
  readonly maxWaitingMs: number;
  private readonly maxSessions: number;
  private readonly log: Logger;
  private readonly heard = new Map<string, Heard>();
  /** Every stream not finished yet (heard now, or ending). */
  private readonly streams = new Set<SpeakerRecognition>();
  /** Streams that ended but whose last words are still being recognised. */
  private readonly finishing = new Set<Promise<void>>();
  /** Engine sessions running (a stream may briefly have two: one ending, one new). */
  private sessionsInUse = 0;
  private readonly queue: SpeakerRecognition[] = [];
  private facts: HearingFacts = { state: 'unknown', startedAt: null, participants: [] };
  private startedAtMs: number | null = null;
  /** Wall time of the router's zero (its taps' clock). */
  private readonly routerZeroWallMs: number;
  private writes: Promise<void> = Promise.resolve();
  private readonly unsubscribe: Unsubscribe[];
  private readonly ticker: NodeJS.Timeout;
  private lastDelayMs: number | null = null;
  private errors = 0;
  private statusDirty = true;
  private lastStatusAt = 0;
  private stopped = false;
  readonly now: () => number;

  constructor(private readonly options: HearingTranscriberOptions) {
    this.hearingId = options.router.hearingId;
    this.engine = options.engine;
    this.language = options.language;
    this.maxSessions = options.maxSessions ?? DEFAULT_MAX_SESSIONS;
    this.maxWaitingMs = options.maxWaitingMs ?? DEFAULT_MAX_WAITING_MS;
    this.now = options.now ?? Date.now;
    this.log = options.logger.child({ component: 'transcription', hearingId: this.hearingId, engine: options.engine.name });
    this.routerZeroWallMs = this.now() - options.router.hearingTimeMs();
    const events = options.router.events;
    const reconcile = ({ participantId }: { participantId: string }) => this.reconcile(participantId);
    this.unsubscribe = [
      events.on('forwardingChanged', reconcile),
      events.on('closed', () => void this.drain()),
    ];
    this.ticker = setInterval(() => this.tick(), TICK_MS);
    this.ticker.unref();
  }

  /** The hearing actor's newest view: who speaks under which name, and whether the hearing is in session. */
  follow(facts: HearingFacts): void {
    if (this.stopped) return;
    this.facts = facts;
    this.startedAtMs = facts.startedAt ? Date.parse(facts.startedAt) : null;
    for (const speaker of facts.participants) this.heard.get(speaker.participantId)?.stream.rename(speaker);
    const ids = new Set([...this.heard.keys(), ...facts.participants.map((p) => p.participantId)]);
    for (const participantId of ids) this.reconcile(participantId);
  }

  /** Who is heard right now (participant ids). */
  get listening(): string[] {
    return [...this.heard.keys()];
  }

  status(): TranscriptionStatus {
    let queuedMs = 0;
    let droppedMs = 0;
    let awaitingTextMs = 0;
    const now = this.now();
    for (const { stream } of this.heard.values()) {
      queuedMs += stream.backlog.queuedMs;
      droppedMs += stream.backlog.droppedMs;
      const since = stream.awaitingTextSince;
      if (since !== null) awaitingTextMs = Math.max(awaitingTextMs, now - since);
    }
    return {
      hearingId: this.hearingId,
      engine: this.engine.name,
      speakers: this.heard.size,
      sessions: this.sessionsInUse,
      waiting: this.queue.length,
      queuedMs,
      droppedMs,
      lastDelayMs: this.lastDelayMs,
      awaitingTextMs: Math.round(awaitingTextMs),
      errors: this.errors,
    };
  }

  /**
   * Ends every recognition session of the hearing and resolves once their last final segments are in
   * the room (the transcript is about to be frozen). Never rejects.
   */
  async drain(): Promise<void> {
    for (const participantId of [...this.heard.keys()]) this.stopHearing(participantId);
    await Promise.all([...this.finishing]);
    await this.writes;
    this.report(true);
  }

  /** Stops at once (the hub is stopping): sessions aborted, writes already queued finished. */
  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    clearInterval(this.ticker);
    for (const off of this.unsubscribe) off();
    for (const { tap } of this.heard.values()) tap.close();
    for (const stream of this.streams) stream.abort();
    this.heard.clear();
    this.streams.clear();
    this.queue.length = 0;
    this.sessionsInUse = 0;
    await this.writes;
  }

  // --- RecognitionHost ---------------------------------------------------------------------------

  newSegmentId(): string {
    return newUuid();
  }

  hearingMs(routerMs: number): number {
    return this.routerZeroWallMs + routerMs - (this.startedAtMs ?? this.routerZeroWallMs);
  }

  wallMs(routerMs: number): number {
    return this.routerZeroWallMs + routerMs;
  }

  openPartial(partial: PartialSegment): void {
    this.write('open a partial segment', (doc) => openPartialSegment(doc, partial));
  }

  settle(partialId: string | null, final: FinalSegment): void {
    this.write('write a recognised segment', (doc) => {
      const outcome = settleSegment(doc, partialId, final);
      if (outcome === 'keptHumanText') this.log.info('recognised text kept aside: the segment was edited meanwhile', { segmentId: partialId });
    });
  }

  dropPartial(partialId: string): void {
    this.write('drop a partial segment', (doc) => dropPartialSegment(doc, partialId));
  }

  recognised(delayMs: number): void {
    this.lastDelayMs = Math.round(delayMs);
    this.statusDirty = true;
  }

  backlogChanged(): void {
    this.statusDirty = true;
  }

  failed(participantId: string, error: unknown): void {
    this.errors += 1;
    this.statusDirty = true;
    this.log.error('speech recognition failed', { error, participantId });
  }

  requestSession(stream: SpeakerRecognition): boolean {
    if (this.sessionsInUse < this.maxSessions) {
      this.sessionsInUse += 1;
      return true;
    }
    if (!this.queue.includes(stream)) this.queue.push(stream);
    this.statusDirty = true;
    return false;
  }

  /** One session slot comes back (exactly once per slot given); the longest waiting stream gets it. */
  releaseSession(): void {
    if (this.stopped) return;
    this.sessionsInUse = Math.max(0, this.sessionsInUse - 1);
    while (this.queue.length > 0 && this.sessionsInUse < this.maxSessions) {
      const next = this.queue.shift()!;
      this.sessionsInUse += 1;
      next.grantSession();
    }
    this.statusDirty = true;
  }

  // --- who is heard ------------------------------------------------------------------------------

  private shouldHear(participantId: string): TranscriptSpeaker | null {
    if (this.stopped || this.facts.state !== 'inSession' || this.startedAtMs === null) return null;
    const router = this.options.router;
    // Connection is not asked: a participant who is not connected sends nothing, and one who drops
    // mid-sentence gets silence padded (tick), which ends their utterance.
    if (router.isClosed || !router.isAdmitted(participantId) || router.isMuted(participantId)) return null;
    return this.facts.participants.find((p) => p.participantId === participantId) ?? null;
  }

  private reconcile(participantId: string): void {
    const speaker = this.shouldHear(participantId);
    const heard = this.heard.get(participantId);
    if (speaker && !heard) this.startHearing(speaker);
    else if (!speaker && heard) this.stopHearing(participantId);
  }

  private startHearing(speaker: TranscriptSpeaker): void {
    const stream = new SpeakerRecognition(speaker.participantId, speaker, this);
    this.streams.add(stream);
    const tap = this.options.router.audioTap(speaker.participantId);
    tap.on('frame', (frame) => stream.hear(frame));
    tap.on('closed', () => {
      if (this.heard.get(speaker.participantId)?.tap === tap) this.stopHearing(speaker.participantId);
    });
    this.heard.set(speaker.participantId, { stream, tap });
    this.statusDirty = true;
    this.log.debug('hearing a participant', { participantId: speaker.participantId });
  }

  /** Muted, dismissed, gone or no longer in session: what they said is recognised, nothing more is heard. */
  private stopHearing(participantId: string): void {
    const heard = this.heard.get(participantId);
    if (!heard) return;
    this.heard.delete(participantId);
    heard.tap.close();
    const done = heard.stream.end().catch((error: unknown) => this.failed(participantId, error));
    this.finishing.add(done);
    void done.finally(() => {
      this.finishing.delete(done);
      this.streams.delete(heard.stream);
      this.statusDirty = true;
    });
  }

  private write(what: string, change: (doc: Y.Doc) => void): void {
    this.writes = this.writes
      .then(() => this.options.writeTranscript(change))
      .catch((error: unknown) => {
        this.errors += 1;
        this.log.error(`could not ${what} in the transcript`, { error });
      });
  }

  private tick(): void {
    const now = this.now();
    const streams = [...this.heard.values()].map((heard) => heard.stream);
    for (const stream of streams) {
      stream.padIfQuiet(now, this.options.quietMs ?? DEFAULT_QUIET_MS);
      stream.dropStale(now, STALE_PARTIAL_MS);
      const idle = stream.idleFor(now);
      if (idle > IDLE_SESSION_MS || (this.queue.length > 0 && idle > IDLE_HANDOVER_MS)) void stream.endSession();
    }
    this.report(false);
  }

  private report(force: boolean): void {
    const now = this.now();
    if (!this.options.onStatus || (!force && (!this.statusDirty || now - this.lastStatusAt < STATUS_EVERY_MS))) return;
    this.statusDirty = false;
    this.lastStatusAt = now;
    try {
      this.options.onStatus(this.status());
    } catch (error) {
      this.log.warn('reporting the recognition status failed', { error });
    }
  }
}
