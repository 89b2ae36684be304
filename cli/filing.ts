// `ecourt filing check <filing.json> …`: a dry run of the filing rules (立案审查) over a filing written as
// the API takes it — the decision, the fee with its calculation, and every rule's outcome with its reason,
// legal basis and the fields concerned. Nothing is stored. Exit 0 auto-accepted, 1 any other decision or
// an invalid filing, 2 bad usage (missing file, bad JSON, bad rule set).
import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { AppError } from '../platform/errors.ts';
import { evaluateFiling, type CourtFilingContext, type FilingEvaluation, type PriorFiling, type RuleResult } from '../models/filing-rules/evaluate.ts';
import { courtToday, filingInput } from '../models/filing-rules/filing.ts';
import { DEFAULT_RULE_SET, parseRuleSet, type FilingRuleSet } from '../models/filing-rules/rule-set.ts';
import { isCalendarDate } from '../models/filing-rules/values.ts';
import { formatFee } from './fee.ts';

export class FilingUsageError extends Error {}

export const FILING_USAGE = `usage: ecourt filing check <filing.json> [--json] [--court-region R] [--court-name N] [--court-level basic|intermediate]
                           [--today YYYY-MM-DD] [--rules ruleset.json] [--prior prior-filings.json]
  filing.json: a filing as POST /api/v1/filings takes it
  --court-region: the court's district (default 北京市朝阳区, the demo court)
  --today: the court day to judge by (default: today in China Standard Time)
  --rules: a court's rule set (default: the platform's built-in version 1)
  --prior: earlier filings [{ id, fingerprint, caseNumber, status, submittedAt }] for duplicate detection
  exit 0 auto-accepted, 1 clerk / correction / rejection or invalid filing, 2 bad usage`;

const DECISION_LABELS: Record<FilingEvaluation['decision'], string> = {
  autoAccept: '自动受理 / accepted automatically',
  needsClerk: '转立案人员审查 / to a filing clerk',
  returnForCorrection: '退回补正 / returned for correction',
  reject: '不予受理 / rejected',
};

export async function filing(args: string[]): Promise<number> {
  const [sub, ...rest] = args;
  if (sub !== 'check') throw new FilingUsageError(FILING_USAGE);
  const { values, positionals } = parseArgs({
    args: rest,
    options: {
      json: { type: 'boolean', default: false },
      'court-region': { type: 'string', default: '北京市朝阳区' },
      'court-name': { type: 'string' },
      'court-level': { type: 'string', default: 'basic' },
      today: { type: 'string' },
      rules: { type: 'string' },
      prior: { type: 'string' },
    },
    allowPositionals: true,
    strict: true,
  });
  if (positionals.length !== 1) throw new FilingUsageError(FILING_USAGE);
  const level = values['court-level']!;
  if (level !== 'basic' && level !== 'intermediate') throw new FilingUsageError('--court-level must be basic or intermediate');
  const today = values.today ?? courtToday();
  if (!isCalendarDate(today)) throw new FilingUsageError(`--today must be a date YYYY-MM-DD, not "${today}"`);
  const ruleSet = values.rules ? ruleSetFrom(await readJson(values.rules), values.rules) : DEFAULT_RULE_SET;
  const priorFilings = values.prior ? priorFilingsFrom(await readJson(values.prior), values.prior) : [];

  const parsed = filingInput.safeParse(await readJson(positionals[0]!));
  if (!parsed.success) {
    const issues = parsed.error.issues.map((issue) => ({ path: issue.path.map(String).join('.'), message: issue.message, code: issue.code }));
    if (values.json) console.log(JSON.stringify(new AppError('VALIDATION_FAILED', 'invalid filing / 立案申请内容有误', { issues }).toBody(), null, 2));
    else console.log(['invalid filing / 立案申请内容有误:', ...issues.map((issue) => `  ${issue.path || '(root)'}: ${issue.message}`)].join('\n'));
    return 1;
  }
  const region = values['court-region']!.trim();
  const court: CourtFilingContext = { courtId: parsed.data.courtId, courtName: values['court-name'] ?? `${region}人民法院`, region, level };
  const evaluation = evaluateFiling(parsed.data, { ruleSet, court, today, priorFilings });
  console.log(values.json ? JSON.stringify({ court, today, ...evaluation }, null, 2) : formatEvaluation(evaluation, court, today));
  return evaluation.decision === 'autoAccept' ? 0 : 1;
}

async function readJson(path: string): Promise<unknown> {
  const text = await readFile(path, 'utf8').catch((error: NodeJS.ErrnoException) => {
    throw new FilingUsageError(`${path}: ${error.code === 'ENOENT' ? 'no such file' : error.message}`);
  });
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new FilingUsageError(`${path}: not JSON (${(error as Error).message})`);
  }
}

const priorFilingList = z.array(
  z.object({ id: z.string(), fingerprint: z.string(), caseNumber: z.string().nullable().default(null), status: z.string(), submittedAt: z.string().default('') }),
);
function priorFilingsFrom(json: unknown, path: string): PriorFiling[] {
  const parsed = priorFilingList.safeParse(json);
  if (!parsed.success) throw new FilingUsageError(`${path}: must be a JSON array of { id, fingerprint, caseNumber, status, submittedAt }`);
  return parsed.data;
}

function ruleSetFrom(json: unknown, path: string): FilingRuleSet {
  try {
    return parseRuleSet(json);
  } catch (error) {
    if (error instanceof AppError) throw new FilingUsageError(`${path}: ${error.message}`);
    throw error;
  }
}

const OUTCOME_MARKS: Record<RuleResult['outcome'], string> = { pass: 'pass', fail: 'FAIL', uncertain: '????', notApplicable: ' n/a' };

function formatEvaluation(evaluation: FilingEvaluation, court: CourtFilingContext, today: string): string {
  const lines = [
    `立案审查结果 / decision: ${DECISION_LABELS[evaluation.decision]}`,
    `  法院 / court: ${court.courtName} (${court.region}, ${court.level}); 日期 / court day: ${today}; 规则集 / rule set v${evaluation.ruleSetVersion}`,
    `  程序 / procedure: ${evaluation.procedure}${evaluation.smallClaims ? ' (小额诉讼 / small claims)' : ''}`,
    formatFee(evaluation.fee),
    '规则 / rules:',
  ];
  for (const result of evaluation.trace) {
    const consequence = result.consequence ? ` → ${result.consequence}` : '';
    lines.push(`  [${OUTCOME_MARKS[result.outcome]}] ${result.ruleId}${consequence}${result.fields.length ? ` (${result.fields.join(', ')})` : ''}`);
    if (result.outcome === 'fail' || result.outcome === 'uncertain') {
      lines.push(`         ${result.reason.zh}`, `         ${result.reason.en}`, `         依据 / basis: ${result.legalBasis}`);
    }
  }
  return lines.join('\n');
}
