// Persistence of the collaborative documents for the rooms: appends are group-committed across
// documents and durable when they resolve, loads merge snapshot and tail, and documents are
// compacted in the background once `compactEvery` updates follow their snapshot (at once, or when the
// document falls idle: see compactIdleMs). Versions and the audit query ride along.
import type { Db } from '../database.ts';
import { silentLogger, type Logger } from '../../platform/logger.ts';
import { appendUpdates, type UpdateToAppend } from './append-updates.ts';
import { compactDocument, type CompactionResult } from './compact-document.ts';
import { getVersion, type StoredVersion } from './get-version.ts';
import { GroupCommit } from './group-commit.ts';
import { listTranscriptChanges, type ListTranscriptChangesOptions, type TranscriptChange } from './list-transcript-changes.ts';
import { listVersions } from './list-versions.ts';
import { loadDocument } from './load-document.ts';
import { saveVersion, type SaveVersionOptions, type SavedVersion } from './save-version.ts';
import { checkUpdate, type PersistedUpdateOrigin } from './update-origin.ts';

export interface CollabStoreOptions {
  db: Db;
  /** Fold a document into a new snapshot once this many updates follow its snapshot. */
  compactEvery?: number;
  /**
   * Off the busy path: a document due for compaction is compacted only after no update of it arrived for
   * this long (an embedded-PGlite compaction blocks the event loop, so every room, for 10–50 ms), or once
   * `compactCeiling` updates follow its snapshot, so a document written without pause still gets folded.
   * Compactions then run one at a time across documents. Undefined: compact as soon as due (tests, tools).
   */
  compactIdleMs?: number;
  /** With compactIdleMs: compact even a busy document once this many updates follow its snapshot (default 20 × compactEvery). */
  compactCeiling?: number;
  logger?: Logger;
  /**
   * Group commit: most updates per transaction, and the longest an update waits for its commit to start
   * (default 2 ms; the hub runs with ECOURT_COLLAB_COMMIT_WINDOW_MS). Rooms broadcast at once; only
   * acknowledgement (durability) waits, and a room that flushes asks for the commit at once (commitNow).
   */
  maxBatch?: number;
  maxDelayMs?: number;
}

/*
 * The hub's commit window is configuration (ECOURT_COLLAB_COMMIT_WINDOW_MS, default 1 s; platform/config.ts).
 * A commit of embedded PGlite costs 5–15 ms of CPU whatever it holds (docs/BENCHMARKS-HUB.md), so updates
 * are acknowledged in windows: a busy server commits about once per window instead of once per update.
 * Broadcast is not delayed; an update not yet committed at a crash is resent by its clients when they
 * resynchronise (y-websocket sync on reconnect).
 */
/** Idle mode: updates folded per compaction step (one transaction; ≈ 5–10 ms of merging). */
const COMPACTION_STEP = 100;
/** The hub's idle time before compacting a due document (see CollabStoreOptions.compactIdleMs). */
export const COLLAB_COMPACT_IDLE_MS = 2000;
/**
 * The hub's largest commit: embedded PGlite runs on the hub's event loop, so one commit stalls every room
 * while it runs; capping it keeps a busy server's stalls short (more, smaller commits) at a little more CPU.
 */
export const COLLAB_COMMIT_MAX_BATCH = 100;

export interface CollabStore {
  /** The document's stored state as one update; null when it was never written. */
  load(docName: string): Promise<Uint8Array | null>;
  /**
   * Stores an update; resolves once it is committed, rejects if it was not. After a rejection the
   * document's later appends are refused (GroupCommitKeyFailedError) until it is loaded again.
   */
  append(docName: string, update: Uint8Array, origin: PersistedUpdateOrigin): Promise<void>;
  /** Folds the document now (normally done in the background). */
  compact(docName: string): Promise<CompactionResult>;
  saveVersion(options: Omit<SaveVersionOptions, 'db'>): Promise<SavedVersion>;
  listVersions(options: { docName: string }): Promise<SavedVersion[]>;
  getVersion(options: { versionId: string }): Promise<StoredVersion | null>;
  listTranscriptChanges(options: Omit<ListTranscriptChangesOptions, 'db'>): Promise<TranscriptChange[]>;
  /** Commits the queued updates now instead of at the end of their window (a room waiting to flush). */
  commitNow(): void;
  /** Waits until every queued update is committed and running compactions are done. */
  flush(): Promise<void>;
  /** For shutdown (SIGTERM): refuses new updates, commits the queued ones, waits for compactions. */
  close(): Promise<void>;
  stats(): { pendingUpdates: number; commits: number; committedUpdates: number; compactions: number; compactionsRunning: number; compactionsDue: number };
}

export function createCollabStore({
  db,
  compactEvery = 500,
  compactIdleMs,
  compactCeiling = compactEvery * 20,
  logger = silentLogger,
  maxBatch,
  maxDelayMs,
}: CollabStoreOptions): CollabStore {
  const log = logger.child({ component: 'collab-store' });
  const compactions = new Map<string, Promise<void>>();
  /** The last queued append per document, so a load sees every update acknowledged before it. */
  const lastAppend = new Map<string, Promise<void>>();
  /** Idle mode: documents due for compaction, each with the timer that fires once it fell idle. */
  const dueForCompaction = new Map<string, ReturnType<typeof setTimeout> | null>();
  /** Idle mode: compactions run one after the other, never several stalls back to back in one turn. */
  let compactionChain: Promise<void> = Promise.resolve();
  let closing = false;
  let compactionCount = 0;

  const compactOnce = (docName: string, maxUpdates?: number) =>
    compactDocument({ db, docName, ...(maxUpdates === undefined ? {} : { maxUpdates }) }).then((result) => {
      log.debug('document compacted', { docName, throughSeq: result.throughSeq, folded: result.folded, bytes: result.snapshotBytes });
      return result;
    });

  /**
   * Idle mode folds in steps of COMPACTION_STEP updates, one transaction each, letting the event loop run
   * between them: one merge of thousands of updates held every other room's fan-out for 100+ ms.
   */
  const compactInSteps = async (docName: string) => {
    for (;;) {
      const result = await compactOnce(docName, COMPACTION_STEP);
      if (result.folded < COMPACTION_STEP || closing) return;
      await new Promise((resolve) => setImmediate(resolve));
    }
  };

  const runCompaction = (docName: string): Promise<void> =>
    (compactIdleMs === undefined ? compactOnce(docName) : compactInSteps(docName))
      .then(() => {
        compactionCount++;
      })
      // Nothing is lost when compaction fails: its transaction rolled back and the updates are still there.
      .catch((error: unknown) => log.warn('document compaction failed', { docName, error }));

  const startCompaction = (docName: string) => {
    if (compactions.has(docName)) return;
    const run =
      compactIdleMs === undefined
        ? runCompaction(docName)
        : (compactionChain = compactionChain.then(() => (closing ? undefined : runCompaction(docName))));
    const tracked = run.finally(() => compactions.delete(docName));
    compactions.set(docName, tracked);
  };

  /** Idle mode: (re)arms the document's idle timer; every new append of a due document pushes it back. */
  const armIdleCompaction = (docName: string) => {
    const timer = dueForCompaction.get(docName);
    if (timer) clearTimeout(timer);
    dueForCompaction.set(
      docName,
      setTimeout(() => {
        dueForCompaction.delete(docName);
        startCompaction(docName);
      }, compactIdleMs),
    );
  };

  const afterCommit = (docName: string, tail: number) => {
    if (tail < compactEvery) return;
    if (compactIdleMs === undefined) return startCompaction(docName);
    if (tail >= compactCeiling) {
      const timer = dueForCompaction.get(docName);
      if (timer) clearTimeout(timer);
      dueForCompaction.delete(docName);
      return startCompaction(docName);
    }
    armIdleCompaction(docName);
  };

  const commits = new GroupCommit<UpdateToAppend>({
    keyOf: (item) => item.docName,
    ...(maxBatch === undefined ? {} : { maxBatch }),
    ...(maxDelayMs === undefined ? {} : { maxDelayMs }),
    commit: async (updates) => {
      const appended = await appendUpdates({ db, updates });
      if (closing) return;
      for (const doc of appended) afterCommit(doc.docName, doc.lastSeq - doc.snapshotThroughSeq);
    },
  });

  const cancelIdleCompactions = () => {
    for (const timer of dueForCompaction.values()) if (timer) clearTimeout(timer);
    dueForCompaction.clear();
  };

  const waitForCompactions = async () => {
    while (compactions.size > 0) await Promise.all(compactions.values());
  };

  return {
    async load(docName) {
      const pending = lastAppend.get(docName);
      if (pending) await pending.catch(() => undefined);
      const state = await loadDocument({ db, docName });
      // The caller now starts from what is stored, so appends after a failed one make sense again.
      commits.reopen(docName);
      return state;
    },

    append(docName, update, origin) {
      try {
        checkUpdate(docName, update, origin);
      } catch (error) {
        return Promise.reject(error);
      }
      // Copied: the caller may reuse its buffer before the batch is written.
      const committed = commits.add({ docName, update: update.slice(), origin, at: new Date() });
      lastAppend.set(docName, committed);
      const forget = () => {
        if (lastAppend.get(docName) === committed) lastAppend.delete(docName);
      };
      committed.then(forget, forget);
      return committed;
    },

    compact: (docName) => compactDocument({ db, docName }),
    saveVersion: (options) => saveVersion({ db, ...options }),
    listVersions: ({ docName }) => listVersions({ db, docName }),
    getVersion: ({ versionId }) => getVersion({ db, versionId }),
    listTranscriptChanges: (options) => listTranscriptChanges({ db, ...options }),

    commitNow: () => commits.commitNow(),

    async flush() {
      await commits.flush();
      await waitForCompactions();
    },

    async close() {
      await commits.close();
      // Not compacted now: a due document loads the same from snapshot + tail, and is folded after the next start.
      closing = true;
      cancelIdleCompactions();
      await waitForCompactions();
    },

    stats() {
      const s = commits.stats();
      return {
        pendingUpdates: s.pending,
        commits: s.commits,
        committedUpdates: s.committed,
        compactions: compactionCount,
        compactionsRunning: compactions.size,
        compactionsDue: dueForCompaction.size,
      };
    },
  };
}
