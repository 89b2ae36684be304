// `ecourt fee <amount> [--procedure ordinary|simplified|small-claims] [--json]`: the case acceptance fee
// (案件受理费) for a claimed amount per 《诉讼费用交纳办法》, with the band-by-band calculation in
// Chinese and English. Exit 0 printed, 2 bad amount or usage.
import { parseArgs } from 'node:util';
import { acceptanceFee, FeeAmountError, type FeeCalculation } from '../models/filing-rules/fee-schedule.ts';
import { PROCEDURES, type Procedure } from '../models/filing-rules/filing.ts';

export class FeeUsageError extends Error {}

export const FEE_USAGE = `usage: ecourt fee <amount> [--procedure ${PROCEDURES.join('|')}] [--json]
  amount: the claimed amount in yuan, a decimal with at most 2 fraction digits (e.g. 123456.78)`;

export function fee(args: string[]): number {
  const { values, positionals } = parseArgs({
    args,
    options: { procedure: { type: 'string', default: 'ordinary' }, json: { type: 'boolean', default: false } },
    allowPositionals: true,
    strict: true,
  });
  if (positionals.length !== 1) throw new FeeUsageError(FEE_USAGE);
  const procedure = values.procedure!;
  if (!(PROCEDURES as readonly string[]).includes(procedure)) throw new FeeUsageError(`--procedure must be one of ${PROCEDURES.join(', ')}`);
  let calculation: FeeCalculation;
  try {
    calculation = acceptanceFee(positionals[0]!.replace(/,/g, ''), procedure as Procedure);
  } catch (error) {
    if (error instanceof FeeAmountError) throw new FeeUsageError(`${error.message}\n${FEE_USAGE}`);
    throw error;
  }
  console.log(values.json ? JSON.stringify(calculation, null, 2) : formatFee(calculation));
  return 0;
}

const PROCEDURE_LABELS: Record<Procedure, string> = {
  ordinary: '普通程序 / ordinary procedure',
  simplified: '简易程序 / simplified procedure',
  'small-claims': '小额诉讼程序 / small-claims procedure',
};

/** The calculation as a table, then the explanation in both languages (also used by `ecourt filing check`). */
export function formatFee(calculation: FeeCalculation): string {
  const rows = calculation.steps.map((step) => [
    `${step.from} – ${step.to ?? '∞'}`,
    step.rate === 'fixed' ? '固定 / fixed' : `${trimNumber(Number(step.rate) * 100)}%`,
    step.amount,
  ]);
  const header = ['分段 / band (元 yuan)', '费率 / rate', '金额 / amount'];
  const widths = header.map((title, column) => Math.max(displayWidth(title), ...rows.map((row) => displayWidth(row[column]!))));
  const line = (cells: string[]) => `  ${cells.map((cell, column) => (column === 2 ? ' '.repeat(Math.max(0, widths[2]! - displayWidth(cell))) + cell : pad(cell, widths[column]!))).join('  ')}`;
  return [
    `案件受理费 / acceptance fee: ${calculation.fee} 元 yuan`,
    `  诉讼请求金额 / claimed: ${calculation.claimAmount} 元 — ${PROCEDURE_LABELS[calculation.procedure]}`,
    line(header),
    ...rows.map(line),
    `  全额 / full fee: ${calculation.fullFee}${calculation.fee === calculation.fullFee ? '' : `, 减半后 / halved: ${calculation.fee}`}`,
    `  ${calculation.explanation.zh}`,
    `  ${calculation.explanation.en}`,
  ].join('\n');
}

// Rates are at most four decimal places, so a display rounding cannot hide anything.
function trimNumber(value: number): string {
  return String(Number(value.toFixed(4)));
}

/** CJK characters take two columns in a terminal. */
function displayWidth(text: string): number {
  let width = 0;
  for (const char of text) width += /[\u1100-\u115f\u2e80-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6]/.test(char) ? 2 : 1;
  return width;
}
function pad(text: string, width: number): string {
  return text + ' '.repeat(Math.max(0, width - displayWidth(text)));
}
