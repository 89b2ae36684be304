// 第三方登录 routes: the court's providers, the redirect to one (state, nonce, PKCE bound to the
// browser by a sealed cookie), its callback, the one-time ticket → session exchange, and 账号绑定
// (linking a first-time external identity to the signed-in account).
import { z } from 'zod';
import { AppError, ForbiddenError, NotFoundError } from '../../platform/errors.ts';
import { isCourtStaff } from '../../platform/roles.ts';
import { getAccountStanding } from '../../storage/oauth/get-account-standing.ts';
import { linkExternalIdentity } from '../../storage/oauth/link-external-identity.ts';
import { useOnce } from '../../storage/oauth/use-once.ts';
import { anySignedIn, publicAccess } from '../auth/access.ts';
import { completeOAuthCallback } from '../auth/oauth/oauth-callback.ts';
import { openPendingExternalIdentity } from '../auth/oauth/external-identity-token.ts';
import { openLoginTicket } from '../auth/oauth/login-ticket.ts';
import { pkcePair, randomToken } from '../auth/oauth/pkce.ts';
import { oauthProvidersOf, type OAuthProvider } from '../auth/oauth/provider-registry.ts';
import { clearStateCookieHeader, stateCookieHeader } from '../auth/oauth/state-cookie.ts';
import type { Session } from '../auth/session-token.ts';
import type { RequestSnapshot } from '../http/exchange.ts';
import { fillPath, paths } from '../http/paths.ts';
import { defineRoute, RawReply, rawReplySchema } from '../http/route.ts';
import type { HubServices } from '../services.ts';
import { publicUserSchema } from './schemas.ts';
import { signedInAnswer } from './signed-in.ts';

/** The state cookie is sent only to the OAuth routes. */
const COOKIE_PATH = '/api/v1/auth/oauth/';
/** Where the portal picks up the outcome (a fragment: never sent to a server, never in a Referer). */
const PORTAL_OAUTH = '/#/oauth';

const providerParams = z.object({ provider: z.string().regex(/^[a-z][a-z0-9-]{0,31}$/) });

function providerOf(services: HubServices, id: string): OAuthProvider {
  const provider = oauthProvidersOf(services.config).get(id);
  if (!provider) throw new NotFoundError('Sign-in provider');
  return provider;
}

/** Our callback URL: on the configured public address, else on the address the browser used. */
function callbackUrl(services: HubServices, request: RequestSnapshot, provider: string): string {
  const configured = oauthProvidersOf(services.config).publicUrl;
  const host = request.headers['host'];
  if (!configured && (!host || !/^[A-Za-z0-9.\-[\]:]+$/.test(host))) throw new AppError('BAD_REQUEST', 'No Host header to build the sign-in address from');
  const base = (configured ?? `http://${host}`).replace(/\/+$/, '');
  return base + fillPath(paths.oauthCallback, { provider });
}

const redirect = (location: string, headers: Record<string, string> = {}) =>
  new RawReply(302, { location, 'cache-control': 'no-store', 'referrer-policy': 'no-referrer', ...headers }, '');

const providerSummary = z.object({
  id: z.string(),
  kind: z.enum(['oidc', 'wechat', 'dingtalk', 'alipay']),
  name: z.object({ zh: z.string(), en: z.string() }),
  startPath: z.string(),
});

export const listOAuthProvidersRoute = defineRoute({
  method: 'get',
  path: paths.oauthProviders,
  operationId: 'listOAuthProviders',
  summary: 'The external sign-in providers offered (all, or those of one court by its code, e.g. ?court=京0105)',
  tags: ['auth'],
  access: publicAccess,
  query: z.object({ court: z.string().trim().min(1).max(20).optional() }),
  response: z.object({ providers: z.array(providerSummary) }),
  async handle({ query, services }) {
    const offered = oauthProvidersOf(services.config).list.filter(({ config }) => !query.court || !config.courts || config.courts.includes(query.court));
    return {
      providers: offered.map(({ config }) => ({ id: config.id, kind: config.kind, name: config.name, startPath: fillPath(paths.oauthStart, { provider: config.id }) })),
    };
  },
});

export const startOAuthRoute = defineRoute({
  method: 'get',
  path: paths.oauthStart,
  operationId: 'startOAuthLogin',
  summary: 'Redirects the browser to the provider (302) with state, nonce and PKCE; the attempt is bound to the browser by a cookie',
  tags: ['auth'],
  access: publicAccess,
  params: providerParams,
  response: rawReplySchema,
  rawResponse: { mediaTypes: ['text/plain'] },
  successStatus: 302,
  errors: ['NOT_FOUND', 'OAUTH_PROVIDER_ERROR', 'BAD_REQUEST'],
  async handle({ params, request, services, logger }) {
    const provider = providerOf(services, params.provider);
    const { verifier, challenge } = pkcePair();
    const attempt = { provider: provider.config.id, state: randomToken(), nonce: randomToken(), codeVerifier: verifier, redirectUri: callbackUrl(services, request, provider.config.id) };
    let location: string;
    try {
      location = await provider.adapter.authorizationUrl({ state: attempt.state, nonce: attempt.nonce, codeChallenge: challenge, redirectUri: attempt.redirectUri });
    } catch (error) {
      logger.warn('oauth provider unavailable', { provider: provider.config.id, error: (error as Error).message });
      throw new AppError('OAUTH_PROVIDER_ERROR', 'The sign-in provider cannot be reached; try again later', { provider: provider.config.id }, { cause: error });
    }
    return redirect(location, { 'set-cookie': stateCookieHeader(services.sessionSecret, attempt, COOKIE_PATH) });
  },
});

export const oauthCallbackRoute = defineRoute({
  method: 'get',
  path: paths.oauthCallback,
  operationId: 'oauthCallback',
  summary:
    'The provider’s redirect back: checks state (cookie), single use, code exchange, ID token and nonce, then redirects to the portal with a one-time sign-in ticket (linked account) or a pending external identity (first login)',
  tags: ['auth'],
  access: publicAccess,
  params: providerParams,
  query: z.object({
    code: z.string().min(1).max(2048).optional(),
    auth_code: z.string().min(1).max(2048).optional(),
    state: z.string().max(512).optional(),
    error: z.string().max(256).optional(),
  }),
  response: rawReplySchema,
  rawResponse: { mediaTypes: ['text/plain'] },
  successStatus: 302,
  errors: ['NOT_FOUND', 'OAUTH_STATE_MISMATCH', 'OAUTH_STATE_EXPIRED', 'OAUTH_NONCE_MISMATCH', 'OAUTH_CODE_REPLAYED', 'OAUTH_PROVIDER_ERROR', 'UNAUTHENTICATED'],
  async handle({ params, query, request, services, logger }) {
    const provider = providerOf(services, params.provider);
    const outcome = await completeOAuthCallback(
      provider,
      { code: query.code ?? query.auth_code, state: query.state, error: query.error, cookieHeader: request.headers['cookie'] },
      { db: services.database.db, cipher: services.cipher, sessionSecret: services.sessionSecret, logger },
    );
    const fragment =
      outcome.kind === 'signedIn'
        ? new URLSearchParams({ provider: provider.config.id, ticket: outcome.ticket })
        : new URLSearchParams({ provider: provider.config.id, pending: outcome.pending, ...(outcome.displayName ? { name: outcome.displayName } : {}) });
    return redirect(`${PORTAL_OAUTH}?${fragment}`, { 'set-cookie': clearStateCookieHeader(COOKIE_PATH) });
  },
});


export const oauthSessionRoute = defineRoute({
  method: 'post',
  path: paths.oauthSession,
  operationId: 'exchangeOAuthTicket',
  summary: 'Exchanges the one-time sign-in ticket of an external sign-in (once, within two minutes) for a session token',
  tags: ['auth'],
  access: publicAccess,
  body: z.object({ ticket: z.string().min(1).max(4096) }),
  response: z.object({ token: z.string(), expiresAt: z.iso.datetime(), user: publicUserSchema }),
  errors: ['UNAUTHENTICATED', 'OAUTH_STATE_EXPIRED', 'OAUTH_CODE_REPLAYED'],
  async handle({ body, services }) {
    const ticket = openLoginTicket(services.sessionSecret, body.ticket);
    if (!(await useOnce({ db: services.database.db, kind: 'ticket', value: body.ticket, expiresAt: ticket.expiresAt }))) {
      throw new AppError('OAUTH_CODE_REPLAYED', 'This sign-in ticket was already used; sign in again');
    }
    const account = await getAccountStanding({ db: services.database.db, userId: ticket.userId });
    if (!account || account.disabled) throw new AppError('UNAUTHENTICATED', 'This account cannot sign in');
    return signedInAnswer(services.sessionSecret, { ...account, id: account.userId });
  },
});

export const linkOAuthIdentityRoute = defineRoute({
  method: 'post',
  path: paths.oauthLink,
  operationId: 'linkOAuthIdentity',
  summary: '账号绑定: links the pending external identity of a first external sign-in to the signed-in account (which must be real-name verified, or court staff)',
  tags: ['auth'],
  access: anySignedIn,
  body: z.object({ pending: z.string().min(1).max(4096) }),
  response: z.object({ provider: z.string(), linkedAt: z.iso.datetime() }),
  successStatus: 201,
  errors: ['OAUTH_STATE_EXPIRED', 'OAUTH_STATE_MISMATCH', 'FORBIDDEN', 'CONFLICT', 'NOT_FOUND'],
  async handle({ body, session, services, logger }) {
    const viewer = session as Session;
    const identity = openPendingExternalIdentity(services.sessionSecret, body.pending);
    providerOf(services, identity.provider);
    const account = await getAccountStanding({ db: services.database.db, userId: viewer.userId });
    if (!account || account.disabled) throw new NotFoundError('Account');
    // A sign-in method may only lead to a known person: litigants with their real-name identity on
    // file, or court staff (whose accounts the court itself created).
    if (!account.realNameOnFile && !isCourtStaff(account.role)) {
      throw new ForbiddenError('Complete real-name verification before linking an external account');
    }
    const linked = await linkExternalIdentity({
      db: services.database.db,
      cipher: services.cipher,
      userId: viewer.userId,
      identity: { provider: identity.provider, subject: identity.subject },
      actor: { userId: viewer.userId, role: viewer.role },
    });
    logger.info('oauth identity linked', { userId: viewer.userId, provider: identity.provider });
    return { provider: identity.provider, linkedAt: linked.linkedAt.toISOString() };
  },
});

export const oauthRoutes = [listOAuthProvidersRoute, startOAuthRoute, oauthCallbackRoute, oauthSessionRoute, linkOAuthIdentityRoute];
