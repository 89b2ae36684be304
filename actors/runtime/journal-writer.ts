// Group commit: records from every actor of a host are gathered and written in one
// journal.commit() (one transaction), so thousands of events per second cost tens of commits.
// A record's promise settles only when its batch is durable (or failed).
import { JournalConflictError, type ActorJournal, type JournalRecord } from './types.ts';

export interface GroupCommitOptions {
  /** Flush as soon as this many records wait. */
  maxBatch?: number;
  /** Flush at the latest this long after the first waiting record. */
  maxDelayMs?: number;
}

interface PendingRecord {
  record: JournalRecord;
  resolve: () => void;
  reject: (error: unknown) => void;
}

export class JournalWriter {
  private readonly maxBatch: number;
  private readonly maxDelayMs: number;
  private buffer: PendingRecord[] = [];
  private timer: ReturnType<typeof setTimeout> | null = null;
  private flushing: Promise<void> | null = null;
  private immediateScheduled = false;
  private draining = false;
  private commitCount = 0;
  private recordCount = 0;

  constructor(
    private readonly journal: ActorJournal,
    options: GroupCommitOptions = {},
  ) {
    this.maxBatch = Math.max(1, options.maxBatch ?? 512);
    this.maxDelayMs = Math.max(0, options.maxDelayMs ?? 2);
  }

  /** Queues a record; resolves once it is committed, rejects with the commit's error. */
  append(record: JournalRecord): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      this.buffer.push({ record, resolve, reject });
      this.schedule();
    });
  }

  /** Commits everything queued so far (and whatever arrives meanwhile); resolves when nothing is left. */
  async flush(): Promise<void> {
    while (this.buffer.length > 0 || this.flushing) {
      this.start();
      if (this.flushing) await this.flushing;
    }
  }

  /**
   * For shutdown: commits what is queued and from now on commits without waiting for a timer,
   * so commands still in flight get durable replies and no timer outlives the host.
   */
  async close(): Promise<void> {
    this.draining = true;
    this.clearTimer();
    await this.flush();
  }

  stats(): { pendingRecords: number; commits: number; records: number } {
    return { pendingRecords: this.buffer.length, commits: this.commitCount, records: this.recordCount };
  }

  private schedule(): void {
    // While a batch is being written, new records simply accumulate: the loop takes them next.
    if (this.flushing) return;
    if (this.buffer.length >= this.maxBatch) {
      this.start();
    } else if (this.draining) {
      // A microtask still gathers records appended in the same tick into one batch.
      if (!this.immediateScheduled) {
        this.immediateScheduled = true;
        queueMicrotask(() => {
          this.immediateScheduled = false;
          this.start();
        });
      }
    } else if (!this.timer) {
      this.timer = setTimeout(() => {
        this.timer = null;
        this.start();
      }, this.maxDelayMs);
    }
  }

  private clearTimer(): void {
    if (this.timer) {
      clearTimeout(this.timer);
      this.timer = null;
    }
  }

  private start(): void {
    this.clearTimer();
    if (this.flushing || this.buffer.length === 0) return;
    this.flushing = this.writeBatches().finally(() => {
      this.flushing = null;
      // Records that came in during the last batch but did not fill one wait for the timer again.
      if (this.buffer.length > 0) this.schedule();
    });
  }

  /** One commit at a time; a full batch waiting after a commit is written straight away. */
  private async writeBatches(): Promise<void> {
    do {
      const batch = this.buffer.splice(0, this.maxBatch);
      await this.commitBatch(batch);
    } while (this.buffer.length >= this.maxBatch);
  }

  /**
   * A conflict on one actor fails the whole transaction; the other actors' records are innocent,
   * so they are committed again without the conflicting actor's (at most once per actor).
   */
  private async commitBatch(batch: PendingRecord[]): Promise<void> {
    let remaining = batch;
    while (remaining.length > 0) {
      try {
        await this.journal.commit(remaining.map((pending) => pending.record));
        this.commitCount++;
        this.recordCount += remaining.length;
        for (const pending of remaining) pending.resolve();
        return;
      } catch (error) {
        if (!(error instanceof JournalConflictError) || remaining.length === 1) {
          for (const pending of remaining) pending.reject(error);
          return;
        }
        const { kind, id } = error.ref;
        const conflicting = remaining.filter((pending) => pending.record.kind === kind && pending.record.id === id);
        if (conflicting.length === 0) {
          for (const pending of remaining) pending.reject(error);
          return;
        }
        for (const pending of conflicting) pending.reject(error);
        remaining = remaining.filter((pending) => !(pending.record.kind === kind && pending.record.id === id));
      }
    }
  }
}
