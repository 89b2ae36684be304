// Random values of one login attempt: state (CSRF), nonce (ID token replay) and the PKCE pair
// (RFC 7636, S256 only: "plain" would hand the verifier to whoever reads the authorisation URL).
import { createHash, randomBytes } from 'node:crypto';

export const randomToken = (bytes = 32): string => randomBytes(bytes).toString('base64url');

export function pkcePair(): { verifier: string; challenge: string } {
  const verifier = randomToken(48);
  return { verifier, challenge: createHash('sha256').update(verifier).digest('base64url') };
}
