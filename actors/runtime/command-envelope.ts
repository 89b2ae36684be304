// The payload of a command request on subjects.actorCommand(kind, shard): the actor's id
// (the kind is in the subject) and the command itself, validated by the actor's own schema.
import { z } from 'zod';

export const COMMAND_ENVELOPE_VERSION = 1;

/** Actor ids become subject tokens (events, inspection), so only these characters are allowed. */
export const ACTOR_ID_PATTERN = /^[A-Za-z0-9_-]{1,128}$/;

export const commandEnvelope = z.object({
  v: z.literal(COMMAND_ENVELOPE_VERSION),
  id: z.string().regex(ACTOR_ID_PATTERN, 'actor id must be a safe subject token'),
  command: z.looseObject({ type: z.string().min(1) }),
});
export type CommandEnvelope = z.infer<typeof commandEnvelope>;

/**
 * The check `commandEnvelope.safeParse` makes, without zod's copy of the whole command: on the
 * hot path the command goes on to its actor kind's own schema, which validates (and copies) it.
 * Null when the payload is not an envelope.
 */
export function readCommandEnvelope(payload: unknown): CommandEnvelope | null {
  if (typeof payload !== 'object' || payload === null || Array.isArray(payload)) return null;
  if ((payload as Record<string, unknown>).v !== COMMAND_ENVELOPE_VERSION) return null;
  return readAddressedCommand(payload);
}

/** The id and command of an envelope or of a batch entry (which carries no version of its own). */
function readAddressedCommand(payload: object): CommandEnvelope | null {
  const { id, command } = payload as Record<string, unknown>;
  if (typeof id !== 'string' || !ACTOR_ID_PATTERN.test(id)) return null;
  if (typeof command !== 'object' || command === null || Array.isArray(command)) return null;
  const { type } = command as Record<string, unknown>;
  if (typeof type !== 'string' || type.length === 0) return null;
  return { v: COMMAND_ENVELOPE_VERSION, id, command: command as CommandEnvelope['command'] };
}

/**
 * Version 2: several commands for actors of one shard in ONE request (the client's batcher
 * coalesces what it sends within one turn of the event loop). The host runs each command in its
 * own actor's mailbox and answers once, with one reply per command in the same order.
 */
export const COMMAND_BATCH_VERSION = 2;

export interface CommandBatch {
  v: typeof COMMAND_BATCH_VERSION;
  commands: unknown[];
}

export interface CommandBatchReply {
  v: typeof COMMAND_BATCH_VERSION;
  replies: unknown[];
}

/**
 * The JSON text of one entry of a batch: what `readCommandEnvelope` reads once `v` is added. An
 * entry sent to a node's subject (not a shard's) also names its actor kind.
 */
export function encodeBatchEntry(id: string, command: unknown, kind?: string): string {
  const kindField = kind === undefined ? '' : `"kind":${JSON.stringify(kind)},`;
  return `{${kindField}"id":${JSON.stringify(id)},"command":${JSON.stringify(command)}}`;
}

/** The kind an entry of a node-addressed batch names; null when it names none. */
export function readBatchEntryKind(entry: unknown): string | null {
  if (typeof entry !== 'object' || entry === null || Array.isArray(entry)) return null;
  const { kind } = entry as Record<string, unknown>;
  return typeof kind === 'string' && ACTOR_ID_PATTERN.test(kind) ? kind : null;
}

/** The JSON text of a batch from its encoded entries. */
export function encodeCommandBatch(entries: readonly string[]): string {
  return `{"v":${COMMAND_BATCH_VERSION},"commands":[${entries.join(',')}]}`;
}

/** The batch in a request payload; null when it is not one (its entries are checked one by one). */
export function readCommandBatch(payload: unknown): CommandBatch | null {
  if (typeof payload !== 'object' || payload === null || Array.isArray(payload)) return null;
  const { v, commands } = payload as Record<string, unknown>;
  if (v !== COMMAND_BATCH_VERSION || !Array.isArray(commands) || commands.length === 0) return null;
  return { v, commands };
}

/** One entry of a batch as an envelope (same checks as a single command's); null when malformed. */
export function readBatchEntry(entry: unknown): CommandEnvelope | null {
  if (typeof entry !== 'object' || entry === null || Array.isArray(entry)) return null;
  return readAddressedCommand(entry);
}

/** The replies of a batch answer, when it has exactly `count` of them; else null. */
export function readBatchReplies(answer: unknown, count: number): unknown[] | null {
  if (typeof answer !== 'object' || answer === null || Array.isArray(answer)) return null;
  const { v, replies } = answer as Record<string, unknown>;
  if (v !== COMMAND_BATCH_VERSION || !Array.isArray(replies) || replies.length !== count) return null;
  return replies;
}
