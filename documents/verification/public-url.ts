// The public address printed on issued documents (the QR code and the verification line). A court sets
// ECOURT_PUBLIC_URL to the portal's real address; without it the hub's own listening address is the best
// guess (good for one-machine installs and tests), with the wildcard host replaced by loopback since
// nobody can browse to 0.0.0.0.
import type { Config } from '../../platform/config.ts';
import type { VerificationMark } from '../render/verification-mark.ts';
import { verificationUrl } from './verification-code.ts';

export function publicUrlOf(config: Pick<Config, 'ECOURT_PUBLIC_URL' | 'HOST' | 'PORT'>): string {
  if (config.ECOURT_PUBLIC_URL) return config.ECOURT_PUBLIC_URL.replace(/\/+$/, '');
  const host = config.HOST === '0.0.0.0' || config.HOST === '::' ? '127.0.0.1' : config.HOST;
  return `http://${host.includes(':') ? `[${host}]` : host}:${config.PORT}`;
}

/** What renderPdf({ verification }) prints for this code on this node. */
export function verificationMarkOf(config: Pick<Config, 'ECOURT_PUBLIC_URL' | 'HOST' | 'PORT'>, code: string): VerificationMark {
  return { code, url: verificationUrl(publicUrlOf(config), code) };
}
