// 笔录确认 over HTTP: a reviewer (party, lawyer, witness who attended) submits their review — the
// marks they set in their own area of the frozen transcript, read on the server, never from the
// request — and the judge resolves an objection, correcting the frozen segment when it was wrong.
// A reviewer with a face enrolment first passes a live face check for this transcript (刷脸确认).
import { z } from 'zod';
import { HEARING_KIND } from '../../actors/hearing/hearing-behaviour.ts';
import { OBJECTION_DECISIONS, type HearingSummary } from '../../actors/hearing/hearing.protocol.ts';
import { AppError, ForbiddenError } from '../../platform/errors.ts';
import { anySignedIn, signedInAs } from '../auth/access.ts';
import type { Session } from '../auth/session-token.ts';
import { transcriptDocName } from '../collab/doc-names.ts';
import { correctFrozenSegment, reviewMarksOf, SegmentNotFoundError } from '../collab/transcript-freeze.ts';
import { actorRefusal } from '../http/error-response.ts';
import { paths } from '../http/paths.ts';
import { defineRoute } from '../http/route.ts';
import type { HubServices } from '../services.ts';
import { liveHearingFor } from './hearing-live-routes.ts';
import { hasFaceEnrolment } from '../identity/face-enrolments.ts';
import { recentPassedFaceCheck } from '../identity/live-face-check.ts';
import type { LiveHearing } from '../../storage/hearings/get-live-hearing.ts';

const hearingParams = z.object({ hearingId: z.uuid() });
const objectionSchema = z.object({ segmentId: z.string(), note: z.string() });

/** How recent the reviewer's passed face check for this transcript must be. */
export const TRANSCRIPT_FACE_CHECK_WINDOW_MS = 15 * 60_000;

/**
 * The person confirming is the enrolled person: a passed live face check for this transcript within
 * the window. Reviewers without an enrolment are not blocked (the court checks them by other means).
 */
async function assertReviewerFaceChecked(services: HubServices, userId: string, hearingId: string): Promise<void> {
  if (!(await hasFaceEnrolment(services, userId))) return;
  const purpose = { kind: 'transcript' as const, hearingId };
  if (await recentPassedFaceCheck(services, userId, purpose, TRANSCRIPT_FACE_CHECK_WINDOW_MS)) return;
  throw new AppError('FACE_CHECK_REQUIRED', 'pass a live face check for this transcript before confirming or objecting / 请先完成本笔录的人脸核验再确认', {
    purpose,
    withinMinutes: TRANSCRIPT_FACE_CHECK_WINDOW_MS / 60_000,
    messageZh: '请先完成本笔录的人脸核验再确认',
  });
}

const notUnderReview = () => new AppError('INVALID_STATE', 'the transcript is not under confirmation');

/** The hearing in its confirmation phase, for a member of its case (404 to anyone else). */
async function hearingUnderReview(services: HubServices, session: Session, hearingId: string): Promise<LiveHearing & { caseId: string }> {
  const live = await liveHearingFor(services, session, hearingId);
  if (live.state !== 'transcriptConfirmation' || live.caseId === null) throw notUnderReview();
  return live as LiveHearing & { caseId: string };
}

export const submitTranscriptReviewRoute = defineRoute({
  method: 'post',
  path: paths.hearingTranscriptReview,
  operationId: 'submitHearingTranscriptReview',
  summary:
    'Submit your review of the frozen transcript: with no segment marked as objected it confirms the transcript, otherwise it objects to the marked segments with their notes (marks are read from your area of the document)',
  tags: ['transcripts'],
  access: anySignedIn,
  params: hearingParams,
  response: z.object({ confirmed: z.boolean(), objections: z.array(objectionSchema) }),
  errors: ['NOT_FOUND', 'NOT_A_PARTICIPANT', 'FORBIDDEN', 'INVALID_STATE', 'VALIDATION_FAILED', 'FACE_CHECK_REQUIRED', 'ACTOR_UNAVAILABLE'],
  async handle({ session, params, services }) {
    const caller = session as Session;
    const live = await hearingUnderReview(services, caller, params.hearingId);
    if (!live.me) throw new AppError('NOT_A_PARTICIPANT', 'you are not a participant of this hearing');
    // Court staff do not review (the actor refuses them); the check is for reviewers.
    if (live.me.role !== 'judge' && live.me.role !== 'clerk') await assertReviewerFaceChecked(services, caller.userId, live.hearingId);
    const { frozenAt, marks } = await reviewMarksOf({ registry: services.transcripts.rooms, docName: transcriptDocName(live.caseId, live.hearingId), userId: caller.userId });
    if (frozenAt === null) throw notUnderReview();
    const objections = Object.entries(marks)
      .filter(([, mark]) => mark.status === 'objected')
      .map(([segmentId, mark]) => ({ segmentId, note: (mark.note ?? '').trim() }));
    const bare = objections.find((objection) => objection.note.length === 0);
    if (bare) throw new AppError('VALIDATION_FAILED', 'every objection needs a note saying what is wrong', { segmentId: bare.segmentId });
    const by = { userId: caller.userId, role: caller.role };
    const command =
      objections.length > 0
        ? { type: 'OBJECT_TO_TRANSCRIPT', by, participantId: live.me.participantId, objections: objections.map((o) => ({ ...o, note: o.note.slice(0, 2000) })) }
        : { type: 'CONFIRM_TRANSCRIPT', by, participantId: live.me.participantId };
    const reply = await services.actors.ask({ kind: HEARING_KIND, id: live.hearingId }, command);
    if (!reply.ok) throw actorRefusal(reply);
    return { confirmed: objections.length === 0, objections };
  },
});

export const resolveTranscriptObjectionRoute = defineRoute({
  method: 'post',
  path: paths.hearingTranscriptObjectionResolve,
  operationId: 'resolveHearingTranscriptObjection',
  summary:
    'The judge resolves an objection: `corrected` with the segment’s corrected text (applied to the frozen transcript and saved as a version) or `dismissed`',
  tags: ['transcripts'],
  access: signedInAs('judge'),
  params: hearingParams,
  body: z
    .object({
      participantId: z.string().min(1).max(64),
      segmentId: z.string().min(1).max(128),
      decision: z.enum(OBJECTION_DECISIONS),
      note: z.string().trim().min(1).max(2000),
      text: z.string().min(1).max(20_000).optional().describe('The corrected segment text (required for `corrected`)'),
    })
    .refine((body) => (body.decision === 'corrected') === (body.text !== undefined), { message: 'a correction carries the corrected text, a dismissal none', path: ['text'] }),
  response: z.object({ decision: z.enum(OBJECTION_DECISIONS), versionId: z.uuid().nullable(), sha256: z.string().nullable() }),
  errors: ['NOT_FOUND', 'FORBIDDEN', 'INVALID_STATE', 'VALIDATION_FAILED', 'NOT_A_PARTICIPANT', 'ACTOR_UNAVAILABLE'],
  async handle({ session, params, body, services }) {
    const caller = session as Session;
    const live = await hearingUnderReview(services, caller, params.hearingId);
    // The document changes before the actor records the decision: check here what the actor will check.
    if (live.me?.role !== 'judge') throw new ForbiddenError('only the judge of this hearing may resolve objections to the transcript');
    const objector = (live.summary as unknown as HearingSummary).participants.find((p) => p.participantId === body.participantId);
    const objection = objector?.transcriptReview?.objections.find((o) => o.segmentId === body.segmentId);
    if (!objection) throw new AppError('VALIDATION_FAILED', 'this participant made no objection to that segment');
    if (objection.resolution !== null) throw new AppError('INVALID_STATE', 'this objection is already resolved');

    let version: { versionId: string; sha256: string } | null = null;
    if (body.decision === 'corrected') {
      try {
        version = await correctFrozenSegment({
          registry: services.transcripts.rooms,
          db: services.database.db,
          docName: transcriptDocName(live.caseId, live.hearingId),
          segmentId: body.segmentId,
          text: body.text!,
          judge: { userId: caller.userId, role: caller.role },
        });
      } catch (error) {
        if (error instanceof SegmentNotFoundError) throw new AppError('VALIDATION_FAILED', 'the transcript has no such segment', undefined, { cause: error });
        throw error;
      }
    }
    const reply = await services.actors.ask(
      { kind: HEARING_KIND, id: live.hearingId },
      { type: 'RESOLVE_OBJECTION', by: { userId: caller.userId, role: caller.role }, participantId: body.participantId, segmentId: body.segmentId, decision: body.decision, note: body.note },
    );
    if (!reply.ok) throw actorRefusal(reply);
    return { decision: body.decision, versionId: version?.versionId ?? null, sha256: version?.sha256 ?? null };
  },
});

export const transcriptReviewRoutes = [submitTranscriptReviewRoute, resolveTranscriptObjectionRoute];
