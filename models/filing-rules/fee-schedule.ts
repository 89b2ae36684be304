// The case acceptance fee (案件受理费) per 《诉讼费用交纳办法》: property cases by cumulative bands of the
// claimed amount (第十三条第一项), halved for the simplified procedure (第十六条) and so for small claims,
// which is a form of the simplified procedure (民事诉讼法第一百六十五条, in its chapter 简易程序).
// Integer arithmetic only (BigInt): yuan strings in, yuan strings out, rounding stated once.
import type { Procedure } from './filing.ts';
import { YUAN_PATTERN } from './values.ts';

export interface FeeStep {
  from: string;
  to: string | null;
  /** A decimal rate such as '0.025', or 'fixed' for the 50-yuan first band / a non-property case. */
  rate: string;
  /** This band's part of the fee in yuan, exact (may carry more than two fraction digits before rounding). */
  amount: string;
}

export interface FeeCalculation {
  claimAmount: string;
  procedure: Procedure;
  steps: FeeStep[];
  /** The full fee, rounded half up to the fen (分). */
  fullFee: string;
  /** What is paid: the full fee, or half of it (rounded half up to the fen) for simplified and small claims. */
  fee: string;
  explanation: { zh: string; en: string };
}

/** 第十三条第一项: upper bound of each band in yuan and its rate in basis points (万分之); null = no upper bound. */
export const PROPERTY_FEE_BANDS: readonly { upTo: bigint | null; basisPoints: bigint }[] = [
  { upTo: 100_000n, basisPoints: 250n },
  { upTo: 200_000n, basisPoints: 200n },
  { upTo: 500_000n, basisPoints: 150n },
  { upTo: 1_000_000n, basisPoints: 100n },
  { upTo: 2_000_000n, basisPoints: 90n },
  { upTo: 5_000_000n, basisPoints: 80n },
  { upTo: 10_000_000n, basisPoints: 70n },
  { upTo: 20_000_000n, basisPoints: 60n },
  { upTo: null, basisPoints: 50n },
];
/** 不超过1万元的，每件交纳50元. */
const FIRST_BAND_LIMIT_FEN = 1_000_000n;
const FIRST_BAND_FEE_FEN = 5_000n;

/** Default fee for a non-property case (第十三条第二项第三目: 其他非财产案件每件交纳50元至100元); a court may set its own. */
export const DEFAULT_NON_PROPERTY_FEE = '100';

export class FeeAmountError extends Error {}

/** '12000.5' → 1200050n fen; throws FeeAmountError on anything but a decimal yuan amount with ≤ 2 fraction digits. */
export function yuanToFen(amount: string): bigint {
  if (!YUAN_PATTERN.test(amount)) throw new FeeAmountError(`金额须为最多两位小数的元金额 / not a decimal yuan amount with at most 2 fraction digits: "${amount}"`);
  const [whole, fraction = ''] = amount.split('.');
  return BigInt(whole!) * 100n + BigInt(fraction.padEnd(2, '0'));
}

/** 1200050n → '12000.50'. */
export function fenToYuan(fen: bigint): string {
  const sign = fen < 0n ? '-' : '';
  const abs = fen < 0n ? -fen : fen;
  return `${sign}${abs / 100n}.${(abs % 100n).toString().padStart(2, '0')}`;
}

// Exact amounts are kept in 1/10000 fen (basis points of a fen), so no band's share is ever rounded.
const SCALE = 10_000n;
function exactToYuan(exact: bigint): string {
  const fen = exact / SCALE;
  const rest = exact % SCALE;
  if (rest === 0n) return fenToYuan(fen);
  return `${fenToYuan(fen)}${rest.toString().padStart(4, '0')}`.replace(/0+$/, '');
}
/** Half up to the fen. */
function roundHalfUp(exact: bigint, divisor: bigint): bigint {
  return (exact * 2n + divisor) / (divisor * 2n);
}

/** Sum of yuan amounts (claims), exact, in fen. */
export function sumFen(amounts: string[]): bigint {
  return amounts.reduce((total, amount) => total + yuanToFen(amount), 0n);
}

const halved = (procedure: Procedure) => procedure === 'simplified' || procedure === 'small-claims';

export function acceptanceFee(claimAmount: string, procedure: Procedure): FeeCalculation {
  return acceptanceFeeInFen(yuanToFen(claimAmount), procedure);
}

/** The same for an amount already in fen (a sum of claims may exceed what one yuan string allows). */
export function acceptanceFeeInFen(claimFen: bigint, procedure: Procedure): FeeCalculation {
  if (claimFen < 0n) throw new FeeAmountError('金额不能为负 / the amount must not be negative');
  const steps: FeeStep[] = [{ from: '0.00', to: fenToYuan(FIRST_BAND_LIMIT_FEN), rate: 'fixed', amount: fenToYuan(FIRST_BAND_FEE_FEN) }];
  let exact = FIRST_BAND_FEE_FEN * SCALE;
  let lowerFen = FIRST_BAND_LIMIT_FEN;
  for (const band of PROPERTY_FEE_BANDS) {
    if (claimFen <= lowerFen) break;
    const upperFen = band.upTo === null ? null : band.upTo * 100n;
    const topFen = upperFen === null || claimFen < upperFen ? claimFen : upperFen;
    const share = (topFen - lowerFen) * band.basisPoints; // fen × bp = 1/10000 fen
    exact += share;
    steps.push({ from: fenToYuan(lowerFen), to: upperFen === null ? null : fenToYuan(upperFen), rate: rateText(band.basisPoints), amount: exactToYuan(share) });
    if (upperFen === null || claimFen <= upperFen) break;
    lowerFen = upperFen;
  }
  const fullFen = roundHalfUp(exact, SCALE);
  const feeFen = halved(procedure) ? roundHalfUp(fullFen, 2n) : fullFen;
  return { claimAmount: fenToYuan(claimFen), procedure, steps, fullFee: fenToYuan(fullFen), fee: fenToYuan(feeFen), explanation: explain(claimFen, steps, fullFen, feeFen, procedure) };
}

/** A case without a claimed amount: a fixed fee per case (第十三条第二项), halved like any other for simplified procedure. */
export function nonPropertyAcceptanceFee(procedure: Procedure, fixedFee: string = DEFAULT_NON_PROPERTY_FEE): FeeCalculation {
  return fixedAcceptanceFee(procedure, '0.00', fixedFee, (fee) => ({
    zh: `非财产案件，按《诉讼费用交纳办法》第十三条第二项每件交纳${fee}元`,
    en: `Non-property case: a fixed ${fee} yuan per case (Measures on Litigation Fees, art. 13(2))`,
  }));
}

/** 第十三条第五项: 劳动争议案件每件交纳10元 — whatever the amount claimed (追索劳动报酬 is a labour dispute). */
export const LABOUR_DISPUTE_FEE = '10';

export function labourDisputeAcceptanceFee(claimFen: bigint | null, procedure: Procedure): FeeCalculation {
  return fixedAcceptanceFee(procedure, fenToYuan(claimFen ?? 0n), LABOUR_DISPUTE_FEE, (fee) => ({
    zh: `劳动争议案件，按《诉讼费用交纳办法》第十三条第五项每件交纳${fee}元，不按诉讼请求金额计算`,
    en: `Labour dispute: a fixed ${fee} yuan per case whatever the amount claimed (Measures on Litigation Fees, art. 13(5))`,
  }));
}

/** How a cause's fee is counted: by the amount (property), per case (labour dispute); no amount → the non-property fee. */
export type FeeCategory = 'property' | 'labourDispute';

export function caseAcceptanceFee(options: { claimFen: bigint | null; procedure: Procedure; category: FeeCategory; nonPropertyFee?: string }): FeeCalculation {
  const { claimFen, procedure, category } = options;
  if (category === 'labourDispute') return labourDisputeAcceptanceFee(claimFen, procedure);
  return claimFen === null ? nonPropertyAcceptanceFee(procedure, options.nonPropertyFee ?? DEFAULT_NON_PROPERTY_FEE) : acceptanceFeeInFen(claimFen, procedure);
}

function fixedAcceptanceFee(procedure: Procedure, claimAmount: string, fixedFee: string, basis: (fee: string) => { zh: string; en: string }): FeeCalculation {
  const fullFen = yuanToFen(fixedFee);
  const feeFen = halved(procedure) ? roundHalfUp(fullFen, 2n) : fullFen;
  const half = halvingText(procedure, feeFen);
  const text = basis(fenToYuan(fullFen));
  return {
    claimAmount,
    procedure,
    steps: [{ from: '0.00', to: null, rate: 'fixed', amount: fenToYuan(fullFen) }],
    fullFee: fenToYuan(fullFen),
    fee: fenToYuan(feeFen),
    explanation: { zh: `${text.zh}${half.zh}。`, en: `${text.en}${half.en}.` },
  };
}

function rateText(basisPoints: bigint): string {
  return `0.${basisPoints.toString().padStart(4, '0')}`.replace(/0+$/, '');
}
function percentText(rate: string): string {
  // '0.025' → '2.5%'
  const [, fraction = ''] = rate.split('.');
  const digits = fraction.padEnd(2, '0');
  const whole = String(Number(digits.slice(0, 2)));
  const rest = digits.slice(2);
  return `${whole}${rest ? `.${rest}` : ''}%`;
}

function halvingText(procedure: Procedure, feeFen: bigint): { zh: string; en: string } {
  if (procedure === 'simplified') return { zh: `；适用简易程序，依第十六条减半交纳${fenToYuan(feeFen)}元（四舍五入到分）`, en: `; simplified procedure: halved under art. 16 to ${fenToYuan(feeFen)} yuan (rounded half up to the fen)` };
  if (procedure === 'small-claims')
    return {
      zh: `；适用小额诉讼程序（属简易程序，民事诉讼法第一百六十五条），依第十六条减半交纳${fenToYuan(feeFen)}元（四舍五入到分）`,
      en: `; small-claims procedure (a form of the simplified procedure, Civil Procedure Law art. 165): halved under art. 16 to ${fenToYuan(feeFen)} yuan (rounded half up to the fen)`,
    };
  return { zh: '；适用普通程序，全额交纳', en: '; ordinary procedure: paid in full' };
}

function explain(claimFen: bigint, steps: FeeStep[], fullFen: bigint, feeFen: bigint, procedure: Procedure): { zh: string; en: string } {
  const parts = steps.map((step) =>
    step.rate === 'fixed'
      ? { zh: `不超过1万元部分50元`, en: `up to 10,000 yuan: 50 yuan` }
      : {
          zh: `${step.from}至${step.to ?? '以上'}元部分按${percentText(step.rate)}计${step.amount}元`,
          en: `${step.from} to ${step.to ?? 'above'}: ${percentText(step.rate)} = ${step.amount} yuan`,
        },
  );
  const half = halvingText(procedure, feeFen);
  return {
    zh: `诉讼请求金额${fenToYuan(claimFen)}元，按《诉讼费用交纳办法》第十三条第一项分段累计：${parts.map((part) => part.zh).join('；')}；合计${fenToYuan(fullFen)}元（四舍五入到分）${half.zh}。`,
    en: `Claim of ${fenToYuan(claimFen)} yuan, cumulative bands of the Measures on Litigation Fees art. 13(1): ${parts.map((part) => part.en).join('; ')}; total ${fenToYuan(fullFen)} yuan (rounded half up to the fen)${half.en}.`,
  };
}
