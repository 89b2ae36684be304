// The /rt realtime channel's messages (version 1): JSON text frames, a discriminated union on `type`.
// Clients authenticate, then follow cases (or, court staff, their whole court) and receive case events.
import { z } from 'zod';
import type { ErrorCode } from '../../platform/errors.ts';
import type { DomainEvent } from '../../actors/runtime/types.ts';

export const REALTIME_PROTOCOL_VERSION = 1;
const v = z.literal(REALTIME_PROTOCOL_VERSION);

/** Target of a (un)subscription: one case, or every case of the caller's court. */
const target = {
  caseId: z.uuid().optional(),
  scope: z.literal('court').optional(),
};
const exactlyOneTarget = (message: { caseId?: string; scope?: 'court' }) => (message.caseId === undefined) !== (message.scope === undefined);
const targetMessage = 'give either caseId or scope: "court"';

export const clientMessage = z.discriminatedUnion('type', [
  z.object({ v, type: z.literal('auth'), token: z.string().min(1).max(2048) }),
  z.object({ v, type: z.literal('subscribe'), ...target }).refine(exactlyOneTarget, targetMessage),
  z.object({ v, type: z.literal('unsubscribe'), ...target }).refine(exactlyOneTarget, targetMessage),
  z.object({ v, type: z.literal('ping') }),
]);
export type ClientMessage = z.infer<typeof clientMessage>;

export type SubscriptionTarget = { caseId: string } | { scope: 'court' };

export type ServerMessage =
  | { v: 1; type: 'ready'; user: { userId: string; role: string; courtId: string | null } }
  | ({ v: 1; type: 'subscribed' } & SubscriptionTarget)
  | ({ v: 1; type: 'unsubscribed' } & SubscriptionTarget)
  | { v: 1; type: 'case.event'; event: DomainEvent }
  | { v: 1; type: 'case.notice'; notice: CaseNotice }
  | { v: 1; type: 'hearing.event'; event: DomainEvent }
  | { v: 1; type: 'hearing.asr'; status: HearingAsrStatus }
  | { v: 1; type: 'hearing.identityAlert'; alert: HearingIdentityAlert }
  | { v: 1; type: 'error'; code: ErrorCode; message: string }
  | { v: 1; type: 'pong' };

/** Close codes of the channel (4000–4999, from platform/errors.ts where a code exists). */
export const CLOSE_CODES = {
  /** Not authenticated in time, or with a bad token. */
  unauthenticated: 4401,
  /** Binary frames or repeated invalid messages. */
  protocolError: 4002,
  /** The client could not keep up: reconnect and refetch rather than miss events silently. */
  slowConsumer: 4008,
  /** The node is stopping: reconnect (to another node). */
  goingAway: 1001,
} as const;

/** The DomainEvent shape as it arrives from the bus (validated: the bus is a process boundary). */
export const domainEventSchema = z.object({
  kind: z.string(),
  id: z.string(),
  seq: z.number().int(),
  type: z.string(),
  state: z.string(),
  at: z.string(),
  summary: z.record(z.string(), z.unknown()),
});

/**
 * How live speech recognition of a hearing keeps up, for its judge and clerk (never stored): audio
 * waiting (queuedMs) or lost (droppedMs), the delay from the end of an utterance to its text, and how
 * long the oldest finished utterance has waited for its text (awaitingTextMs).
 */
export const hearingAsrStatusSchema = z.object({
  hearingId: z.string(),
  caseId: z.uuid(),
  engine: z.string(),
  speakers: z.number().int().min(0),
  sessions: z.number().int().min(0),
  waiting: z.number().int().min(0),
  queuedMs: z.number().min(0),
  droppedMs: z.number().min(0),
  lastDelayMs: z.number().min(0).nullable(),
  awaitingTextMs: z.number().min(0),
  errors: z.number().int().min(0),
  /** The language the hearing is heard in. */
  language: z.enum(['zh', 'en']).optional(),
  /** Why the hearing is not transcribed at all (null: it is): the engine cannot hear its language. */
  unavailable: z.enum(['languageNotSupported']).nullable().optional(),
  at: z.string(),
});
export type HearingAsrStatus = z.infer<typeof hearingAsrStatusSchema>;

/** A face re-check during the hearing did not find the participant's enrolled face (judge and clerk only). */
export const hearingIdentityAlertSchema = z.object({
  hearingId: z.string(),
  caseId: z.uuid(),
  participantId: z.string(),
  outcome: z.enum(['mismatch', 'noFace', 'severalFaces']),
  checkId: z.uuid(),
  at: z.string(),
});
export type HearingIdentityAlert = z.infer<typeof hearingIdentityAlertSchema>;

/** A notice about a case that is not an actor event (what changed, for the clients to refetch). */
export const caseNoticeSchema = z.object({
  caseId: z.uuid(),
  type: z.literal('evidence.added'),
  evidenceId: z.uuid(),
  at: z.string(),
});
export type CaseNotice = z.infer<typeof caseNoticeSchema>;
