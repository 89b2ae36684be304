// X.509 certificates and CRLs of the court CA, written in DER (ECDSA P-256 with SHA-256, which both
// Node's crypto and NSS — pdfsig's verifier — handle), and the few fields we read back from them.
import { createHash, randomBytes, sign, type KeyObject } from 'node:crypto';
import * as der from './der.ts';

export const OID = {
  ecdsaWithSha256: '1.2.840.10045.4.3.2',
  sha256: '2.16.840.1.101.3.4.2.1',
  country: '2.5.4.6',
  organization: '2.5.4.10',
  organizationalUnit: '2.5.4.11',
  commonName: '2.5.4.3',
  basicConstraints: '2.5.29.19',
  keyUsage: '2.5.29.15',
  subjectKeyIdentifier: '2.5.29.14',
  authorityKeyIdentifier: '2.5.29.35',
  crlNumber: '2.5.29.20',
  extendedKeyUsage: '2.5.29.37',
  /** GB/T 32918 SM2 curve, SM3 hash, SM2-with-SM3 signature (GM/T 0006). */
  sm2Curve: '1.2.156.10197.1.301',
  sm3: '1.2.156.10197.1.401',
  sm2WithSm3: '1.2.156.10197.1.501',
  timeStamping: '1.3.6.1.5.5.7.3.8',
} as const;

export interface DistinguishedName {
  /** Court (O), department (OU), the certificate's own name (CN). */
  organization: string;
  organizationalUnit?: string;
  commonName: string;
}

export function encodeName(name: DistinguishedName): der.Der {
  const rdn = (type: string, value: der.Der) => der.set(der.sequence(der.oid(type), value));
  return der.sequence(
    rdn(OID.country, der.printableString('CN')),
    rdn(OID.organization, der.utf8String(name.organization)),
    ...(name.organizationalUnit ? [rdn(OID.organizationalUnit, der.utf8String(name.organizationalUnit))] : []),
    rdn(OID.commonName, der.utf8String(name.commonName)),
  );
}

const signatureAlgorithm = () => der.sequence(der.oid(OID.ecdsaWithSha256));

function extension(type: string, critical: boolean, value: der.Der): der.Der {
  return der.sequence(der.oid(type), ...(critical ? [der.boolean(true)] : []), der.octetString(value));
}

export function keyIdentifier(publicKey: KeyObject): Buffer {
  return createHash('sha1').update(publicKey.export({ type: 'spki', format: 'der' })).digest();
}

/** A positive random 128-bit serial number (RFC 5280 allows up to 20 octets). */
export function newSerial(): Buffer {
  const bytes = randomBytes(16);
  bytes[0] = (bytes[0]! & 0x7f) | 0x01;
  return bytes;
}

export interface CertificateRequest {
  serial: Buffer;
  subject: DistinguishedName;
  /** The issuer's encoded Name (for a root: the subject's own). */
  issuer: der.Der;
  publicKey: KeyObject;
  issuerPublicKey: KeyObject;
  issuerPrivateKey: KeyObject;
  notBefore: Date;
  notAfter: Date;
  isCa: boolean;
  /** Critical extended key usages (a TSA certificate: timeStamping only, RFC 3161 §2.3). */
  extendedKeyUsage?: string[];
}

export function issueCertificate(request: CertificateRequest): Buffer {
  const keyUsage = request.isCa ? der.namedBits([5, 6]) /* keyCertSign, cRLSign */ : der.namedBits([0, 1]); /* digitalSignature, nonRepudiation */
  const extensions = [
    extension(OID.basicConstraints, true, request.isCa ? der.sequence(der.boolean(true)) : der.sequence()),
    extension(OID.keyUsage, true, keyUsage),
    extension(OID.subjectKeyIdentifier, false, der.octetString(keyIdentifier(request.publicKey))),
    extension(OID.authorityKeyIdentifier, false, der.sequence(der.tlv(0x80, keyIdentifier(request.issuerPublicKey)))),
    ...(request.extendedKeyUsage ? [extension(OID.extendedKeyUsage, true, der.sequence(...request.extendedKeyUsage.map((usage) => der.oid(usage))))] : []),
  ];
  const tbs = der.sequence(
    der.explicit(0, der.integer(2)),
    der.integer(request.serial),
    signatureAlgorithm(),
    request.issuer,
    der.sequence(der.time(request.notBefore), der.time(request.notAfter)),
    encodeName(request.subject),
    request.publicKey.export({ type: 'spki', format: 'der' }),
    der.explicit(3, der.sequence(...extensions)),
  );
  return der.sequence(tbs, signatureAlgorithm(), der.bitString(sign('sha256', tbs, request.issuerPrivateKey)));
}

export interface RevokedEntry {
  serial: Buffer;
  revokedAt: Date;
}

export function issueCrl(options: {
  issuer: der.Der;
  issuerPublicKey: KeyObject;
  issuerPrivateKey: KeyObject;
  number: number;
  thisUpdate: Date;
  nextUpdate: Date;
  revoked: RevokedEntry[];
}): Buffer {
  const entries = options.revoked.map((entry) => der.sequence(der.integer(entry.serial), der.time(entry.revokedAt)));
  const tbs = der.sequence(
    der.integer(1),
    signatureAlgorithm(),
    options.issuer,
    der.time(options.thisUpdate),
    der.time(options.nextUpdate),
    ...(entries.length > 0 ? [der.sequence(...entries)] : []),
    der.explicit(
      0,
      der.sequence(
        extension(OID.crlNumber, false, der.integer(options.number)),
        extension(OID.authorityKeyIdentifier, false, der.sequence(der.tlv(0x80, keyIdentifier(options.issuerPublicKey)))),
      ),
    ),
  );
  return der.sequence(tbs, signatureAlgorithm(), der.bitString(sign('sha256', tbs, options.issuerPrivateKey)));
}

/** The raw parts of a certificate that CMS and chain checks need. */
export function certificateParts(certificate: Buffer): { tbs: Buffer; serial: Buffer; issuer: Buffer; subject: Buffer } {
  const [tbsNode] = der.children(der.read(certificate));
  const fields = der.children(tbsNode!);
  const offset = fields[0]!.tag === 0xa0 ? 1 : 0;
  return { tbs: tbsNode!.raw, serial: fields[offset]!.raw, issuer: fields[offset + 2]!.raw, subject: fields[offset + 4]!.raw };
}

export const SIGNATURE_PROFILES = ['p256', 'sm2'] as const;
export type SignatureProfile = (typeof SIGNATURE_PROFILES)[number];

/** How a certificate's key signs: ECDSA P-256 with SHA-256, or SM2 with SM3 (read from its public key's curve). */
export function signatureProfileOf(certificate: Buffer): SignatureProfile {
  const [tbsNode] = der.children(der.read(certificate));
  const fields = der.children(tbsNode!);
  const offset = fields[0]!.tag === 0xa0 ? 1 : 0;
  const [algorithm] = der.children(fields[offset + 5]!);
  const curve = der.children(algorithm!)[1];
  return curve?.tag === 0x06 && der.readOid(curve) === OID.sm2Curve ? 'sm2' : 'p256';
}

/** A CRL's signed part, signature and revoked serial numbers (hex, as in X509Certificate.serialNumber). */
export function parseCrl(crl: Buffer): { tbs: Buffer; signature: Buffer; thisUpdate: Date; nextUpdate: Date; revoked: Map<string, Date> } {
  const [tbsNode, , signatureNode] = der.children(der.read(crl));
  const fields = der.children(tbsNode!);
  const revoked = new Map<string, Date>();
  const list = fields[5];
  if (list && list.tag === 0x30) {
    for (const entry of der.children(list)) {
      const [serial, when] = der.children(entry);
      revoked.set(serialHex(serial!.content), der.readTime(when!));
    }
  }
  return { tbs: tbsNode!.raw, signature: signatureNode!.content.subarray(1), thisUpdate: der.readTime(fields[3]!), nextUpdate: der.readTime(fields[4]!), revoked };
}

/** Serial numbers compared as upper-case hex without leading zero bytes (Node prints them so). */
export function serialHex(bytes: Buffer): string {
  let start = 0;
  while (start < bytes.length - 1 && bytes[start] === 0) start++;
  return bytes.subarray(start).toString('hex').toUpperCase();
}

export function toPem(label: 'CERTIFICATE' | 'X509 CRL', bytes: Buffer): string {
  const lines = bytes.toString('base64').match(/.{1,64}/g) ?? [];
  return `-----BEGIN ${label}-----\n${lines.join('\n')}\n-----END ${label}-----\n`;
}

export function fromPem(pem: string): Buffer {
  return Buffer.from(pem.replace(/-----(BEGIN|END)[^-]+-----/g, '').replace(/\s+/g, ''), 'base64');
}
