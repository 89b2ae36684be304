// The court's own time-stamping authority (RFC 3161): answers a TimeStampReq with a TimeStampResp
// whose token is a CMS SignedData over a TSTInfo, signed with the court CA's `timestamping`
// certificate (critical EKU timeStamping). Used in process (ECOURT_TSA=local) and behind
// POST /api/v1/tsa for anyone who wants the court's time on their own data.
import { createHash, randomBytes } from 'node:crypto';
import type { CourtCa, Signer } from '../ca/court-ca.ts';
import { certificateParts } from '../ca/x509.ts';
import { createSignedData } from '../signing/cms.ts';
import {
  encodeTstInfo,
  grantedResponse,
  IMPRINT_ALGORITHMS,
  messageImprint,
  parseTimeStampRequest,
  rejectionResponse,
  TSP_OID,
  TspFormatError,
  type TimeStampRequest,
} from './tsp.ts';
import { OID } from '../ca/x509.ts';

/** The CA certificate id the TSA signs with. */
export const TSA_CERTIFICATE_ID = 'tsa';

export class CourtTsa {
  private signerCache: { signer: Signer; until: number } | undefined;

  constructor(
    private readonly ca: CourtCa,
    private readonly clock: () => Date = () => new Date(),
  ) {}

  /** Issues the TSA certificate on first use, so a court CA made before the TSA existed still works. */
  private signer(now: Date): Signer {
    if (this.signerCache && now.getTime() < this.signerCache.until) return this.signerCache.signer;
    if (!this.ca.list().certificates.some((entry) => entry.id === TSA_CERTIFICATE_ID)) {
      this.ca.issue({ id: TSA_CERTIFICATE_ID, kind: 'timestamping', name: `${this.ca.list().court} 时间戳服务 TSA`, now });
    }
    const signer = this.ca.signer(TSA_CERTIFICATE_ID, now);
    // Re-read at most once a minute: a revoked TSA certificate stops signing within that time.
    this.signerCache = { signer, until: now.getTime() + 60_000 };
    return signer;
  }

  /** Answers a DER TimeStampReq; a bad request gets a rejection response, as RFC 3161 asks, not an exception. */
  respond(requestDer: Buffer): Buffer {
    let request: TimeStampRequest;
    try {
      request = parseTimeStampRequest(requestDer);
    } catch (error) {
      return rejectionResponse('badDataFormat', error instanceof TspFormatError ? error.message : 'unreadable request');
    }
    const algorithm = IMPRINT_ALGORITHMS[request.imprint.algorithm];
    if (!algorithm) return rejectionResponse('badAlg', `unsupported hash algorithm ${request.imprint.algorithm}`);
    if (request.imprint.hashedMessage.length !== algorithm.length) return rejectionResponse('badDataFormat', 'hashedMessage length does not match its algorithm');
    if (request.policy && request.policy !== TSP_OID.courtPolicy) return rejectionResponse('unacceptedPolicy', `only policy ${TSP_OID.courtPolicy}`);
    if (request.hasExtensions) return rejectionResponse('unacceptedExtension', 'no extensions are supported');
    return grantedResponse(this.token(request.imprint.raw, { nonce: request.nonce, certReq: request.certReq }));
  }

  /** A token over a SHA-256 digest, in process (the signer's own signature timestamps). */
  timestampDigest(sha256: Buffer): Buffer {
    return this.token(messageImprint(OID.sha256, sha256), { certReq: true });
  }

  private token(imprintDer: Buffer, options: { nonce?: Buffer; certReq: boolean }): Buffer {
    const now = this.clock();
    const signer = this.signer(now);
    const tstInfo = encodeTstInfo({
      policy: TSP_OID.courtPolicy,
      imprintDer,
      serial: randomSerial(),
      genTime: now,
      nonce: options.nonce,
      tsaName: certificateParts(signer.certificate).subject,
    });
    return createSignedData({
      digest: createHash('sha256').update(tstInfo).digest(),
      certificate: signer.certificate,
      chain: signer.chain,
      privateKey: signer.privateKey,
      content: { type: TSP_OID.tstInfo, bytes: tstInfo },
      omitCertificates: !options.certReq,
    });
  }
}

/** 128 random bits, positive: unique per token without a counter to persist. */
function randomSerial(): Buffer {
  const bytes = randomBytes(16);
  bytes[0] = (bytes[0]! & 0x7f) | 0x01;
  return bytes;
}
