// Where signature timestamps come from (ECOURT_TSA): `off`, `local` (the court's own TSA in this
// process) or the URL of an external RFC 3161 TSA. A Timestamper turns a SHA-256 digest into a token.
import { randomBytes } from 'node:crypto';
import { AppError } from '../../platform/errors.ts';
import type { CourtCa } from '../ca/court-ca.ts';
import { OID } from '../ca/x509.ts';
import { checkSignedData } from '../signing/cms.ts';
import { CourtTsa } from './court-tsa.ts';
import { createTimeStampRequest, parseTimeStampResponse, parseTstInfo, TSP_OID } from './tsp.ts';

export interface Timestamper {
  /** Where the tokens come from, for reports ("local" or the TSA's URL). */
  readonly source: string;
  token(sha256: Buffer): Promise<Buffer>;
}

export function localTimestamper(tsa: CourtTsa): Timestamper & { tokenSync(sha256: Buffer): Buffer } {
  return {
    source: 'local',
    tokenSync: (sha256) => tsa.timestampDigest(sha256),
    token: async (sha256) => tsa.timestampDigest(sha256),
  };
}

const tsaFailed = (url: string, reason: string) =>
  new AppError('TSA_UNAVAILABLE', `The timestamp authority ${url} gave no usable timestamp: ${reason} / 时间戳服务未返回有效时间戳`, { url, reason });

/** An external RFC 3161 TSA over HTTP(S): a nonce per request, the answer checked against it. */
export function httpTimestamper(url: string, options: { timeoutMs?: number } = {}): Timestamper {
  return {
    source: url,
    async token(sha256) {
      const nonce = randomBytes(8);
      nonce[0] = (nonce[0]! & 0x7f) | 0x01;
      let body: Buffer;
      try {
        const response = await fetch(url, {
          method: 'POST',
          headers: { 'content-type': 'application/timestamp-query' },
          body: new Uint8Array(createTimeStampRequest({ hashedMessage: sha256, nonce, certReq: true })),
          signal: AbortSignal.timeout(options.timeoutMs ?? 10_000),
        });
        if (!response.ok) throw tsaFailed(url, `HTTP ${response.status}`);
        body = Buffer.from(await response.arrayBuffer());
      } catch (error) {
        throw error instanceof AppError ? error : tsaFailed(url, error instanceof Error ? error.message : 'request failed');
      }
      let parsed: ReturnType<typeof parseTimeStampResponse>;
      try {
        parsed = parseTimeStampResponse(body);
      } catch {
        throw tsaFailed(url, 'not a TimeStampResp');
      }
      if (!parsed.token) throw tsaFailed(url, `status ${parsed.status}${parsed.text ? ` (${parsed.text})` : ''}`);
      // The token must answer this request: same imprint, same nonce (else it could be a replay).
      const content = checkSignedData(parsed.token, []).content;
      const info = content?.type === TSP_OID.tstInfo ? parseTstInfo(content.bytes) : undefined;
      if (!info || info.imprint.algorithm !== OID.sha256 || !info.imprint.hashedMessage.equals(sha256) || !info.nonce || BigInt('0x' + info.nonce.toString('hex')) !== BigInt('0x' + nonce.toString('hex'))) {
        throw tsaFailed(url, 'the token does not answer this request');
      }
      return parsed.token;
    },
  };
}

/** The Timestamper ECOURT_TSA asks for, or none when it is `off`. */
export function timestamperFromConfig(setting: string, ca: CourtCa): Timestamper | undefined {
  if (setting === 'off') return undefined;
  if (setting === 'local') return localTimestamper(new CourtTsa(ca));
  return httpTimestamper(setting);
}
