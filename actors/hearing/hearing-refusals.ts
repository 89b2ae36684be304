// Why a hearing command is refused, in the codes clients see (FORBIDDEN, INVALID_STATE,
// NOT_A_PARTICIPANT, VALIDATION_FAILED, IDENTITY_NOT_VERIFIED) and a plain reason. Permissions come from
// hearing-permissions.ts; the state question is asked of the machine itself (`can`), so the
// refusal can never disagree with what the machine would do.
import { senderRefusal } from './hearing-permissions.ts';
import { awaitsIdentityCheck, participantMayTake } from './hearing-participants.ts';
import { allowedHearingCommands } from './allowed-hearing-commands.ts';
import { confirmsTranscript } from './transcript-review.ts';
import type { HearingContext } from './hearing.machine.ts';
import type { HearingEvent, HearingRefusal, HearingState } from './hearing.protocol.ts';

/** The hearing as the behaviour or a test sees it (ActorView, or a snapshot adapted). */
export interface HearingView {
  state: string;
  context: unknown;
  can(event: HearingEvent): boolean;
}

/** Null when the machine takes the event; otherwise the refusal to answer with. */
export function refusalOf(view: HearingView, event: HearingEvent): HearingRefusal | null {
  const context = view.context as HearingContext;
  const refusal = senderRefusal(context, event);
  if (refusal) return refusal;
  if (view.can(event)) return null;
  if (identityGateRefuses(view.state, context, event)) {
    return { code: 'IDENTITY_NOT_VERIFIED', reason: 'verify your identity (live face check, or the judge’s manual check) before entering the waiting room' };
  }
  return { code: 'INVALID_STATE', reason: stateReason(view.state, context, event) };
}

/** The waiting room is open and the step itself possible: only the identity gate stands in the way. */
function identityGateRefuses(state: string, context: HearingContext, event: HearingEvent): boolean {
  if (event.type !== 'ENTER_WAITING' || !allowedHearingCommands(state as HearingState).includes('ENTER_WAITING')) return false;
  const participant = context.participants[event.participantId];
  return participant !== undefined && participantMayTake(participant, event) && awaitsIdentityCheck(participant, context.identityGate === true);
}

function stateReason(state: string, context: HearingContext, event: HearingEvent): string {
  if (event.type === 'OPEN_LOBBY' && state === 'scheduled' && context.lobbyOpensAt) return `the lobby opens at ${context.lobbyOpensAt}`;
  if (event.type === 'CONFIRMATION_DEADLINE_PASSED' && state === 'transcriptConfirmation') return `the confirmation deadline is ${context.confirmBy ?? 'not set'}`;
  if (event.type === 'RESOLVE_OBJECTION' && state === 'transcriptConfirmation') return 'this objection is already resolved';
  if ((event.type === 'CONFIRM_TRANSCRIPT' || event.type === 'OBJECT_TO_TRANSCRIPT') && state === 'transcriptConfirmation') {
    const participant = context.participants[event.participantId];
    if (participant && !confirmsTranscript(participant)) return 'only parties, lawyers and witnesses who attended the hearing review its transcript';
    if (participant) return 'you have already reviewed the transcript';
  }
  const participant = 'participantId' in event ? context.participants[event.participantId] : undefined;
  const hearing = `${event.type} is not possible while the hearing is ${state}`;
  if (!participant) return hearing;
  if (event.type === 'JOIN_ROOM' && participant.status === 'reconnecting') return 'the reconnect grace period is over: enter the waiting room again';
  return `${hearing} and ${participant.displayName} is ${participant.status}${participant.muted ? ' (muted)' : ''}`;
}
