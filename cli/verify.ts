// `ecourt verify <file.pdf> [--json]`: every signature in a PDF — signer, seal, signing time, chain to
// this node's court CA, revocation, intact or not. Exit 0 all signatures valid, 1 otherwise (or none), 2 bad usage.
import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import type { Config } from '../platform/config.ts';
import { AppError } from '../platform/errors.ts';
import { openCourtCa } from '../documents/ca/open-court-ca.ts';
import { verifyPdf, type TrustAnchors } from '../documents/signing/verify-pdf.ts';

export class VerifyUsageError extends Error {}

export const VERIFY_USAGE = 'usage: ecourt verify <file.pdf> [--json]';

export async function verify(args: string[], config: Config): Promise<number> {
  const { values, positionals } = parseArgs({ args, options: { json: { type: 'boolean', default: false } }, allowPositionals: true, strict: true });
  if (positionals.length !== 1) throw new VerifyUsageError(VERIFY_USAGE);
  const [file] = positionals as [string];
  const bytes = await readFile(file).catch((error: NodeJS.ErrnoException) => {
    throw new Error(`${file}: ${error.code === 'ENOENT' ? 'no such file' : error.message}`);
  });
  // Without a court CA on this node every signature is reported, but none is trusted.
  const authority = openCourtCa(config);
  const anchors: TrustAnchors = authority.initialised ? { roots: [authority.rootCertificate()], crls: [authority.crl()] } : { roots: [], crls: [] };
  const seals = new Map(authority.initialised ? authority.list().certificates.map((entry) => [entry.serial, entry.id]) : []);
  try {
    const report = await verifyPdf(bytes, anchors);
    const signatures = report.signatures.map((signature) => ({ ...signature, seal: signature.signer ? (seals.get(signature.signer.serial) ?? null) : null }));
    if (values.json) console.log(JSON.stringify({ file, ...report, signatures }, null, 2));
    else {
      if (signatures.length === 0) console.log(`${file}: no signatures / 无签名`);
      for (const signature of signatures) {
        const who = signature.signer ? `${signature.signer.commonName ?? '?'}${signature.signer.organization ? ` (${signature.signer.organization})` : ''}` : 'unknown signer';
        console.log(`${signature.field}: ${signature.valid ? 'VALID / 有效' : 'INVALID / 无效'} — ${who}, seal ${signature.seal ?? '-'}, signed ${signature.signingTime ?? '?'}`);
        console.log(`  intact ${signature.intact}, whole document ${signature.coversWholeDocument}, changes after ${signature.changesAfter}, trusted ${signature.trusted}, revoked ${signature.revoked}`);
        for (const problem of signature.problems) console.log(`  - ${problem}`);
      }
    }
    return report.valid ? 0 : 1;
  } catch (error) {
    if (!(error instanceof AppError) || error.code === 'INTERNAL') throw error;
    if (values.json) console.log(JSON.stringify({ file, ...error.toBody() }, null, 2));
    else console.error(`refused: ${error.code} — ${error.message}`);
    return 1;
  }
}
