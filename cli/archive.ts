// `ecourt archive <caseId> [--out dir] [--seal id] [--json]`: writes the case's electronic case file (电子卷宗)
// from the configured database and blob store, sealed with the node's court seal.
// `ecourt archive verify <dir> [--json]`: checks such a folder offline.
// Exit 0 written / valid, 1 refused / invalid, 2 bad usage.
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { blobDirOf, type Config } from '../platform/config.ts';
import { AppError } from '../platform/errors.ts';
import { openCourtCa } from '../documents/ca/open-court-ca.ts';
import { buildCaseFile, writeCaseFile } from '../documents/archive/build-case-file.ts';
import { verifyCaseFile } from '../documents/archive/verify-case-file.ts';

export class ArchiveUsageError extends Error {}

export const ARCHIVE_USAGE = `usage: ecourt archive <caseId> [--out <dir>] [--seal <id>] [--json]
       ecourt archive verify <dir> [--json]
  --out defaults to ./case-file-<caseId>; it must not exist or be empty. --seal defaults to "court".`;

async function build(args: string[], config: Config): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    options: { out: { type: 'string' }, seal: { type: 'string', default: 'court' }, json: { type: 'boolean', default: false } },
    allowPositionals: true,
    strict: true,
  });
  if (positionals.length !== 1) throw new ArchiveUsageError(ARCHIVE_USAGE);
  const [caseId] = positionals as [string];
  const out = resolve(values.out ?? `case-file-${caseId}`);
  const { openDatabase } = await import('../storage/database.ts');
  const { LocalBlobStore } = await import('../storage/blobs/local-blob-store.ts');
  const { SYSTEM_ACTOR } = await import('../storage/audit/write-audit.ts');
  try {
    const authority = openCourtCa(config);
    const signer = authority.signer(values.seal);
    const database = await openDatabase({ databaseUrl: config.DATABASE_URL, dataDir: config.ECOURT_DATA_DIR });
    try {
      const built = await buildCaseFile({ db: database.db, blobs: new LocalBlobStore(blobDirOf(config)), caseId, signer, trust: { root: authority.rootCertificate(), crl: authority.crl() }, actor: SYSTEM_ACTOR });
      await writeCaseFile(out, built);
      const { manifest } = built;
      if (values.json) console.log(JSON.stringify({ out, ...manifest }, null, 2));
      else {
        console.log(`case file written / 电子卷宗已生成: ${out} — ${manifest.items.length} items, ${manifest.totalPages} pages, sealed by ${manifest.bundle.sealedBy}`);
        for (const item of manifest.items) {
          console.log(`  ${item.number}. ${item.title} (${item.kindLabel}, ${item.filedOn}) ${item.pages ? `pages ${item.pages.first}-${item.pages.last}` : `not printable, sha256 ${item.sha256}`}`);
        }
      }
      return 0;
    } finally {
      await database.close();
    }
  } catch (error) {
    if (!(error instanceof AppError) || error.code === 'INTERNAL') throw error;
    if (values.json) console.log(JSON.stringify(error.toBody(), null, 2));
    else console.error(`refused: ${error.code} — ${error.message}`);
    return 1;
  }
}

async function verify(args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({ args, options: { json: { type: 'boolean', default: false } }, allowPositionals: true, strict: true });
  if (positionals.length !== 1) throw new ArchiveUsageError(ARCHIVE_USAGE);
  const [dir] = positionals as [string];
  try {
    const report = await verifyCaseFile(dir);
    if (values.json) console.log(JSON.stringify({ dir, ...report }, null, 2));
    else {
      console.log(`${dir}: ${report.valid ? 'VALID / 有效' : 'INVALID / 无效'} — case ${report.case.caseNumber ?? report.case.id}`);
      const { bundle } = report;
      console.log(`  bundle ${bundle.file}: hash ${bundle.hashOk ? 'ok' : 'FAILED'}, seal ${bundle.signatureValid ? 'valid' : 'INVALID'}, item list ${bundle.itemsDigestOk ? 'ok' : 'FAILED'}, pages ${bundle.pagesOk ? 'ok' : 'FAILED'}`);
      for (const problem of bundle.problems) console.log(`  - ${problem}`);
      for (const item of report.items) console.log(`  ${item.number}. ${item.title}: ${item.ok ? 'ok' : `FAILED — ${item.problem}`}`);
    }
    return report.valid ? 0 : 1;
  } catch (error) {
    if (!(error instanceof AppError) || error.code === 'INTERNAL') throw error;
    if (values.json) console.log(JSON.stringify({ dir, ...error.toBody() }, null, 2));
    else console.error(`refused: ${error.code} — ${error.message}`);
    return 1;
  }
}

export async function archive(args: string[], config: Config): Promise<number> {
  if (args[0] === 'verify') return verify(args.slice(1));
  if (args.length === 0 || args[0] === 'help') throw new ArchiveUsageError(ARCHIVE_USAGE);
  return build(args, config);
}
