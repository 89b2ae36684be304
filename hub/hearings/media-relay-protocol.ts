// The JSON messages hub nodes exchange about hearing media: a relay node forwards its sockets' client
// signals to the hearing's owner node, the owner answers each with a status and publishes the server's
// signals back. Everything read from NATS is size-checked and validated; a bad message is refused, never a crash.
import { z } from 'zod';
import { clientSignalSchema, MEDIA_ERROR_CODES, SIGNAL_MAX_BYTES, type ClientSignal, type ServerSignal } from '../../media/signalling/protocol.ts';

export const MEDIA_RELAY_VERSION = 1 as const;
/** A forwarded signal is a client signal plus a few ids: the client limit plus room for them. */
export const RELAY_MESSAGE_MAX_BYTES = SIGNAL_MAX_BYTES + 2 * 1024;

const v = z.literal(MEDIA_RELAY_VERSION);
const id = z.string().min(1).max(128);

/** Relay → owner: one client signal of a participant seated on the relay node, on one of its sockets (`link`). */
const forwardedSignal = z
  .object({ v, hearingId: id, participantId: id, accountId: id, relayNode: id, link: id, signal: clientSignalSchema })
  .strict();
export type ForwardedSignal = Omit<z.infer<typeof forwardedSignal>, 'signal'> & { signal: ClientSignal };

/**
 * Owner → relay, the answer to a forwarded signal: handled; this node does not own the hearing (any
 * more); or the owner could not handle it (the participant's media is not joined, the signal failed).
 */
export const RELAY_STATUSES = ['ok', 'notOwner', 'refused'] as const;
export type RelayStatus = (typeof RELAY_STATUSES)[number];
const relayReply = z.object({ v, status: z.enum(RELAY_STATUSES) }).strict();

/** The server signals a relay may deliver; their content is the owner router's, passed on as it is. */
const serverSignal = z.discriminatedUnion('type', [
  z.object({ v, type: z.literal('media.offer'), sdp: z.string().min(1), revision: z.number().int() }).strict(),
  z.object({ v, type: z.literal('media.answer'), sdp: z.string().min(1) }).strict(),
  z.object({ v, type: z.literal('media.ice'), candidate: z.record(z.string(), z.unknown()).nullable() }).strict(),
  z.object({ v, type: z.literal('media.state'), self: z.record(z.string(), z.unknown()), participants: z.array(z.record(z.string(), z.unknown())).max(256), recording: z.boolean() }).strict(),
  z.object({ v, type: z.literal('media.error'), code: z.enum(MEDIA_ERROR_CODES), message: z.string().max(500) }).strict(),
]);

/** Owner → relay node: a server signal for the socket `link` of a participant. */
const returnedSignal = z.object({ v, hearingId: id, participantId: id, link: id, signal: serverSignal }).strict();
export interface ReturnedSignal {
  v: typeof MEDIA_RELAY_VERSION;
  hearingId: string;
  participantId: string;
  link: string;
  signal: ServerSignal;
}

export class MediaRelayProtocolError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'MediaRelayProtocolError';
  }
}

const encoder = new TextEncoder();
const encode = (value: unknown): Uint8Array => encoder.encode(JSON.stringify(value));

function decode<T>(bytes: Uint8Array, what: string, schema: z.ZodType<T>): T {
  if (bytes.byteLength > RELAY_MESSAGE_MAX_BYTES) throw new MediaRelayProtocolError(`${what}: over ${RELAY_MESSAGE_MAX_BYTES} bytes`);
  let value: unknown;
  try {
    value = JSON.parse(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8'));
  } catch (error) {
    throw new MediaRelayProtocolError(`${what}: not JSON`, { cause: error });
  }
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw new MediaRelayProtocolError(`${what}: invalid`, { cause: parsed.error });
  return parsed.data;
}

export const encodeForwardedSignal = (message: ForwardedSignal): Uint8Array => encode(message);
export const decodeForwardedSignal = (bytes: Uint8Array): ForwardedSignal => decode(bytes, 'forwarded signal', forwardedSignal);

export const encodeRelayReply = (status: RelayStatus): Uint8Array => encode({ v: MEDIA_RELAY_VERSION, status });
export const decodeRelayReply = (bytes: Uint8Array): RelayStatus => decode(bytes, 'relay reply', relayReply).status;

export const encodeReturnedSignal = (message: ReturnedSignal): Uint8Array => encode(message);
export const decodeReturnedSignal = (bytes: Uint8Array): ReturnedSignal => decode(bytes, 'returned signal', returnedSignal) as ReturnedSignal;
