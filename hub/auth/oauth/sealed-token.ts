// Short-lived tokens the hub hands out during an OAuth login (the browser's state cookie, the
// portal's one-time sign-in ticket, a pending external identity): AES-256-GCM under a key derived
// from the session secret, so they are tamper-proof, unreadable to the browser, and accepted by
// every hub node. The purpose is authenticated too: a ticket never passes for a state cookie.
import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';

const VERSION = 'o1';

export type SealedTokenPurpose = 'oauth-state' | 'oauth-ticket' | 'oauth-pending';

export type OpenedToken<T> = { ok: true; payload: T; expiresAt: number } | { ok: false; reason: 'invalid' | 'expired' };

/** The key of these tokens, derived from (never equal to) the session secret. */
export function oauthTokenKey(sessionSecret: Buffer): Buffer {
  return Buffer.from(hkdfSync('sha256', sessionSecret, Buffer.alloc(0), 'ecourt oauth tokens v1', 32));
}

export function sealToken(key: Buffer, purpose: SealedTokenPurpose, payload: object, lifetimeSeconds: number, now = new Date()): string {
  const exp = Math.floor(now.getTime() / 1000) + lifetimeSeconds;
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  cipher.setAAD(Buffer.from(`${VERSION}.${purpose}`));
  const body = Buffer.concat([cipher.update(JSON.stringify({ exp, p: payload }), 'utf8'), cipher.final()]);
  return [VERSION, iv.toString('base64url'), cipher.getAuthTag().toString('base64url'), body.toString('base64url')].join('.');
}

export function openToken<T>(key: Buffer, purpose: SealedTokenPurpose, token: string, now = new Date()): OpenedToken<T> {
  if (token.length > 8192) return { ok: false, reason: 'invalid' };
  const [version, iv, tag, body, extra] = token.split('.');
  if (version !== VERSION || !iv || !tag || body === undefined || extra !== undefined) return { ok: false, reason: 'invalid' };
  let opened: { exp: unknown; p: unknown };
  try {
    const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64url'));
    decipher.setAAD(Buffer.from(`${VERSION}.${purpose}`));
    decipher.setAuthTag(Buffer.from(tag, 'base64url'));
    const plain = Buffer.concat([decipher.update(Buffer.from(body, 'base64url')), decipher.final()]).toString('utf8');
    opened = JSON.parse(plain) as { exp: unknown; p: unknown };
  } catch {
    return { ok: false, reason: 'invalid' };
  }
  if (typeof opened.exp !== 'number' || typeof opened.p !== 'object' || opened.p === null) return { ok: false, reason: 'invalid' };
  if (opened.exp <= Math.floor(now.getTime() / 1000)) return { ok: false, reason: 'expired' };
  return { ok: true, payload: opened.p as T, expiresAt: opened.exp };
}
