// The binary messages hub nodes exchange about one document (lib0 encoding, version 1 first).
// Everything decoded from the wire is checked: a malformed message is a RelayProtocolError, never a crash.
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import { z } from 'zod';
import type { UpdateOrigin } from '../persistence.ts';

const VERSION = 1;

export class RelayProtocolError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'RelayProtocolError';
  }
}

/** How the owner answered a sync or append request. */
export const REPLY = {
  ok: 0,
  /** This node does not own the document (any more): ask again after the lease settles. */
  notOwner: 1,
  /** The request was malformed or could not be applied: the relay's room fails (its clients resync on reconnect). */
  failed: 2,
  /** Applied, but the owner lacks what the update builds on: the relay must send its whole diff. */
  incomplete: 3,
} as const;
export type ReplyStatus = (typeof REPLY)[keyof typeof REPLY];

const origin = z.discriminatedUnion('source', [
  z.object({ source: z.literal('session'), sessionId: z.string().min(1).max(100), userId: z.string().min(1).max(100) }),
  z.object({ source: z.literal('asr'), engine: z.string().min(1).max(100) }),
  z.object({ source: z.literal('system'), reason: z.string().min(1).max(200) }),
]);

function read<T>(bytes: Uint8Array, what: string, body: (decoder: decoding.Decoder) => T): T {
  try {
    const decoder = decoding.createDecoder(bytes);
    const version = decoding.readVarUint(decoder);
    if (version !== VERSION) throw new RelayProtocolError(`${what}: unknown version ${version}`);
    return body(decoder);
  } catch (error) {
    if (error instanceof RelayProtocolError) throw error;
    throw new RelayProtocolError(`${what}: malformed`, { cause: error });
  }
}

function write(body: (encoder: encoding.Encoder) => void): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, VERSION);
  body(encoder);
  return encoding.toUint8Array(encoder);
}

function readStatus(decoder: decoding.Decoder): ReplyStatus {
  const status = decoding.readVarUint(decoder);
  if (!(Object.values(REPLY) as number[]).includes(status)) throw new RelayProtocolError(`unknown reply status ${status}`);
  return status as ReplyStatus;
}

export const encodeSyncRequest = (stateVector: Uint8Array) => write((e) => encoding.writeVarUint8Array(e, stateVector));
export const decodeSyncRequest = (bytes: Uint8Array) => read(bytes, 'sync request', (d) => decoding.readVarUint8Array(d));

export function encodeSyncReply(reply: { status: ReplyStatus; diff?: Uint8Array; stateVector?: Uint8Array }): Uint8Array {
  return write((e) => {
    encoding.writeVarUint(e, reply.status);
    encoding.writeVarUint8Array(e, reply.diff ?? new Uint8Array());
    encoding.writeVarUint8Array(e, reply.stateVector ?? new Uint8Array());
  });
}
export function decodeSyncReply(bytes: Uint8Array): { status: ReplyStatus; diff: Uint8Array; stateVector: Uint8Array } {
  return read(bytes, 'sync reply', (d) => ({ status: readStatus(d), diff: decoding.readVarUint8Array(d), stateVector: decoding.readVarUint8Array(d) }));
}

export function encodeAppendRequest(update: Uint8Array, updateOrigin: UpdateOrigin): Uint8Array {
  return write((e) => {
    encoding.writeVarUint8Array(e, update);
    encoding.writeVarString(e, JSON.stringify(updateOrigin));
  });
}
export function decodeAppendRequest(bytes: Uint8Array): { update: Uint8Array; origin: UpdateOrigin } {
  return read(bytes, 'append request', (d) => {
    const update = decoding.readVarUint8Array(d);
    if (update.byteLength === 0) throw new RelayProtocolError('append request: empty update');
    const parsed = origin.safeParse(JSON.parse(decoding.readVarString(d)));
    if (!parsed.success) throw new RelayProtocolError('append request: invalid origin');
    return { update, origin: parsed.data };
  });
}

/** Same shape as the sync reply: `incomplete` carries the owner's state vector. */
export const encodeAppendReply = encodeSyncReply;
export const decodeAppendReply = decodeSyncReply;

export const encodeUpdateBroadcast = (update: Uint8Array) => write((e) => encoding.writeVarUint8Array(e, update));
export const decodeUpdateBroadcast = (bytes: Uint8Array) => read(bytes, 'update broadcast', (d) => decoding.readVarUint8Array(d));

export type AwarenessMessage = { node: string; kind: 'update'; update: Uint8Array } | { node: string; kind: 'query' };

export function encodeAwarenessMessage(message: AwarenessMessage): Uint8Array {
  return write((e) => {
    encoding.writeVarString(e, message.node);
    encoding.writeVarUint(e, message.kind === 'update' ? 0 : 1);
    encoding.writeVarUint8Array(e, message.kind === 'update' ? message.update : new Uint8Array());
  });
}
export function decodeAwarenessMessage(bytes: Uint8Array): AwarenessMessage {
  return read(bytes, 'awareness message', (d) => {
    const node = decoding.readVarString(d);
    const kind = decoding.readVarUint(d);
    const update = decoding.readVarUint8Array(d);
    if (kind === 0) return { node, kind: 'update', update };
    if (kind === 1) return { node, kind: 'query' };
    throw new RelayProtocolError(`awareness message: unknown kind ${kind}`);
  });
}
