// The default speech recognition engine: CMU PocketSphinx (Debian `pocketsphinx`, English model
// `pocketsphinx-en-us`), one `pocketsphinx_continuous` child process per session, so recognition
// never runs on the main thread. Its voice activity detection cuts utterances; each is a final segment.
import { spawn, type ChildProcess } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';
import type { Logger } from '../../../platform/logger.ts';
import {
  AsrEngineUnavailableError,
  type AsrBacklog,
  type AsrEngine,
  type AsrSession,
  type AsrSessionOptions,
} from '../asr-engine.ts';
import { createUtteranceReader, type PocketsphinxUtterance } from './pocketsphinx-output.ts';

export const POCKETSPHINX_PROGRAM = 'pocketsphinx_continuous';
export const DEFAULT_POCKETSPHINX_MODEL_DIR = '/usr/share/pocketsphinx/model/en-us';
const SAMPLES_PER_MS = 16;
/** Audio kept for a child that fell behind; beyond it the oldest is dropped (and counted). */
export const DEFAULT_MAX_BACKLOG_MS = 30_000;
/** onBacklog is called when the queue moved by this much, or audio was dropped. */
const BACKLOG_REPORT_STEP_MS = 500;

/**
 * How hard the decoder searches. `fast` (the default) halves the work: every other frame scored
 * (-ds 2), fewer Gaussians (-topn 2), tighter word and HMM limits, a phone-loop lookahead; measured
 * on the 18 s passage it decodes in half the CPU time with the same two word errors (0.03 WER), which is
 * what lets one core hear four speakers at once. Cheaper settings measured (no second passes, narrower beams,
 * -ds 3, -topn 1, fewer HMMs) cost word errors on that passage: docs/BENCHMARKS-ASR.md, "Speakers per core".
 * `accurate` is pocketsphinx's own defaults.
 */
export type PocketsphinxDecoding = 'fast' | 'accurate';
export const POCKETSPHINX_DECODINGS: readonly PocketsphinxDecoding[] = ['fast', 'accurate'];
export const POCKETSPHINX_DECODING_ARGS: Readonly<Record<PocketsphinxDecoding, readonly string[]>> = {
  fast: ['-ds', '2', '-topn', '2', '-maxwpf', '5', '-maxhmmpf', '3000', '-pl_window', '20'],
  accurate: [],
};

export interface PocketsphinxEngineOptions {
  /** Default 'fast'. */
  decoding?: PocketsphinxDecoding;
  /** Decoder options used instead of the preset's: how the benchmarks measure candidate settings. */
  decodingArgs?: readonly string[];
  /** Holds `en-us/` (acoustic model), `en-us.lm.bin` and `cmudict-en-us.dict`. */
  modelDir?: string;
  logger: Logger;
  maxBacklogMs?: number;
}

export function createPocketsphinxEngine(options: PocketsphinxEngineOptions): AsrEngine {
  const modelDir = options.modelDir ?? DEFAULT_POCKETSPHINX_MODEL_DIR;
  const maxBacklogSamples = (options.maxBacklogMs ?? DEFAULT_MAX_BACKLOG_MS) * SAMPLES_PER_MS;
  const logger = options.logger.child({ component: 'asr', engine: 'pocketsphinx' });
  const program = findProgram(POCKETSPHINX_PROGRAM);
  if (!program) {
    throw new AsrEngineUnavailableError(
      'pocketsphinx',
      `${POCKETSPHINX_PROGRAM} not found on PATH (install the Debian packages pocketsphinx and pocketsphinx-en-us)`,
    );
  }
  const model = { hmm: join(modelDir, 'en-us'), lm: join(modelDir, 'en-us.lm.bin'), dict: join(modelDir, 'cmudict-en-us.dict') };
  for (const path of Object.values(model)) {
    try {
      accessSync(path, constants.R_OK);
    } catch (cause) {
      throw new AsrEngineUnavailableError(
        'pocketsphinx',
        `model file ${path} is missing or unreadable (install pocketsphinx-en-us or set the model folder)`,
        { cause },
      );
    }
  }
  const args = ['-infile', '/dev/stdin', '-hmm', model.hmm, '-lm', model.lm, '-dict', model.dict, '-time', 'yes', ...(options.decodingArgs ?? POCKETSPHINX_DECODING_ARGS[options.decoding ?? 'fast'])];
  const sessions = new Set<PocketsphinxSession>();
  let closed = false;

  return {
    name: 'pocketsphinx',
    start(sessionOptions) {
      if (closed) throw new Error('speech recognition engine pocketsphinx: closed');
      if (sessionOptions.language !== 'en') {
        throw new AsrEngineUnavailableError(
          'pocketsphinx',
          `language "${sessionOptions.language}" is not supported (the pocketsphinx model is English only; use the whisper engine)`,
        );
      }
      const session = new PocketsphinxSession(program, args, sessionOptions, maxBacklogSamples, logger, () =>
        sessions.delete(session),
      );
      sessions.add(session);
      return session;
    },
    async close() {
      closed = true;
      const exits = [...sessions].map((session) => session.abortAndWait());
      await Promise.all(exits);
    },
  };
}

interface QueuedAudio {
  pcm: Int16Array;
  /** Sample index of pcm[0] in the stream as written (dropped audio leaves gaps). */
  streamSample: number;
}

class PocketsphinxSession implements AsrSession {
  private readonly child: ChildProcess;
  private readonly exited: Promise<void>;
  private readonly queue: QueuedAudio[] = [];
  private queuedSamples = 0;
  private droppedSamples = 0;
  private writtenSamples = 0;
  /** Samples handed to the child so far, and where in the stream each run of them came from. */
  private fedSamples = 0;
  private readonly anchors: { fedSample: number; streamSample: number }[] = [];
  private lastReported: AsrBacklog = { queuedMs: 0, droppedMs: 0 };
  private state: 'listening' | 'ending' | 'aborted' | 'exited' = 'listening';
  private utteranceCount = 0;
  private stderrTail = '';
  /** Set when the child stopped on its own with an error: end() rejects with it. */
  private failure: Error | null = null;
  private readonly sessionId = Math.random().toString(36).slice(2, 10);

  constructor(
    program: string,
    args: string[],
    private readonly options: AsrSessionOptions,
    private readonly maxBacklogSamples: number,
    private readonly logger: Logger,
    onGone: () => void,
  ) {
    // pocketsphinx opens its input by name and cannot open Node's stdin (a socket), so `cat` relays it
    // through a real pipe. The shell ignores SIGTERM and stays the parent that reaps both: abort()
    // signals the whole process group, and no orphan or zombie is left behind.
    const script = 'trap "" TERM; (trap - TERM; exec cat) | (trap - TERM; exec "$0" "$@")';
    this.child = spawn('sh', ['-c', script, program, ...args], {
      stdio: ['pipe', 'pipe', 'pipe'],
      detached: true,
    });
    const reader = createUtteranceReader((utterance) => this.report(utterance));
    this.child.stdout!.setEncoding('utf8').on('data', (chunk: string) => reader.push(chunk));
    this.child.stderr!.setEncoding('utf8').on('data', (chunk: string) => {
      this.stderrTail = (this.stderrTail + chunk).slice(-2000);
    });
    this.child.stdin!.on('drain', () => this.feed());
    // EPIPE when the child died: its exit is what we report.
    this.child.stdin!.on('error', () => {});
    this.exited = new Promise((resolve) => {
      this.child.once('error', (error) => {
        this.logger.error('pocketsphinx could not start', { error });
      });
      this.child.once('close', (code, signal) => {
        reader.end();
        const wasAborted = this.state === 'aborted';
        this.state = 'exited';
        this.queue.length = 0;
        this.queuedSamples = 0;
        onGone();
        if (!wasAborted && code !== 0) {
          this.logger.error('pocketsphinx stopped', { code, signal, stderr: lastLines(this.stderrTail) });
          this.failure = new Error(`pocketsphinx exited with ${signal ?? `code ${code}`}: ${lastLines(this.stderrTail)}`);
        }
        resolve();
      });
    });
  }

  get backlog(): AsrBacklog {
    return { queuedMs: this.heldSamples() / SAMPLES_PER_MS, droppedMs: this.droppedSamples / SAMPLES_PER_MS };
  }

  write(pcm: Int16Array): void {
    if (this.state !== 'listening' || pcm.length === 0) return;
    this.queue.push({ pcm, streamSample: this.writtenSamples });
    this.writtenSamples += pcm.length;
    this.queuedSamples += pcm.length;
    this.dropOldest();
    this.feed();
  }

  async end(): Promise<void> {
    if (this.state === 'listening') {
      this.state = 'ending';
      this.feed();
    }
    await this.exited;
    if (this.failure) throw this.failure;
  }

  abort(): void {
    if (this.state === 'aborted' || this.state === 'exited') return;
    this.state = 'aborted';
    this.queue.length = 0;
    this.queuedSamples = 0;
    this.child.stdin!.destroy();
    try {
      process.kill(-this.child.pid!, 'SIGTERM');
    } catch {
      // Already gone.
    }
  }

  abortAndWait(): Promise<void> {
    this.abort();
    return this.exited;
  }

  /** Audio not yet recognised that we still hold: our queue and what the child's stdin has not taken. */
  private heldSamples(): number {
    if (this.state === 'aborted' || this.state === 'exited') return 0;
    return this.queuedSamples + (this.child.stdin!.writableLength >> 1);
  }

  /** Hands queued audio to the child while its stdin takes it; the rest waits for 'drain'. */
  private feed(): void {
    const stdin = this.child.stdin!;
    while (this.queue.length > 0 && !stdin.writableNeedDrain && (this.state === 'listening' || this.state === 'ending')) {
      const { pcm, streamSample } = this.queue.shift()!;
      this.queuedSamples -= pcm.length;
      const last = this.anchors.at(-1);
      if (!last || last.streamSample + (this.fedSamples - last.fedSample) !== streamSample) {
        this.anchors.push({ fedSample: this.fedSamples, streamSample });
      }
      this.fedSamples += pcm.length;
      stdin.write(new Uint8Array(pcm.buffer, pcm.byteOffset, pcm.byteLength));
    }
    if (this.state === 'ending' && this.queue.length === 0 && !stdin.writableEnded) stdin.end();
    this.reportBacklog();
  }

  private dropOldest(): void {
    let excess = this.heldSamples() - this.maxBacklogSamples;
    while (excess > 0 && this.queue.length > 0) {
      const oldest = this.queue[0]!;
      const cut = Math.min(excess, oldest.pcm.length);
      if (cut === oldest.pcm.length) this.queue.shift();
      else this.queue[0] = { pcm: oldest.pcm.subarray(cut), streamSample: oldest.streamSample + cut };
      this.queuedSamples -= cut;
      this.droppedSamples += cut;
      excess -= cut;
    }
  }

  private reportBacklog(): void {
    if (!this.options.onBacklog) return;
    const now = this.backlog;
    if (
      now.droppedMs !== this.lastReported.droppedMs ||
      Math.abs(now.queuedMs - this.lastReported.queuedMs) >= BACKLOG_REPORT_STEP_MS ||
      (now.queuedMs === 0 && this.lastReported.queuedMs !== 0)
    ) {
      this.lastReported = now;
      this.options.onBacklog(now);
    }
  }

  /** pocketsphinx counts time in the samples it was fed; the stream's clock skips dropped audio. */
  private streamMs(fedSeconds: number): number {
    const fedSample = Math.round(fedSeconds * 16_000);
    let anchor = this.anchors[0] ?? { fedSample: 0, streamSample: 0 };
    for (const candidate of this.anchors) {
      if (candidate.fedSample > fedSample) break;
      anchor = candidate;
    }
    return Math.round((anchor.streamSample + fedSample - anchor.fedSample) / SAMPLES_PER_MS);
  }

  /** pocketsphinx reports in time order: anchors before the one in force at this time are not needed again. */
  private forgetAnchorsBefore(fedSeconds: number): void {
    const fedSample = Math.round(fedSeconds * 16_000);
    let keepFrom = 0;
    while (keepFrom + 1 < this.anchors.length && this.anchors[keepFrom + 1]!.fedSample <= fedSample) keepFrom += 1;
    this.anchors.splice(0, keepFrom);
  }

  private report(utterance: PocketsphinxUtterance): void {
    if (this.state === 'aborted' || utterance.words.length === 0) return;
    const words = utterance.words.map((word) => ({
      text: word.text,
      startMs: this.streamMs(word.startSec),
      endMs: this.streamMs(word.endSec),
      // Posteriors come out a hair above 1 from rounding in log space.
      confidence: Math.min(1, Math.max(0, word.posterior)),
    }));
    this.forgetAnchorsBefore(utterance.words.at(-1)!.endSec);
    const confidence = words.reduce((sum, word) => sum + word.confidence, 0) / words.length;
    this.utteranceCount += 1;
    this.options.onSegment({
      id: `${this.sessionId}-${this.utteranceCount}`,
      text: utterance.text || words.map((word) => word.text).join(' '),
      startMs: words[0]!.startMs,
      endMs: words.at(-1)!.endMs,
      confidence: Math.round(confidence * 1000) / 1000,
      words,
      final: true,
    });
    this.reportBacklog();
  }
}

function findProgram(name: string): string | null {
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    if (!dir) continue;
    const path = join(dir, name);
    try {
      accessSync(path, constants.X_OK);
      return path;
    } catch {
      // Not in this folder.
    }
  }
  return null;
}

function lastLines(text: string): string {
  return text.trim().split('\n').slice(-3).join(' | ');
}
