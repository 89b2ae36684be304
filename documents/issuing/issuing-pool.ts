// The issuing pool: worker threads that render and seal court documents (render-and-seal.ts), one per
// core. Rendering a receipt and signing its seal is pure CPU (≈ 20–25 ms once warm); on the hub's main thread it
// held up everything else (HTTP, the actors, the embedded database) and left the other cores idle — the
// limit of smart filing's throughput (docs/BENCHMARKS-FILING.md). The main thread keeps validating the
// data, timestamping and storing. One pool per process, started at first use; its threads do not keep
// the process alive (unref), so the CLI and tests end as before.
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { AppError, ERROR_CODES, type ErrorCode } from '../../platform/errors.ts';
import type { RenderAndSealJob, RenderedAndSealed } from './render-and-seal.ts';

const WORKER_URL = new URL('./issuing.worker.mjs', import.meta.url);

interface Pending {
  resolve: (result: RenderedAndSealed) => void;
  reject: (error: Error) => void;
}

interface PoolWorker {
  worker: Worker;
  pending: Map<number, Pending>;
}

interface WorkerError {
  message: string;
  code?: string;
  details?: unknown;
}

export class IssuingPool {
  private readonly workers: PoolWorker[] = [];
  private nextId = 1;
  private stopped = false;

  constructor(readonly size: number = availableParallelism()) {
    if (!(Number.isInteger(size) && size >= 1)) throw new Error(`issuing pool size must be a positive integer, not ${size}`);
  }

  /** Renders and seals in the least busy worker thread. */
  renderAndSeal(job: RenderAndSealJob): Promise<RenderedAndSealed> {
    if (this.stopped) return Promise.reject(new Error('the issuing pool is stopped'));
    const target = this.leastBusy();
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      target.pending.set(id, { resolve, reject });
      target.worker.ref(); // work in flight keeps the process alive until it is answered
      target.worker.postMessage({ id, job });
    });
  }

  async stop(): Promise<void> {
    this.stopped = true;
    const workers = this.workers.splice(0);
    await Promise.all(workers.map(({ worker }) => worker.terminate()));
  }

  private leastBusy(): PoolWorker {
    if (this.workers.length < this.size) {
      // Start them all at once: each parses the CJK font while idle, before its first document.
      while (this.workers.length < this.size) this.workers.push(this.start());
    }
    return this.workers.reduce((best, candidate) => (candidate.pending.size < best.pending.size ? candidate : best));
  }

  private start(): PoolWorker {
    const worker = new Worker(WORKER_URL);
    const entry: PoolWorker = { worker, pending: new Map() };
    worker.unref();
    worker.on('message', (message: { id?: number; result?: RenderedAndSealed; error?: WorkerError }) => {
      if (message.id === undefined) return;
      const pending = entry.pending.get(message.id);
      if (!pending) return;
      entry.pending.delete(message.id);
      if (entry.pending.size === 0) worker.unref();
      if (message.error) pending.reject(revive(message.error));
      else {
        const { sealed } = message.result!;
        // Structured cloning hands a Buffer over as a plain Uint8Array.
        const bytes = Buffer.from(sealed.bytes.buffer, sealed.bytes.byteOffset, sealed.bytes.byteLength);
        pending.resolve({ ...message.result!, sealed: { ...sealed, bytes } });
      }
    });
    const fail = (error: Error) => {
      const index = this.workers.indexOf(entry);
      if (index >= 0) this.workers.splice(index, 1); // the next job starts a fresh thread
      for (const pending of entry.pending.values()) pending.reject(error);
      entry.pending.clear();
    };
    worker.on('error', fail);
    worker.on('exit', (code) => fail(new Error(`an issuing worker thread exited (code ${code})`)));
    return entry;
  }
}

/** A coded error from the worker comes back as the same AppError (its code decides the HTTP answer). */
function revive(error: WorkerError): Error {
  return error.code && error.code in ERROR_CODES ? new AppError(error.code as ErrorCode, error.message, error.details) : new Error(error.message);
}

let shared: IssuingPool | undefined;

/** The process's issuing pool, one thread per core. */
export function issuingPool(): IssuingPool {
  shared ??= new IssuingPool();
  return shared;
}
