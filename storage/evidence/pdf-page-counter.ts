// Counts a PDF's pages in one worker thread, so that a large or hostile upload never stalls the hub's
// event loop (every room and request of the node shares it). Jobs run one at a time; a bounded queue
// refuses more with SERVICE_BUSY, and a file that takes longer than the time limit is refused as
// unreadable (the worker is replaced).
import { Worker } from 'node:worker_threads';
import { AppError } from '../../platform/errors.ts';

const WORKER_URL = new URL('./pdf-page-count.worker.mjs', import.meta.url);

export class PdfUnreadableError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PdfUnreadableError';
  }
}

interface Job {
  id: number;
  bytes: Uint8Array;
  resolve(pageCount: number): void;
  reject(error: Error): void;
}

export class PdfPageCounter {
  private worker: Worker | null = null;
  private readonly queue: Job[] = [];
  private running: Job | null = null;
  private timer: NodeJS.Timeout | null = null;
  private nextId = 1;

  constructor(private readonly limits: { timeoutMs: number; maxQueued: number } = { timeoutMs: 10_000, maxQueued: 8 }) {}

  /** The number of pages; PdfUnreadableError when pdf.js cannot open the file in time. */
  count(bytes: Uint8Array): Promise<number> {
    if (this.queue.length >= this.limits.maxQueued) {
      return Promise.reject(new AppError('SERVICE_BUSY', 'Too many files are being checked; try again in a moment', { queued: this.queue.length }));
    }
    return new Promise<number>((resolve, reject) => {
      // A copy: the worker takes ownership of what it is sent, the caller still stores the bytes.
      this.queue.push({ id: this.nextId++, bytes: new Uint8Array(bytes), resolve, reject });
      this.runNext();
    });
  }

  /** Stops the worker; queued jobs are refused. */
  async close(): Promise<void> {
    for (const job of this.queue.splice(0)) job.reject(new AppError('SERVICE_BUSY', 'The file checker is shutting down'));
    this.finish(null);
    await this.stopWorker();
  }

  private runNext(): void {
    if (this.running || this.queue.length === 0) return;
    const job = this.queue.shift()!;
    this.running = job;
    this.timer = setTimeout(() => {
      this.finish(new PdfUnreadableError(`not readable within ${this.limits.timeoutMs} ms`));
      void this.stopWorker();
      this.runNext();
    }, this.limits.timeoutMs);
    this.workerOf().postMessage({ id: job.id, bytes: job.bytes }, [job.bytes.buffer as ArrayBuffer]);
  }

  private workerOf(): Worker {
    if (this.worker) return this.worker;
    const worker = new Worker(WORKER_URL);
    // An idle checker must not keep a stopping process alive.
    worker.unref();
    worker.on('message', (reply: { id: number; pageCount?: number; error?: string }) => {
      if (this.running?.id !== reply.id) return;
      this.finish(reply.error === undefined ? reply.pageCount! : new PdfUnreadableError(reply.error));
      this.runNext();
    });
    worker.on('error', (error) => {
      if (this.worker !== worker) return;
      this.worker = null;
      this.finish(new PdfUnreadableError(error.message));
      this.runNext();
    });
    worker.on('exit', () => {
      if (this.worker === worker) this.worker = null;
    });
    this.worker = worker;
    return worker;
  }

  private finish(outcome: number | Error | null): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    const job = this.running;
    this.running = null;
    if (!job || outcome === null) return;
    if (outcome instanceof Error) job.reject(outcome);
    else job.resolve(outcome);
  }

  private async stopWorker(): Promise<void> {
    const worker = this.worker;
    this.worker = null;
    if (worker) await worker.terminate();
  }
}
