// Personal identifiers (ID numbers, phone numbers) are sealed with AES-256-GCM before they
// reach the database or the journal. A keyed blind index (HMAC-SHA-256) lets us find
// duplicates without storing the plain value.
import { createCipheriv, createDecipheriv, createHmac, hkdfSync, randomBytes } from 'node:crypto';

const VERSION = 'pd1';

export interface PersonalDataCipher {
  /** plain text → "pd1.<iv>.<tag>.<ciphertext>" (base64url parts) */
  seal(plain: string): string;
  open(sealed: string): string;
  /** Deterministic keyed digest for equality look-ups (e.g. duplicate ID numbers). */
  blindIndex(plain: string): string;
}

export function createPersonalDataCipher(masterKey: Buffer): PersonalDataCipher {
  if (masterKey.length !== 32) throw new Error('personal data key must be 32 bytes');
  // Separate keys for encryption and indexing, so one never doubles as the other.
  const encryptionKey = Buffer.from(hkdfSync('sha256', masterKey, Buffer.alloc(0), 'ecourt personal data v1', 32));
  const indexKey = Buffer.from(hkdfSync('sha256', masterKey, Buffer.alloc(0), 'ecourt blind index v1', 32));
  return {
    seal(plain) {
      const iv = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', encryptionKey, iv);
      const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
      const tag = cipher.getAuthTag();
      return [VERSION, iv.toString('base64url'), tag.toString('base64url'), body.toString('base64url')].join('.');
    },
    open(sealed) {
      const [version, iv, tag, body] = sealed.split('.');
      if (version !== VERSION || !iv || !tag || body === undefined) throw new Error('not a sealed personal value');
      const decipher = createDecipheriv('aes-256-gcm', encryptionKey, Buffer.from(iv, 'base64url'));
      decipher.setAuthTag(Buffer.from(tag, 'base64url'));
      return Buffer.concat([decipher.update(Buffer.from(body, 'base64url')), decipher.final()]).toString('utf8');
    },
    blindIndex(plain) {
      return createHmac('sha256', indexKey).update(plain.normalize('NFKC').toUpperCase()).digest('hex');
    },
  };
}

/** For display: keep the first 6 and last 4 characters of an ID number, 3+4 of a phone. */
export function maskIdentifier(plain: string): string {
  if (plain.length <= 8) return plain.slice(0, 1) + '*'.repeat(Math.max(plain.length - 2, 1)) + plain.slice(-1);
  const head = plain.length >= 15 ? 6 : 3;
  return plain.slice(0, head) + '*'.repeat(plain.length - head - 4) + plain.slice(-4);
}
