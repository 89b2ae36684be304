// Group commit: records from every actor of a host are gathered and written in one
// journal.commit() (one transaction), so thousands of events per second cost tens of commits.
// A record's promise settles only when its batch is durable (or failed).
import { JournalConflictError, type ActorJournal, type JournalRecord } from './types.ts';

export interface GroupCommitOptions {
  /** Flush as soon as this many records wait. */
  maxBatch?: number;
  /** Flush at the latest this long after the first waiting record. */
  maxDelayMs?: number;
  /**
   * While no commit is in flight, flush as soon as this many records wait, without waiting for
   * the timer or a full batch: the database starts on them while the host is still working
   * through the rest of the same burst of commands (which goes in the next commit), instead of
   * the two taking turns.
   */
  eagerBatch?: number;
  /**
   * How many commits may be in flight at once. Safe above 1 because an actor awaits its record's
   * commit before it handles its next command: one actor never has records in two batches, and
   * actors' rows do not depend on each other. Two let the database work on one batch while the
   * next is being sent.
   */
  maxConcurrentCommits?: number;
}

interface PendingRecord {
  record: JournalRecord;
  resolve: () => void;
  reject: (error: unknown) => void;
}

export class JournalWriter {
  private readonly maxBatch: number;
  private readonly maxDelayMs: number;
  private readonly eagerBatch: number;
  private readonly maxConcurrent: number;
  private buffer: PendingRecord[] = [];
  private timer: ReturnType<typeof setTimeout> | null = null;
  private readonly inFlight = new Set<Promise<void>>();
  private immediateScheduled = false;
  private draining = false;
  private commitCount = 0;
  private recordCount = 0;

  /**
   * `onCommitted` sees each committed batch once, right after its commit and before its records'
   * promises settle (e.g. to publish the batch's events as one message). It must not throw.
   */
  constructor(
    private readonly journal: ActorJournal,
    options: GroupCommitOptions = {},
    private readonly onCommitted?: (records: readonly JournalRecord[]) => void,
  ) {
    this.maxBatch = Math.max(1, options.maxBatch ?? 512);
    this.maxDelayMs = Math.max(0, options.maxDelayMs ?? 2);
    this.eagerBatch = Math.max(1, options.eagerBatch ?? 48);
    this.maxConcurrent = Math.max(1, options.maxConcurrentCommits ?? 2);
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
    while (this.buffer.length > 0 || this.inFlight.size > 0) {
      this.start();
      if (this.inFlight.size > 0) await Promise.race(this.inFlight);
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

  stats(): { pendingRecords: number; commits: number; records: number; commitsInFlight: number } {
    return { pendingRecords: this.buffer.length, commits: this.commitCount, records: this.recordCount, commitsInFlight: this.inFlight.size };
  }

  private schedule(): void {
    // While every commit slot is busy, new records simply accumulate: the next free slot takes them.
    if (this.inFlight.size >= this.maxConcurrent) return;
    if (this.buffer.length >= this.maxBatch || (this.inFlight.size === 0 && this.buffer.length >= this.eagerBatch)) {
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

  /** Fills free commit slots with batches of what waits. */
  private start(): void {
    this.clearTimer();
    while (this.inFlight.size < this.maxConcurrent && this.buffer.length > 0) {
      const batch = this.buffer.splice(0, this.maxBatch);
      const commit: Promise<void> = this.commitBatch(batch).finally(() => {
        this.inFlight.delete(commit);
        // Records that came in meanwhile: a full batch goes at once, a partial one waits for the timer.
        if (this.buffer.length > 0) this.schedule();
      });
      this.inFlight.add(commit);
    }
  }

  /**
   * A conflict on one actor fails the whole transaction; the other actors' records are innocent,
   * so they are committed again without the conflicting actor's (at most once per actor).
   */
  private async commitBatch(batch: PendingRecord[]): Promise<void> {
    let remaining = batch;
    while (remaining.length > 0) {
      try {
        const records = remaining.map((pending) => pending.record);
        await this.journal.commit(records);
        this.commitCount++;
        this.recordCount += remaining.length;
        try {
          this.onCommitted?.(records);
        } catch {
          // The records ARE committed: a failing hook (which reports its own errors) must not fail them.
        }
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
