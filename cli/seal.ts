// `ecourt seal <in.pdf> --out <out.pdf> [--seal <id>] --mode fixed|keyword|cross-page …`: applies a court
// seal (or a judge's signature) as a PAdES signature in an incremental update, so earlier signatures stay valid.
// Exit 0 sealed, 1 refused (encrypted/malformed PDF, revoked certificate, bad position, keyword not found), 2 bad usage.
import { readFile, rename, writeFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import type { Config } from '../platform/config.ts';
import { AppError } from '../platform/errors.ts';
import { openCourtCa } from '../documents/ca/open-court-ca.ts';
import { applySeal, KEYWORD_OCCURRENCES, SEAL_MODES, type KeywordOccurrence, type SealPlacement } from '../documents/seal/apply-seal.ts';
import { SUBFILTERS, type SubFilter } from '../documents/signing/incremental-signature.ts';
import { timestamperFromConfig } from '../documents/tsa/timestamper.ts';

export class SealUsageError extends Error {}

export const SEAL_USAGE = `usage: ecourt seal <in.pdf> --out <out.pdf> [--seal <id>] [--size PT] [--reason TEXT] [--sub-filter ${SUBFILTERS.join('|')}] [--json]
         --mode fixed --page N --x X --y Y
       | --mode keyword --keyword TEXT [--occurrence ${KEYWORD_OCCURRENCES.join('|')}]
       | --mode cross-page [--top PT]
  fixed: x, y = the seal's lower-left corner in PDF points from the page's lower-left corner
  keyword: the seal centred over the last (or every: one signature each) occurrence of TEXT in the text layer
  cross-page (骑缝章): the seal cut into strips at the right edge of every page, one signature; --top = the
    seal's upper edge in points from the top of the page (default: centred)
  --seal defaults to "court"`;

export async function seal(args: string[], config: Config): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    options: {
      out: { type: 'string' },
      seal: { type: 'string', default: 'court' },
      mode: { type: 'string', default: 'fixed' },
      page: { type: 'string' },
      x: { type: 'string' },
      y: { type: 'string' },
      size: { type: 'string' },
      reason: { type: 'string' },
      keyword: { type: 'string' },
      occurrence: { type: 'string' },
      top: { type: 'string' },
      'sub-filter': { type: 'string' },
      json: { type: 'boolean', default: false },
    },
    allowPositionals: true,
    strict: true,
  });
  if (positionals.length !== 1 || !values.out) throw new SealUsageError(SEAL_USAGE);
  if (!(SEAL_MODES as readonly string[]).includes(values.mode)) throw new SealUsageError(`--mode must be one of ${SEAL_MODES.join(', ')}\n${SEAL_USAGE}`);
  const placement = placementFrom(values);
  const subFilter = values['sub-filter'];
  if (subFilter !== undefined && !(SUBFILTERS as readonly string[]).includes(subFilter)) throw new SealUsageError(`--sub-filter must be one of ${SUBFILTERS.join(', ')}`);
  const [input] = positionals as [string];
  const pdf = await readFile(input).catch((error: NodeJS.ErrnoException) => {
    throw new Error(`${input}: ${error.code === 'ENOENT' ? 'no such file' : error.message}`);
  });
  try {
    const signer = openCourtCa(config).signer(values.seal);
    const sealed = await applySeal({
      pdf,
      signer,
      placement,
      reason: values.reason,
      subFilter: subFilter as SubFilter | undefined,
      timestamper: timestamperFromConfig(config.ECOURT_TSA, openCourtCa(config)),
    });
    // Written beside the target and renamed, so a failed write never leaves half a document.
    const temporary = `${values.out}.${process.pid}.tmp`;
    await writeFile(temporary, sealed.bytes);
    await rename(temporary, values.out);
    const fields = sealed.placed.map((placed) => placed.field);
    const outcome = {
      out: values.out,
      seal: values.seal,
      mode: placement.mode,
      field: sealed.fieldName,
      fields,
      placed: sealed.placed,
      ...(sealed.strips ? { strips: sealed.strips.length } : {}),
      signingTime: sealed.signingTime.toISOString(),
      byteRange: sealed.byteRange,
      bytes: sealed.bytes.length,
    };
    console.log(values.json ? JSON.stringify(outcome, null, 2) : `sealed / 已签章: ${values.out} (${placement.mode}, ${fields.join(', ')}, seal ${values.seal}, ${outcome.signingTime})`);
    return 0;
  } catch (error) {
    if (!(error instanceof AppError) || error.code === 'INTERNAL') throw error;
    if (values.json) console.log(JSON.stringify(error.toBody(), null, 2));
    else console.error(`refused: ${error.code} — ${error.message}`);
    return 1;
  }
}

function placementFrom(values: { mode: string; page?: string; x?: string; y?: string; size?: string; keyword?: string; occurrence?: string; top?: string }): SealPlacement {
  const size = values.size === undefined ? {} : { size: Number(values.size) };
  const unused = (names: (keyof typeof values)[]) => {
    const given = names.filter((name) => values[name] !== undefined);
    if (given.length > 0) throw new SealUsageError(`--mode ${values.mode} does not take ${given.map((name) => `--${name}`).join(', ')}\n${SEAL_USAGE}`);
  };
  switch (values.mode) {
    case 'keyword':
      unused(['page', 'x', 'y', 'top']);
      if (values.keyword === undefined || values.keyword.trim() === '') throw new SealUsageError(`--mode keyword needs --keyword TEXT\n${SEAL_USAGE}`);
      if (values.occurrence !== undefined && !(KEYWORD_OCCURRENCES as readonly string[]).includes(values.occurrence)) throw new SealUsageError(`--occurrence must be one of ${KEYWORD_OCCURRENCES.join(', ')}`);
      return { mode: 'keyword', keyword: values.keyword, occurrence: (values.occurrence ?? 'last') as KeywordOccurrence, ...size };
    case 'cross-page':
      unused(['page', 'x', 'y', 'keyword', 'occurrence']);
      return { mode: 'cross-page', ...(values.top === undefined ? {} : { top: Number(values.top) }), ...size };
    default:
      unused(['keyword', 'occurrence', 'top']);
      if (values.page === undefined || values.x === undefined || values.y === undefined) throw new SealUsageError(`--mode fixed needs --page, --x and --y\n${SEAL_USAGE}`);
      return { mode: 'fixed', page: Number(values.page), x: Number(values.x), y: Number(values.y), ...size };
  }
}
