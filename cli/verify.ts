// `ecourt verify <file.pdf> [--json]`: every signature in a PDF — signer, seal, signing time, chain to
// this node's court CA, revocation, intact or not. Exit 0 all signatures valid, 1 otherwise (or none), 2 bad usage.
// `ecourt verify --code <code> [--json]`: what this node's database says was issued under a 验证码 — the
// same public answer as GET /api/v1/documents/verify/{code} (kind, title, date, hash, pages; never the case).
// `ecourt verify <file.pdf> --code <code>`: the signatures, and whether the file is that document (the same
// match as the API's POST …/verify?code=, documents/verification/code-match.ts). With --code the exit code
// is the code's answer: 0 found / the file is it, 1 unknown code / another file.
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import type { Config } from '../platform/config.ts';
import { AppError } from '../platform/errors.ts';
import { openCourtCa } from '../documents/ca/open-court-ca.ts';
import { verifyPdf, type TrustAnchors, type VerificationReport } from '../documents/signing/verify-pdf.ts';
import { isDocumentOfCode, publicDocumentByCode, signedRevisions, unknownVerificationCode, type PublicDocumentByCode } from '../documents/verification/code-match.ts';
import { normaliseVerificationCode } from '../documents/verification/verification-code.ts';

export class VerifyUsageError extends Error {}

export const VERIFY_USAGE = `usage: ecourt verify <file.pdf> [--json]
       ecourt verify --code <code> [--json]
       ecourt verify <file.pdf> --code <code> [--json]`;

/** The document issued under `code` in this node's database (Postgres at DATABASE_URL, else the data dir's), or null. */
async function lookUp(config: Config, code: string): Promise<PublicDocumentByCode | null> {
  const { openDatabase } = await import('../storage/database.ts');
  const { findDocumentByCode } = await import('../storage/documents/find-document-by-code.ts');
  const database = await openDatabase({ databaseUrl: config.DATABASE_URL, dataDir: config.ECOURT_DATA_DIR });
  try {
    const found = await findDocumentByCode({ db: database.db, code });
    return found ? publicDocumentByCode(code, found) : null;
  } finally {
    await database.close();
  }
}

function printDocument(document: PublicDocumentByCode): void {
  console.log(`${document.code}: ${document.title} (${document.kind}), issued ${document.issuedOn} / 签发日期`);
  console.log(`  sha256 ${document.sha256}${document.pageCount === null ? '' : `, ${document.pageCount} pages / 页`}${document.bundleSha256 ? `, sealed PDF inside sha256 ${document.bundleSha256}` : ''}`);
}

async function signatureReport(bytes: Buffer, config: Config) {
  // Without a court CA on this node every signature is reported, but none is trusted.
  const authority = openCourtCa(config);
  const anchors: TrustAnchors = authority.initialised ? { roots: [authority.rootCertificate()], crls: [authority.crl()] } : { roots: [], crls: [] };
  const seals = new Map(authority.initialised ? authority.list().certificates.map((entry) => [entry.serial, entry.id]) : []);
  const report: VerificationReport = await verifyPdf(bytes, anchors);
  const signatures = report.signatures.map((signature) => ({ ...signature, seal: signature.signer ? (seals.get(signature.signer.serial) ?? null) : null }));
  return { report, signatures };
}

function printSignatures(file: string, signatures: Awaited<ReturnType<typeof signatureReport>>['signatures']): void {
  if (signatures.length === 0) console.log(`${file}: no signatures / 无签名`);
  for (const signature of signatures) {
    const who = signature.signer ? `${signature.signer.commonName ?? '?'}${signature.signer.organization ? ` (${signature.signer.organization})` : ''}` : 'unknown signer';
    console.log(`${signature.field}: ${signature.valid ? 'VALID / 有效' : 'INVALID / 无效'} — ${who}, seal ${signature.seal ?? '-'}, signed ${signature.signingTime ?? '?'}`);
    console.log(`  intact ${signature.intact}, whole document ${signature.coversWholeDocument}, changes after ${signature.changesAfter}, trusted ${signature.trusted}, revoked ${signature.revoked}`);
    for (const problem of signature.problems) console.log(`  - ${problem}`);
  }
}

export async function verify(args: string[], config: Config): Promise<number> {
  const { values, positionals } = parseArgs({ args, options: { json: { type: 'boolean', default: false }, code: { type: 'string' } }, allowPositionals: true, strict: true });
  if (positionals.length > 1 || (positionals.length === 0 && values.code === undefined)) throw new VerifyUsageError(VERIFY_USAGE);
  const code = values.code === undefined ? null : normaliseVerificationCode(values.code);
  if (values.code !== undefined && code === null) throw new VerifyUsageError(`not a verification code (16 letters and digits, e.g. 7K3M-Q9TX-2F8R-WD4N) / 验证码格式不正确\n${VERIFY_USAGE}`);
  const [file] = positionals as [string?];
  const bytes =
    file === undefined
      ? null
      : await readFile(file).catch((error: NodeJS.ErrnoException) => {
          throw new Error(`${file}: ${error.code === 'ENOENT' ? 'no such file' : error.message}`);
        });
  try {
    const document = code === null ? null : await lookUp(config, code);
    if (code !== null && document === null) throw unknownVerificationCode();
    if (file === undefined || bytes === null) {
      if (values.json) console.log(JSON.stringify(document, null, 2));
      else printDocument(document!);
      return 0;
    }
    const { report, signatures } = await signatureReport(bytes, config);
    if (document === null) {
      if (values.json) console.log(JSON.stringify({ file, ...report, signatures }, null, 2));
      else printSignatures(file, signatures);
      return report.valid ? 0 : 1;
    }
    const { revisionHashes } = signedRevisions(bytes, report);
    const matches = isDocumentOfCode(document, createHash('sha256').update(bytes).digest('hex'), revisionHashes);
    if (values.json) console.log(JSON.stringify({ file, ...report, signatures, byCode: { document, matches } }, null, 2));
    else {
      printSignatures(file, signatures);
      printDocument(document);
      console.log(matches ? `${file} IS the document issued under ${document.code} / 与验证码对应的文书一致` : `${file} is NOT the document issued under ${document.code} / 与验证码对应的文书不一致`);
    }
    return matches ? 0 : 1;
  } catch (error) {
    if (!(error instanceof AppError) || error.code === 'INTERNAL') throw error;
    if (values.json) console.log(JSON.stringify(file === undefined ? error.toBody() : { file, ...error.toBody() }, null, 2));
    else console.error(`refused: ${error.code} — ${error.message}`);
    return 1;
  }
}
