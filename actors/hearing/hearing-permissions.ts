// Who may send a hearing command, and whether its data makes sense — everything about a
// refusal except the hearing's and the participant's state, which the machine itself decides.
// Pure over the context, so the machine's guards and the behaviour's refusals are one rule.
import type { HearingParticipant } from './hearing-participants.ts';
import { HEARING_COMMAND_SENDERS, type HearingEvent, type HearingRefusal, type HearingSenderRule } from './hearing.protocol.ts';

/** What the rules read of the hearing (a subset of HearingContext). */
export interface HearingRulesView {
  participants: Readonly<Record<string, HearingParticipant>>;
}

const refuse = (code: HearingRefusal['code'], reason: string): HearingRefusal => ({ code, reason });

/** The participant a command is about: undefined when it names none, null when it names an unknown one. */
function targetOf(view: HearingRulesView, event: HearingEvent): HearingParticipant | null | undefined {
  if (!('participantId' in event)) return undefined;
  return view.participants[event.participantId] ?? null;
}

/** The hearing's participants signed in as the sender (one account may sit as two, e.g. party and lawyer). */
const seatsOf = (view: HearingRulesView, userId: string): HearingParticipant[] =>
  Object.values(view.participants).filter((participant) => participant.accountId === userId);

/** Data checks the schema cannot make because they depend on the hearing. */
function dataRefusal(view: HearingRulesView, event: HearingEvent): HearingRefusal | null {
  switch (event.type) {
    case 'SCHEDULE': {
      const ids = event.participants.map((participant) => participant.participantId);
      if (new Set(ids).size !== ids.length) return refuse('VALIDATION_FAILED', 'two participants have the same id');
      if (!event.participants.some((participant) => participant.role === 'judge')) return refuse('VALIDATION_FAILED', 'a hearing needs a judge');
      // A start already past is taken (the case actor checked the date; a late spawn must not lose
      // the hearing): its lobby simply opens at once.
      return null;
    }
    case 'INVITE':
      if (view.participants[event.participant.participantId]) return refuse('VALIDATION_FAILED', 'a participant with this id is already invited');
      return null;
    case 'ADJOURN':
      if (Date.parse(event.newStartsAt) <= Date.parse(event.at)) return refuse('VALIDATION_FAILED', 'the new date must be in the future');
      return null;
    case 'OBJECT_TO_TRANSCRIPT': {
      const segments = event.objections.map((objection) => objection.segmentId);
      if (new Set(segments).size !== segments.length) return refuse('VALIDATION_FAILED', 'one objection per segment');
      return null;
    }
    case 'RESOLVE_OBJECTION': {
      // An objection never made is a wrong request; one already settled is a matter of state.
      const objector = view.participants[event.participantId];
      const known = (objector?.transcriptObjections ?? []).some((objection) => objection.segmentId === event.segmentId);
      return known ? null : refuse('VALIDATION_FAILED', 'this participant made no objection to that segment');
    }
    default:
      return null;
  }
}

/**
 * Refuses a command its sender may not send, or whose participant does not exist, or whose
 * data is wrong for this hearing; null when only the state is left to check.
 */
export function senderRefusal(view: HearingRulesView, event: HearingEvent): HearingRefusal | null {
  const rule = HEARING_COMMAND_SENDERS[event.type];
  const isSystem = event.by.role === 'system';
  const target = targetOf(view, event);

  if (rule === 'courtStaff') {
    if (!isSystem && event.by.role !== 'clerk' && event.by.role !== 'judge') return refuse('FORBIDDEN', 'only a clerk or a judge schedules hearings');
    return dataRefusal(view, event);
  }
  if (rule === 'system') {
    if (!isSystem) return refuse('FORBIDDEN', `${event.type} comes from the server only`);
  } else if (!(isSystem && rule === 'judgeOrClerkOrSystem')) {
    if (isSystem) return refuse('FORBIDDEN', `${event.type} is not a server command`);
    const seats = seatsOf(view, event.by.userId);
    if (seats.length === 0) return refuse('NOT_A_PARTICIPANT', 'you are not a participant of this hearing');
    if (target === null) return refuse('NOT_A_PARTICIPANT', 'there is no such participant in this hearing');
    const allowed = senderMay(rule, seats, event, target);
    if (allowed !== true) return refuse('FORBIDDEN', allowed);
  }
  if (target === null) return refuse('NOT_A_PARTICIPANT', 'there is no such participant in this hearing');
  return dataRefusal(view, event);
}

/** True, or the plain reason the sender may not. */
function senderMay(
  rule: Exclude<HearingSenderRule, 'courtStaff' | 'system'>,
  seats: HearingParticipant[],
  event: HearingEvent,
  target: HearingParticipant | undefined,
): true | string {
  const isJudge = seats.some((seat) => seat.role === 'judge');
  const clerkCourts = seats.filter((seat) => seat.role === 'clerk').map((seat) => seat.courtId);
  // The court of the participant concerned (for INVITE: the invitee's).
  const targetCourt = event.type === 'INVITE' ? event.participant.courtId : target?.courtId;
  switch (rule) {
    case 'judge':
      return isJudge || `only the judge of this hearing may ${verbOf(event.type)}`;
    case 'judgeOrClerk':
    case 'judgeOrClerkOrSystem':
      return isJudge || clerkCourts.length > 0 || `only the judge or a clerk of this hearing may ${verbOf(event.type)}`;
    case 'judgeOrCourtClerk':
      if (isJudge) return true;
      if (clerkCourts.length === 0) return `only the judge or a clerk may ${verbOf(event.type)}`;
      return (targetCourt !== undefined && clerkCourts.includes(targetCourt)) || 'a clerk acts only for the participants of their own court';
    case 'self':
      return target?.accountId === event.by.userId || 'you may do this only for yourself';
    case 'selfOrCourtClerk':
      if (target?.accountId === event.by.userId) return true;
      return (target !== undefined && clerkCourts.includes(target.courtId)) || 'only the participant or a clerk of their court may record this';
  }
}

const VERBS: Partial<Record<HearingEvent['type'], string>> = {
  MUTE_ALL: 'mute everyone',
  END: 'end the hearing',
  ADJOURN: 'adjourn the hearing',
  START: 'start the hearing',
  RESOLVE_OBJECTION: 'resolve objections to the transcript',
};
const verbOf = (type: HearingEvent['type']): string => VERBS[type] ?? `send ${type}`;
