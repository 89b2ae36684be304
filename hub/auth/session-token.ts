// Stateless session tokens: "v1.<payload>.<HMAC-SHA256>" (base64url), signed with the node's shared
// session secret, so any hub node accepts a token another node issued.
import { createHmac, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';
import { ROLES, type Role } from '../../platform/roles.ts';
import { AppError } from '../../platform/errors.ts';

export const SESSION_LIFETIME_SECONDS = 12 * 60 * 60;
const PREFIX = 'v1';

/** Who is calling: what every access decision reads. */
export interface Session {
  userId: string;
  role: Role;
  courtId: string | null;
  issuedAt: number;
  expiresAt: number;
}

const payloadSchema = z.object({
  sub: z.uuid(),
  role: z.enum(ROLES),
  court: z.uuid().nullable(),
  iat: z.number().int(),
  exp: z.number().int(),
});

export class InvalidSessionTokenError extends AppError {
  /** Why the token was refused: for logs only, never for the client. */
  constructor(readonly reason: string) {
    super('UNAUTHENTICATED', 'Invalid or expired session; please sign in again');
    this.name = 'InvalidSessionTokenError';
  }
}

function mac(secret: Buffer, signed: string): Buffer {
  return createHmac('sha256', secret).update(signed).digest();
}

export function signSessionToken(
  secret: Buffer,
  subject: { userId: string; role: Role; courtId: string | null },
  now: Date = new Date(),
): { token: string; session: Session } {
  const iat = Math.floor(now.getTime() / 1000);
  const exp = iat + SESSION_LIFETIME_SECONDS;
  const payload = Buffer.from(
    JSON.stringify({ sub: subject.userId, role: subject.role, court: subject.courtId, iat, exp }),
  ).toString('base64url');
  const signed = `${PREFIX}.${payload}`;
  return {
    token: `${signed}.${mac(secret, signed).toString('base64url')}`,
    session: { userId: subject.userId, role: subject.role, courtId: subject.courtId, issuedAt: iat, expiresAt: exp },
  };
}

/** Checks signature and expiry; throws InvalidSessionTokenError (UNAUTHENTICATED) otherwise. */
export function verifySessionToken(secret: Buffer, token: string, now: Date = new Date()): Session {
  if (token.length > 2048) throw new InvalidSessionTokenError('too long');
  const parts = token.split('.');
  if (parts.length !== 3 || parts[0] !== PREFIX) throw new InvalidSessionTokenError('malformed');
  const [, payload = '', signature = ''] = parts;
  const expected = mac(secret, `${PREFIX}.${payload}`);
  const given = Buffer.from(signature, 'base64url');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
    throw new InvalidSessionTokenError('bad signature');
  }
  let claims: z.infer<typeof payloadSchema>;
  try {
    claims = payloadSchema.parse(JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')));
  } catch {
    throw new InvalidSessionTokenError('bad payload');
  }
  const nowSeconds = Math.floor(now.getTime() / 1000);
  if (claims.exp <= nowSeconds) throw new InvalidSessionTokenError('expired');
  if (claims.iat > nowSeconds + 60) throw new InvalidSessionTokenError('issued in the future');
  return { userId: claims.sub, role: claims.role, courtId: claims.court, issuedAt: claims.iat, expiresAt: claims.exp };
}

/** "Bearer <token>" → token, or null when the header is absent or of another scheme. */
export function bearerToken(authorization: string): string | null {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization);
  return match?.[1] ?? null;
}
