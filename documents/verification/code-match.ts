// What the public learns about a verification code (验证码) and whether a PDF is the document issued under
// it — one logic for the public API (hub/api/document-verification-routes.ts) and `ecourt verify --code`
// (cli/verify.ts), so the portal and the command line can never disagree about the same file.
import { createHash } from 'node:crypto';
import { AppError } from '../../platform/errors.ts';
import type { DocumentByCode } from '../../storage/documents/find-document-by-code.ts';
import type { VerificationReport } from '../signing/verify-pdf.ts';

/** The court's calendar date (China Standard Time, no daylight saving). */
export const courtDate = (at: Date): string => new Date(at.getTime() + 8 * 3600_000).toISOString().slice(0, 10);

/** No issued document carries the code (the same refusal from the API and the CLI). */
export const unknownVerificationCode = (): AppError =>
  new AppError('VERIFICATION_CODE_UNKNOWN', 'No document of this court carries this verification code / 未找到与该验证码对应的文书');

/** What anyone holding the code may see: kind, title, date, hashes and pages — never the case or the parties. */
export interface PublicDocumentByCode {
  code: string;
  kind: string;
  title: string;
  issuedOn: string;
  sha256: string;
  mimeType: string | null;
  pageCount: number | null;
  bundleSha256: string | null;
}

export const publicDocumentByCode = (code: string, found: DocumentByCode): PublicDocumentByCode => ({
  code,
  kind: found.kind,
  title: found.title,
  issuedOn: courtDate(found.issuedAt),
  sha256: found.sha256,
  mimeType: found.mimeType,
  pageCount: found.pageCount,
  bundleSha256: found.bundleSha256,
});

export interface SignedRevisions {
  /** SHA-256 of each earlier revision a signature covers: what the court issued when someone signed it again afterwards. */
  revisionHashes: Set<string>;
  /** Bytes were appended after the last signature; null without signatures. */
  changedAfterLastSignature: boolean | null;
}

/** The revisions of `bytes` its signatures cover (from their byte ranges). */
export function signedRevisions(bytes: Uint8Array, report: Pick<VerificationReport, 'signatures'>): SignedRevisions {
  const revisionHashes = new Set<string>();
  let lastEnd = -1;
  let lastCovers: boolean | null = null;
  for (const signature of report.signatures) {
    const [, , gapEnd, tail] = signature.byteRange;
    if (signature.byteRange.length !== 4 || gapEnd === undefined || tail === undefined) continue;
    const end = gapEnd + tail;
    if (end > bytes.length) continue;
    if (end > lastEnd) [lastEnd, lastCovers] = [end, signature.coversWholeDocument];
    if (end < bytes.length) revisionHashes.add(createHash('sha256').update(bytes.subarray(0, end)).digest('hex'));
  }
  return { revisionHashes, changedAfterLastSignature: lastCovers === null ? (report.signatures.length > 0 ? true : null) : !lastCovers };
}

/**
 * The file (SHA-256 `fileSha256`, signed revisions `revisionHashes`) is the document issued under the code:
 * the file itself, or a revision of it someone signed again afterwards. For a case file the printed part is
 * the sealed PDF inside the stored ZIP.
 */
export function isDocumentOfCode(found: Pick<DocumentByCode, 'sha256' | 'bundleSha256'>, fileSha256: string, revisionHashes: ReadonlySet<string>): boolean {
  return [found.sha256, found.bundleSha256].some((hash) => hash !== null && (hash === fileSha256 || revisionHashes.has(hash)));
}
