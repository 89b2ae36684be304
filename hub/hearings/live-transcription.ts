// Live transcript of the hearings whose media this node holds: a HearingTranscriber beside each
// router of the media pool, following the same hearing events as the media gateway (who speaks under
// which name, whether the hearing is in session, when it started), writing through the transcript
// room, and publishing how recognition keeps up for the hearing's staff (hearing.asr over /rt).
// Each hearing is heard in its own language (chosen when scheduled; the hub's default otherwise);
// a hearing whose language the engine cannot hear is not transcribed, and its staff are told so.
// Without a usable engine the hub runs on without live recognition: the clerk types the record.
import type * as Y from 'yjs';
import type { Bus, BusSubscription } from '../../actors/bus/bus.ts';
import { subjects } from '../../actors/bus/subjects.ts';
import { HEARING_KIND } from '../../actors/hearing/hearing-behaviour.ts';
import { AsrEngineUnavailableError, type AsrEngine, type AsrLanguage } from '../../models/asr/asr-engine.ts';
import { createAsrEngine } from '../../models/asr/create-asr-engine.ts';
import type { Config } from '../../platform/config.ts';
import { HearingTranscriber, type HearingFacts, type TranscriptionStatus } from '../../media/transcription/hearing-transcriber.ts';
import type { MediaPool } from '../../media/sfu/media-pool.ts';
import type { Logger } from '../../platform/logger.ts';
import type { Db } from '../../storage/database.ts';
import { getHearingProgress } from '../../storage/hearings/get-hearing-progress.ts';
import { transcriptDocName } from '../collab/doc-names.ts';
import type { RoomRegistry } from '../collab/room-registry.ts';
import { frozenAtOf } from '../collab/transcript-freeze.ts';
import { languageRefusal } from './engine-hears-language.ts';
import { batchEvents } from '../../actors/runtime/event-batch-reactor.ts';

/** The bus message behind /rt `hearing.asr`. */
export interface HearingAsrNotice extends TranscriptionStatus {
  caseId: string;
  /** The language the hearing is heard in. */
  language: AsrLanguage;
  /** Why the hearing is not transcribed at all (null: it is). */
  unavailable: 'languageNotSupported' | null;
  at: string;
}

/**
 * One change into a transcript through its live room, as recognition (typed asr origin); resolves once
 * saved. A transcript already frozen for confirmation takes no more recognition: what the parties
 * review must be what is filed (a result that comes that late is logged, not written).
 */
export function transcriptRoomWriter(
  registry: RoomRegistry,
  docName: string,
  engine: string,
  log: Logger,
): (change: (doc: Y.Doc) => void) => Promise<void> {
  return (change) =>
    registry.withRoom(docName, 'transcript', (room) => {
      if (frozenAtOf(room.doc) !== null) {
        log.warn('a speech recognition result came after the transcript was frozen and was not written', { docName });
        return;
      }
      room.applySystemUpdate(change, { source: 'asr', engine });
    });
}

export interface LiveTranscriptionOptions {
  pool: MediaPool;
  bus: Bus;
  db: Db;
  rooms: RoomRegistry;
  engine: AsrEngine;
  /** The language of hearings scheduled without one (ECOURT_ASR_LANGUAGE). */
  defaultLanguage: AsrLanguage;
  logger: Logger;
  maxSessionsPerHearing?: number;
}

/**
 * The node's live recognition as configured (ECOURT_ASR_ENABLED, ECOURT_ASR_ENGINE; ECOURT_ASR_LANGUAGE
 * is the default language of hearings), or null — with one clear warning — when it is off or its
 * engine cannot run here. An engine that cannot hear the default language still runs: hearings
 * scheduled in another language are heard.
 */
export async function createLiveTranscription(
  config: Pick<Config, 'ECOURT_ASR_ENABLED' | 'ECOURT_ASR_ENGINE' | 'ECOURT_ASR_LANGUAGE' | 'WHISPER_MODEL'>,
  options: Omit<LiveTranscriptionOptions, 'engine' | 'defaultLanguage'>,
): Promise<LiveTranscription | null> {
  const log = options.logger.child({ component: 'live-transcription' });
  if (!config.ECOURT_ASR_ENABLED) return null;
  try {
    const engine = await createAsrEngine(config, options.logger);
    if (languageRefusal(engine, config.ECOURT_ASR_LANGUAGE)) {
      log.warn('the speech recognition engine cannot hear the default hearing language: hearings held in it are not transcribed (the clerk types the record); hearings scheduled in another language are', {
        engine: engine.name,
        defaultLanguage: config.ECOURT_ASR_LANGUAGE,
      });
    }
    log.info('live recognition on', { engine: engine.name, defaultLanguage: config.ECOURT_ASR_LANGUAGE });
    return new LiveTranscription({ ...options, engine, defaultLanguage: config.ECOURT_ASR_LANGUAGE });
  } catch (error) {
    if (!(error instanceof AsrEngineUnavailableError)) throw error;
    log.warn('live recognition is off: the speech recognition engine cannot start; the clerk types the record', { reason: error.message });
    return null;
  }
}

interface Followed {
  transcriber: HearingTranscriber | null;
  /** The engine cannot hear the hearing's language (so it is not transcribed): which it is. */
  untranscribed: AsrLanguage | null;
  /** The newest state the hearing actor reported (events and the projection may arrive out of order). */
  latest: { seq: number; state: string; summary: Record<string, unknown> } | null;
  startedAt: string | null;
  /** Reading the hearing from storage (when its router appeared, or to learn a missed start). */
  loading: Promise<void> | null;
}

export class LiveTranscription {
  private readonly hearings = new Map<string, Followed>();
  /** Hearings whose router closed and whose last results are still being recognised. */
  private readonly closing = new Map<string, Promise<void>>();
  private subscription: BusSubscription | null = null;
  private readonly offPool: (() => void)[] = [];
  private readonly log: Logger;
  private stopped = false;

  constructor(private readonly options: LiveTranscriptionOptions) {
    this.log = options.logger.child({ component: 'live-transcription', engine: options.engine.name });
  }

  start(): void {
    if (this.subscription || this.stopped) return;
    this.subscription = this.options.bus.subscribe(subjects.actorEventBatch(HEARING_KIND), (payload) => this.onHearingEvents(payload));
    this.offPool.push(
      this.options.pool.events.on('routerCreated', ({ hearingId }) => this.attach(hearingId)),
      this.options.pool.events.on('routerClosed', ({ hearingId }) => void this.detach(hearingId)),
    );
    for (const hearingId of this.options.pool.hearingIds) this.attach(hearingId);
  }

  /**
   * Ends every recognition session of the hearing and resolves once their last final segments are in
   * the transcript room (before the transcript is frozen). At once when this node does not transcribe
   * the hearing; never rejects.
   */
  async drain(hearingId: string): Promise<void> {
    const followed = this.hearings.get(hearingId);
    try {
      // The hearing's end closes its router too: that close may already be recognising the last words.
      await this.closing.get(hearingId);
      if (!followed) return;
      await followed.loading;
      await followed.transcriber?.drain();
    } catch (error) {
      this.log.error('draining live recognition failed', { error, hearingId });
    }
  }

  /** Whether this node hears the hearing (holds its router), or is still finishing it. */
  hears(hearingId: string): boolean {
    return this.hearings.has(hearingId) || this.closing.has(hearingId);
  }

  /** Stops every hearing's recognition and closes the engine (hub shutdown). */
  async stop(): Promise<void> {
    this.stopped = true;
    this.subscription?.unsubscribe();
    this.subscription = null;
    for (const off of this.offPool.splice(0)) off();
    await Promise.all([...this.hearings.keys()].map((hearingId) => this.detach(hearingId)));
    await this.options.engine.close().catch((error: unknown) => this.log.warn('closing the speech recognition engine failed', { error }));
  }

  private attach(hearingId: string): void {
    if (this.stopped || this.hearings.has(hearingId)) return;
    const followed: Followed = { transcriber: null, untranscribed: null, latest: null, startedAt: null, loading: null };
    this.hearings.set(hearingId, followed);
    this.load(hearingId, followed);
  }

  /** Reads the hearing's projection and start from storage, then applies what is newest. */
  private load(hearingId: string, followed: Followed): void {
    followed.loading = getHearingProgress({ db: this.options.db, hearingId })
      .then((progress) => {
        if (!progress) return;
        followed.startedAt ??= progress.startedAt;
        this.learn(followed, progress.lastSeq, progress.state, progress.summary);
      })
      .catch((error: unknown) => this.log.error('could not read the hearing for live recognition', { error, hearingId }))
      .finally(() => {
        followed.loading = null;
        this.apply(hearingId, followed);
      });
  }

  private detach(hearingId: string): Promise<void> {
    const followed = this.hearings.get(hearingId);
    if (!followed) return this.closing.get(hearingId) ?? Promise.resolve();
    this.hearings.delete(hearingId);
    const closed = (async () => {
      await followed.loading;
      if (!followed.transcriber) return;
      // The router closed (the hearing is over, or moved): what was said is recognised first.
      await followed.transcriber.drain();
      await followed.transcriber.stop();
    })()
      .catch((error: unknown) => this.log.error('closing live recognition of a hearing failed', { error, hearingId }))
      .finally(() => {
        if (this.closing.get(hearingId) === closed) this.closing.delete(hearingId);
      });
    this.closing.set(hearingId, closed);
    return closed;
  }

  private onHearingEvents(payload: unknown): void {
    const events = batchEvents(payload);
    for (const event of events) {
      if (typeof event?.id !== 'string' || typeof event.state !== 'string' || typeof event.summary !== 'object' || event.summary === null) continue;
      const followed = this.hearings.get(event.id);
      if (!followed) continue;
      if (event.type === 'START' && typeof event.at === 'string') followed.startedAt ??= event.at;
      this.learn(followed, typeof event.seq === 'number' ? event.seq : Number.MAX_SAFE_INTEGER, event.state, event.summary as Record<string, unknown>);
      // In session, but started before this node followed it: the journal knows when.
      if (event.state === 'inSession' && followed.startedAt === null && !followed.loading) this.load(event.id, followed);
      else if (!followed.loading) this.apply(event.id, followed);
    }
  }

  private learn(followed: Followed, seq: number, state: string, summary: Record<string, unknown>): void {
    if (followed.latest && followed.latest.seq > seq) return;
    followed.latest = { seq, state, summary };
  }

  private apply(hearingId: string, followed: Followed): void {
    const latest = followed.latest;
    if (this.stopped || !latest || this.hearings.get(hearingId) !== followed) return;
    const caseId = typeof latest.summary.caseId === 'string' ? latest.summary.caseId : null;
    if (followed.untranscribed) {
      if (caseId) this.tellUntranscribed(hearingId, caseId, followed.untranscribed);
      return;
    }
    if (!followed.transcriber) {
      const router = this.options.pool.router(hearingId);
      if (!router || router.isClosed || !caseId) return;
      const language = languageOf(latest.summary, this.options.defaultLanguage);
      let refusal: Error | null;
      try {
        refusal = languageRefusal(this.options.engine, language);
      } catch (error) {
        // Not a refusal of the language (the engine failed otherwise): tried again on the hearing's next event.
        this.log.error('could not open speech recognition for a hearing', { error, hearingId });
        return;
      }
      if (refusal) {
        this.log.warn('this hearing is not transcribed: the speech recognition engine cannot hear its language; the clerk types the record', {
          hearingId,
          language,
          reason: refusal.message,
        });
        followed.untranscribed = language;
        this.tellUntranscribed(hearingId, caseId, followed.untranscribed);
        return;
      }
      followed.transcriber = new HearingTranscriber({
        router,
        engine: this.options.engine,
        language,
        writeTranscript: transcriptRoomWriter(this.options.rooms, transcriptDocName(caseId, hearingId), this.options.engine.name, this.log),
        logger: this.options.logger,
        ...(this.options.maxSessionsPerHearing ? { maxSessions: this.options.maxSessionsPerHearing } : {}),
        onStatus: (status) =>
          this.options.bus.publish(subjects.hearingAsrStatus(), {
            ...status,
            caseId,
            language,
            unavailable: null,
            at: new Date().toISOString(),
          } satisfies HearingAsrNotice),
      });
    }
    followed.transcriber.follow(factsOf(latest.state, followed.startedAt, latest.summary));
  }

  /**
   * Tells the hearing's judges and clerks that nobody transcribes it: again on each of its events (at
   * the pace people act), so that staff who join later are told too.
   */
  private tellUntranscribed(hearingId: string, caseId: string, language: AsrLanguage): void {
    this.options.bus.publish(subjects.hearingAsrStatus(), {
      hearingId,
      engine: this.options.engine.name,
      speakers: 0,
      sessions: 0,
      waiting: 0,
      queuedMs: 0,
      droppedMs: 0,
      lastDelayMs: null,
      awaitingTextMs: 0,
      errors: 0,
      caseId,
      language,
      unavailable: 'languageNotSupported',
      at: new Date().toISOString(),
    } satisfies HearingAsrNotice);
  }
}

/** The hearing's language from its summary; hearings scheduled before hearings had one are held in the default. */
function languageOf(summary: Record<string, unknown>, defaultLanguage: AsrLanguage): AsrLanguage {
  return summary.language === 'zh' || summary.language === 'en' ? summary.language : defaultLanguage;
}

function factsOf(state: string, startedAt: string | null, summary: Record<string, unknown>): HearingFacts {
  const participants = Array.isArray(summary.participants) ? (summary.participants as Record<string, unknown>[]) : [];
  return {
    state,
    startedAt,
    participants: participants
      .filter((p) => typeof p?.participantId === 'string')
      .map((p) => ({ participantId: String(p.participantId), role: String(p.role ?? ''), displayName: String(p.displayName ?? '') })),
  };
}
