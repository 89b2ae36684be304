// The hearing's identity gate over HTTP (身份核验): a participant answers a liveness challenge issued
// for this hearing (POST /api/v1/me/face-checks/challenge with purpose { kind: 'hearing', hearingId })
// with camera frames; a passed check tells the hearing actor IDENTITY_VERIFIED for their seat, as
// the server, which lets a party into the waiting room. A refused check is an answer, and changes nothing.
import { HEARING_KIND } from '../../actors/hearing/hearing-behaviour.ts';
import { SYSTEM_SENDER } from '../../actors/hearing/hearing.protocol.ts';
import { AppError } from '../../platform/errors.ts';
import { z } from 'zod';
import { anySignedIn } from '../auth/access.ts';
import type { Session } from '../auth/session-token.ts';
import { actorRefusal } from '../http/error-response.ts';
import { paths } from '../http/paths.ts';
import { defineRoute, rawBodySchema, type AnyRoute } from '../http/route.ts';
import { verifyLiveFace } from '../identity/live-face-check.ts';
import { FACE_CHECK_BODY, liveFaceCheckSchema, readFaceCheckBody } from './face-check-routes.ts';
import { liveHearingFor } from './hearing-live-routes.ts';

const hearingParams = z.object({ hearingId: z.uuid() });

const checkIdentity = defineRoute({
  method: 'post',
  path: paths.hearingIdentityCheck,
  operationId: 'checkHearingIdentity',
  summary:
    'A participant’s live face check at the hearing’s gate: the body of POST /api/v1/me/face-checks with purpose { kind: "hearing", hearingId }; a pass records IDENTITY_VERIFIED for the caller’s seat (the waiting room opens to them), a refusal is an answer with passed=false',
  tags: ['hearings', 'identity'],
  access: anySignedIn,
  params: hearingParams,
  body: rawBodySchema,
  rawBody: FACE_CHECK_BODY,
  response: liveFaceCheckSchema,
  errors: [
    'NOT_FOUND',
    'NOT_A_PARTICIPANT',
    'VALIDATION_FAILED',
    'FACE_NOT_ENROLLED',
    'FACE_CHECK_TOKEN_INVALID',
    'FACE_CHECK_TOKEN_EXPIRED',
    'FACE_CHECK_TOKEN_REPLAYED',
    'IMAGE_INVALID',
    'IMAGE_TOO_LARGE',
    'FACE_BUSY',
    'INVALID_STATE',
    'ACTOR_UNAVAILABLE',
  ],
  async handle({ session, params, body, services, logger }) {
    const caller = session as Session;
    // Strangers learn nothing (404); staff of the court who may see the hearing but sit in it have no seat to verify.
    const live = await liveHearingFor(services, caller, params.hearingId);
    if (!live.me) throw new AppError('NOT_A_PARTICIPANT', 'you are not a participant of this hearing / 您不是本次庭审的参加人', { messageZh: '您不是本次庭审的参加人' });
    const answer = readFaceCheckBody(body);
    if (answer.purpose.kind !== 'hearing' || answer.purpose.hearingId !== live.hearingId) {
      throw new AppError('VALIDATION_FAILED', 'the challenge must be issued for this hearing / 核验动作须为本次庭审获取', { field: 'purpose', messageZh: '核验动作须为本次庭审获取' });
    }
    const result = await verifyLiveFace(services, { userId: caller.userId, token: answer.token, frames: answer.frames, purpose: answer.purpose });
    logger.info('hearing identity check', { hearingId: live.hearingId, participantId: live.me.participantId, passed: result.passed, refusal: result.refusal?.code ?? null, checkId: result.checkId });
    if (!result.passed) return result;
    const reply = await services.actors.ask(
      { kind: HEARING_KIND, id: live.hearingId },
      { type: 'IDENTITY_VERIFIED', by: SYSTEM_SENDER, participantId: live.me.participantId, checkId: result.checkId, method: 'face' },
    );
    if (!reply.ok) throw actorRefusal(reply);
    return result;
  },
});

export const hearingIdentityRoutes: AnyRoute[] = [checkIdentity];
