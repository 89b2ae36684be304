// The hearing media signalling protocol: versioned messages carried over the hub's /rt channel.
// The server always offers (see media/README.md); clients answer and trickle ICE.
import { z } from 'zod';

export const MEDIA_PROTOCOL_VERSION = 1 as const;
/** A full hearing offer with a dozen m-lines is ~15 KiB; 64 KiB leaves room without inviting abuse. */
export const SDP_MAX_BYTES = 64 * 1024;
export const CANDIDATE_MAX_BYTES = 1024;
/** A raw message larger than this is refused before JSON parsing. */
export const SIGNAL_MAX_BYTES = SDP_MAX_BYTES + 4 * 1024;

export const MEDIA_ERROR_CODES = [
  'MEDIA_BAD_MESSAGE',
  'MEDIA_UNKNOWN_TYPE',
  'MEDIA_UNSUPPORTED_VERSION',
  'MEDIA_TOO_LARGE',
  'MEDIA_OFFER_REFUSED',
  'MEDIA_NOT_JOINED',
  'MEDIA_NEGOTIATION_FAILED',
  'MEDIA_CONNECT_TIMEOUT',
  'MEDIA_HEARING_CLOSED',
  // The hearing's media moved to another hub node (its owner died or gave it up): send media.join again.
  'MEDIA_HEARING_MOVED',
] as const;
export type MediaErrorCode = (typeof MEDIA_ERROR_CODES)[number];

const v = z.literal(MEDIA_PROTOCOL_VERSION);
const sdp = z.string().min(1);
const candidate = z
  .object({
    candidate: z.string(),
    sdpMid: z.string().max(64).nullish(),
    sdpMLineIndex: z.number().int().min(0).max(1023).nullish(),
    usernameFragment: z.string().max(256).nullish(),
  })
  .strict();
export type IceCandidateMessage = z.infer<typeof candidate>;

export const clientSignalSchema = z.discriminatedUnion('type', [
  z.object({ v, type: z.literal('media.join'), hearingId: z.string().min(1).max(128) }).strict(),
  z.object({ v, type: z.literal('media.answer'), sdp }).strict(),
  z.object({ v, type: z.literal('media.offer'), sdp }).strict(),
  // null is the end-of-candidates marker.
  z.object({ v, type: z.literal('media.ice'), candidate: candidate.nullable() }).strict(),
  z.object({ v, type: z.literal('media.leave') }).strict(),
]);
export type ClientSignal = z.infer<typeof clientSignalSchema>;

export interface ForwardedParticipantState {
  participantId: string;
  admitted: boolean;
  muted: boolean;
  /** The m-line ids in this receiver's connection carrying that participant's media (absent until negotiated). */
  audioMid?: string;
  videoMid?: string;
}

export type ServerSignal =
  | { v: 1; type: 'media.offer'; sdp: string; revision: number }
  | { v: 1; type: 'media.answer'; sdp: string }
  | { v: 1; type: 'media.ice'; candidate: IceCandidateMessage | null }
  | {
      v: 1;
      type: 'media.state';
      self: { participantId: string; admitted: boolean; muted: boolean };
      participants: ForwardedParticipantState[];
      recording: boolean;
    }
  | { v: 1; type: 'media.error'; code: MediaErrorCode; message: string };

const CLIENT_TYPES = new Set(['media.join', 'media.answer', 'media.offer', 'media.ice', 'media.leave']);

export type ParsedSignal = { ok: true; message: ClientSignal } | { ok: false; error: Extract<ServerSignal, { type: 'media.error' }> };

export function mediaError(code: MediaErrorCode, message: string): Extract<ServerSignal, { type: 'media.error' }> {
  return { v: MEDIA_PROTOCOL_VERSION, type: 'media.error', code, message };
}

/**
 * Validates one client message, given as JSON text or an already decoded value. Sizes are checked in
 * bytes (SDP is ASCII in practice, but a hostile client may send multi-byte characters).
 */
export function parseClientSignal(raw: unknown): ParsedSignal {
  let value: unknown = raw;
  if (typeof raw === 'string' || raw instanceof Uint8Array) {
    const bytes = typeof raw === 'string' ? Buffer.byteLength(raw) : raw.byteLength;
    if (bytes > SIGNAL_MAX_BYTES) return fail('MEDIA_TOO_LARGE', `signalling message over ${SIGNAL_MAX_BYTES} bytes`);
    try {
      value = JSON.parse(typeof raw === 'string' ? raw : Buffer.from(raw).toString('utf8'));
    } catch {
      return fail('MEDIA_BAD_MESSAGE', 'signalling message is not JSON');
    }
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return fail('MEDIA_BAD_MESSAGE', 'signalling message must be an object');
  }
  const record = value as Record<string, unknown>;
  if (typeof record.type !== 'string' || !CLIENT_TYPES.has(record.type)) {
    return fail('MEDIA_UNKNOWN_TYPE', 'unknown signalling message type');
  }
  if (record.v !== MEDIA_PROTOCOL_VERSION) {
    return fail('MEDIA_UNSUPPORTED_VERSION', `signalling protocol version ${MEDIA_PROTOCOL_VERSION} expected`);
  }
  if (typeof record.sdp === 'string' && Buffer.byteLength(record.sdp) > SDP_MAX_BYTES) {
    return fail('MEDIA_TOO_LARGE', `SDP over ${SDP_MAX_BYTES} bytes`);
  }
  const ice = record.candidate as { candidate?: unknown } | null | undefined;
  if (ice && typeof ice.candidate === 'string' && Buffer.byteLength(ice.candidate) > CANDIDATE_MAX_BYTES) {
    return fail('MEDIA_TOO_LARGE', `ICE candidate over ${CANDIDATE_MAX_BYTES} bytes`);
  }
  const parsed = clientSignalSchema.safeParse(value);
  if (!parsed.success) return fail('MEDIA_BAD_MESSAGE', `invalid ${record.type} message`);
  return { ok: true, message: parsed.data };
}

function fail(code: MediaErrorCode, message: string): ParsedSignal {
  return { ok: false, error: mediaError(code, message) };
}
