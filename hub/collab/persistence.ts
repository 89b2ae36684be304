// What a room needs from storage (implemented on Postgres/PGlite in storage/collab): the merged
// state to start from, and a durable append of every applied update with its typed origin.

/** Who caused a transaction on a document (Yjs transaction origin). */
export type UpdateOrigin =
  | { source: 'session'; sessionId: string; userId: string }
  | { source: 'asr'; engine: string }
  | { source: 'system'; reason: string };

/** The origin as stored: for transcripts, the segments the update touched (for the audit). */
export type PersistedOrigin = UpdateOrigin & { segmentIds?: string[] };

export interface DocPersistence {
  /** The merged state of the document (snapshot + later updates), or null if it was never written. */
  load(docName: string): Promise<Uint8Array | null>;
  /**
   * Appends one update (Yjs v1 encoding); durable when the promise resolves (that is what "acknowledged"
   * means for a room: flush() and withRoom() wait for it). A room calls it for several updates at once,
   * in doc order, before any resolves: they must be stored in that order (the CollabStore commits such a
   * group in one transaction), and once one fails the later ones of that document must fail too.
   */
  append(docName: string, update: Uint8Array, origin: PersistedOrigin): Promise<void>;
  /** Optional: starts committing queued appends now rather than at the end of a batching window (someone waits on flush). */
  commitNow?(): void;
}
