// RFC 3161 (Time-Stamp Protocol) structures in DER: the request a client sends, the TSTInfo a TSA
// signs, the response around the token — written and read with the same small DER module the court
// CA uses (documents/ca/der.ts), since the structures are few and fixed.
import * as der from '../ca/der.ts';
import { OID } from '../ca/x509.ts';

export const TSP_OID = {
  tstInfo: '1.2.840.113549.1.9.16.1.4',
  /** The court TSA's policy: a UUID-derived OID (X.667 arc 2.25), needing no registration. */
  courtPolicy: '2.25.28584945714415520026262454958405293300',
} as const;

/** Message-imprint hash algorithms the TSA accepts, by OID, with their digest length. */
export const IMPRINT_ALGORITHMS: Record<string, { name: string; length: number }> = {
  [OID.sha256]: { name: 'sha256', length: 32 },
  '2.16.840.1.101.3.4.2.2': { name: 'sha384', length: 48 },
  '2.16.840.1.101.3.4.2.3': { name: 'sha512', length: 64 },
};

export interface MessageImprint {
  algorithm: string;
  hashedMessage: Buffer;
  /** The imprint's own DER, echoed unchanged into the TSTInfo (RFC 3161 §2.4.2). */
  raw: Buffer;
}

export interface TimeStampRequest {
  imprint: MessageImprint;
  policy?: string;
  nonce?: Buffer;
  certReq: boolean;
  hasExtensions: boolean;
}

export class TspFormatError extends Error {}

function readImprint(node: der.Node): MessageImprint {
  if (node.tag !== 0x30) throw new TspFormatError('messageImprint is not a SEQUENCE');
  const [algorithm, hashed] = der.children(node);
  if (!algorithm || algorithm.tag !== 0x30 || !hashed || hashed.tag !== 0x04) throw new TspFormatError('malformed messageImprint');
  return { algorithm: der.readOid(der.children(algorithm)[0]!), hashedMessage: Buffer.from(hashed.content), raw: Buffer.from(node.raw) };
}

export function messageImprint(algorithm: string, hashedMessage: Buffer): der.Der {
  return der.sequence(der.sequence(der.oid(algorithm), der.nullValue()), der.octetString(hashedMessage));
}

/** TimeStampReq ::= SEQUENCE { version, messageImprint, reqPolicy OID OPT, nonce INTEGER OPT, certReq BOOLEAN DEFAULT FALSE, extensions [0] OPT } */
export function parseTimeStampRequest(bytes: Buffer): TimeStampRequest {
  let fields: der.Node[];
  try {
    const root = der.read(bytes);
    if (root.tag !== 0x30 || root.raw.length !== bytes.length) throw new TspFormatError('not one DER SEQUENCE');
    fields = der.children(root);
  } catch (error) {
    throw error instanceof TspFormatError ? error : new TspFormatError(error instanceof Error ? error.message : 'unreadable DER');
  }
  const [version, imprint, ...rest] = fields;
  if (!version || version.tag !== 0x02 || !version.content.equals(Buffer.from([1]))) throw new TspFormatError('version must be 1');
  if (!imprint) throw new TspFormatError('no messageImprint');
  const request: TimeStampRequest = { imprint: readImprint(imprint), certReq: false, hasExtensions: false };
  for (const field of rest) {
    if (field.tag === 0x06) request.policy = der.readOid(field);
    else if (field.tag === 0x02) request.nonce = Buffer.from(field.content);
    else if (field.tag === 0x01) request.certReq = field.content[0] !== 0;
    else if (field.tag === 0xa0) request.hasExtensions = true;
    else throw new TspFormatError(`unexpected field tag 0x${field.tag.toString(16)}`);
  }
  return request;
}

export function createTimeStampRequest(options: { algorithm?: string; hashedMessage: Buffer; nonce?: Buffer; certReq?: boolean }): Buffer {
  return der.sequence(
    der.integer(1),
    messageImprint(options.algorithm ?? OID.sha256, options.hashedMessage),
    ...(options.nonce ? [der.integer(options.nonce)] : []),
    ...(options.certReq ? [der.boolean(true)] : []),
  );
}

/** GeneralizedTime with milliseconds, trailing zeros dropped (RFC 3161 §2.4.2). */
export function generalizedTime(date: Date): der.Der {
  const iso = date.toISOString();
  let text = iso.slice(0, 19).replace(/[-:T]/g, '');
  const fraction = iso.slice(20, 23).replace(/0+$/, '');
  if (fraction) text += '.' + fraction;
  return der.tlv(0x18, Buffer.from(text + 'Z', 'ascii'));
}

function readGeneralizedTime(node: der.Node): Date {
  const match = /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})(?:\.(\d{1,9}))?Z$/.exec(node.content.toString('ascii'));
  if (node.tag !== 0x18 || !match) throw new TspFormatError('genTime is not a GeneralizedTime');
  const [, y, mo, d, h, mi, s, fraction] = match;
  const ms = fraction ? Number((fraction + '00').slice(0, 3)) : 0;
  return new Date(Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s), ms));
}

export interface TstInfo {
  policy: string;
  imprint: MessageImprint;
  serial: Buffer;
  genTime: Date;
  nonce?: Buffer;
  /** The TSA's name (directoryName), DER, when given. */
  tsaName?: Buffer;
}

export function encodeTstInfo(info: { policy: string; imprintDer: Buffer; serial: Buffer; genTime: Date; nonce?: Buffer; tsaName?: Buffer }): Buffer {
  return der.sequence(
    der.integer(1),
    der.oid(info.policy),
    info.imprintDer,
    der.integer(info.serial),
    generalizedTime(info.genTime),
    ...(info.nonce ? [der.tlv(0x02, info.nonce)] : []),
    // tsa [0] GeneralName, directoryName [4] (EXPLICIT: Name is a CHOICE).
    ...(info.tsaName ? [der.explicit(0, der.tlv(0xa4, info.tsaName))] : []),
  );
}

export function parseTstInfo(bytes: Buffer): TstInfo {
  const [version, policy, imprint, serial, genTime, ...rest] = der.children(der.read(bytes));
  if (!version || version.tag !== 0x02 || !policy || !imprint || !serial || !genTime) throw new TspFormatError('malformed TSTInfo');
  const info: TstInfo = { policy: der.readOid(policy), imprint: readImprint(imprint), serial: Buffer.from(serial.content), genTime: readGeneralizedTime(genTime) };
  for (const field of rest) {
    if (field.tag === 0x02) info.nonce = Buffer.from(field.content);
    if (field.tag === 0xa0) {
      const name = der.children(field)[0];
      if (name?.tag === 0xa4) info.tsaName = Buffer.from(der.children(name)[0]!.raw);
    }
  }
  return info;
}

/** PKIStatus granted (0) and rejection (2); PKIFailureInfo bits used here. */
export const FAILURE = { badAlg: 0, badRequest: 2, badDataFormat: 5, unacceptedPolicy: 15, unacceptedExtension: 16, systemFailure: 25 } as const;
export type Failure = keyof typeof FAILURE;

export function grantedResponse(token: Buffer): Buffer {
  return der.sequence(der.sequence(der.integer(0)), token);
}

export function rejectionResponse(failure: Failure, text: string): Buffer {
  return der.sequence(der.sequence(der.integer(2), der.sequence(der.utf8String(text)), der.namedBits([FAILURE[failure]])));
}

/** The token of a granted response (status 0 or 1), or the status and its text. */
export function parseTimeStampResponse(bytes: Buffer): { status: number; text?: string; token?: Buffer } {
  const [statusInfo, token] = der.children(der.read(bytes));
  if (!statusInfo || statusInfo.tag !== 0x30) throw new TspFormatError('malformed TimeStampResp');
  const [status, free] = der.children(statusInfo);
  if (!status || status.tag !== 0x02) throw new TspFormatError('malformed PKIStatusInfo');
  const code = status.content.length === 1 ? status.content[0]! : -1;
  const text = free?.tag === 0x30 ? der.children(free).map((item) => item.content.toString('utf8')).join('; ') : undefined;
  return { status: code, ...(text ? { text } : {}), ...(token && (code === 0 || code === 1) ? { token: Buffer.from(token.raw) } : {}) };
}
