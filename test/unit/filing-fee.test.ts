// The acceptance fee (诉讼费用交纳办法第十三条、第十六条): every band's boundaries to the fen, half-up rounding,
// halving for simplified and small-claims procedure, the non-property fee, and bad amounts refused.
import { describe, expect, it } from 'vitest';
import { acceptanceFee, caseAcceptanceFee, FeeAmountError, nonPropertyAcceptanceFee, yuanToFen } from '../../models/filing-rules/fee-schedule.ts';

// The quick-reckoner formulas courts print (速算公式): fee = amount × rate + constant within each band, in fen × 10000.
const QUICK: [upTo: bigint | null, basisPoints: bigint, constantYuan: bigint][] = [
  [100_000n, 250n, -200n],
  [200_000n, 200n, 300n],
  [500_000n, 150n, 1_300n],
  [1_000_000n, 100n, 3_800n],
  [2_000_000n, 90n, 4_800n],
  [5_000_000n, 80n, 6_800n],
  [10_000_000n, 70n, 11_800n],
  [20_000_000n, 60n, 21_800n],
  [null, 50n, 41_800n],
];
function quickReckoner(amount: string): string {
  const fen = yuanToFen(amount);
  if (fen <= 1_000_000n) return '50.00';
  const [, basisPoints, constant] = QUICK.find(([upTo]) => upTo === null || fen <= upTo * 100n)!;
  const exact = fen * basisPoints + constant * 100n * 10_000n;
  const rounded = (exact * 2n + 10_000n) / 20_000n;
  return `${rounded / 100n}.${String(rounded % 100n).padStart(2, '0')}`;
}

describe('acceptance fee by bands (第十三条第一项)', () => {
  it.each([
    // amount, full fee, rate of the last band used
    ['0', '50.00', 'fixed'],
    ['1', '50.00', 'fixed'],
    ['10000', '50.00', 'fixed'],
    ['10000.01', '50.00', '0.025'],
    ['10001', '50.03', '0.025'], // 50.025 rounds half up
    ['100000', '2300.00', '0.025'],
    ['100000.01', '2300.00', '0.02'],
    ['100001', '2300.02', '0.02'],
    ['200000', '4300.00', '0.02'],
    ['200000.01', '4300.00', '0.015'],
    ['200001', '4300.02', '0.015'], // 4300.015
    ['500000', '8800.00', '0.015'],
    ['500000.01', '8800.00', '0.01'],
    ['500001', '8800.01', '0.01'],
    ['1000000', '13800.00', '0.01'],
    ['1000000.01', '13800.00', '0.009'],
    ['1000001', '13800.01', '0.009'], // 13800.009
    ['2000000', '22800.00', '0.009'],
    ['2000000.01', '22800.00', '0.008'],
    ['5000000', '46800.00', '0.008'],
    ['5000000.01', '46800.00', '0.007'],
    ['10000000', '81800.00', '0.007'],
    ['10000000.01', '81800.00', '0.006'],
    ['20000000', '141800.00', '0.006'],
    ['20000000.01', '141800.00', '0.005'],
    ['20000001', '141800.01', '0.005'], // 141800.005 rounds half up
    ['123456.78', '2769.14', '0.02'],
    ['99999999999999.99', '500000041800.00', '0.005'], // 500000041799.99995
  ])('%s yuan → %s yuan in full', (amount, fullFee, lastRate) => {
    const calculation = acceptanceFee(amount, 'ordinary');
    expect(calculation.fullFee).toBe(fullFee);
    expect(calculation.fee).toBe(fullFee);
    expect(calculation.steps.at(-1)!.rate).toBe(lastRate);
    expect(quickReckoner(amount)).toBe(fullFee);
  });

  it('agrees with the quick-reckoner formulas on amounts across every band', () => {
    let seed = 7;
    const next = () => (seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648);
    for (let index = 0; index < 2000; index++) {
      const fen = BigInt(next()) * BigInt(next() % 2000);
      const amount = `${fen / 100n}.${String(fen % 100n).padStart(2, '0')}`;
      expect(acceptanceFee(amount, 'ordinary').fullFee, amount).toBe(quickReckoner(amount));
    }
  });

  it('shows each band with its exact share and explains the sum in Chinese and English', () => {
    const calculation = acceptanceFee('123456.78', 'ordinary');
    expect(calculation.steps).toEqual([
      { from: '0.00', to: '10000.00', rate: 'fixed', amount: '50.00' },
      { from: '10000.00', to: '100000.00', rate: '0.025', amount: '2250.00' },
      { from: '100000.00', to: '200000.00', rate: '0.02', amount: '469.1356' },
    ]);
    expect(calculation.explanation.zh).toContain('第十三条第一项');
    expect(calculation.explanation.zh).toContain('合计2769.14元（四舍五入到分）');
    expect(calculation.explanation.en).toContain('total 2769.14 yuan (rounded half up to the fen)');
    expect(acceptanceFee('20000000.01', 'ordinary').steps.at(-1)).toEqual({ from: '20000000.00', to: null, rate: '0.005', amount: '0.00005' });
  });
});

describe('halving (第十六条) and the non-property fee (第十三条第二项)', () => {
  it('halves the full fee for simplified and small-claims procedure, half up to the fen', () => {
    expect(acceptanceFee('123456.78', 'simplified')).toMatchObject({ fullFee: '2769.14', fee: '1384.57' });
    expect(acceptanceFee('10001', 'simplified')).toMatchObject({ fullFee: '50.03', fee: '25.02' });
    const smallClaims = acceptanceFee('18650.32', 'small-claims');
    expect(smallClaims).toMatchObject({ fullFee: '266.26', fee: '133.13', procedure: 'small-claims' });
    expect(smallClaims.explanation.zh).toContain('小额诉讼程序（属简易程序，民事诉讼法第一百六十五条），依第十六条减半交纳133.13元');
    expect(acceptanceFee('5000', 'small-claims').fee).toBe('25.00');
  });

  it('charges a fixed fee per non-property case, 100 yuan unless the court sets another', () => {
    expect(nonPropertyAcceptanceFee('ordinary')).toMatchObject({ fullFee: '100.00', fee: '100.00', claimAmount: '0.00' });
    expect(nonPropertyAcceptanceFee('simplified', '50')).toMatchObject({ fullFee: '50.00', fee: '25.00' });
    expect(nonPropertyAcceptanceFee('ordinary').explanation.zh).toContain('第十三条第二项');
  });

  it('refuses amounts that are not decimal yuan with at most two fraction digits', () => {
    for (const amount of ['12.345', '-5', '1e5', '', ' 100', '0x10', '01', '1,000', '100000000000000']) {
      expect(() => acceptanceFee(amount, 'ordinary'), amount).toThrow(FeeAmountError);
    }
  });
});

describe('labour disputes (第十三条第五项)', () => {
  it('pay 10 yuan per case whatever the amount, halved for the simplified procedure', () => {
    const ordinary = caseAcceptanceFee({ claimFen: yuanToFen('20001.00'), procedure: 'ordinary', category: 'labourDispute' });
    expect(ordinary.fee).toBe('10.00');
    expect(ordinary.claimAmount).toBe('20001.00');
    expect(ordinary.explanation.zh).toContain('第十三条第五项');
    expect(caseAcceptanceFee({ claimFen: yuanToFen('5000000.00'), procedure: 'simplified', category: 'labourDispute' }).fee).toBe('5.00');
    expect(caseAcceptanceFee({ claimFen: null, procedure: 'ordinary', category: 'labourDispute' }).fee).toBe('10.00');
  });

  it('leave property causes to the bands and the non-property fee', () => {
    expect(caseAcceptanceFee({ claimFen: yuanToFen('20001.00'), procedure: 'ordinary', category: 'property' }).fee).toBe('300.03');
    expect(caseAcceptanceFee({ claimFen: null, procedure: 'ordinary', category: 'property', nonPropertyFee: '50' }).fee).toBe('50.00');
  });
});
