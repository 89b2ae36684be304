// A small DER (ASN.1) encoder and reader: enough for the certificates, CRLs and CMS SignedData the
// court CA and the PDF signer write and read. Hand-written because the structures are few and fixed,
// and a full ASN.1 library would be larger than everything it is used for here.

export type Der = Buffer;

function lengthBytes(length: number): Buffer {
  if (length < 0x80) return Buffer.from([length]);
  const bytes: number[] = [];
  for (let rest = length; rest > 0; rest = Math.floor(rest / 256)) bytes.unshift(rest & 0xff);
  return Buffer.from([0x80 | bytes.length, ...bytes]);
}

export function tlv(tag: number, content: Buffer): Der {
  return Buffer.concat([Buffer.from([tag]), lengthBytes(content.length), content]);
}

export const sequence = (...items: Der[]): Der => tlv(0x30, Buffer.concat(items));
/** A SET OF, sorted as DER requires (by encoded bytes). */
export const set = (...items: Der[]): Der => tlv(0x31, Buffer.concat([...items].sort(Buffer.compare)));
export const explicit = (tagNumber: number, inner: Der): Der => tlv(0xa0 | tagNumber, inner);
/** [n] IMPLICIT over a constructed value: the same content under a context tag. */
export const implicitConstructed = (tagNumber: number, ...items: Der[]): Der => tlv(0xa0 | tagNumber, Buffer.concat(items));
export const nullValue = (): Der => Buffer.from([0x05, 0x00]);
export const octetString = (bytes: Uint8Array): Der => tlv(0x04, Buffer.from(bytes));
export const utf8String = (text: string): Der => tlv(0x0c, Buffer.from(text, 'utf8'));
export const printableString = (text: string): Der => tlv(0x13, Buffer.from(text, 'ascii'));
export const boolean = (value: boolean): Der => Buffer.from([0x01, 0x01, value ? 0xff : 0x00]);

export function integer(value: bigint | number | Buffer): Der {
  let bytes: Buffer;
  if (Buffer.isBuffer(value)) bytes = value;
  else {
    let hex = BigInt(value).toString(16);
    if (hex.length % 2) hex = '0' + hex;
    bytes = Buffer.from(hex, 'hex');
  }
  let start = 0;
  while (start < bytes.length - 1 && bytes[start] === 0 && (bytes[start + 1]! & 0x80) === 0) start++;
  bytes = bytes.subarray(start);
  if (bytes[0]! & 0x80) bytes = Buffer.concat([Buffer.from([0]), bytes]);
  return tlv(0x02, bytes);
}

export function bitString(bytes: Uint8Array, unusedBits = 0): Der {
  return tlv(0x03, Buffer.concat([Buffer.from([unusedBits]), Buffer.from(bytes)]));
}

/** KeyUsage-style named bits (bit 0 = most significant bit of the first byte), minimal DER form. */
export function namedBits(bits: number[]): Der {
  const max = Math.max(...bits);
  const bytes = Buffer.alloc(Math.floor(max / 8) + 1);
  for (const bit of bits) bytes[Math.floor(bit / 8)]! |= 0x80 >> bit % 8;
  let unused = 0;
  const last = bytes[bytes.length - 1]!;
  while (unused < 7 && (last & (1 << unused)) === 0) unused++;
  return bitString(bytes, unused);
}

export function oid(dotted: string): Der {
  const parts = dotted.split('.').map((part) => BigInt(part));
  const bytes: number[] = [Number(parts[0]! * 40n + parts[1]!)];
  for (const part of parts.slice(2)) {
    const chunk: number[] = [];
    let rest = part;
    do {
      chunk.unshift(Number(rest & 0x7fn));
      rest >>= 7n;
    } while (rest > 0n);
    for (let i = 0; i < chunk.length - 1; i++) chunk[i]! |= 0x80;
    bytes.push(...chunk);
  }
  return tlv(0x06, Buffer.from(bytes));
}

/** UTCTime for years 1950–2049, GeneralizedTime after (RFC 5280 §4.1.2.5). */
export function time(date: Date): Der {
  const iso = date.toISOString();
  const compact = iso.slice(0, 19).replace(/[-:T]/g, '') + 'Z';
  const year = date.getUTCFullYear();
  if (year >= 1950 && year < 2050) return tlv(0x17, Buffer.from(compact.slice(2), 'ascii'));
  return tlv(0x18, Buffer.from(compact, 'ascii'));
}

// ---- reading ----

export interface Node {
  tag: number;
  /** The whole element (tag, length and content). */
  raw: Buffer;
  content: Buffer;
}

export class DerError extends Error {}

export function read(bytes: Buffer, offset = 0): Node {
  if (offset + 2 > bytes.length) throw new DerError('truncated DER');
  const tag = bytes[offset]!;
  let length = bytes[offset + 1]!;
  let header = 2;
  if (length & 0x80) {
    const count = length & 0x7f;
    if (count === 0 || count > 4) throw new DerError('unsupported DER length');
    length = 0;
    for (let i = 0; i < count; i++) length = length * 256 + bytes[offset + 2 + i]!;
    header += count;
  }
  const end = offset + header + length;
  if (end > bytes.length) throw new DerError('truncated DER');
  return { tag, raw: bytes.subarray(offset, end), content: bytes.subarray(offset + header, end) };
}

export function children(node: Node): Node[] {
  const items: Node[] = [];
  for (let offset = 0; offset < node.content.length; ) {
    const child = read(node.content, offset);
    items.push(child);
    offset += child.raw.length;
  }
  return items;
}

export function readOid(node: Node): string {
  if (node.tag !== 0x06) throw new DerError('expected an OBJECT IDENTIFIER');
  const bytes = node.content;
  const parts: bigint[] = [];
  let value = 0n;
  for (const byte of bytes) {
    value = (value << 7n) | BigInt(byte & 0x7f);
    if ((byte & 0x80) === 0) {
      parts.push(value);
      value = 0n;
    }
  }
  const first = parts.shift() ?? 0n;
  const head = first < 80n ? [first / 40n, first % 40n] : [2n, first - 80n];
  return [...head, ...parts].join('.');
}

export function readTime(node: Node): Date {
  const text = node.content.toString('ascii');
  const full = node.tag === 0x17 ? (Number(text.slice(0, 2)) >= 50 ? '19' : '20') + text : text;
  const match = /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})Z$/.exec(full);
  if (!match) throw new DerError('unsupported time encoding');
  const [, y, mo, d, h, mi, s] = match;
  return new Date(Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s)));
}
