// The Whisper engine (whisper.cpp through @fugood/whisper.node): one recogniser process holds the
// model for every session; each session cuts its audio into chunks of speech (vad.ts) and queues
// them, boundedly, for the recogniser, which takes the sessions' chunks in turn. Whisper recognises
// whole chunks, so there are no partial results: each chunk yields final segments.

import { randomUUID } from 'node:crypto';
import { resolve } from 'node:path';
import type { Logger } from '../../../platform/logger.ts';
import {
  AsrEngineUnavailableError,
  type AsrBacklog,
  type AsrEngine,
  type AsrSegment,
  type AsrSession,
  type AsrSessionOptions,
} from '../asr-engine.ts';
import { VoiceActivityDetector, voiceChunkMs, type VoiceChunk } from '../vad.ts';
import { checkWhisperModelFile, WhisperModelFileError } from './whisper-model-file.ts';
import type { WhisperRawSegment } from './whisper-messages.ts';
import { WhisperRecogniser } from './whisper-recogniser.ts';

/** Audio a session may have waiting for recognition; beyond it the oldest chunks are dropped. */
export const WHISPER_MAX_BACKLOG_MS = 30_000;

export async function createWhisperEngine({
  modelPath,
  logger,
}: {
  modelPath: string | undefined;
  logger: Logger;
}): Promise<AsrEngine> {
  const unavailable = (message: string, cause?: unknown): AsrEngineUnavailableError =>
    new AsrEngineUnavailableError('whisper', message, { cause });
  if (!modelPath) throw unavailable('no model configured: set WHISPER_MODEL to the path of a ggml whisper model');
  const path = resolve(modelPath);
  try {
    await checkWhisperModelFile(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') throw unavailable(`model file ${path} does not exist`, error);
    if (error instanceof WhisperModelFileError) {
      throw unavailable(`model file ${path} is not a usable whisper model: ${error.message}`, error);
    }
    throw unavailable(`model file ${path} cannot be read: ${(error as Error).message}`, error);
  }
  const log = logger.child({ engine: 'whisper' });
  try {
    const recogniser = await WhisperRecogniser.start(path, log);
    log.info('whisper model loaded', { modelPath: path });
    return new WhisperEngine(recogniser, log);
  } catch (error) {
    throw unavailable(`model file ${path} could not be loaded: ${(error as Error).message}`, error);
  }
}

class WhisperEngine implements AsrEngine {
  readonly name = 'whisper' as const;
  /** In turn order: a session that was served goes to the back. */
  private readonly sessions = new Set<WhisperSession>();
  private inFlight: { session: WhisperSession; jobId: number } | null = null;
  private closed = false;

  constructor(private readonly recogniser: WhisperRecogniser, private readonly logger: Logger) {}

  start(options: AsrSessionOptions): AsrSession {
    if (this.closed) throw new Error('the whisper engine is closed');
    const session = new WhisperSession(this, options);
    this.sessions.add(session);
    return session;
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const session of [...this.sessions]) session.abort();
    await this.recogniser.close();
  }

  /** Sends the next waiting chunk, if the recogniser is idle. */
  schedule(): void {
    if (this.inFlight || this.closed) return;
    const session = [...this.sessions].find((candidate) => candidate.hasWaitingChunk());
    if (!session) return;
    this.sessions.delete(session);
    this.sessions.add(session);
    const chunk = session.takeChunk();
    const { jobId, result } = this.recogniser.transcribe(chunk.pcm, session.language);
    this.inFlight = { session, jobId };
    result
      .then(
        ({ segments, aborted }) => {
          if (!aborted) session.recognised(chunk, segments);
        },
        (error: Error) => {
          if (!this.closed) this.logger.error('whisper could not transcribe a chunk', { error, startMs: chunk.startMs });
        },
      )
      .finally(() => {
        this.inFlight = null;
        session.chunkDone();
        this.schedule();
      });
  }

  /** The session stopped: forget it, and stop recognising its chunk. */
  remove(session: WhisperSession): void {
    this.sessions.delete(session);
    if (this.inFlight?.session === session) this.recogniser.cancel(this.inFlight.jobId);
  }
}

class WhisperSession implements AsrSession {
  readonly language: string;
  private readonly id = randomUUID().slice(0, 8);
  private readonly vad = new VoiceActivityDetector();
  private readonly waiting: VoiceChunk[] = [];
  /** The chunk the recogniser is working on. */
  private recognising: VoiceChunk | null = null;
  private droppedMs = 0;
  private segmentCount = 0;
  private state: 'open' | 'ending' | 'stopped' = 'open';
  private readonly ended: Promise<void>;
  private settleEnded!: () => void;

  constructor(private readonly engine: WhisperEngine, private readonly options: AsrSessionOptions) {
    this.language = options.language;
    this.ended = new Promise((done) => (this.settleEnded = done));
  }

  get backlog(): AsrBacklog {
    const waitingMs = this.waiting.reduce((sum, chunk) => sum + voiceChunkMs(chunk), 0);
    const recognisingMs = this.recognising ? voiceChunkMs(this.recognising) : 0;
    return { queuedMs: Math.round(waitingMs + recognisingMs), droppedMs: Math.round(this.droppedMs) };
  }

  write(pcm: Int16Array): void {
    if (this.state !== 'open') return;
    for (const chunk of this.vad.push(pcm)) this.enqueue(chunk);
  }

  end(): Promise<void> {
    if (this.state === 'open') {
      this.state = 'ending';
      for (const chunk of this.vad.flush()) this.enqueue(chunk);
      this.settleIfIdle();
    }
    return this.ended;
  }

  abort(): void {
    if (this.state === 'stopped') return;
    this.state = 'stopped';
    this.waiting.length = 0;
    this.engine.remove(this);
    this.settleEnded();
  }

  hasWaitingChunk(): boolean {
    return this.waiting.length > 0;
  }

  takeChunk(): VoiceChunk {
    const chunk = this.waiting.shift()!;
    this.recognising = chunk;
    return chunk;
  }

  recognised(chunk: VoiceChunk, segments: WhisperRawSegment[]): void {
    if (this.state === 'stopped') return;
    const chunkMs = voiceChunkMs(chunk);
    // whisper.cpp times are relative to its 30 s window and may overshoot the chunk (a random or
    // hallucinating model does): keep them inside the audio that was heard.
    const clamp = (ms: number): number => Math.min(chunkMs, Math.max(0, ms));
    for (const raw of segments) {
      const text = raw.text.trim();
      // Whisper's markers for non-speech ("[BLANK_AUDIO]", "(music)") are not words anyone said.
      if (!text || /^[[(].*[\])]$/.test(text)) continue;
      const t0 = clamp(raw.t0);
      const t1 = Math.max(t0, clamp(raw.t1));
      const segment: AsrSegment = {
        id: `${this.id}-${++this.segmentCount}`,
        text,
        startMs: Math.round(chunk.startMs + t0),
        endMs: Math.round(chunk.startMs + t1),
        confidence: null,
        final: true,
      };
      this.options.onSegment(segment);
    }
  }

  chunkDone(): void {
    this.recognising = null;
    if (this.state === 'stopped') return;
    this.reportBacklog();
    this.settleIfIdle();
  }

  private enqueue(chunk: VoiceChunk): void {
    this.waiting.push(chunk);
    // Live transcription values the newest speech: when recognition falls too far behind, the
    // oldest waiting chunks go, and the clerk sees how much was lost.
    while (this.waiting.length > 1 && this.backlog.queuedMs > WHISPER_MAX_BACKLOG_MS) {
      this.droppedMs += voiceChunkMs(this.waiting.shift()!);
    }
    this.reportBacklog();
    this.engine.schedule();
  }

  private reportBacklog(): void {
    this.options.onBacklog?.(this.backlog);
  }

  private settleIfIdle(): void {
    if (this.state === 'ending' && this.waiting.length === 0 && !this.recognising) {
      this.state = 'stopped';
      this.engine.remove(this);
      this.settleEnded();
    }
  }
}
