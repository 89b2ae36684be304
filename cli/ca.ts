// `ecourt ca init|issue|revoke|list|root`: the court's own certificate authority for seals and signatures.
// Exit 0 done, 1 refused (exists already, unknown id, invalid fields), 2 bad usage.
// `--user` binds a judge's signature certificate to the judge's account (checked in the database), so
// that only that account applies it through the API.
import { parseArgs } from 'node:util';
import type { Config } from '../platform/config.ts';
import { AppError } from '../platform/errors.ts';
import { CERTIFICATE_KINDS, type CertificateEntry, type CertificateKind } from '../documents/ca/court-ca.ts';
import { openCourtCa } from '../documents/ca/open-court-ca.ts';
import { signatureAccountOf, type SignatureAccount } from '../documents/ca/signature-holder.ts';
import { SIGNATURE_PROFILES, toPem, type SignatureProfile } from '../documents/ca/x509.ts';

export class CaUsageError extends Error {}

export const CA_USAGE = `usage:
  ecourt ca init --court <court name> --code <court code> [--json]
  ecourt ca issue <id> --kind ${CERTIFICATE_KINDS.join('|')} --name <name> [--department <department>] [--days N] [--profile p256|sm2] [--json]
  ecourt ca issue <id> --kind person --user <userId|username> [--name <name>] …   a judge's signature, bound to the judge's account
  ecourt ca bind <id> --user <userId|username> [--json]   bind an unbound person certificate to its judge's account
  ecourt ca revoke <id> [--reason <text>] [--json]
  ecourt ca list [--json]
  ecourt ca root [--crl]                  print the root certificate (or the CRL) as PEM`;

const options = {
  json: { type: 'boolean', default: false },
  court: { type: 'string' },
  code: { type: 'string' },
  kind: { type: 'string' },
  name: { type: 'string' },
  department: { type: 'string' },
  days: { type: 'string' },
  profile: { type: 'string' },
  reason: { type: 'string' },
  user: { type: 'string' },
  crl: { type: 'boolean', default: false },
} as const;

export async function ca(args: string[], config: Config): Promise<number> {
  const [subcommand, ...rest] = args;
  const { values, positionals } = parseArgs({ args: rest, options, allowPositionals: true, strict: true });
  const authority = openCourtCa(config);
  try {
    switch (subcommand) {
      case 'init': {
        if (!values.court || !values.code || positionals.length > 0) throw new CaUsageError(CA_USAGE);
        const root = authority.init({ court: values.court, courtCode: values.code });
        return print(values.json, { dir: authority.dir, root }, `Court CA created in ${authority.dir} / 法院CA已创建: ${root.name}, serial ${root.serial}`);
      }
      case 'issue': {
        if (positionals.length !== 1 || !values.kind || (!values.name && values.user === undefined)) throw new CaUsageError(CA_USAGE);
        if (!(CERTIFICATE_KINDS as readonly string[]).includes(values.kind)) throw new CaUsageError(`--kind must be one of ${CERTIFICATE_KINDS.join(', ')}`);
        if (values.user !== undefined && values.kind !== 'person') throw new CaUsageError('--user is for --kind person only (a judge\'s signature)');
        const days = values.days === undefined ? undefined : Number(values.days);
        if (values.profile !== undefined && !(SIGNATURE_PROFILES as readonly string[]).includes(values.profile)) throw new CaUsageError(`--profile must be one of ${SIGNATURE_PROFILES.join(', ')}`);
        const profile = values.profile as SignatureProfile | undefined;
        const account = values.user === undefined ? undefined : await accountOf(config, values.user);
        const name = values.name ?? account!.displayName;
        const entry = authority.issue({ id: positionals[0]!, kind: values.kind as CertificateKind, name, department: values.department, days, ...(profile ? { profile } : {}), ...(account ? { holder: account.holder } : {}) });
        // An unbound signature is for the CLI's own signing; through the API only the rule for old certificates lets a judge use it.
        if (entry.kind === 'person' && !entry.holder && !values.json) console.error('note: not bound to an account (--user); through the API only a judge whose account name is exactly the certificate\'s may apply it');
        return print(values.json, entry, `issued / 已签发: ${describe(entry)}`);
      }
      case 'bind': {
        if (positionals.length !== 1 || values.user === undefined) throw new CaUsageError(CA_USAGE);
        const account = await accountOf(config, values.user);
        const entry = authority.bind(positionals[0]!, account.holder);
        return print(values.json, entry, `bound / 已绑定: ${describe(entry)}`);
      }
      case 'revoke': {
        if (positionals.length !== 1) throw new CaUsageError(CA_USAGE);
        const entry = authority.revoke(positionals[0]!, values.reason);
        return print(values.json, entry, `revoked / 已吊销: ${describe(entry)}`);
      }
      case 'list': {
        const listing = authority.list();
        const lines = [`${listing.court} (${listing.courtCode}) — root serial ${listing.root.serial}, valid to ${listing.root.notAfter}`, ...listing.certificates.map(describe)];
        return print(values.json, listing, lines.join('\n'));
      }
      case 'root': {
        process.stdout.write(values.crl ? toPem('X509 CRL', authority.crl()) : toPem('CERTIFICATE', authority.rootCertificate()));
        return 0;
      }
      case 'help':
        console.log(CA_USAGE);
        return 0;
      default:
        throw new CaUsageError(CA_USAGE);
    }
  } catch (error) {
    if (!(error instanceof AppError) || error.code === 'INTERNAL') throw error;
    if (values.json) console.log(JSON.stringify(error.toBody(), null, 2));
    else console.error(`refused: ${error.code} — ${error.message}`);
    return 1;
  }
}

function describe(entry: CertificateEntry): string {
  const state = entry.revokedAt ? `REVOKED ${entry.revokedAt}` : `valid to ${entry.notAfter}`;
  const holder = entry.kind !== 'person' ? '' : entry.holder ? `\tholder ${entry.holder.username} (${entry.holder.userId})` : '\tholder none (unbound)';
  return `${entry.id}\t${entry.kind}\t${entry.name}${entry.department ? ` (${entry.department})` : ''}\tserial ${entry.serial}\t${state}${holder}`;
}

/** The judge's account, checked in the node's database (opened for this look-up only). */
async function accountOf(config: Config, user: string): Promise<SignatureAccount> {
  const { openDatabase } = await import('../storage/database.ts');
  const database = await openDatabase({ databaseUrl: config.DATABASE_URL, dataDir: config.ECOURT_DATA_DIR });
  try {
    return await signatureAccountOf({ db: database.db, user });
  } finally {
    await database.close();
  }
}

function print(json: boolean, value: unknown, line: string): number {
  console.log(json ? JSON.stringify(value, null, 2) : line);
  return 0;
}
