// 待绑定的第三方身份: an external identity not yet linked to any account, handed to the browser
// sealed (the provider's identifier stays unreadable) for 30 minutes. Whoever holds it may link
// it: to the account they sign into (POST /auth/oauth/link), or to the account that real-name
// registration creates (registration calls openPendingExternalIdentity, then linkExternalIdentity
// from storage/oauth/link-external-identity.ts in its own transaction).
import { AppError } from '../../../platform/errors.ts';
import { oauthTokenKey, openToken, sealToken } from './sealed-token.ts';

export const PENDING_IDENTITY_LIFETIME_SECONDS = 30 * 60;

export interface PendingExternalIdentity {
  /** The provider's id in ECOURT_OAUTH_PROVIDERS. */
  provider: string;
  subject: string;
  /** The provider's name for the person: a suggestion for the registration form, nothing more. */
  displayName: string | null;
}

export function sealPendingExternalIdentity(sessionSecret: Buffer, identity: PendingExternalIdentity, now = new Date()): string {
  return sealToken(oauthTokenKey(sessionSecret), 'oauth-pending', { v: identity.provider, s: identity.subject, n: identity.displayName }, PENDING_IDENTITY_LIFETIME_SECONDS, now);
}

/** Throws OAUTH_STATE_EXPIRED (too old: sign in at the provider again) or OAUTH_STATE_MISMATCH (not ours). */
export function openPendingExternalIdentity(sessionSecret: Buffer, token: string, now = new Date()): PendingExternalIdentity {
  const opened = openToken<{ v: unknown; s: unknown; n: unknown }>(oauthTokenKey(sessionSecret), 'oauth-pending', token, now);
  if (!opened.ok && opened.reason === 'expired') throw new AppError('OAUTH_STATE_EXPIRED', 'The external sign-in has expired; sign in with the provider again');
  if (!opened.ok || typeof opened.payload.v !== 'string' || typeof opened.payload.s !== 'string') {
    throw new AppError('OAUTH_STATE_MISMATCH', 'This external sign-in is not valid');
  }
  return { provider: opened.payload.v, subject: opened.payload.s, displayName: typeof opened.payload.n === 'string' ? opened.payload.n : null };
}
