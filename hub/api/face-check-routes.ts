// 人脸采集 and 活体检测 over HTTP, for the signed-in user: enrol a face (raw PNG/JPEG body), see whether one is
// enrolled, get a liveness challenge for a purpose, answer it with camera frames. Handlers validate and
// call hub/identity; the hearing gate (H2) answers challenges in its own route with the same body.
import { z } from 'zod';
import { AppError } from '../../platform/errors.ts';
import { IMAGE_LIMITS } from '../../models/face/image-header.ts';
import { LIVENESS_CHALLENGES, LIVENESS_LIMITS } from '../../models/face/liveness/liveness-challenge.ts';
import { FACE_ENROLMENT_SOURCES } from '../../storage/identity/schema.ts';
import { enrolFace, faceEnrolmentSummary, hasFaceEnrolment } from '../identity/face-enrolments.ts';
import { CHALLENGE_INSTRUCTIONS, issueLivenessChallenge, LIVE_FRAME_MAX_BYTES, liveCheckPurposeSchema, verifyLiveFace, type LiveCheckPurpose } from '../identity/live-face-check.ts';
import { anySignedIn } from '../auth/access.ts';
import type { Session } from '../auth/session-token.ts';
import { validationFailed, validationIssues } from '../http/error-response.ts';
import { paths } from '../http/paths.ts';
import { parseJsonBody } from '../http/request-body.ts';
import { defineRoute, rawBodySchema, type AnyRoute, type RawBody, type RawBodySpec } from '../http/route.ts';
import type { HubServices } from '../services.ts';
import { hearingOfCaseMember } from './hearing-of-member.ts';

const instant = z.iso.datetime({ offset: true });
const bilingualSchema = z.object({ zh: z.string(), en: z.string() });

export const liveFaceCheckSchema = z.object({
  checkId: z.uuid(),
  passed: z.boolean(),
  refusal: z.object({ code: z.string(), message: z.string(), messageZh: z.string() }).nullable(),
  challenge: z.enum(LIVENESS_CHALLENGES),
  distance: z.number().nullable().describe('Largest distance of a frame’s face from the enrolled face (same person below the threshold, 0.45)'),
  at: instant,
});

/**
 * The answer to a challenge: JSON with the frames as base64 (or `data:image/jpeg;base64,…` URLs, what a
 * canvas gives) — one request a browser makes with fetch, no multipart. Taken as a raw body so its limit
 * is its own (frames are bigger than ordinary JSON): 16 MB in all, 2 MB a frame.
 */
export const faceCheckBodySchema = z.object({
  token: z.string().min(1).max(2048),
  purpose: liveCheckPurposeSchema,
  frames: z
    .array(z.string().min(1).max(Math.ceil((LIVE_FRAME_MAX_BYTES * 4) / 3) + 64))
    .min(LIVENESS_LIMITS.minFrames)
    .max(LIVENESS_LIMITS.maxFrames)
    .describe('PNG or JPEG camera frames in order, base64 or data: URLs'),
});
export const FACE_CHECK_BODY: RawBodySpec = { mediaTypes: ['application/json'], limitBytes: () => 16 * 1024 * 1024 };

const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;
const DATA_URL = /^data:image\/(?:png|jpeg);base64,/;

/** The validated answer with its frames decoded (VALIDATION_FAILED / BAD_REQUEST otherwise). */
export function readFaceCheckBody(body: RawBody): { token: string; purpose: LiveCheckPurpose; frames: Uint8Array[] } {
  const parsed = faceCheckBodySchema.safeParse(parseJsonBody(body.bytes));
  if (!parsed.success) throw validationFailed(validationIssues('body', parsed.error));
  const frames = parsed.data.frames.map((text, index) => {
    const base64 = text.replace(DATA_URL, '');
    if (!BASE64.test(base64)) {
      throw new AppError('VALIDATION_FAILED', `Frame ${index + 1} is not base64 / 第 ${index + 1} 帧不是 base64 编码`, { field: 'frames', frame: index });
    }
    return new Uint8Array(Buffer.from(base64, 'base64'));
  });
  return { token: parsed.data.token, purpose: parsed.data.purpose, frames };
}

/** A hearing's or its transcript's check is only for members of its case (others: 404, as for no hearing). */
async function assertPurposeAllowed(services: HubServices, session: Session, purpose: LiveCheckPurpose): Promise<void> {
  if (purpose.kind === 'hearing' || purpose.kind === 'transcript') await hearingOfCaseMember(services, session, purpose.hearingId);
}

const enrol = defineRoute({
  method: 'post',
  path: paths.myFaceEnrolment,
  operationId: 'enrolMyFace',
  summary: 'Enrol the face in a PNG or JPEG (exactly one face, at least 100 px) as the reference for live face checks; replaces an earlier one',
  tags: ['identity'],
  access: anySignedIn,
  query: z.object({ source: z.enum(FACE_ENROLMENT_SOURCES).default('selfie') }),
  body: rawBodySchema,
  rawBody: { mediaTypes: ['image/png', 'image/jpeg'], limitBytes: () => IMAGE_LIMITS.maxBytes },
  response: z.object({ enrolmentId: z.uuid(), checkId: z.uuid(), imageSha256: z.string(), facePx: z.number().int(), source: z.enum(FACE_ENROLMENT_SOURCES) }),
  successStatus: 201,
  errors: ['FACE_NONE', 'FACE_MULTIPLE', 'FACE_TOO_SMALL', 'IMAGE_INVALID', 'IMAGE_TOO_LARGE', 'FACE_BUSY'],
  async handle({ session, query, body, services, logger }) {
    const userId = (session as Session).userId;
    const enrolled = await enrolFace(services, userId, new Uint8Array(body.bytes), query.source);
    logger.info('face enrolled', { userId, source: query.source, enrolmentId: enrolled.enrolmentId });
    return { ...enrolled, source: query.source };
  },
});

const myEnrolment = defineRoute({
  method: 'get',
  path: paths.myFaceEnrolment,
  operationId: 'getMyFaceEnrolment',
  summary: 'Whether the signed-in user has a face enrolled, from what and when (never the face itself)',
  tags: ['identity'],
  access: anySignedIn,
  response: z.object({ enrolled: z.boolean(), source: z.enum(FACE_ENROLMENT_SOURCES).nullable(), at: instant.nullable() }),
  async handle({ session, services }) {
    return faceEnrolmentSummary(services, (session as Session).userId);
  },
});

const challenge = defineRoute({
  method: 'post',
  path: paths.myFaceCheckChallenge,
  operationId: 'getFaceCheckChallenge',
  summary: 'A random liveness challenge (turn left/right, blink, open mouth) for a purpose, in a signed single-use token valid 2 minutes',
  tags: ['identity'],
  access: anySignedIn,
  body: z.object({ purpose: liveCheckPurposeSchema }),
  response: z.object({
    token: z.string(),
    challenge: z.enum(LIVENESS_CHALLENGES),
    expiresAt: instant,
    instruction: bilingualSchema,
    frames: z.object({ min: z.number().int(), max: z.number().int() }),
  }),
  successStatus: 201,
  errors: ['FACE_NOT_ENROLLED', 'NOT_FOUND'],
  async handle({ session, body, services }) {
    const caller = session as Session;
    await assertPurposeAllowed(services, caller, body.purpose);
    if (!(await hasFaceEnrolment(services, caller.userId))) {
      throw new AppError('FACE_NOT_ENROLLED', 'No face is enrolled for this account; enrol one first / 尚未采集人脸，请先完成人脸采集', { messageZh: '尚未采集人脸，请先完成人脸采集' });
    }
    const issued = issueLivenessChallenge(services, caller.userId, body.purpose);
    return { ...issued, instruction: CHALLENGE_INSTRUCTIONS[issued.challenge], frames: { min: LIVENESS_LIMITS.minFrames, max: LIVENESS_LIMITS.maxFrames } };
  },
});

const check = defineRoute({
  method: 'post',
  path: paths.myFaceChecks,
  operationId: 'checkMyLiveFace',
  summary:
    'Answer a liveness challenge: JSON { token, purpose, frames: [3–15 PNG/JPEG as base64 or data: URLs] } (≤ 16 MB, ≤ 2 MB a frame); the frames must show the movement and the enrolled face. A refusal is an answer with passed=false',
  tags: ['identity'],
  access: anySignedIn,
  body: rawBodySchema,
  rawBody: FACE_CHECK_BODY,
  response: liveFaceCheckSchema,
  errors: ['FACE_NOT_ENROLLED', 'FACE_CHECK_TOKEN_INVALID', 'FACE_CHECK_TOKEN_EXPIRED', 'FACE_CHECK_TOKEN_REPLAYED', 'IMAGE_INVALID', 'IMAGE_TOO_LARGE', 'FACE_BUSY', 'NOT_FOUND'],
  async handle({ session, body, services, logger }) {
    const caller = session as Session;
    const answer = readFaceCheckBody(body);
    await assertPurposeAllowed(services, caller, answer.purpose);
    const result = await verifyLiveFace(services, { userId: caller.userId, ...answer });
    logger.info('live face check', { userId: caller.userId, purpose: answer.purpose.kind, passed: result.passed, refusal: result.refusal?.code ?? null, checkId: result.checkId });
    return result;
  },
});

export const faceCheckRoutes: AnyRoute[] = [enrol, myEnrolment, challenge, check];
