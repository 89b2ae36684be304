// Rewrites an awareness update a session sent: each state gets the server's `user` (id, name, role;
// a short `color` the client chose is kept),
// so clients cannot pretend to be someone else, and entries for client ids another session owns are dropped.
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import { CollabProtocolError } from './protocol.ts';

/** Presence is cursors and names: a bigger state is refused rather than fanned out to every peer. */
export const MAX_AWARENESS_STATE_CHARS = 16 * 1024;

export interface AwarenessIdentity {
  id: string;
  name: string;
  role: string;
}

export interface StampedAwareness {
  /** The re-encoded update, or null when no entry was left. */
  update: Uint8Array | null;
  /** The client ids the update speaks for (to claim for the session). */
  clientIds: number[];
}

/** Awareness update: varUint count, then per entry varUint clientID, varUint clock, varString JSON state. */
export function stampAwarenessUpdate(
  update: Uint8Array,
  identity: AwarenessIdentity,
  mayUseClientId: (clientId: number) => boolean,
): StampedAwareness {
  const decoder = decoding.createDecoder(update);
  const encoder = encoding.createEncoder();
  const clientIds: number[] = [];
  const entries: { clientId: number; clock: number; state: string }[] = [];
  try {
    const count = decoding.readVarUint(decoder);
    for (let index = 0; index < count; index++) {
      const clientId = decoding.readVarUint(decoder);
      const clock = decoding.readVarUint(decoder);
      const raw = decoding.readVarString(decoder);
      if (!mayUseClientId(clientId)) continue;
      if (raw.length > MAX_AWARENESS_STATE_CHARS) throw new CollabProtocolError('awareness state too large');
      const state: unknown = JSON.parse(raw);
      if (state === null) {
        entries.push({ clientId, clock, state: 'null' });
      } else if (typeof state === 'object' && !Array.isArray(state)) {
        // The cursor colour is the client's choice; who it is, is the server's.
        const color = (state as { user?: { color?: unknown } }).user?.color;
        const user = typeof color === 'string' && color.length <= 32 ? { color, ...identity } : { ...identity };
        entries.push({ clientId, clock, state: JSON.stringify({ ...(state as object), user }) });
      } else {
        throw new CollabProtocolError('an awareness state must be an object or null');
      }
      clientIds.push(clientId);
    }
  } catch (error) {
    if (error instanceof CollabProtocolError) throw error;
    throw new CollabProtocolError('malformed awareness update', { cause: error });
  }
  if (entries.length === 0) return { update: null, clientIds };
  encoding.writeVarUint(encoder, entries.length);
  for (const entry of entries) {
    encoding.writeVarUint(encoder, entry.clientId);
    encoding.writeVarUint(encoder, entry.clock);
    encoding.writeVarString(encoder, entry.state);
  }
  return { update: encoding.toUint8Array(encoder), clientIds };
}
