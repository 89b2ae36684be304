// 验证码: the code printed (as text and as a QR code) on every document the court issues, so anyone holding
// a paper copy can look the document up. It must be unguessable — knowing one code must not lead to others —
// so it is 80 random bits, not a counter or a hash of the case. Crockford base32 (no I, L, O, U) in four
// groups of four reads aloud and types well; normalising forgives case, separators and the look-alike
// letters people type for 0 and 1.
import { randomBytes } from 'node:crypto';

const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
/** 16 symbols × 5 bits = 80 bits. */
const SYMBOLS = 16;
const GROUP = 4;

function grouped(symbols: string): string {
  const groups: string[] = [];
  for (let index = 0; index < symbols.length; index += GROUP) groups.push(symbols.slice(index, index + GROUP));
  return groups.join('-');
}

/** A fresh code such as `7K3M-Q9TX-2F8R-WD4N` (80 bits from the CSPRNG). */
export function newVerificationCode(): string {
  const bytes = randomBytes(10); // exactly 80 bits: 16 symbols of 5 bits each, no modulo bias
  let bits = 0n;
  for (const byte of bytes) bits = (bits << 8n) | BigInt(byte);
  let symbols = '';
  for (let index = SYMBOLS - 1; index >= 0; index--) symbols += ALPHABET[Number((bits >> BigInt(index * 5)) & 31n)];
  return grouped(symbols);
}

/**
 * The canonical form (upper case, dashes every four) of what someone typed or scanned, or null when it cannot
 * be a code. Tolerates lower case, spaces, dashes, dots and underscores anywhere, O for 0 and I/L for 1
 * (Crockford's decoding rules); U and any other letter are refused.
 */
export function normaliseVerificationCode(input: unknown): string | null {
  if (typeof input !== 'string' || input.length > 64) return null;
  const symbols = input
    .toUpperCase()
    .replace(/[\s\-_.·]/g, '')
    .replace(/O/g, '0')
    .replace(/[IL]/g, '1');
  if (symbols.length !== SYMBOLS) return null;
  for (const symbol of symbols) if (!ALPHABET.includes(symbol)) return null;
  return grouped(symbols);
}

/** The address printed in the QR code: the portal's verification page with the code filled in. */
export function verificationUrl(publicBase: string, code: string): string {
  return `${publicBase.replace(/\/+$/, '')}/#/verify?code=${encodeURIComponent(code)}`;
}
