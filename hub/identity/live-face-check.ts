// 活体检测 with 人脸比对: the server gives a user a random liveness challenge in a signed, single-use token
// bound to a purpose (a hearing's gate, confirming a transcript, signing a document, the user's own test);
// the frames answering it must show the movement and, in every frame, the user's enrolled face. Each
// check is recorded (identity_checks kind 'face_live' + audit) and later asked for by purpose.
import { createHash } from 'node:crypto';
import { z } from 'zod';
import { AppError, type ErrorCode } from '../../platform/errors.ts';
import { checkLiveness, type LivenessResult } from '../../models/face/liveness/check-liveness.ts';
import { LIVENESS_LIMITS, randomChallenge, type LivenessChallenge } from '../../models/face/liveness/liveness-challenge.ts';
import { readImageHeader } from '../../models/face/image-header.ts';
import { latestPassedCheck } from '../../storage/identity/latest-passed-check.ts';
import { recordLiveFaceCheck } from '../../storage/identity/record-live-face-check.ts';
import { useOnce } from '../../storage/oauth/use-once.ts';
import type { HubServices } from '../services.ts';
import { enrolledDescriptorOf } from './face-enrolments.ts';
import { FACE_CHECK_TOKEN_TTL_MS, signFaceCheckToken, verifyFaceCheckToken } from './face-check-token.ts';

export type { LivenessChallenge } from '../../models/face/liveness/liveness-challenge.ts';

export type LiveCheckPurpose = { kind: 'hearing'; hearingId: string } | { kind: 'transcript'; hearingId: string } | { kind: 'signing'; documentId: string } | { kind: 'self' };

export interface LiveFaceCheck {
  checkId: string;
  passed: boolean;
  refusal: { code: string; message: string; messageZh: string } | null;
  challenge: LivenessChallenge;
  /** The largest distance of a frame's face from the enrolled face (null when no frame could be measured). */
  distance: number | null;
  at: string;
}

export const liveCheckPurposeSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('hearing'), hearingId: z.uuid() }),
  z.object({ kind: z.literal('transcript'), hearingId: z.uuid() }),
  z.object({ kind: z.literal('signing'), documentId: z.string().regex(/^[\w.:-]{1,200}$/, '1–200 letters, digits, _ . : -') }),
  z.object({ kind: z.literal('self') }),
]);

/** What the user is asked to do (shown beside the camera). */
export const CHALLENGE_INSTRUCTIONS: Record<LivenessChallenge, { zh: string; en: string }> = {
  turnLeft: { zh: '请向左转头', en: 'Turn your head to your left' },
  turnRight: { zh: '请向右转头', en: 'Turn your head to your right' },
  blink: { zh: '请眨眼', en: 'Blink your eyes' },
  openMouth: { zh: '请张嘴', en: 'Open your mouth' },
};

/** Refusals a check can end with, worded for the person in front of the camera. */
const REFUSAL_TEXT: Partial<Record<ErrorCode, { en: string; zh: string }>> = {
  LIVENESS_STILL: { en: 'The face did not move: a live person is needed, not a photo', zh: '画面静止，请本人现场完成动作' },
  LIVENESS_CHALLENGE_NOT_MET: { en: 'The requested movement was not seen; try again', zh: '未检测到指定动作，请重试' },
  LIVENESS_FACE_CHANGED: { en: 'The face does not match the enrolled face', zh: '人脸与采集的人脸不一致' },
  FACE_NONE: { en: 'No face was found in a frame; face the camera', zh: '画面中未检测到人脸，请正对摄像头' },
  FACE_MULTIPLE: { en: 'Several faces were in view; only you may be in the picture', zh: '画面中有多张人脸，请确保只有本人' },
  FACE_TOO_SMALL: { en: 'The face is too small; come closer to the camera', zh: '人脸过小，请靠近摄像头' },
};
const FRAME_REFUSALS = new Set<ErrorCode>(['FACE_NONE', 'FACE_MULTIPLE', 'FACE_TOO_SMALL']);

/** A camera frame is small (a 640 × 480 JPEG is 30–80 kB); 2 MB leaves room for a 1080p PNG-less upload. */
export const LIVE_FRAME_MAX_BYTES = 2 * 1024 * 1024;

function parsePurpose(purpose: LiveCheckPurpose): LiveCheckPurpose {
  const parsed = liveCheckPurposeSchema.safeParse(purpose);
  if (!parsed.success) {
    throw new AppError('VALIDATION_FAILED', 'The purpose of the face check is not valid / 人脸核验事项无效', { field: 'purpose', messageZh: '人脸核验事项无效' });
  }
  return parsed.data;
}

/** The purpose as the token binds it. */
export function purposeKey(purpose: LiveCheckPurpose): string {
  switch (purpose.kind) {
    case 'hearing':
    case 'transcript':
      return `${purpose.kind}:${purpose.hearingId}`;
    case 'signing':
      return `signing:${purpose.documentId}`;
    case 'self':
      return 'self';
  }
}

export function issueLivenessChallenge(services: HubServices, userId: string, purpose: LiveCheckPurpose): { token: string; challenge: LivenessChallenge; expiresAt: string } {
  const checked = parsePurpose(purpose);
  const challenge = randomChallenge(services.config.ECOURT_LIVENESS_CHALLENGES);
  const expiresAt = Date.now() + FACE_CHECK_TOKEN_TTL_MS;
  const token = signFaceCheckToken(services.sessionSecret, { userId, purpose: purposeKey(checked), challenge, expiresAt });
  return { token, challenge, expiresAt: new Date(expiresAt).toISOString() };
}

/**
 * Judges the frames (PNG/JPEG, in order) against the token's challenge and the user's enrolled face.
 * Throws for bad input (token: FACE_CHECK_TOKEN_*; frames: VALIDATION_FAILED, IMAGE_*), a user without an
 * enrolment (FACE_NOT_ENROLLED) and a busy service (FACE_BUSY); every judgement, passed or refused, is a result.
 */
export async function verifyLiveFace(
  services: HubServices,
  input: { userId: string; token: string; frames: Uint8Array[]; purpose: LiveCheckPurpose },
): Promise<LiveFaceCheck> {
  const purpose = parsePurpose(input.purpose);
  const claims = verifyFaceCheckToken(services.sessionSecret, input.token, { userId: input.userId, purpose: purposeKey(purpose) });
  const { frames } = input;
  if (!Array.isArray(frames) || frames.length < LIVENESS_LIMITS.minFrames || frames.length > LIVENESS_LIMITS.maxFrames) {
    const zh = `活体检测需要 ${LIVENESS_LIMITS.minFrames}–${LIVENESS_LIMITS.maxFrames} 帧画面`;
    throw new AppError('VALIDATION_FAILED', `A live face check takes ${LIVENESS_LIMITS.minFrames}–${LIVENESS_LIMITS.maxFrames} frames / ${zh}`, { field: 'frames', messageZh: zh });
  }
  // Every frame's format and size before the token is spent: bad bytes are the caller's error, not a check.
  frames.forEach((frame, index) => {
    try {
      readImageHeader(frame, { maxBytes: LIVE_FRAME_MAX_BYTES, maxSide: 4096, maxPixels: 16_000_000 });
    } catch (error) {
      if (!(error instanceof AppError)) throw error;
      throw new AppError(error.code, `Frame ${index + 1}: ${error.message}`, { frame: index, ...(error.details as object | undefined) }, { cause: error });
    }
  });
  const enrolled = await enrolledDescriptorOf(services, input.userId);
  if (!enrolled) {
    throw new AppError('FACE_NOT_ENROLLED', 'No face is enrolled for this account; enrol one first / 尚未采集人脸，请先完成人脸采集', { messageZh: '尚未采集人脸，请先完成人脸采集' });
  }
  const fresh = await useOnce({ db: services.database.db, kind: 'face-check', value: input.token, expiresAt: new Date(claims.expiresAt) });
  if (!fresh) {
    throw new AppError('FACE_CHECK_TOKEN_REPLAYED', 'This face check challenge was already answered; ask for a new one / 该人脸核验动作已使用，请重新获取', {
      messageZh: '该人脸核验动作已使用，请重新获取',
    });
  }

  const started = new Date();
  let result: LivenessResult | null = null;
  let refusalCode: ErrorCode | null = null;
  let refusedFrame: number | null = null;
  try {
    result = await checkLiveness({ service: services.faces, challenge: claims.challenge, frames, enrolledDescriptor: enrolled });
    refusalCode = result.refusal?.code ?? null;
  } catch (error) {
    if (!(error instanceof AppError) || !FRAME_REFUSALS.has(error.code)) throw error;
    refusalCode = error.code;
    refusedFrame = (error.details as { frame?: number } | undefined)?.frame ?? null;
  }
  const passed = result?.passed === true;
  const distance = result ? round(result.scores.maxDistance) : null;
  const text = refusalCode ? (REFUSAL_TEXT[refusalCode] ?? { en: 'The face check failed', zh: '人脸核验未通过' }) : null;
  const check = await recordLiveFaceCheck({
    db: services.database.db,
    userId: input.userId,
    passed,
    details: {
      purpose,
      challenge: claims.challenge,
      refusal: refusalCode,
      ...(refusedFrame !== null ? { refusedFrame } : {}),
      distance,
      threshold: services.faces.threshold,
      scores: result ? roundDeep(result.scores) : null,
      // Hashes only: which frames were judged, without keeping them.
      frames: result ? result.frames.map((frame) => roundDeep(frame)) : frames.map((frame) => ({ sha256: createHash('sha256').update(frame).digest('hex') })),
      startedAt: result?.startedAt ?? started.toISOString(),
      finishedAt: result?.finishedAt ?? new Date().toISOString(),
      durationMs: result?.durationMs ?? Date.now() - started.getTime(),
      summary: summaryOf(purpose, claims.challenge, passed, refusalCode),
    },
  });
  return {
    checkId: check.id,
    passed,
    refusal: refusalCode && text ? { code: refusalCode, message: text.en, messageZh: text.zh } : null,
    challenge: claims.challenge,
    distance,
    at: check.at.toISOString(),
  };
}

/** The newest passed live check of the user for exactly this purpose within the last `withinMs`. */
export async function recentPassedFaceCheck(services: HubServices, userId: string, purpose: LiveCheckPurpose, withinMs: number): Promise<{ checkId: string; at: string } | null> {
  const checked = parsePurpose(purpose);
  const found = await latestPassedCheck({ db: services.database.db, userId, kind: 'face_live', detailsMatch: { purpose: checked }, since: new Date(Date.now() - withinMs) });
  return found ? { checkId: found.id, at: found.at.toISOString() } : null;
}

const PURPOSE_TEXT: Record<LiveCheckPurpose['kind'], { en: string; zh: string }> = {
  hearing: { en: 'entering a hearing', zh: '庭审入场' },
  transcript: { en: 'confirming a hearing transcript', zh: '笔录确认' },
  signing: { en: 'signing a document', zh: '文书签署' },
  self: { en: 'a self-test', zh: '自助测试' },
};

function summaryOf(purpose: LiveCheckPurpose, challenge: LivenessChallenge, passed: boolean, refusal: ErrorCode | null): { en: string; zh: string } {
  const what = PURPOSE_TEXT[purpose.kind];
  const move = CHALLENGE_INSTRUCTIONS[challenge];
  if (passed) return { en: `Live face check for ${what.en} passed (${move.en.toLowerCase()})`, zh: `人脸活体核验通过（${what.zh}，${move.zh}）` };
  return { en: `Live face check for ${what.en} failed (${refusal})`, zh: `人脸活体核验未通过（${what.zh}，${refusal}）` };
}

const round = (value: number): number => Math.round(value * 1000) / 1000;

/** Scores to three decimals: evidence enough, and rows that read. */
function roundDeep<T>(value: T): T {
  if (typeof value === 'number') return round(value) as T;
  if (Array.isArray(value)) return value.map(roundDeep) as T;
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([key, inner]) => [key, roundDeep(inner)])) as T;
  return value;
}
