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
  const { v, id, command } = payload as Record<string, unknown>;
  if (v !== COMMAND_ENVELOPE_VERSION || typeof id !== 'string' || !ACTOR_ID_PATTERN.test(id)) return null;
  if (typeof command !== 'object' || command === null || Array.isArray(command)) return null;
  const { type } = command as Record<string, unknown>;
  if (typeof type !== 'string' || type.length === 0) return null;
  return { v, id, command: command as CommandEnvelope['command'] };
}
