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
