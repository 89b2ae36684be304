// 电子卷宗: builds a case's electronic case file — the composed PDF sealed with the court seal on its
// catalogue page, every original file, the manifest and the CA root (and CRL) to verify it with offline —
// and writes it as one folder.
import { mkdir, readdir, rename, rm, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { AppError } from '../../platform/errors.ts';
import { writeAudit, type AuditActor } from '../../storage/audit/write-audit.ts';
import type { BlobStore } from '../../storage/blobs/blob-store.ts';
import type { Db } from '../../storage/database.ts';
import type { Signer } from '../ca/court-ca.ts';
import { toPem } from '../ca/x509.ts';
import type { VerificationMark } from '../render/verification-mark.ts';
import { applySeal } from '../seal/apply-seal.ts';
import { CASE_FILE_ORDER, loadCaseFileSources } from './case-file-sources.ts';
import { CATALOGUE_SEAL_AT, composeCaseFile } from './compose-case-file.ts';
import { BUNDLE_FILE, CASE_FILE_FORMAT, CRL_FILE, MANIFEST_FILE, ROOT_FILE, sha256Hex, type CaseFileManifest } from './manifest.ts';
import { zipStored } from './zip.ts';

/** The court seal the case file carries: the CA's certificate of this id (ecourt ca issue court --kind court-seal). */
export const CASE_FILE_SEAL_ID = 'court';

export interface BuiltCaseFile {
  manifest: CaseFileManifest;
  /** The sealed bundle PDF. */
  bundle: Buffer;
  /** Every item's original bytes, by its path in the folder. */
  files: { file: string; bytes: Buffer }[];
  rootPem: string;
  crlPem: string;
}

export interface BuildCaseFileRequest {
  db: Db;
  blobs: BlobStore;
  caseId: string;
  /** The court seal (a court-seal certificate of the node's CA). */
  signer: Signer;
  /** The CA's root certificate and CRL (DER), put in the bundle for offline verification. */
  trust: { root: Buffer; crl: Buffer };
  builtAt?: Date;
  /** Who asked for it (the audit row's actor); SYSTEM_ACTOR for the operator's CLI. */
  actor: AuditActor;
  /** The 验证码 to print on the catalogue (the case file filed when the case closes); none for one built on request. */
  verification?: VerificationMark;
}

export async function buildCaseFile(request: BuildCaseFileRequest): Promise<BuiltCaseFile> {
  if (request.signer.entry.kind === 'person') throw new AppError('VALIDATION_FAILED', 'A case file is sealed with a court seal, not a person\'s signature / 电子卷宗须加盖法院印章', { fields: ['seal'] });
  const builtAt = request.builtAt ?? new Date();
  const { caseInfo, sources } = await loadCaseFileSources(request);
  const composed = await composeCaseFile({ caseInfo, sources, builtAt, ...(request.verification ? { verification: request.verification } : {}) });
  const sealed = await applySeal({
    pdf: composed.pdf,
    signer: request.signer,
    placement: { mode: 'fixed', ...CATALOGUE_SEAL_AT },
    reason: '电子卷宗 / electronic case file',
    signingTime: builtAt,
  });
  const manifest: CaseFileManifest = {
    format: CASE_FILE_FORMAT,
    case: caseInfo,
    builtAt: builtAt.toISOString(),
    order: CASE_FILE_ORDER,
    cataloguePages: composed.cataloguePages,
    totalPages: composed.totalPages,
    items: composed.items,
    itemsSha256: composed.itemsSha256,
    bundle: { file: BUNDLE_FILE, sha256: sha256Hex(sealed.bytes), pages: composed.totalPages, sealedBy: request.signer.entry.id, signingTime: sealed.signingTime.toISOString() },
    trust: { root: ROOT_FILE, crl: CRL_FILE },
    ...(request.verification ? { verificationCode: request.verification.code } : {}),
  };
  // Who took the whole file of a case, and which bundle exactly: hashes and counts only, no titles.
  await writeAudit(request.db, {
    actor: request.actor,
    action: 'case.archive',
    subjectKind: 'case',
    subjectId: caseInfo.id,
    detail: { items: composed.items.length, pages: composed.totalPages, bundleSha256: manifest.bundle.sha256, itemsSha256: composed.itemsSha256, seal: request.signer.entry.id },
  });
  const files = composed.items.map((item, index) => ({ file: item.file, bytes: sources[index]!.bytes }));
  return { manifest, bundle: sealed.bytes, files, rootPem: toPem('CERTIFICATE', request.trust.root), crlPem: toPem('X509 CRL', request.trust.crl) };
}

/** The folder's files (relative paths) with their bytes, in the order they are written. */
export function caseFileEntries(built: BuiltCaseFile): { name: string; bytes: Buffer }[] {
  return [
    { name: BUNDLE_FILE, bytes: built.bundle },
    ...built.files.map(({ file, bytes }) => ({ name: file, bytes })),
    { name: ROOT_FILE, bytes: Buffer.from(built.rootPem) },
    { name: CRL_FILE, bytes: Buffer.from(built.crlPem) },
    { name: MANIFEST_FILE, bytes: Buffer.from(`${JSON.stringify(built.manifest, null, 2)}\n`) },
  ];
}

/** The same folder as one ZIP (stored), for the API; unzipped, `verifyCaseFile` checks it. */
export function caseFileZip(built: BuiltCaseFile): Buffer {
  return zipStored(caseFileEntries(built), new Date(built.manifest.builtAt));
}

/** Writes the bundle into `dir` (created; refused when it exists and is not empty), through a temporary folder renamed at the end. */
export async function writeCaseFile(dir: string, built: BuiltCaseFile): Promise<void> {
  const existing = await readdir(dir).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return null;
    throw error;
  });
  if (existing && existing.length > 0) throw new AppError('CONFLICT', `${dir} exists and is not empty / 目标目录非空`);
  const temporary = join(dirname(dir), `.${process.pid}-${Date.now()}.case-file.tmp`);
  await mkdir(join(temporary, 'items'), { recursive: true });
  try {
    for (const { name, bytes } of caseFileEntries(built)) await writeFile(join(temporary, name), bytes);
    if (existing) await rm(dir, { recursive: true });
    await rename(temporary, dir);
  } catch (error) {
    await rm(temporary, { recursive: true, force: true });
    throw error;
  }
}
