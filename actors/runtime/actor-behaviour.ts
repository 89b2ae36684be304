// What one kind of actor (case, hearing, …) plugs into the ActorHost: its pure machine, the
// schema of its commands, how a command becomes the journalled event, and what clients may see.
import type { AnyStateMachine } from 'xstate';
import type { ZodType } from 'zod';
import type { ErrorCode } from '../../platform/errors.ts';
import type { ActorRef } from './types.ts';

/** The actor as a behaviour sees it while turning a command into an event. */
export interface ActorView {
  /** Flat state name ('draft', 'a.b'). */
  state: string;
  context: unknown;
  /** Sequence number of the last journalled event (0: the actor never existed). */
  seq: number;
  /** Would the machine take this event now (guards included)? Lets a behaviour avoid side effects on a refused command. */
  can(event: { type: string } & Record<string, unknown>): boolean;
}

export interface ToEventDeps {
  ref: ActorRef;
  /** The instant the event is stamped with (also JournalRecord.at). */
  now: Date;
}

/** A refusal a behaviour raises from toEvent; the host turns it into { ok:false, error }. */
export class CommandRefusedError extends Error {
  constructor(readonly code: ErrorCode, message: string, readonly details?: unknown) {
    super(message);
    this.name = 'CommandRefusedError';
  }
}

export interface ActorBehaviour<TCommand extends { type: string } = { type: string }, TEvent extends { type: string } = { type: string }> {
  kind: string;
  /** Pure XState v5 machine (no side effects): replaying the journal must rebuild the same state. */
  machine: AnyStateMachine;
  /** Input for a brand-new actor of this kind (e.g. its id). */
  input(ref: ActorRef): unknown;
  /** Validates every incoming command; a failure is answered with VALIDATION_FAILED. */
  commandSchema: ZodType<TCommand>;
  /** Command types that may bring a never-journalled actor into being; any other → NOT_FOUND. */
  creationCommands: readonly string[];
  /** What a client is told when the actor does not exist ('case' → "case not found"). */
  notFoundName: string;
  /** Error code for a command the machine refuses in its current state. */
  refusalCode: ErrorCode;
  /** Enriches a valid command into the journalled event (assign numbers, seal personal data). May throw CommandRefusedError. */
  toEvent(command: TCommand, current: ActorView, deps: ToEventDeps): Promise<TEvent>;
  /** Client-safe summary for DomainEvent (no personal identifiers). */
  summary(context: unknown): Record<string, unknown>;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyActorBehaviour = ActorBehaviour<any, any>;
