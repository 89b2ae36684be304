// Persistence of the collaborative documents for the rooms: appends are group-committed across
// documents and durable when they resolve, loads merge snapshot and tail, and documents are
// compacted in the background every `compactEvery` updates. Versions and the audit query ride along.
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
  logger?: Logger;
  /**
   * Group commit: most updates per transaction, and the longest an update waits for its commit to start
   * (default 2 ms; the hub runs with COLLAB_COMMIT_WINDOW_MS). Rooms broadcast at once; only
   * acknowledgement (durability) waits, and a room that flushes asks for the commit at once (commitNow).
   */
  maxBatch?: number;
  maxDelayMs?: number;
}

/**
 * The hub's commit window (platform/node.ts). A commit of embedded PGlite costs 5–15 ms of CPU whatever
 * it holds (docs/BENCHMARKS-HUB.md), so updates are acknowledged in windows of this length: a busy server
 * commits about once per window instead of once per update. Broadcast is not delayed; an update not yet
 * committed at a crash is resent by its clients when they resynchronise (y-websocket sync on reconnect).
 */
export const COLLAB_COMMIT_WINDOW_MS = 1000;
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
  stats(): { pendingUpdates: number; commits: number; committedUpdates: number; compactions: number; compactionsRunning: number };
}

export function createCollabStore({ db, compactEvery = 500, logger = silentLogger, maxBatch, maxDelayMs }: CollabStoreOptions): CollabStore {
  const log = logger.child({ component: 'collab-store' });
  const compactions = new Map<string, Promise<void>>();
  /** The last queued append per document, so a load sees every update acknowledged before it. */
  const lastAppend = new Map<string, Promise<void>>();
  let compactionCount = 0;

  const startCompaction = (docName: string) => {
    if (compactions.has(docName)) return;
    const run = compactDocument({ db, docName })
      .then((result) => {
        compactionCount++;
        log.debug('document compacted', { docName, throughSeq: result.throughSeq, folded: result.folded, bytes: result.snapshotBytes });
      })
      // Nothing is lost when compaction fails: its transaction rolled back and the updates are still there.
      .catch((error: unknown) => log.warn('document compaction failed', { docName, error }))
      .finally(() => compactions.delete(docName));
    compactions.set(docName, run);
  };

  const commits = new GroupCommit<UpdateToAppend>({
    keyOf: (item) => item.docName,
    ...(maxBatch === undefined ? {} : { maxBatch }),
    ...(maxDelayMs === undefined ? {} : { maxDelayMs }),
    commit: async (updates) => {
      const appended = await appendUpdates({ db, updates });
      for (const doc of appended) {
        if (doc.lastSeq - doc.snapshotThroughSeq >= compactEvery) startCompaction(doc.docName);
      }
    },
  });

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
      };
    },
  };
}
