// The one-time sign-in ticket: after a successful callback the browser is sent to the portal with
// a ticket (in the URL fragment, so never in server logs or Referer), which the portal exchanges
// once, within two minutes, for a session token. The session token itself never sits in a URL.
import { AppError } from '../../../platform/errors.ts';
import { oauthTokenKey, openToken, sealToken } from './sealed-token.ts';

export const LOGIN_TICKET_LIFETIME_SECONDS = 120;

export function sealLoginTicket(sessionSecret: Buffer, ticket: { userId: string; provider: string }, now = new Date()): string {
  return sealToken(oauthTokenKey(sessionSecret), 'oauth-ticket', { u: ticket.userId, v: ticket.provider }, LOGIN_TICKET_LIFETIME_SECONDS, now);
}

export function openLoginTicket(sessionSecret: Buffer, token: string, now = new Date()): { userId: string; provider: string; expiresAt: Date } {
  const opened = openToken<{ u: unknown; v: unknown }>(oauthTokenKey(sessionSecret), 'oauth-ticket', token, now);
  if (!opened.ok && opened.reason === 'expired') throw new AppError('OAUTH_STATE_EXPIRED', 'The sign-in ticket has expired; sign in again');
  if (!opened.ok || typeof opened.payload.u !== 'string' || typeof opened.payload.v !== 'string') {
    throw new AppError('UNAUTHENTICATED', 'This sign-in ticket is not valid');
  }
  return { userId: opened.payload.u, provider: opened.payload.v, expiresAt: new Date(opened.expiresAt * 1000) };
}
