// Signs an opened PDF with a court CA certificate: reserve the signature field in an incremental
// update, digest the covered bytes, wrap the digest in CMS, embed it. PAdES baseline B by default.
import { createHash } from 'node:crypto';
import type { PDFRef } from 'pdf-lib';
import type { Signer } from '../ca/court-ca.ts';
import { createSignedData, digestNameFor } from './cms.ts';
import { prepareSignature, type SubFilter } from './incremental-signature.ts';
import type { PdfSource } from './pdf-source.ts';

export interface SignRequest {
  source: PdfSource;
  signer: Signer;
  /** 0-based page index of the widget. */
  page: number;
  /** Where the visible appearance goes; none = an invisible signature. */
  rect?: { x: number; y: number; width: number; height: number; appearance: PDFRef };
  signingTime?: Date;
  subFilter?: SubFilter;
  reason?: string;
  location?: string;
  /** Existing objects changed before signing (appended page content): part of the signed update. */
  alsoChanged?: PDFRef[];
  /**
   * An in-process TSA (ECOURT_TSA=local: documents/tsa): its token over the signature value becomes the
   * signature-time-stamp unsigned attribute (PAdES-T). A remote TSA is asked after signing instead
   * (documents/tsa/stamp-signature.ts), since signing here is synchronous.
   */
  timestamp?: (signatureValue: Buffer) => Buffer;
}

export interface SignedPdf {
  bytes: Buffer;
  fieldName: string;
  byteRange: [number, number, number, number];
  signingTime: Date;
}

export function signPdf(request: SignRequest): SignedPdf {
  const signingTime = request.signingTime ?? new Date();
  const subFilter = request.subFilter ?? 'ETSI.CAdES.detached';
  const prepared = prepareSignature({
    source: request.source,
    page: request.page,
    rect: request.rect,
    signingTime,
    subFilter,
    name: request.signer.entry.name,
    reason: request.reason,
    location: request.location ?? request.signer.court,
    alsoChanged: request.alsoChanged,
  });
  const hash = createHash(digestNameFor(request.signer.certificate));
  for (const part of prepared.signedParts()) hash.update(part);
  const cms = createSignedData({
    digest: hash.digest(),
    certificate: request.signer.certificate,
    chain: request.signer.chain,
    privateKey: request.signer.privateKey,
    // PAdES (ETSI.CAdES.detached) forbids the CMS signing-time attribute: the time is the signed /M.
    ...(subFilter === 'adbe.pkcs7.detached' ? { signingTime } : {}),
    ...(request.timestamp ? { timestamp: request.timestamp } : {}),
  });
  return { bytes: prepared.embed(cms), fieldName: prepared.fieldName, byteRange: prepared.byteRange, signingTime };
}
