// The /yjs/<docName> wire protocol: the standard y-websocket framing (lib0 varUint message type, then
// y-protocols sync / awareness payloads), our refusal notice and the coded close reasons.
import * as encoding from 'lib0/encoding';
import * as syncProtocol from 'y-protocols/sync';
import * as authProtocol from 'y-protocols/auth';
import { ERROR_CODES } from '../../platform/errors.ts';

/** Message types of y-websocket (y-websocket/src/y-websocket.js). */
export const MESSAGE_SYNC = 0;
export const MESSAGE_AWARENESS = 1;
/** Server → client only: y-protocols/auth "permission denied", which WebsocketProvider reports. */
export const MESSAGE_AUTH = 2;
export const MESSAGE_QUERY_AWARENESS = 3;

/** Close codes of the endpoint (4000–4999 from platform/errors.ts, plus the slow-consumer code of /rt). */
export const COLLAB_CLOSE = {
  protocolError: { code: ERROR_CODES.PROTOCOL_ERROR.ws, reason: 'protocol error' },
  unauthenticated: { code: ERROR_CODES.UNAUTHENTICATED.ws, reason: 'sign in again' },
  unknownDocument: { code: ERROR_CODES.NOT_FOUND.ws, reason: 'unknown document' },
  tooLarge: { code: ERROR_CODES.PAYLOAD_TOO_LARGE.ws, reason: 'message too large' },
  flood: { code: ERROR_CODES.RATE_LIMITED.ws, reason: 'too many messages' },
  slowConsumer: { code: 4008, reason: 'slow consumer: reconnect to resynchronise' },
  tooManyHeld: { code: 4009, reason: 'too many updates waiting for content the server lacks: reconnect to resynchronise' },
  unavailable: { code: ERROR_CODES.INTERNAL.ws, reason: 'document unavailable: reconnect' },
  shutdown: { code: 1001, reason: 'server shutting down' },
} as const satisfies Record<string, { code: number; reason: string }>;

/** Prefix of the permission-denied reason when an update was refused (the rest is a readable message). */
export const FORBIDDEN_UPDATE = 'FORBIDDEN_UPDATE';

/** A frame that breaks the protocol: the sender is closed with 4002. */
export class CollabProtocolError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'CollabProtocolError';
  }
}

export function encodeSyncStep1(writeStep: (encoder: encoding.Encoder) => void): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, MESSAGE_SYNC);
  writeStep(encoder);
  return encoding.toUint8Array(encoder);
}

export function encodeSyncUpdate(update: Uint8Array): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, MESSAGE_SYNC);
  syncProtocol.writeUpdate(encoder, update);
  return encoding.toUint8Array(encoder);
}

export function encodeAwarenessMessage(awarenessUpdate: Uint8Array): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, MESSAGE_AWARENESS);
  encoding.writeVarUint8Array(encoder, awarenessUpdate);
  return encoding.toUint8Array(encoder);
}

/** "FORBIDDEN_UPDATE: <message>" as a y-protocols/auth permission-denied message. */
export function encodeUpdateRefusal(message: string): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, MESSAGE_AUTH);
  authProtocol.writePermissionDenied(encoder, `${FORBIDDEN_UPDATE}: ${message}`);
  return encoding.toUint8Array(encoder);
}
