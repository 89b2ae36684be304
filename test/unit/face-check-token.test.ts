// The live face check's challenge token (hub/identity/face-check-token.ts): it verifies only for the
// user, purpose and time it was issued for, and not at all when tampered with or signed with another key.
import { describe, expect, it } from 'vitest';
import { randomBytes } from 'node:crypto';
import { AppError } from '../../platform/errors.ts';
import { signFaceCheckToken, verifyFaceCheckToken } from '../../hub/identity/face-check-token.ts';
import { lazyFaceService } from '../../hub/identity/lazy-face-service.ts';
import { purposeKey } from '../../hub/identity/live-face-check.ts';

const secret = randomBytes(32);
const claims = { userId: 'u1', purpose: 'hearing:h1', challenge: 'blink' as const, expiresAt: 1_000_000 };

function refusal(run: () => unknown): AppError {
  try {
    run();
  } catch (error) {
    if (error instanceof AppError) return error;
    throw error;
  }
  throw new Error('expected a refusal');
}

describe('face check tokens', () => {
  it('verifies for its user and purpose before it expires, giving the challenge back', () => {
    const token = signFaceCheckToken(secret, claims);
    expect(verifyFaceCheckToken(secret, token, { userId: 'u1', purpose: 'hearing:h1', now: 999_999 })).toMatchObject(claims);
    // Two tokens for the same claims differ (a nonce): spending one does not spend the other.
    expect(signFaceCheckToken(secret, claims)).not.toBe(token);
  });

  it('refuses another user, another purpose, an expired token, a tampered or foreign one, and garbage', () => {
    const token = signFaceCheckToken(secret, claims);
    expect(refusal(() => verifyFaceCheckToken(secret, token, { userId: 'u2', purpose: 'hearing:h1', now: 0 }))).toMatchObject({ code: 'FACE_CHECK_TOKEN_INVALID', details: { reason: 'user' } });
    expect(refusal(() => verifyFaceCheckToken(secret, token, { userId: 'u1', purpose: 'transcript:h1', now: 0 }))).toMatchObject({ details: { reason: 'purpose' } });
    expect(refusal(() => verifyFaceCheckToken(secret, token, { userId: 'u1', purpose: 'hearing:h1', now: 1_000_001 })).code).toBe('FACE_CHECK_TOKEN_EXPIRED');
    const [payload, signature] = token.split('.');
    const changed = Buffer.from(JSON.stringify({ ...claims, challenge: 'turnLeft', nonce: 'x' })).toString('base64url');
    expect(refusal(() => verifyFaceCheckToken(secret, `${changed}.${signature}`, { userId: 'u1', purpose: 'hearing:h1', now: 0 }))).toMatchObject({ details: { reason: 'signature' } });
    expect(refusal(() => verifyFaceCheckToken(randomBytes(32), token, { userId: 'u1', purpose: 'hearing:h1', now: 0 }))).toMatchObject({ details: { reason: 'signature' } });
    for (const garbage of ['', 'abc', `${payload}.${signature}.x`]) {
      expect(refusal(() => verifyFaceCheckToken(secret, garbage, { userId: 'u1', purpose: 'hearing:h1', now: 0 }))).toMatchObject({ details: { reason: 'malformed' } });
    }
  });

  it('binds each purpose as its own string', () => {
    expect(purposeKey({ kind: 'hearing', hearingId: 'h' })).not.toBe(purposeKey({ kind: 'transcript', hearingId: 'h' }));
    expect(purposeKey({ kind: 'signing', documentId: 'd' })).toBe('signing:d');
    expect(purposeKey({ kind: 'self' })).toBe('self');
  });
});

describe('the hub’s lazy face service', () => {
  it('starts no workers until used, and closes cleanly when never used', async () => {
    const faces = lazyFaceService({ ECOURT_FACE_WORKERS: 1 });
    expect(faces.started).toBe(false);
    await faces.close();
    expect(faces.started).toBe(false);
  });
});
