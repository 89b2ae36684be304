// The provider's answer, checked in the order that refuses forgeries cheapest first: provider
// error, the browser's state cookie, the one-time use of state and code, then the exchange and ID
// token. Ends in one of two outcomes: a linked account (sign it in) or a first login (pending).
import { AppError } from '../../../platform/errors.ts';
import type { Logger } from '../../../platform/logger.ts';
import type { PersonalDataCipher } from '../../../platform/personal-data.ts';
import type { Db } from '../../../storage/database.ts';
import { findLinkedAccount } from '../../../storage/oauth/find-linked-account.ts';
import { recordOAuthLogin } from '../../../storage/oauth/record-oauth-login.ts';
import { useOnce } from '../../../storage/oauth/use-once.ts';
import { sealPendingExternalIdentity } from './external-identity-token.ts';
import { sealLoginTicket } from './login-ticket.ts';
import { OAuthNonceMismatchError, OAuthProviderError } from './provider.ts';
import type { OAuthProvider } from './provider-registry.ts';
import { openLoginAttempt, STATE_LIFETIME_SECONDS } from './state-cookie.ts';

export interface CallbackInput {
  /** `code` (OAuth 2.0) or `auth_code` (Alipay). */
  code: string | undefined;
  state: string | undefined;
  error: string | undefined;
  cookieHeader: string | undefined;
}

export type CallbackOutcome = { kind: 'signedIn'; ticket: string } | { kind: 'firstLogin'; pending: string; displayName: string | null };

export interface CallbackDeps {
  db: Db;
  cipher: PersonalDataCipher;
  sessionSecret: Buffer;
  logger: Logger;
}

const PROVIDER_CODE = /^[A-Za-z0-9_.-]{1,64}$/;

export async function completeOAuthCallback(provider: OAuthProvider, input: CallbackInput, deps: CallbackDeps, now = new Date()): Promise<CallbackOutcome> {
  const id = provider.config.id;
  if (input.error !== undefined) {
    // Only a well-formed error code is passed on: the rest of the query is the provider's (or an attacker's) text.
    const providerCode = PROVIDER_CODE.test(input.error) ? input.error : 'error';
    throw new AppError('OAUTH_PROVIDER_ERROR', `The provider did not sign you in (${providerCode})`, { provider: id, providerCode });
  }
  const attempt = openLoginAttempt(deps.sessionSecret, input.cookieHeader, id, input.state, now);
  if (!input.code) throw new AppError('OAUTH_PROVIDER_ERROR', 'The provider answered without an authorisation code', { provider: id });

  const expiresAt = new Date(now.getTime() + STATE_LIFETIME_SECONDS * 1000);
  if (!(await useOnce({ db: deps.db, kind: 'state', value: attempt.state, expiresAt, now }))) {
    throw new AppError('OAUTH_CODE_REPLAYED', 'This sign-in answer was already used; start again');
  }
  if (!(await useOnce({ db: deps.db, kind: `code:${id}`, value: input.code, expiresAt, now }))) {
    throw new AppError('OAUTH_CODE_REPLAYED', 'This authorisation code was already used; start again');
  }

  let profile;
  try {
    profile = await provider.adapter.exchange({ code: input.code, codeVerifier: attempt.codeVerifier, nonce: attempt.nonce, redirectUri: attempt.redirectUri });
  } catch (error) {
    if (error instanceof OAuthNonceMismatchError) throw new AppError('OAUTH_NONCE_MISMATCH', 'The provider’s answer does not belong to this sign-in; start again', undefined, { cause: error });
    if (error instanceof OAuthProviderError) {
      deps.logger.warn('oauth exchange refused', { provider: id, reason: error.reason });
      throw new AppError('OAUTH_PROVIDER_ERROR', 'The provider could not confirm who you are', { provider: id, ...(error.providerCode ? { providerCode: error.providerCode } : {}) }, { cause: error });
    }
    throw error;
  }

  const linked = await findLinkedAccount({ db: deps.db, cipher: deps.cipher, provider: id, subject: profile.subject });
  if (linked && !linked.disabled) {
    await recordOAuthLogin({ db: deps.db, identityId: linked.identityId, userId: linked.userId, role: linked.role, provider: id, now });
    return { kind: 'signedIn', ticket: sealLoginTicket(deps.sessionSecret, { userId: linked.userId, provider: id }, now) };
  }
  if (linked) throw new AppError('UNAUTHENTICATED', 'This account is disabled');
  return {
    kind: 'firstLogin',
    pending: sealPendingExternalIdentity(deps.sessionSecret, { provider: id, subject: profile.subject, displayName: profile.displayName }, now),
    displayName: profile.displayName,
  };
}
