// The hearing actor as the ActorHost runs it: validates hearing commands, stamps them into the
// journalled events (with the configured lobby lead, reconnect grace and default language fixed in
// SCHEDULE, so a replay never depends on today's configuration), refuses with the hearing's own codes, and
// says what a client may see of a hearing. Not registered yet: the lead wires it in.
import { CommandRefusedError, type ActorBehaviour } from '../runtime/actor-behaviour.ts';
import { hearingMachine, type HearingContext } from './hearing.machine.ts';
import { refusalOf } from './hearing-refusals.ts';
import { confirmsTranscript, objectionsOf } from './transcript-review.ts';
import {
  DEFAULT_LOBBY_LEAD_MINUTES,
  DEFAULT_RECONNECT_GRACE_SECONDS,
  hearingCommand,
  type HearingCommand,
  type HearingEvent,
  type HearingLanguage,
  type HearingSummary,
} from './hearing.protocol.ts';

export const HEARING_KIND = 'hearing';

export interface HearingBehaviourDeps {
  /** How long before the start the waiting room opens (default 30). */
  lobbyLeadMinutes?: number;
  /** How long a dropped participant keeps their seat (default 60). */
  reconnectGraceSeconds?: number;
  /** The language of a hearing scheduled without one (ECOURT_ASR_LANGUAGE); unset: SCHEDULE keeps none. */
  defaultLanguage?: HearingLanguage;
}

export function createHearingBehaviour(deps: HearingBehaviourDeps = {}): ActorBehaviour<HearingCommand, HearingEvent> {
  return {
    kind: HEARING_KIND,
    machine: hearingMachine,
    input: (ref) => ({ id: ref.id }),
    commandSchema: hearingCommand,
    creationCommands: ['SCHEDULE'],
    notFoundName: 'hearing',
    refusalCode: 'INVALID_STATE',

    async toEvent(command, current, { now }): Promise<HearingEvent> {
      const at = now.toISOString();
      const language = command.type === 'SCHEDULE' ? (command.language ?? deps.defaultLanguage) : undefined;
      const event: HearingEvent =
        command.type === 'SCHEDULE'
          ? {
              ...command,
              lobbyLeadMinutes: command.lobbyLeadMinutes ?? deps.lobbyLeadMinutes ?? DEFAULT_LOBBY_LEAD_MINUTES,
              reconnectGraceSeconds: command.reconnectGraceSeconds ?? deps.reconnectGraceSeconds ?? DEFAULT_RECONNECT_GRACE_SECONDS,
              ...(language ? { language } : {}),
              // Every hearing scheduled from now on gates its waiting room; no sender can opt out.
              identityGate: true,
              at,
            }
          : { ...command, at };
      const refusal = refusalOf({ state: current.state, context: current.context, can: (candidate) => current.can(candidate) }, event);
      if (refusal) throw new CommandRefusedError(refusal.code, refusal.reason, { state: current.state, command: command.type });
      return event;
    },

    summary(context): HearingSummary {
      return hearingSummaryOf(context as HearingContext);
    },
  };
}

/** The client-safe view of a hearing: no account ids, no identity declarations, no manual-check notes. */
export function hearingSummaryOf(context: HearingContext): HearingSummary {
  return {
    caseId: context.caseId,
    courtId: context.courtId,
    courtroom: context.courtroom,
    language: context.language ?? null,
    startsAt: context.startsAt,
    lobbyOpensAt: context.lobbyOpensAt,
    recording: context.recording,
    identityGate: context.identityGate === true,
    adjournments: context.adjournments.length,
    participants: Object.values(context.participants).map((participant) => ({
      participantId: participant.participantId,
      role: participant.role,
      displayName: participant.displayName,
      courtId: participant.courtId,
      status: participant.status,
      muted: participant.muted,
      handRaised: participant.handRaised,
      deviceCheck: participant.deviceCheck,
      // How, not who or why: the judge's note may name documents, so it stays on the server.
      identityCheck: participant.identityCheck ? { method: participant.identityCheck.method, at: participant.identityCheck.at } : null,
      identityAlert: participant.identityAlert ?? null,
      graceEndsAt: participant.graceEndsAt,
      transcriptConfirmed: participant.transcriptConfirmedAt !== null,
      transcriptReview: confirmsTranscript(participant)
        ? {
            reviewedAt: participant.transcriptReviewedAt ?? participant.transcriptConfirmedAt,
            objections: objectionsOf(participant).map(({ segmentId, note, at, resolution }) => ({
              segmentId,
              note,
              at,
              // The judge's account id stays on the server.
              resolution: resolution ? { decision: resolution.decision, note: resolution.note, at: resolution.at } : null,
            })),
          }
        : null,
    })),
    transcript:
      context.transcriptId !== null && context.transcriptSubmittedAt
        ? {
            transcriptId: context.transcriptId,
            sha256: context.transcriptSha256 ?? null,
            submittedAt: context.transcriptSubmittedAt,
            confirmBy: context.confirmBy ?? null,
            archivedBecause: context.archivedBecause ?? null,
            notReviewedAtArchive: context.notReviewedAtArchive ?? [],
          }
        : null,
  };
}
