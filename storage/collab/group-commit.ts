// Group commit for items that must be durable before their promise resolves: items queued while
// a commit runs go together in the next one. One commit at a time, so items of one key (one
// document) are committed in the order they were queued. A commit starts when `maxBatch` items wait
// or `maxDelayMs` after the oldest waiting item arrived, whichever is first: under steady load that
// caps the commits at about one per window instead of one per item.
export interface GroupCommitOptions<T> {
  /** Writes a batch atomically; throws to fail it. */
  commit: (items: readonly T[]) => Promise<void>;
  /** Items of one key depend on each other (one document's updates); items of different keys do not. */
  keyOf: (item: T) => string;
  /** Commit as soon as this many items wait. */
  maxBatch?: number;
  /** Commit at the latest this long after the oldest waiting item arrived. */
  maxDelayMs?: number;
}

export class GroupCommitClosedError extends Error {
  constructor() {
    super('the group commit is closed');
    this.name = 'GroupCommitClosedError';
  }
}

/**
 * A key whose earlier item failed: later items of that key are refused until `reopen(key)`, so
 * a document's stored updates never have a gap (Yjs could not apply what follows a missing update).
 */
export class GroupCommitKeyFailedError extends Error {
  constructor(
    readonly key: string,
    options?: { cause?: unknown },
  ) {
    super(`an earlier write of ${key} failed; reload it before writing again`, options);
    this.name = 'GroupCommitKeyFailedError';
  }
}

interface Pending<T> {
  item: T;
  /** performance.now() when it was queued. */
  queuedAt: number;
  resolve: () => void;
  reject: (error: unknown) => void;
}

export class GroupCommit<T> {
  private readonly commit: (items: readonly T[]) => Promise<void>;
  private readonly keyOf: (item: T) => string;
  private readonly maxBatch: number;
  private readonly maxDelayMs: number;
  private buffer: Pending<T>[] = [];
  private timer: ReturnType<typeof setTimeout> | null = null;
  private running: Promise<void> | null = null;
  private closed = false;
  /** Someone waits for the queued items (commitNow): skip the window until the queue is empty. */
  private urgent = false;
  private readonly failedKeys = new Map<string, unknown>();
  private commits = 0;
  private committed = 0;

  constructor(options: GroupCommitOptions<T>) {
    this.commit = options.commit;
    this.keyOf = options.keyOf;
    this.maxBatch = Math.max(1, options.maxBatch ?? 1000);
    this.maxDelayMs = Math.max(0, options.maxDelayMs ?? 2);
  }

  /** Resolves once the item is committed; rejects with the commit's error. */
  add(item: T): Promise<void> {
    if (this.closed) return Promise.reject(new GroupCommitClosedError());
    return new Promise<void>((resolve, reject) => {
      this.buffer.push({ item, queuedAt: performance.now(), resolve, reject });
      this.schedule();
    });
  }

  /** Starts committing what is queued without waiting for the window (and keeps going until it is empty). */
  commitNow(): void {
    this.urgent = true;
    this.schedule();
  }

  /** Accepts items of a key that failed again (its owner has reloaded what was stored). */
  reopen(key: string): void {
    this.failedKeys.delete(key);
  }

  /** Commits everything queued so far (and whatever arrives meanwhile). */
  async flush(): Promise<void> {
    while (this.buffer.length > 0 || this.running) {
      this.run();
      if (this.running) await this.running;
    }
  }

  /** Refuses new items, then commits what is queued. */
  async close(): Promise<void> {
    this.closed = true;
    this.clearTimer();
    await this.flush();
  }

  stats(): { pending: number; commits: number; committed: number; committing: boolean } {
    return { pending: this.buffer.length, commits: this.commits, committed: this.committed, committing: this.running !== null };
  }

  private schedule(): void {
    if (this.running || this.buffer.length === 0) return; // the running commit picks the buffer up when it ends
    if (this.buffer.length >= this.maxBatch || this.closed || this.urgent) return this.run();
    if (this.timer) return;
    // Never synchronous: items added in the same tick share the commit even with maxDelayMs 0.
    const due = Math.max(0, this.buffer[0]!.queuedAt + this.maxDelayMs - performance.now());
    this.timer = setTimeout(() => this.run(), due);
  }

  private clearTimer(): void {
    if (this.timer) {
      clearTimeout(this.timer);
      this.timer = null;
    }
  }

  private run(): void {
    this.clearTimer();
    if (this.running || this.buffer.length === 0) return;
    const batch = this.buffer.splice(0, this.maxBatch);
    if (this.buffer.length === 0) this.urgent = false;
    this.running = this.commitBatch(batch).finally(() => {
      this.running = null;
      // Whatever queued meanwhile goes when its window is over (at once if the commit took longer).
      this.schedule();
    });
  }

  /**
   * A failed batch is retried key by key: one document's bad update (or a trigger refusing it)
   * must not fail other documents' updates that happened to share its transaction.
   */
  private async commitBatch(all: Pending<T>[]): Promise<void> {
    const batch = this.refuseFailedKeys(all);
    if (batch.length === 0) return;
    try {
      await this.commit(batch.map((p) => p.item));
      this.settle(batch);
      return;
    } catch (error) {
      const groups = this.groupByKey(batch);
      if (groups.length === 1) {
        this.fail(groups[0]!, error);
        return;
      }
    }
    for (const group of this.groupByKey(batch)) {
      try {
        await this.commit(group.map((p) => p.item));
        this.settle(group);
      } catch (error) {
        this.fail(group, error);
      }
    }
  }

  private refuseFailedKeys(batch: Pending<T>[]): Pending<T>[] {
    if (this.failedKeys.size === 0) return batch;
    return batch.filter((pending) => {
      const key = this.keyOf(pending.item);
      if (!this.failedKeys.has(key)) return true;
      pending.reject(new GroupCommitKeyFailedError(key, { cause: this.failedKeys.get(key) }));
      return false;
    });
  }

  private fail(group: Pending<T>[], error: unknown): void {
    this.failedKeys.set(this.keyOf(group[0]!.item), error);
    for (const pending of group) pending.reject(error);
  }

  private groupByKey(batch: Pending<T>[]): Pending<T>[][] {
    const groups = new Map<string, Pending<T>[]>();
    for (const pending of batch) {
      const key = this.keyOf(pending.item);
      const group = groups.get(key);
      if (group) group.push(pending);
      else groups.set(key, [pending]);
    }
    return [...groups.values()];
  }

  private settle(done: Pending<T>[]): void {
    this.commits++;
    this.committed += done.length;
    for (const pending of done) pending.resolve();
  }
}
