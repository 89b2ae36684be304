// CMS (RFC 5652) detached SignedData for PDF signatures: SHA-256, the signer's certificate and its chain,
// and the signed attributes PAdES baseline B asks for (content type, message digest, ESS
// signing-certificate-v2). Also the reading side: check a SignedData against the bytes it signs.
import { createHash, sign, verify, X509Certificate, type KeyObject } from 'node:crypto';
import * as der from '../ca/der.ts';
import { certificateParts, OID, signatureProfileOf } from '../ca/x509.ts';

const CMS_OID = {
  data: '1.2.840.113549.1.7.1',
  signedData: '1.2.840.113549.1.7.2',
  contentType: '1.2.840.113549.1.9.3',
  messageDigest: '1.2.840.113549.1.9.4',
  signingTime: '1.2.840.113549.1.9.5',
  signingCertificateV2: '1.2.840.113549.1.9.16.2.47',
  /** RFC 3161 appendix A: the TSA's token over a signature value, as an unsigned attribute (PAdES-T). */
  signatureTimeStampToken: '1.2.840.113549.1.9.16.2.14',
} as const;
export { CMS_OID };

const DIGESTS: Record<string, string> = {
  '1.3.14.3.2.26': 'sha1',
  [OID.sha256]: 'sha256',
  '2.16.840.1.101.3.4.2.2': 'sha384',
  '2.16.840.1.101.3.4.2.3': 'sha512',
  [OID.sm3]: 'sm3',
};

/** The digest a signer's certificate calls for: SM3 for an SM2 key, else SHA-256 (what the signed bytes are hashed with). */
export function digestNameFor(certificate: Buffer): 'sha256' | 'sm3' {
  return signatureProfileOf(certificate) === 'sm2' ? 'sm3' : 'sha256';
}

const attribute = (type: string, value: der.Der) => der.sequence(der.oid(type), der.set(value));

export interface SignedDataRequest {
  /** Digest of the signed bytes (for a PDF: the two parts around /Contents): SHA-256, or SM3 for an SM2 certificate (digestNameFor). */
  digest: Buffer;
  certificate: Buffer;
  chain: Buffer[];
  privateKey: KeyObject;
  /** Only for adbe.pkcs7.detached: PAdES (ETSI.CAdES.detached) keeps the time in the signature dictionary's /M instead. */
  signingTime?: Date;
  /** Encapsulated content (a timestamp token's TSTInfo) instead of detached data; `digest` is its SHA-256. */
  content?: { type: string; bytes: Buffer };
  /** Leave the certificates out: a timestamp token carries them only when its request asked (RFC 3161 certReq). */
  omitCertificates?: boolean;
  /** Unsigned attributes of the SignerInfo, each a whole Attribute (e.g. a signature timestamp). */
  unsignedAttributes?: der.Der[];
  /** An in-process TSA: the token over the signature value, added as signature-time-stamp (PAdES-T). */
  timestamp?: (signatureValue: Buffer) => Buffer;
}

/** An unsigned attribute carrying an RFC 3161 timestamp token (ContentInfo DER) over the signature value. */
export const signatureTimestampAttribute = (token: Buffer): der.Der => attribute(CMS_OID.signatureTimeStampToken, token);

export function createSignedData(request: SignedDataRequest): Buffer {
  const signer = certificateParts(request.certificate);
  const essCertId = der.sequence(
    der.octetString(createHash('sha256').update(request.certificate).digest()),
    der.sequence(der.sequence(der.tlv(0xa4, signer.issuer)), signer.serial),
  );
  const signedAttributes = der.set(
    attribute(CMS_OID.contentType, der.oid(request.content?.type ?? CMS_OID.data)),
    attribute(CMS_OID.messageDigest, der.octetString(request.digest)),
    attribute(CMS_OID.signingCertificateV2, der.sequence(der.sequence(essCertId))),
    ...(request.signingTime ? [attribute(CMS_OID.signingTime, der.time(request.signingTime))] : []),
  );
  // Signed as a SET (tag 0x31), carried as [0] IMPLICIT (RFC 5652 §5.4). An SM2 key (loaded from PEM, so
  // OpenSSL's SM2 type) signs with SM3 and the GB/T 32918 Z value (default ID 1234567812345678).
  const sm2 = signatureProfileOf(request.certificate) === 'sm2';
  const signature = sign(sm2 ? 'sm3' : 'sha256', signedAttributes, request.privateKey);
  const signedAttributesImplicit = Buffer.concat([Buffer.from([0xa0]), signedAttributes.subarray(1)]);
  const sha256 = der.sequence(der.oid(sm2 ? OID.sm3 : OID.sha256));
  const signerInfo = der.sequence(
    der.integer(1),
    der.sequence(signer.issuer, signer.serial),
    sha256,
    signedAttributesImplicit,
    der.sequence(der.oid(sm2 ? OID.sm2WithSm3 : OID.ecdsaWithSha256)),
    der.octetString(signature),
    ...unsignedAttributesField([...(request.unsignedAttributes ?? []), ...(request.timestamp ? [signatureTimestampAttribute(request.timestamp(signature))] : [])]),
  );
  const certificates = [request.certificate, ...request.chain].sort(Buffer.compare);
  const encapsulated = request.content
    ? der.sequence(der.oid(request.content.type), der.explicit(0, der.octetString(request.content.bytes)))
    : der.sequence(der.oid(CMS_OID.data));
  const signedData = der.sequence(
    // Version 3 when the encapsulated content is not id-data (RFC 5652 §5.1).
    der.integer(request.content ? 3 : 1),
    der.set(sha256),
    encapsulated,
    ...(request.omitCertificates ? [] : [der.implicitConstructed(0, ...certificates)]),
    der.set(signerInfo),
  );
  return der.sequence(der.oid(CMS_OID.signedData), der.explicit(0, signedData));
}

const unsignedAttributesField = (attributes: der.Der[]): der.Der[] => (attributes.length > 0 ? [der.implicitConstructed(1, ...attributes)] : []);

/**
 * The same SignedData with one more unsigned attribute on its (single) SignerInfo: the signature and
 * everything it covers stay byte-identical, which is why a timestamp can be added after signing.
 */
export function withUnsignedAttribute(cms: Buffer, attribute: der.Der): Buffer {
  const [type, wrapped] = der.children(der.read(cms));
  const signedData = der.children(der.children(wrapped!)[0]!);
  const signerInfos = der.children(signedData[signedData.length - 1]!);
  if (signerInfos.length !== 1) throw new der.DerError('expected exactly one SignerInfo');
  const fields = der.children(signerInfos[0]!);
  const existing = fields[6]?.tag === 0xa1 ? der.children(fields[6]).map((item) => item.raw) : [];
  const signerInfo = der.sequence(...fields.slice(0, 6).map((item) => item.raw), der.implicitConstructed(1, ...existing, attribute));
  const rebuilt = der.sequence(...signedData.slice(0, -1).map((item) => item.raw), der.set(signerInfo));
  return der.sequence(type!.raw, der.explicit(0, rebuilt));
}

export interface SignedDataCheck {
  /** The digest in the signed attributes equals the digest of the signed bytes. */
  digestMatches: boolean;
  /** The signer's key verifies the signature over the signed attributes. */
  signatureValid: boolean;
  signer?: X509Certificate;
  /** Every certificate carried in the SignedData (the signer's and its chain). */
  certificates: X509Certificate[];
  signingTime?: Date;
  digestAlgorithm: string;
  /** The SignerInfo's signature value (what a signature timestamp covers). */
  signatureValue: Buffer;
  /** Unsigned attributes by OID: the first value of each, whole DER. */
  unsignedAttributes: Map<string, Buffer>;
  /** The encapsulated content, when not detached (a timestamp token's TSTInfo). */
  content?: { type: string; bytes: Buffer };
}

/** Checks a DER SignedData (trailing zero padding allowed) against the signed content (detached; ignored when encapsulated). */
export function checkSignedData(cms: Buffer, content: Buffer[]): SignedDataCheck {
  const contentInfo = der.children(der.read(cms));
  if (der.readOid(contentInfo[0]!) !== CMS_OID.signedData) throw new der.DerError('not a CMS SignedData');
  const signedData = der.children(der.children(contentInfo[1]!)[0]!);
  const encapsulated = der.children(signedData[2]!);
  const encapsulatedContent =
    encapsulated[1]?.tag === 0xa0 ? { type: der.readOid(encapsulated[0]!), bytes: Buffer.from(der.children(encapsulated[1])[0]!.content) } : undefined;
  let index = 3;
  const certificates: X509Certificate[] = [];
  if (signedData[index]?.tag === 0xa0) {
    for (const item of der.children(signedData[index]!)) if (item.tag === 0x30) certificates.push(new X509Certificate(item.raw));
    index++;
  }
  if (signedData[index]?.tag === 0xa1) index++;
  const signerInfos = der.children(signedData[index]!);
  if (signerInfos.length !== 1) throw new der.DerError('expected exactly one SignerInfo');
  const fields = der.children(signerInfos[0]!);
  const [issuer, serial] = der.children(fields[1]!);
  const digestAlgorithm = DIGESTS[der.readOid(der.children(fields[2]!)[0]!)];
  if (!digestAlgorithm) throw new der.DerError('unsupported digest algorithm');
  const signedAttributes = fields[3]!;
  if (signedAttributes.tag !== 0xa0) throw new der.DerError('SignerInfo without signed attributes');
  const signature = fields[5]!.content;
  const unsignedAttributes = new Map<string, Buffer>();
  if (fields[6]?.tag === 0xa1) {
    for (const item of der.children(fields[6])) {
      const [type, values] = der.children(item);
      unsignedAttributes.set(der.readOid(type!), Buffer.from(der.children(values!)[0]!.raw));
    }
  }

  const signer = certificates.find((certificate) => {
    const parts = certificateParts(Buffer.from(certificate.raw));
    return parts.issuer.equals(issuer!.raw) && parts.serial.equals(serial!.raw);
  });
  let messageDigest: Buffer | undefined;
  let signingTime: Date | undefined;
  for (const item of der.children(signedAttributes)) {
    const [type, values] = der.children(item);
    const value = der.children(values!)[0]!;
    const name = der.readOid(type!);
    if (name === CMS_OID.messageDigest) messageDigest = value.content;
    if (name === CMS_OID.signingTime) signingTime = der.readTime(value);
  }
  const hash = createHash(digestAlgorithm);
  // An encapsulated content (a timestamp token's TSTInfo) is what the digest covers; else the detached parts.
  for (const part of encapsulatedContent ? [encapsulatedContent.bytes] : content) hash.update(part);
  const digestMatches = messageDigest !== undefined && hash.digest().equals(messageDigest);
  const asSet = Buffer.concat([Buffer.from([0x31]), signedAttributes.raw.subarray(1)]);
  let signatureValid = false;
  if (signer) {
    try {
      signatureValid = verify(digestAlgorithm, asSet, signer.publicKey, signature);
    } catch {
      signatureValid = false;
    }
  }
  return { digestMatches, signatureValid, signer, certificates, signingTime, digestAlgorithm, signatureValue: Buffer.from(signature), unsignedAttributes, ...(encapsulatedContent ? { content: encapsulatedContent } : {}) };
}
