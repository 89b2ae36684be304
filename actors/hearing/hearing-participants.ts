// The little state machine each participant of a hearing runs (invited → … → inRoom → left /
// dismissed), as a pure table over the participant's record. Participants come and go while the
// hearing runs, so they live as data in the hearing's context rather than as spawned actors,
// which the journal could not replay.
import type {
  DeviceCheckResult,
  HearingEvent,
  IdentityCheckMethod,
  IdentityRecheckOutcome,
  ParticipantInput,
  ParticipantRole,
  ParticipantStatus,
} from './hearing.protocol.ts';
import { confirmsTranscript, hasReviewed, openObjection, type TranscriptObjection } from './transcript-review.ts';

export { confirmsTranscript } from './transcript-review.ts';

export interface HearingParticipant extends ParticipantInput {
  status: ParticipantStatus;
  deviceCheck: DeviceCheckResult | null;
  /** The recorded identity declaration (the court-discipline text the participant acknowledged). */
  identityDeclaration: { at: string; text: string } | null;
  /**
   * The verified identity a party needs for the waiting room: a passed live face check (its check id)
   * or the judge's manual check (by, note). Optional only in snapshots from before the gate.
   */
  identityCheck?: IdentityCheck | null;
  /** The last re-check during the hearing did not match; cleared by a later match. */
  identityAlert?: IdentityAlert | null;
  muted: boolean;
  handRaised: boolean;
  /** While reconnecting: the instant after which the participant has left. */
  graceEndsAt: string | null;
  /** Was in the room while the hearing sat: such parties, lawyers and witnesses confirm the transcript. */
  attended: boolean;
  transcriptConfirmedAt: string | null;
  /** When they confirmed or objected (one review each); optional only in snapshots from before reviews. */
  transcriptReviewedAt?: string | null;
  transcriptObjections?: TranscriptObjection[];
}

export interface IdentityCheck {
  method: IdentityCheckMethod;
  at: string;
  checkId?: string;
  /** The judge's account id, for a manual check. */
  by?: string;
  note?: string;
}

export interface IdentityAlert {
  at: string;
  outcome: Exclude<IdentityRecheckOutcome, 'match'>;
  checkId: string;
}

export function newParticipant(input: ParticipantInput): HearingParticipant {
  return {
    ...input,
    status: 'invited',
    deviceCheck: null,
    identityDeclaration: null,
    identityCheck: null,
    identityAlert: null,
    muted: false,
    handRaised: false,
    graceEndsAt: null,
    attended: false,
    transcriptConfirmedAt: null,
    transcriptReviewedAt: null,
    transcriptObjections: [],
  };
}

/** Court staff run the hearing: they enter the room without being admitted. */
export const isCourtStaff = (role: ParticipantRole): boolean => role === 'judge' || role === 'clerk';

/**
 * Whether the identity gate keeps this participant out of the waiting room: in a gated hearing
 * every one but the judge and clerk (who run it and enter on their declaration) needs a verified check.
 */
export const awaitsIdentityCheck = (participant: HearingParticipant, gated: boolean): boolean =>
  gated && !isCourtStaff(participant.role) && (participant.identityCheck ?? null) === null;

/** In the hearing's media: the SFU forwards to and from these (or keeps their seat, while reconnecting). */
export const PRESENT: readonly ParticipantStatus[] = ['admitted', 'inRoom', 'reconnecting'];
/** Connected to the hearing at all (waiting room included). */
export const ATTENDING: readonly ParticipantStatus[] = ['waiting', ...PRESENT];

type ParticipantEvent = Extract<HearingEvent, { participantId: string }>;
export type ParticipantEventType = ParticipantEvent['type'];

interface ParticipantStep {
  /** Statuses the participant may be in; a function when it depends on more than the status. */
  from: readonly ParticipantStatus[] | ((participant: HearingParticipant, event: ParticipantEvent) => boolean);
  /** The status after the step; null keeps it. */
  to: ParticipantStatus | null | ((participant: HearingParticipant) => ParticipantStatus);
}

const presentOrWaiting: readonly ParticipantStatus[] = ATTENDING;

/** Every step a participant can take (the hearing's own state is checked by the machine). */
export const PARTICIPANT_STEPS: Record<ParticipantEventType, ParticipantStep> = {
  DEVICE_CHECKED: {
    // Usable any time before the hearing; a repeated check replaces the result the clerk sees.
    from: ['invited', 'deviceChecked', 'identityChecked'],
    to: (participant) => (participant.status === 'invited' ? 'deviceChecked' : participant.status),
  },
  DECLARE_IDENTITY: { from: ['deviceChecked'], to: 'identityChecked' },
  ENTER_WAITING: { from: ['identityChecked', 'left'], to: 'waiting' },
  // A check may be made (or made again) at any step before the participant is sent out.
  IDENTITY_VERIFIED: { from: (participant) => participant.status !== 'dismissed', to: null },
  // Court staff are not gated: there is nothing for the judge to approve for them.
  APPROVE_MANUAL_IDENTITY: { from: (participant) => participant.status !== 'dismissed' && !isCourtStaff(participant.role), to: null },
  IDENTITY_RECHECKED: { from: (participant) => PRESENT.includes(participant.status), to: null },
  ADMIT: { from: ['waiting'], to: 'admitted' },
  JOIN_ROOM: {
    from: (participant, event) => {
      if (participant.status === 'admitted') return true;
      // Within the grace period the seat is kept: no second admission.
      if (participant.status === 'reconnecting') return participant.graceEndsAt !== null && Date.parse(event.at) <= Date.parse(participant.graceEndsAt);
      return isCourtStaff(participant.role) && ['identityChecked', 'waiting', 'left'].includes(participant.status);
    },
    to: 'inRoom',
  },
  LEAVE: { from: presentOrWaiting, to: 'left' },
  DISMISS: { from: (participant) => participant.role !== 'judge' && presentOrWaiting.includes(participant.status), to: 'dismissed' },
  CONNECTION_LOST: { from: ['inRoom'], to: 'reconnecting' },
  RECONNECT_GRACE_ENDED: {
    from: (participant, event) =>
      participant.status === 'reconnecting' && participant.graceEndsAt !== null && Date.parse(event.at) >= Date.parse(participant.graceEndsAt),
    to: 'left',
  },
  MUTE: { from: (participant) => PRESENT.includes(participant.status) && !participant.muted, to: null },
  UNMUTE: { from: (participant) => PRESENT.includes(participant.status) && participant.muted, to: null },
  RAISE_HAND: { from: (participant) => participant.status === 'inRoom' && !participant.handRaised, to: null },
  LOWER_HAND: { from: (participant) => participant.status === 'inRoom' && participant.handRaised, to: null },
  CONFIRM_TRANSCRIPT: { from: (participant) => confirmsTranscript(participant) && !hasReviewed(participant), to: null },
  OBJECT_TO_TRANSCRIPT: { from: (participant) => confirmsTranscript(participant) && !hasReviewed(participant), to: null },
  RESOLVE_OBJECTION: {
    from: (participant, event) => event.type === 'RESOLVE_OBJECTION' && openObjection(participant, event.segmentId) !== undefined,
    to: null,
  },
};

export function participantMayTake(participant: HearingParticipant, event: ParticipantEvent): boolean {
  const { from } = PARTICIPANT_STEPS[event.type];
  return typeof from === 'function' ? from(participant, event) : from.includes(participant.status);
}

/** The participant after `event` (which participantMayTake allowed). */
export function stepParticipant(participant: HearingParticipant, event: ParticipantEvent, reconnectGraceMs: number): HearingParticipant {
  const { to } = PARTICIPANT_STEPS[event.type];
  const status = to === null ? participant.status : typeof to === 'function' ? to(participant) : to;
  const next: HearingParticipant = { ...participant, status };
  switch (event.type) {
    case 'DEVICE_CHECKED':
      next.deviceCheck = event.result;
      break;
    case 'DECLARE_IDENTITY':
      next.identityDeclaration = { at: event.at, text: event.declaration };
      break;
    case 'IDENTITY_VERIFIED':
      next.identityCheck = { method: 'face', at: event.at, checkId: event.checkId };
      break;
    case 'APPROVE_MANUAL_IDENTITY':
      next.identityCheck = { method: 'manual', at: event.at, by: event.by.userId, note: event.note };
      break;
    case 'IDENTITY_RECHECKED':
      next.identityAlert = event.outcome === 'match' ? null : { at: event.at, outcome: event.outcome, checkId: event.checkId };
      break;
    case 'JOIN_ROOM':
      next.graceEndsAt = null;
      break;
    case 'CONNECTION_LOST':
      next.graceEndsAt = new Date(Date.parse(event.at) + reconnectGraceMs).toISOString();
      next.handRaised = false;
      break;
    case 'MUTE':
    case 'UNMUTE':
      next.muted = event.type === 'MUTE';
      break;
    case 'RAISE_HAND':
    case 'LOWER_HAND':
      next.handRaised = event.type === 'RAISE_HAND';
      break;
    case 'CONFIRM_TRANSCRIPT':
      next.transcriptConfirmedAt = event.at;
      next.transcriptReviewedAt = event.at;
      break;
    case 'OBJECT_TO_TRANSCRIPT':
      next.transcriptReviewedAt = event.at;
      next.transcriptObjections = event.objections.map(({ segmentId, note }) => ({ segmentId, note, at: event.at, resolution: null }));
      break;
    case 'RESOLVE_OBJECTION': {
      const resolution = { decision: event.decision, note: event.note, at: event.at, by: event.by.userId };
      next.transcriptObjections = (participant.transcriptObjections ?? []).map((objection) =>
        objection.segmentId === event.segmentId && objection.resolution === null ? { ...objection, resolution } : objection,
      );
      break;
    }
    default:
      break;
  }
  if (status === 'left' || status === 'dismissed') {
    next.graceEndsAt = null;
    next.handRaised = false;
  }
  return next;
}
