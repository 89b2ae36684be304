// Verifies every signature in a PDF: the CMS matches the bytes its /ByteRange covers, the signer's
// certificate chains to a trusted court CA root and is not on that CA's CRL, and whatever was appended
// after a signature only added further signatures (not content). Independent of pdfsig, agreeing with it.
import { createHash, verify as verifySignature, X509Certificate } from 'node:crypto';
import { PDFArray, PDFDict, PDFDocument, PDFHexString, PDFName, PDFRef, PDFString, type PDFObject } from 'pdf-lib';
import { DerError } from '../ca/der.ts';
import { parseCrl } from '../ca/x509.ts';
import { checkSignedData } from './cms.ts';
import { chainsToRoot } from './certificate-chain.ts';
import { malformed } from './pdf-source.ts';
import { CMS_OID } from './cms.ts';
import { checkTimestampToken, type TimestampReport } from '../tsa/check-token.ts';

export interface TrustAnchors {
  /** Court CA roots (DER) whose certificates are trusted. */
  roots: Buffer[];
  /** CRLs (DER) issued by those roots. */
  crls: Buffer[];
}

export type ChangesAfter = 'none' | 'signatures-only' | 'other';

export interface SignatureReport {
  field: string;
  subFilter: string;
  signer: { commonName?: string; organization?: string; organizationalUnit?: string; serial: string; fingerprint256: string } | null;
  signingTime: string | null;
  byteRange: number[];
  /** The signed bytes' digest matches the CMS and the signer's key verifies it. */
  intact: boolean;
  coversWholeDocument: boolean;
  /** What later incremental updates changed: nothing, only added signatures, or other content. */
  changesAfter: ChangesAfter;
  /** The certificate chains to a trusted court CA root. */
  trusted: boolean;
  /** The certificate was within its validity period at the signing time. */
  certificateValidAtSigning: boolean;
  revoked: boolean;
  revokedAt?: string;
  /** The signature-time-stamp token (PAdES-T), when the signature carries one: the TSA's time and whether it is over this signature. */
  timestamp?: TimestampReport;
  valid: boolean;
  problems: string[];
}

export interface VerificationReport {
  sha256: string;
  signatures: SignatureReport[];
  /** At least one signature, and every signature valid. */
  valid: boolean;
}

interface FoundSignature {
  field: string;
  dictionary: PDFDict;
}

const name = (value: string) => PDFName.of(value);

function text(value: PDFObject | undefined): string | undefined {
  return value instanceof PDFString || value instanceof PDFHexString ? value.decodeText() : undefined;
}

/** Signature fields in the AcroForm tree (terminal fields with FT /Sig and a /V). */
function findSignatures(doc: PDFDocument): FoundSignature[] {
  const found: FoundSignature[] = [];
  const acroForm = doc.catalog.lookupMaybe(name('AcroForm'), PDFDict);
  const walk = (fields: PDFArray | undefined, prefix: string, inheritedType: string | undefined, depth: number) => {
    if (!fields || depth > 32) return;
    for (let index = 0; index < fields.size(); index++) {
      const field = fields.lookup(index);
      if (!(field instanceof PDFDict)) continue;
      const partial = text(field.get(name('T')));
      const fullName = partial === undefined ? prefix : prefix ? `${prefix}.${partial}` : partial;
      const type = field.lookupMaybe(name('FT'), PDFName)?.decodeText() ?? inheritedType;
      const value = field.lookup(name('V'));
      if (type === 'Sig' && value instanceof PDFDict) found.push({ field: fullName, dictionary: value });
      walk(field.lookupMaybe(name('Kids'), PDFArray), fullName, type, depth + 1);
    }
  };
  walk(acroForm?.lookupMaybe(name('Fields'), PDFArray), '', undefined, 0);
  return found;
}

function subjectFields(certificate: X509Certificate): { commonName?: string; organization?: string; organizationalUnit?: string } {
  const fields = new Map<string, string>();
  for (const line of certificate.subject.split('\n')) {
    const at = line.indexOf('=');
    if (at > 0) fields.set(line.slice(0, at), line.slice(at + 1));
  }
  return { commonName: fields.get('CN'), organization: fields.get('O'), organizationalUnit: fields.get('OU') };
}

function pdfDateToIso(value: string | undefined): string | null {
  const match = value && /^D:(\d{4})(\d{2})?(\d{2})?(\d{2})?(\d{2})?(\d{2})?(Z|[+-]\d{2}'?\d{2}'?)?/.exec(value);
  if (!match) return null;
  const [, y, mo = '01', d = '01', h = '00', mi = '00', s = '00', zone = 'Z'] = match;
  const offset = zone === 'Z' ? 'Z' : `${zone.slice(0, 3)}:${zone.replace(/'/g, '').slice(3, 5) || '00'}`;
  const date = new Date(`${y}-${mo}-${d}T${h}:${mi}:${s}${offset}`);
  return Number.isNaN(date.getTime()) ? null : date.toISOString();
}

/** Walks issuer links (through certificates carried in the CMS) up to a trusted root. */
function revocation(signer: X509Certificate, root: X509Certificate, crls: Buffer[]): Date | undefined {
  for (const crl of crls) {
    let parsed: ReturnType<typeof parseCrl>;
    try {
      parsed = parseCrl(crl);
      if (!verifySignature('sha256', parsed.tbs, root.publicKey, parsed.signature)) continue;
    } catch {
      continue;
    }
    const revokedAt = parsed.revoked.get(signer.serialNumber.toUpperCase());
    if (revokedAt) return revokedAt;
  }
  return undefined;
}

function objectBytes(object: PDFObject | undefined): Buffer {
  if (!object) return Buffer.alloc(0);
  const bytes = new Uint8Array(object.sizeInBytes());
  object.copyBytesInto(bytes, 0);
  return Buffer.from(bytes);
}

function isSignatureWidget(doc: PDFDocument, entry: PDFObject | undefined): boolean {
  const dict = entry instanceof PDFRef ? doc.context.lookup(entry) : entry;
  if (!(dict instanceof PDFDict)) return false;
  const type = dict.lookupMaybe(name('FT'), PDFName)?.decodeText();
  return type === 'Sig' && (dict.lookupMaybe(name('Subtype'), PDFName)?.decodeText() ?? 'Widget') === 'Widget';
}

/** Old entries kept in order, every added entry a signature widget. */
function onlySignaturesAppended(later: PDFDocument, before: PDFArray | undefined, after: PDFArray | undefined): boolean {
  if (!after) return !before;
  const oldSize = before?.size() ?? 0;
  if (after.size() < oldSize) return false;
  for (let index = 0; index < oldSize; index++) if (!objectBytes(before!.get(index)).equals(objectBytes(after.get(index)))) return false;
  for (let index = oldSize; index < after.size(); index++) if (!isSignatureWidget(later, after.get(index))) return false;
  return true;
}

function dictChangesAllowed(later: PDFDocument, before: PDFDict, after: PDFDict, allowed: Record<string, 'array' | 'any'>): boolean {
  const keys = new Set([...before.keys(), ...after.keys()].map((key) => key.decodeText()));
  for (const key of keys) {
    const old = before.get(name(key));
    const now = after.get(name(key));
    if (objectBytes(old).equals(objectBytes(now))) continue;
    const rule = allowed[key];
    if (rule === 'any') continue;
    if (rule !== 'array') return false;
    const oldArray = old instanceof PDFRef ? before.context.lookup(old) : old;
    const newArray = now instanceof PDFRef ? after.context.lookup(now) : now;
    if (!(newArray instanceof PDFArray) || (oldArray !== undefined && !(oldArray instanceof PDFArray))) return false;
    if (!onlySignaturesAppended(later, oldArray as PDFArray | undefined, newArray)) return false;
  }
  return true;
}

/** Compares the revision a signature covers with the final document, object by object. */
async function changesAfterRevision(revisionBytes: Buffer, final: PDFDocument): Promise<ChangesAfter> {
  let revision: PDFDocument;
  try {
    revision = await PDFDocument.load(revisionBytes, { ignoreEncryption: true, updateMetadata: false });
  } catch {
    return 'other';
  }
  const finalCatalogRef = final.context.trailerInfo.Root;
  const acroFormRef = final.catalog.get(name('AcroForm'));
  for (const [ref, before] of revision.context.enumerateIndirectObjects()) {
    const after = final.context.lookup(ref);
    if (objectBytes(before).equals(objectBytes(after))) continue;
    if (before instanceof PDFArray && after instanceof PDFArray) {
      if (onlySignaturesAppended(final, before, after)) continue;
      return 'other';
    }
    if (!(before instanceof PDFDict) || !(after instanceof PDFDict) || before.constructor !== after.constructor) return 'other';
    const type = after.lookupMaybe(name('Type'), PDFName)?.decodeText();
    const isCatalog = finalCatalogRef instanceof PDFRef && ref.objectNumber === finalCatalogRef.objectNumber;
    const isAcroForm = acroFormRef instanceof PDFRef && ref.objectNumber === acroFormRef.objectNumber;
    const allowed: Record<string, 'array' | 'any'> | undefined = isCatalog
      ? { AcroForm: 'any' }
      : isAcroForm
        ? { Fields: 'array', SigFlags: 'any', DR: 'any' }
        : type === 'Page'
          ? { Annots: 'array' }
          : undefined;
    if (!allowed || !dictChangesAllowed(final, before, after, allowed)) return 'other';
    if (isCatalog) {
      // A direct AcroForm changed inside the catalog: only its field list may have grown.
      const oldForm = before.get(name('AcroForm'));
      const newForm = after.get(name('AcroForm'));
      if (oldForm instanceof PDFDict && newForm instanceof PDFDict && !dictChangesAllowed(final, oldForm, newForm, { Fields: 'array', SigFlags: 'any', DR: 'any' })) return 'other';
    }
  }
  return 'signatures-only';
}

export async function verifyPdf(bytes: Buffer, anchors: TrustAnchors, now = new Date()): Promise<VerificationReport> {
  if (bytes.subarray(0, 1024).indexOf('%PDF-') < 0) throw malformed('no %PDF- header');
  let doc: PDFDocument;
  try {
    doc = await PDFDocument.load(bytes, { ignoreEncryption: true, updateMetadata: false });
  } catch (error) {
    throw malformed(error instanceof Error ? error.message.split('\n')[0]! : String(error), error);
  }
  // pdf-lib loads a "%PDF-" file without any objects and leaves the catalog undefined.
  if (!doc.catalog) throw malformed('no document catalog');
  const roots = anchors.roots.map((root) => new X509Certificate(root));
  const signatures: SignatureReport[] = [];
  for (const { field, dictionary } of findSignatures(doc)) {
    const problems: string[] = [];
    const range = dictionary.lookupMaybe(name('ByteRange'), PDFArray);
    const byteRange = range ? range.asArray().map((item) => Number(item.toString())) : [];
    const subFilter = dictionary.lookupMaybe(name('SubFilter'), PDFName)?.decodeText() ?? '';
    const report: SignatureReport = {
      field,
      subFilter,
      signer: null,
      signingTime: pdfDateToIso(text(dictionary.get(name('M')))),
      byteRange,
      intact: false,
      coversWholeDocument: false,
      changesAfter: 'other',
      trusted: false,
      certificateValidAtSigning: false,
      revoked: false,
      valid: false,
      problems,
    };
    signatures.push(report);
    const [start, gapStart, gapEnd, tailLength] = byteRange as [number, number, number, number];
    const wellFormed =
      byteRange.length === 4 &&
      byteRange.every((value) => Number.isInteger(value) && value >= 0) &&
      start === 0 &&
      gapStart < gapEnd &&
      gapEnd + tailLength <= bytes.length &&
      bytes[gapStart] === 0x3c /* < */ &&
      bytes[gapEnd - 1] === 0x3e; /* > */
    if (!wellFormed) {
      problems.push('the byte range is malformed or does not frame /Contents');
      continue;
    }
    const end = gapEnd + tailLength;
    report.coversWholeDocument = end === bytes.length;
    const hex = bytes.subarray(gapStart + 1, gapEnd - 1).toString('latin1');
    if (!/^[0-9A-Fa-f]*$/.test(hex)) {
      problems.push('/Contents is not a hex string');
      continue;
    }
    // The gap must hold this dictionary's own /Contents: a byte range borrowed from another signature
    // would otherwise verify as that one under a second name.
    const contents = dictionary.get(name('Contents'));
    if (!(contents instanceof PDFHexString) || contents.asString().toUpperCase() !== hex.toUpperCase()) {
      problems.push("the byte range does not frame this signature's /Contents");
      continue;
    }
    let check: ReturnType<typeof checkSignedData>;
    try {
      check = checkSignedData(Buffer.from(hex, 'hex'), [bytes.subarray(0, gapStart), bytes.subarray(gapEnd, end)]);
    } catch (error) {
      problems.push(`the CMS signature cannot be read (${error instanceof DerError || error instanceof Error ? error.message : 'unknown'})`);
      continue;
    }
    if (check.signingTime && !report.signingTime) report.signingTime = check.signingTime.toISOString();
    if (!check.signer) problems.push('the signer certificate is not in the signature');
    else {
      report.signer = { ...subjectFields(check.signer), serial: check.signer.serialNumber.toUpperCase(), fingerprint256: check.signer.fingerprint256 };
      const at = report.signingTime ? new Date(report.signingTime) : now;
      report.certificateValidAtSigning = at >= new Date(check.signer.validFrom) && at <= new Date(check.signer.validTo);
      if (!report.certificateValidAtSigning) problems.push('the certificate was not valid at the signing time');
      const root = chainsToRoot(check.signer, check.certificates, roots);
      report.trusted = root !== undefined;
      if (!root) problems.push('the certificate does not chain to a trusted court CA');
      else {
        const revokedAt = revocation(check.signer, root, anchors.crls);
        if (revokedAt) {
          report.revoked = true;
          report.revokedAt = revokedAt.toISOString();
          problems.push('the certificate is revoked');
        }
      }
    }
    const token = check.unsignedAttributes.get(CMS_OID.signatureTimeStampToken);
    if (token) {
      report.timestamp = checkTimestampToken(token, check.signatureValue, roots);
      // A timestamp that is not over this signature, or not the court's, makes the signature invalid, not merely untimed.
      for (const problem of report.timestamp.problems) problems.push(`timestamp: ${problem}`);
    }
    if (!check.digestMatches) problems.push('the signed bytes were changed (digest mismatch)');
    if (!check.signatureValid) problems.push('the signature does not verify with the signer key');
    report.intact = check.digestMatches && check.signatureValid;
    report.changesAfter = report.coversWholeDocument ? 'none' : await changesAfterRevision(bytes.subarray(0, end), doc);
    if (report.changesAfter === 'other') problems.push('the document was changed after this signature (not only by further signatures)');
  }
  for (const report of signatures) {
    report.valid = report.intact && report.trusted && !report.revoked && report.certificateValidAtSigning && report.changesAfter !== 'other' && (report.timestamp?.valid ?? true);
  }
  return { sha256: createHash('sha256').update(bytes).digest('hex'), signatures, valid: signatures.length > 0 && signatures.every((report) => report.valid) };
}
