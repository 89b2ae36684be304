// Contracts between the actor runtime, its callers (hub) and its journal (storage).
import type { ErrorCode } from '../../platform/errors.ts';

/** An actor is addressed by kind and id: `case/<uuid>`. */
export interface ActorRef {
  kind: string;
  id: string;
}

export const actorAddress = (ref: ActorRef): string => `${ref.kind}/${ref.id}`;

/** Who sent a command; the hub fills it from the authenticated session, never from the body. */
export interface CommandSender {
  userId: string;
  role: string;
}

/** One accepted event, as journalled. `seq` starts at 1 for each actor and has no gaps. */
export interface JournalRecord {
  kind: string;
  id: string;
  seq: number;
  event: { type: string } & Record<string, unknown>;
  /** The state the actor reached, flattened ('hearingScheduled', 'a.b'). */
  state: string;
  /** The actor's context after the event (what projections read in the commit; not stored). */
  context: Record<string, unknown>;
  at: string;
}

/** A journal record as read back: everything but the context, which replay recomputes. */
export type LoadedJournalRecord = Omit<JournalRecord, 'context'>;

export interface ActorSnapshotRecord {
  seq: number;
  /** XState persisted snapshot (actor.getPersistedSnapshot()). */
  state: unknown;
}

/** Where actors persist. Implemented by storage/journal; a test may use an in-memory one. */
export interface ActorJournal {
  /**
   * Appends records in ONE transaction (group commit), running each kind's projection
   * and audit rows in that same transaction. Throws JournalConflictError when a (kind,id,seq)
   * already exists: another node wrote that actor, the caller must drop and rehydrate it.
   */
  commit(records: JournalRecord[]): Promise<void>;
  /**
   * Latest snapshot (if any) and the records after it, in seq order. Loaded records carry no
   * context: the journal keeps events (the truth), and replaying them rebuilds the context.
   */
  load(ref: ActorRef): Promise<{ snapshot: ActorSnapshotRecord | null; records: LoadedJournalRecord[] }>;
  saveSnapshot(ref: ActorRef, snapshot: ActorSnapshotRecord): Promise<void>;
}

export class JournalConflictError extends Error {
  constructor(readonly ref: ActorRef, readonly seq: number, options?: { cause?: unknown }) {
    super(`journal conflict at ${ref.kind}/${ref.id}#${seq}`, options);
    this.name = 'JournalConflictError';
  }
}

/** What an actor answers to a command, once its event is durably journalled. */
export type CommandReply =
  | { ok: true; seq: number; state: string; context: Record<string, unknown> }
  | { ok: false; error: { code: ErrorCode; message: string; details?: unknown } };

/** Published on subjects.inspection() for every transition. */
export interface InspectionEvent {
  actor: { kind: string; id: string };
  state: string;
  eventType: string;
  seq: number;
  at: string;
  node: string;
}

/**
 * Published after commit on subjects.actorEvent() (live, fire-and-forget: what the /rt channel
 * forwards) and, with the rest of its group commit, durably in a DomainEventBatch.
 */
export interface DomainEvent {
  kind: string;
  id: string;
  seq: number;
  type: string;
  state: string;
  at: string;
  /** A client-safe summary of the context (no personal identifiers). */
  summary: Record<string, unknown>;
}

/** The domain events of one group commit of one kind, stored durably on subjects.actorEventBatch(kind). */
export interface DomainEventBatch {
  kind: string;
  events: DomainEvent[];
}

/** How callers (hub, other actors) talk to actors, whatever the bus. */
export interface ActorClient {
  /** Sends a command; resolves with the reply. Never throws for domain refusals (ok:false). */
  ask(ref: ActorRef, command: { type: string } & Record<string, unknown>, options?: { timeoutMs?: number }): Promise<CommandReply>;
}
