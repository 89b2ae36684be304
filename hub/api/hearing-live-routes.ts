// The live hearing (庭审) for the hearing room: its state and participants as the hearing actor
// last committed them, and the commands participants send it (admit, start, mute, raise hand …).
// Only the hearing's participants and the staff of its case's court see it; to anyone else it
// answers exactly like a hearing that does not exist. Who may send which command is the hearing
// actor's decision (HEARING_COMMAND_SENDERS); the hub only stamps `by` from the session.
import { z } from 'zod';
import { AppError, NotFoundError } from '../../platform/errors.ts';
import { HEARING_PROTOCOL_VERSION } from '../../actors/hearing/hearing.protocol.ts';
import { HEARING_KIND } from '../../actors/hearing/hearing-behaviour.ts';
import { isCaseMember } from '../../storage/cases/is-case-member.ts';
import { getLiveHearing, type LiveHearing } from '../../storage/hearings/get-live-hearing.ts';
import { anySignedIn } from '../auth/access.ts';
import type { Session } from '../auth/session-token.ts';
import { transcriptDocName } from '../collab/doc-names.ts';
import { hearingSummaryFor } from '../hearings/hearing-view.ts';
import { actorRefusal } from '../http/error-response.ts';
import { paths } from '../http/paths.ts';
import { defineRoute } from '../http/route.ts';
import type { HubServices } from '../services.ts';

const hearingParams = z.object({ hearingId: z.uuid() });
/** Commands whose content the hub takes from the transcript, not from the request (transcript-review-routes.ts). */
const THROUGH_TRANSCRIPT_ROUTES = new Set(['OBJECT_TO_TRANSCRIPT', 'RESOLVE_OBJECTION']);

const liveHearingSchema = z.object({
  hearing: z.object({ id: z.uuid(), state: z.string() }).catchall(z.unknown()).describe('HearingSummary (actors/hearing/hearing.protocol.ts) with id and state'),
  me: z.object({ participantId: z.string(), role: z.string(), displayName: z.string() }).nullable().describe('The caller as a participant; null for court staff who were not invited'),
  transcriptDoc: z.string().nullable(),
});

/** The hearing for a participant, or for staff of its court who may see the case; else 404. */
export async function liveHearingFor(services: HubServices, session: Session, hearingId: string): Promise<LiveHearing> {
  const live = await getLiveHearing({ db: services.database.db, hearingId, accountId: session.userId });
  if (!live) throw new NotFoundError('Hearing');
  if (live.me) return live;
  const member =
    live.caseId !== null && (await isCaseMember({ db: services.database.db, caseId: live.caseId, viewer: { userId: session.userId, role: session.role, courtId: session.courtId } }));
  if (!member) throw new NotFoundError('Hearing');
  return live;
}

const answer = (live: LiveHearing, session: Session) => ({
  hearing: { ...hearingSummaryFor(live.summary, session.role), id: live.hearingId, state: live.state },
  me: live.me ? { participantId: live.me.participantId, role: live.me.role, displayName: live.me.displayName } : null,
  transcriptDoc: live.caseId ? transcriptDocName(live.caseId, live.hearingId) : null,
});

export const getLiveHearingRoute = defineRoute({
  method: 'get',
  path: paths.hearingLive,
  operationId: 'getLiveHearing',
  summary: 'A hearing as it stands now: state, participants (status, muted, hand raised, device check), the caller’s own participant entry',
  tags: ['hearings'],
  access: anySignedIn,
  params: hearingParams,
  response: liveHearingSchema,
  errors: ['NOT_FOUND'],
  async handle({ session, params, services }) {
    return answer(await liveHearingFor(services, session as Session, params.hearingId), session as Session);
  },
});

export const sendHearingCommandRoute = defineRoute({
  method: 'post',
  path: paths.hearingCommands,
  operationId: 'sendHearingCommand',
  summary: 'Send a command to a hearing (admit, start, pause, mute, raise hand, enter the waiting room …); `by` is taken from the session',
  tags: ['hearings'],
  access: anySignedIn,
  params: hearingParams,
  body: z.object({
    v: z.literal(HEARING_PROTOCOL_VERSION),
    command: z.object({ type: z.string().min(1).max(40) }).catchall(z.unknown()).describe('A hearing command without `by` (actors/hearing/hearing.protocol.ts)'),
  }),
  response: liveHearingSchema,
  errors: ['NOT_FOUND', 'FORBIDDEN', 'NOT_A_PARTICIPANT', 'INVALID_STATE', 'VALIDATION_FAILED', 'IDENTITY_NOT_VERIFIED', 'ACTOR_UNAVAILABLE'],
  async handle({ session, params, body, services }) {
    const caller = session as Session;
    // Visibility first: a stranger learns nothing, not even whether the command would be valid.
    await liveHearingFor(services, caller, params.hearingId);
    const { by: _ignored, ...command } = body.command as { type: string; by?: unknown } & Record<string, unknown>;
    // Objections are read from the reviewer's marks and corrections change the frozen text: only their own routes send them.
    if (THROUGH_TRANSCRIPT_ROUTES.has(command.type)) {
      throw new AppError('VALIDATION_FAILED', `${command.type} is sent through POST …/transcript/review or …/transcript/objections/resolve`);
    }
    const reply = await services.actors.ask({ kind: HEARING_KIND, id: params.hearingId }, { ...command, by: { userId: caller.userId, role: caller.role } });
    if (!reply.ok) throw actorRefusal(reply);
    return answer(await liveHearingFor(services, caller, params.hearingId), caller);
  },
});
