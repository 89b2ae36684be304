// Offline check of a case file folder: every file's SHA-256 against the manifest, the manifest's item list
// against the digest sealed inside the bundle PDF, and the bundle's signature by verifyPdf against the
// court CA root (and CRL) the folder carries. Nothing is read from a database or the network.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { PDFDocument } from 'pdf-lib';
import { AppError } from '../../platform/errors.ts';
import { fromPem } from '../ca/x509.ts';
import { verifyPdf, type SignatureReport } from '../signing/verify-pdf.ts';
import { BUNDLE_FILE, CASE_FILE_FORMAT, CRL_FILE, ITEM_FILE_PATTERN, ITEMS_DIGEST_KEYWORD, itemsDigest, MANIFEST_FILE, ROOT_FILE, sha256Hex, type CaseFileManifest } from './manifest.ts';

export interface ItemCheck {
  number: number;
  title: string;
  file: string;
  ok: boolean;
  problem?: string;
}

export interface CaseFileVerification {
  valid: boolean;
  case: CaseFileManifest['case'];
  bundle: {
    file: string;
    /** The PDF's SHA-256 is the manifest's. */
    hashOk: boolean;
    /** Every signature in it intact, trusted by the included root, not revoked, nothing but signatures after it. */
    signatureValid: boolean;
    /** The manifest's item list is the one sealed inside the PDF (its digest in the signed keywords). */
    itemsDigestOk: boolean;
    pagesOk: boolean;
    signatures: SignatureReport[];
    problems: string[];
  };
  items: ItemCheck[];
}

const malformedBundle = (reason: string) => new AppError('DOCUMENT_MALFORMED', `Not a readable case file: ${reason} / 不是可读取的电子卷宗`, { reason });

async function readOptional(path: string): Promise<Buffer | null> {
  return readFile(path).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return null;
    throw error;
  });
}

async function readManifest(dir: string): Promise<CaseFileManifest> {
  const bytes = await readOptional(join(dir, MANIFEST_FILE));
  if (!bytes) throw malformedBundle(`no ${MANIFEST_FILE}`);
  let manifest: CaseFileManifest;
  try {
    manifest = JSON.parse(bytes.toString('utf8')) as CaseFileManifest;
  } catch {
    throw malformedBundle(`${MANIFEST_FILE} is not JSON`);
  }
  if (manifest?.format !== CASE_FILE_FORMAT || !Array.isArray(manifest.items) || typeof manifest.bundle?.sha256 !== 'string') throw malformedBundle(`${MANIFEST_FILE} is not a ${CASE_FILE_FORMAT} manifest`);
  return manifest;
}

async function checkItem(dir: string, item: CaseFileManifest['items'][number]): Promise<ItemCheck> {
  const check = { number: item.number, title: item.title, file: item.file };
  if (typeof item.file !== 'string' || !ITEM_FILE_PATTERN.test(item.file)) return { ...check, ok: false, problem: 'file path outside the bundle layout' };
  const bytes = await readOptional(join(dir, item.file));
  if (!bytes) return { ...check, ok: false, problem: 'file missing' };
  if (sha256Hex(bytes) !== item.sha256) return { ...check, ok: false, problem: 'SHA-256 differs from the manifest (file changed)' };
  return { ...check, ok: true };
}

export async function verifyCaseFile(dir: string, now = new Date()): Promise<CaseFileVerification> {
  const manifest = await readManifest(dir);
  const items: ItemCheck[] = [];
  for (const item of manifest.items) items.push(await checkItem(dir, item));

  const problems: string[] = [];
  const bundle = await readOptional(join(dir, BUNDLE_FILE));
  const rootPem = await readOptional(join(dir, ROOT_FILE));
  const crlPem = await readOptional(join(dir, CRL_FILE));
  if (!rootPem) problems.push(`${ROOT_FILE} missing: no root to trust`);
  let signatures: SignatureReport[] = [];
  let signatureValid = false;
  let itemsDigestOk = false;
  let pagesOk = false;
  const hashOk = bundle !== null && sha256Hex(bundle) === manifest.bundle.sha256;
  if (!bundle) problems.push(`${BUNDLE_FILE} missing`);
  else {
    if (!hashOk) problems.push('bundle SHA-256 differs from the manifest');
    try {
      const report = await verifyPdf(bundle, { roots: rootPem ? [fromPem(rootPem.toString('latin1'))] : [], crls: crlPem ? [fromPem(crlPem.toString('latin1'))] : [] }, now);
      signatures = report.signatures;
      signatureValid = report.valid;
      if (!report.valid) problems.push(report.signatures.length === 0 ? 'the bundle is not sealed' : 'the bundle\'s seal does not verify');
      const doc = await PDFDocument.load(bundle, { updateMetadata: false });
      const sealedDigest = (doc.getKeywords() ?? '').split(/\s+/).find((word) => word.startsWith(ITEMS_DIGEST_KEYWORD))?.slice(ITEMS_DIGEST_KEYWORD.length);
      itemsDigestOk = sealedDigest !== undefined && sealedDigest === itemsDigest(manifest.items) && sealedDigest === manifest.itemsSha256;
      if (!itemsDigestOk) problems.push('the manifest\'s item list differs from the one sealed in the bundle');
      pagesOk = doc.getPageCount() === manifest.totalPages;
      if (!pagesOk) problems.push(`the bundle has ${doc.getPageCount()} pages, the manifest says ${manifest.totalPages}`);
    } catch (error) {
      if (!(error instanceof AppError)) throw error;
      problems.push(`the bundle PDF is unreadable: ${error.message}`);
    }
  }
  const valid = problems.length === 0 && hashOk && signatureValid && itemsDigestOk && pagesOk && items.every((item) => item.ok);
  return { valid, case: manifest.case, bundle: { file: BUNDLE_FILE, hashOk, signatureValid, itemsDigestOk, pagesOk, signatures, problems }, items };
}
