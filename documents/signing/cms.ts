// CMS (RFC 5652) detached SignedData for PDF signatures: SHA-256, the signer's certificate and its chain,
// and the signed attributes PAdES baseline B asks for (content type, message digest, ESS
// signing-certificate-v2). Also the reading side: check a SignedData against the bytes it signs.
import { createHash, sign, verify, X509Certificate, type KeyObject } from 'node:crypto';
import * as der from '../ca/der.ts';
import { certificateParts, OID } from '../ca/x509.ts';

const CMS_OID = {
  data: '1.2.840.113549.1.7.1',
  signedData: '1.2.840.113549.1.7.2',
  contentType: '1.2.840.113549.1.9.3',
  messageDigest: '1.2.840.113549.1.9.4',
  signingTime: '1.2.840.113549.1.9.5',
  signingCertificateV2: '1.2.840.113549.1.9.16.2.47',
} as const;

const DIGESTS: Record<string, string> = {
  '1.3.14.3.2.26': 'sha1',
  [OID.sha256]: 'sha256',
  '2.16.840.1.101.3.4.2.2': 'sha384',
  '2.16.840.1.101.3.4.2.3': 'sha512',
};

const attribute = (type: string, value: der.Der) => der.sequence(der.oid(type), der.set(value));

export interface SignedDataRequest {
  /** SHA-256 of the signed bytes (for a PDF: the two parts around /Contents). */
  digest: Buffer;
  certificate: Buffer;
  chain: Buffer[];
  privateKey: KeyObject;
  /** Only for adbe.pkcs7.detached: PAdES (ETSI.CAdES.detached) keeps the time in the signature dictionary's /M instead. */
  signingTime?: Date;
}

export function createSignedData(request: SignedDataRequest): Buffer {
  const signer = certificateParts(request.certificate);
  const essCertId = der.sequence(
    der.octetString(createHash('sha256').update(request.certificate).digest()),
    der.sequence(der.sequence(der.tlv(0xa4, signer.issuer)), signer.serial),
  );
  const signedAttributes = der.set(
    attribute(CMS_OID.contentType, der.oid(CMS_OID.data)),
    attribute(CMS_OID.messageDigest, der.octetString(request.digest)),
    attribute(CMS_OID.signingCertificateV2, der.sequence(der.sequence(essCertId))),
    ...(request.signingTime ? [attribute(CMS_OID.signingTime, der.time(request.signingTime))] : []),
  );
  // Signed as a SET (tag 0x31), carried as [0] IMPLICIT (RFC 5652 §5.4).
  const signature = sign('sha256', signedAttributes, request.privateKey);
  const signedAttributesImplicit = Buffer.concat([Buffer.from([0xa0]), signedAttributes.subarray(1)]);
  const sha256 = der.sequence(der.oid(OID.sha256));
  const signerInfo = der.sequence(
    der.integer(1),
    der.sequence(signer.issuer, signer.serial),
    sha256,
    signedAttributesImplicit,
    der.sequence(der.oid(OID.ecdsaWithSha256)),
    der.octetString(signature),
  );
  const certificates = [request.certificate, ...request.chain].sort(Buffer.compare);
  const signedData = der.sequence(
    der.integer(1),
    der.set(sha256),
    der.sequence(der.oid(CMS_OID.data)),
    der.implicitConstructed(0, ...certificates),
    der.set(signerInfo),
  );
  return der.sequence(der.oid(CMS_OID.signedData), der.explicit(0, signedData));
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
}

/** Checks a DER SignedData (trailing zero padding allowed) against the signed content. */
export function checkSignedData(cms: Buffer, content: Buffer[]): SignedDataCheck {
  const contentInfo = der.children(der.read(cms));
  if (der.readOid(contentInfo[0]!) !== CMS_OID.signedData) throw new der.DerError('not a CMS SignedData');
  const signedData = der.children(der.children(contentInfo[1]!)[0]!);
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
  for (const part of content) hash.update(part);
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
  return { digestMatches, signatureValid, signer, certificates, signingTime, digestAlgorithm };
}
