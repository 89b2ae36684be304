// The challenge token of a live face check: stateless (HMAC-SHA-256 with a key derived from the session
// secret) and binding the user, the purpose, the challenge and an expiry, so the frames answer exactly
// the challenge this server gave this user for this purpose. Single use is enforced by the caller.
import { createHmac, hkdfSync, randomBytes, timingSafeEqual } from 'node:crypto';
import { AppError } from '../../platform/errors.ts';
import { LIVENESS_CHALLENGES, type LivenessChallenge } from '../../models/face/liveness/liveness-challenge.ts';

/** Long enough to read the instruction and move; short enough that a captured token is soon worthless. */
export const FACE_CHECK_TOKEN_TTL_MS = 2 * 60_000;

export interface FaceCheckTokenClaims {
  userId: string;
  /** The purpose as one string (purposeKey in live-face-check.ts). */
  purpose: string;
  challenge: LivenessChallenge;
  expiresAt: number;
  nonce: string;
}

const keyOf = (sessionSecret: Buffer): Buffer => Buffer.from(hkdfSync('sha256', sessionSecret, Buffer.alloc(0), 'ecourt face check token v1', 32));

const mac = (sessionSecret: Buffer, payload: string): Buffer => createHmac('sha256', keyOf(sessionSecret)).update(payload).digest();

export function signFaceCheckToken(sessionSecret: Buffer, claims: Omit<FaceCheckTokenClaims, 'nonce'>): string {
  const payload = Buffer.from(JSON.stringify({ ...claims, nonce: randomBytes(12).toString('base64url') })).toString('base64url');
  return `${payload}.${mac(sessionSecret, payload).toString('base64url')}`;
}

const invalid = (reason: string, en: string, zh: string) =>
  new AppError('FACE_CHECK_TOKEN_INVALID', `${en} / ${zh}`, { reason, messageZh: zh, messageEn: en });

/** The token's claims once its signature, user, purpose and expiry are checked; coded errors otherwise. */
export function verifyFaceCheckToken(sessionSecret: Buffer, token: string, expected: { userId: string; purpose: string; now?: number }): FaceCheckTokenClaims {
  const [payload, signature, extra] = token.split('.');
  if (!payload || !signature || extra !== undefined || token.length > 2048) {
    throw invalid('malformed', 'The face check token is malformed', '人脸核验凭证格式不正确');
  }
  const given = Buffer.from(signature, 'base64url');
  const wanted = mac(sessionSecret, payload);
  if (given.length !== wanted.length || !timingSafeEqual(given, wanted)) {
    throw invalid('signature', 'The face check token is not one this court issued', '人脸核验凭证无效');
  }
  let claims: FaceCheckTokenClaims;
  try {
    claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as FaceCheckTokenClaims;
  } catch (error) {
    throw new AppError('FACE_CHECK_TOKEN_INVALID', 'The face check token is malformed / 人脸核验凭证格式不正确', { reason: 'malformed' }, { cause: error });
  }
  if (!LIVENESS_CHALLENGES.includes(claims.challenge) || typeof claims.expiresAt !== 'number') {
    throw invalid('malformed', 'The face check token is malformed', '人脸核验凭证格式不正确');
  }
  if (claims.userId !== expected.userId) throw invalid('user', 'This face check token was issued to someone else', '该人脸核验凭证不属于当前用户');
  if (claims.purpose !== expected.purpose) throw invalid('purpose', 'This face check token was issued for another purpose', '该人脸核验凭证用于其他事项');
  if ((expected.now ?? Date.now()) > claims.expiresAt) {
    const en = 'The face check challenge has expired; ask for a new one';
    const zh = '人脸核验动作已过期，请重新获取';
    throw new AppError('FACE_CHECK_TOKEN_EXPIRED', `${en} / ${zh}`, { messageZh: zh, messageEn: en });
  }
  return claims;
}
