// The one interface every speech recognition engine implements (pocketsphinx, whisper): a session
// per audio stream takes 16 kHz mono PCM and reports segments — partial ones while it listens (if
// the engine can), then the final text with its times, confidence and words where the engine gives
// them. Engines run off the main thread and keep a bounded backlog, which they report.

export type AsrEngineName = 'pocketsphinx' | 'whisper';
export const ASR_ENGINE_NAMES: readonly AsrEngineName[] = ['pocketsphinx', 'whisper'];

/** The language a hearing is held in (Whisper takes it; the bundled pocketsphinx model is English only). */
export type AsrLanguage = 'en' | 'zh';

export interface AsrWord {
  text: string;
  startMs: number;
  endMs: number;
  /** 0–1, or null when the engine gives none. */
  confidence: number | null;
}

export interface AsrSegment {
  /** Stable per utterance: a partial and the final text that replaces it share it. */
  id: string;
  text: string;
  /** Milliseconds from the start of the stream (the audio written so far). */
  startMs: number;
  endMs: number;
  confidence: number | null;
  words?: AsrWord[];
  /** false: a partial result, to be replaced by the final one with the same id. */
  final: boolean;
}

/** How far recognition is behind the audio: what the clerk sees when the engine falls behind. */
export interface AsrBacklog {
  /** Audio written but not recognised yet. */
  queuedMs: number;
  /** Audio dropped because the backlog was full (recognition that fell too far behind). */
  droppedMs: number;
}

export interface AsrSessionOptions {
  language: AsrLanguage;
  onSegment(segment: AsrSegment): void;
  /** Called when the backlog changes noticeably (optional). */
  onBacklog?(backlog: AsrBacklog): void;
}

export interface AsrSession {
  /** 16 kHz mono signed 16-bit PCM, in order; never blocks (a full backlog drops the oldest audio and says so). */
  write(pcm: Int16Array): void;
  /** No more audio: resolves once the last final segment was reported. */
  end(): Promise<void>;
  /** Stops at once, reporting nothing more. Idempotent. */
  abort(): void;
  readonly backlog: AsrBacklog;
}

export interface AsrEngine {
  readonly name: AsrEngineName;
  start(options: AsrSessionOptions): AsrSession;
  /** Ends every session and frees the engine (workers, child processes, the model). Idempotent. */
  close(): Promise<void>;
}

/** The engine cannot be used as configured (missing program or model, a corrupt model file): a start-up error. */
export class AsrEngineUnavailableError extends Error {
  constructor(
    readonly engine: AsrEngineName,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(`speech recognition engine ${engine}: ${message}`, options);
    this.name = 'AsrEngineUnavailableError';
  }
}
