// The login attempt bound to the browser: state, nonce, PKCE verifier and redirect URI, sealed in
// an HttpOnly cookie for ten minutes. The provider sees only the state and the challenge; the
// callback must come back to the same browser with the same state.
import { timingSafeEqual } from 'node:crypto';
import { AppError } from '../../../platform/errors.ts';
import { oauthTokenKey, openToken, sealToken } from './sealed-token.ts';

export const STATE_COOKIE = 'ecourt_oauth';
export const STATE_LIFETIME_SECONDS = 10 * 60;

export interface LoginAttempt {
  provider: string;
  state: string;
  nonce: string;
  codeVerifier: string;
  redirectUri: string;
}

/** The Set-Cookie value; Secure whenever the callback itself is https. */
export function stateCookieHeader(sessionSecret: Buffer, attempt: LoginAttempt, cookiePath: string, now = new Date()): string {
  const value = sealToken(
    oauthTokenKey(sessionSecret),
    'oauth-state',
    { v: attempt.provider, s: attempt.state, n: attempt.nonce, c: attempt.codeVerifier, r: attempt.redirectUri },
    STATE_LIFETIME_SECONDS,
    now,
  );
  const secure = attempt.redirectUri.startsWith('https:') ? '; Secure' : '';
  // SameSite=Lax: sent on the provider's top-level redirect back to us, not on cross-site subrequests.
  return `${STATE_COOKIE}=${value}; Path=${cookiePath}; Max-Age=${STATE_LIFETIME_SECONDS}; HttpOnly; SameSite=Lax${secure}`;
}

export function clearStateCookieHeader(cookiePath: string): string {
  return `${STATE_COOKIE}=; Path=${cookiePath}; Max-Age=0; HttpOnly; SameSite=Lax`;
}

export function cookieValue(cookieHeader: string | undefined, name: string): string | null {
  if (!cookieHeader) return null;
  for (const part of cookieHeader.split(';')) {
    const at = part.indexOf('=');
    if (at > 0 && part.slice(0, at).trim() === name) return part.slice(at + 1).trim();
  }
  return null;
}

const sameText = (a: string, b: string): boolean => {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
};

/**
 * The attempt this browser started for `provider`, checked against the callback's state.
 * OAUTH_STATE_MISMATCH: no cookie, a forged one, another provider's, or another state (CSRF);
 * OAUTH_STATE_EXPIRED: older than ten minutes.
 */
export function openLoginAttempt(sessionSecret: Buffer, cookieHeader: string | undefined, provider: string, state: string | undefined, now = new Date()): LoginAttempt {
  const sealed = cookieValue(cookieHeader, STATE_COOKIE);
  if (!sealed) throw new AppError('OAUTH_STATE_MISMATCH', 'This sign-in was not started in this browser; start again');
  const opened = openToken<Record<string, unknown>>(oauthTokenKey(sessionSecret), 'oauth-state', sealed, now);
  if (!opened.ok && opened.reason === 'expired') throw new AppError('OAUTH_STATE_EXPIRED', 'The sign-in took too long; start again');
  if (!opened.ok) throw new AppError('OAUTH_STATE_MISMATCH', 'This sign-in was not started in this browser; start again');
  const { v, s, n, c, r } = opened.payload;
  if (typeof v !== 'string' || typeof s !== 'string' || typeof n !== 'string' || typeof c !== 'string' || typeof r !== 'string') {
    throw new AppError('OAUTH_STATE_MISMATCH', 'This sign-in was not started in this browser; start again');
  }
  if (v !== provider || state === undefined || !sameText(s, state)) {
    throw new AppError('OAUTH_STATE_MISMATCH', 'The sign-in answer does not belong to the sign-in this browser started');
  }
  return { provider: v, state: s, nonce: n, codeVerifier: c, redirectUri: r };
}
