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

/**
 * What an actor answers to a command, once its event is durably journalled: its new sequence
 * number and state and the client-safe summary of its context (ActorBehaviour.summary). The full
 * context comes only from ActorHost.handle() in the same process; over the bus it is left out
 * (no caller needs it, and it was most of a reply's bytes).
 */
export type CommandReply =
  | { ok: true; seq: number; state: string; summary: Record<string, unknown>; context?: Record<string, unknown> }
  | { ok: false; error: { code: ErrorCode; message: string; details?: unknown } };

/** One transition, for dashboards; published with the rest of its group commit in an InspectionBatch. */
export interface InspectionEvent {
  actor: { kind: string; id: string };
  state: string;
  eventType: string;
  seq: number;
  at: string;
  node: string;
}

/** The transitions of one group commit of one kind, on subjects.inspectionBatch(kind) (fire-and-forget). */
export interface InspectionBatch {
  kind: string;
  events: InspectionEvent[];
}

/**
 * One accepted event as clients may see it. Published after commit with the rest of its group
 * commit in a DomainEventBatch (durable, and heard live: what the /rt channel forwards).
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

/** The domain events of one group commit of one kind, on subjects.actorEventBatch(kind): stored durably, heard live. */
export interface DomainEventBatch {
  kind: string;
  events: DomainEvent[];
}

/** How callers (hub, other actors) talk to actors, whatever the bus. */
export interface ActorClient {
  /** Sends a command; resolves with the reply. Never throws for domain refusals (ok:false). */
  ask(ref: ActorRef, command: { type: string } & Record<string, unknown>, options?: { timeoutMs?: number }): Promise<CommandReply>;
}
