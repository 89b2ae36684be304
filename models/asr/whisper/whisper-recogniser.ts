// The engine's handle on its recogniser process: starts it, waits for the model to load, sends
// chunks and matches the answers; stops it on close (killing it if it does not go quietly).

import { fork, type ChildProcess } from 'node:child_process';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Logger } from '../../../platform/logger.ts';
import type { FromRecogniser, ToRecogniser, WhisperRawSegment } from './whisper-messages.ts';

const PROCESS_FILE = fileURLToPath(new URL('./whisper-process.ts', import.meta.url));
const CLOSE_GRACE_MS = 3_000;

export interface RecogniserResult {
  segments: WhisperRawSegment[];
  aborted: boolean;
}

export class WhisperRecogniser {
  private readonly pending = new Map<number, { resolve(result: RecogniserResult): void; reject(error: Error): void }>();
  private nextJobId = 1;
  private exited: Promise<void>;
  private closing = false;
  /** Set once the process is gone: every later call fails with it. */
  private failure: Error | null = null;

  private constructor(private readonly child: ChildProcess, private readonly logger: Logger) {
    this.exited = new Promise((resolve) => child.once('exit', () => resolve()));
    child.on('message', (message: FromRecogniser) => this.receive(message));
    child.once('exit', (code, signal) => {
      this.failure = new Error(`the recogniser process exited (${signal ?? `code ${code}`})`);
      if (!this.closing) logger.error('whisper recogniser process died', { code, signal });
      for (const job of this.pending.values()) job.reject(this.failure);
      this.pending.clear();
    });
  }

  /** Starts the process and resolves once the model is loaded; rejects with the loader's reason. */
  static start(modelPath: string, logger: Logger): Promise<WhisperRecogniser> {
    // tsx is resolved from this directory, whatever the server's working directory.
    const child = fork(PROCESS_FILE, [modelPath], {
      cwd: dirname(PROCESS_FILE),
      execArgv: ['--import', 'tsx'],
      serialization: 'advanced',
      stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
    });
    let stderr = '';
    child.stderr?.on('data', (data: Buffer) => {
      stderr = (stderr + data.toString()).slice(-2_000);
    });
    const loaderErrors: string[] = [];
    return new Promise((resolve, reject) => {
      const onMessage = (message: FromRecogniser): void => {
        if (message.type === 'log' && message.level === 'error') {
          loaderErrors.push(message.text);
        } else if (message.type === 'ready') {
          cleanUp();
          resolve(new WhisperRecogniser(child, logger));
        } else if (message.type === 'load-failed') {
          cleanUp();
          const reason = [message.message, ...loaderErrors.slice(-2)].join(': ');
          reject(new Error(`whisper.cpp could not load it (${reason})`));
        }
      };
      const onExit = (code: number | null, signal: NodeJS.Signals | null): void => {
        cleanUp();
        const tail = stderr.trim().split('\n').slice(-3).join(' | ');
        reject(new Error(`the loader crashed (${signal ?? `exit code ${code}`})${tail ? `: ${tail}` : ''}`));
      };
      const cleanUp = (): void => {
        child.off('message', onMessage);
        child.off('exit', onExit);
      };
      child.on('message', onMessage);
      child.once('exit', onExit);
    });
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  transcribe(pcm: Int16Array, language: string): { jobId: number; result: Promise<RecogniserResult> } {
    const jobId = this.nextJobId++;
    const result = new Promise<RecogniserResult>((resolve, reject) => {
      if (this.failure) return reject(this.failure);
      this.pending.set(jobId, { resolve, reject });
      this.send({ type: 'transcribe', jobId, pcm, language });
    });
    return { jobId, result };
  }

  cancel(jobId: number): void {
    this.send({ type: 'cancel', jobId });
  }

  /** Stops the process and frees the model. Idempotent. */
  async close(): Promise<void> {
    if (!this.closing) {
      this.closing = true;
      this.send({ type: 'close' });
      const timer = setTimeout(() => this.child.kill('SIGKILL'), CLOSE_GRACE_MS);
      await this.exited;
      clearTimeout(timer);
    }
    await this.exited;
  }

  private send(message: ToRecogniser): void {
    if (this.child.connected) this.child.send(message);
  }

  private receive(message: FromRecogniser): void {
    switch (message.type) {
      case 'transcribed':
      case 'failed': {
        const job = this.pending.get(message.jobId);
        this.pending.delete(message.jobId);
        if (message.type === 'transcribed') job?.resolve({ segments: message.segments, aborted: message.aborted });
        else job?.reject(new Error(message.message));
        return;
      }
      case 'log':
        this.logger.warn('whisper.cpp', { level: message.level, text: message.text });
        return;
      case 'ready':
      case 'load-failed':
        return;
    }
  }
}
