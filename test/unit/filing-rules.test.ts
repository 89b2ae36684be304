// The filing rule engine (立案审查): a table of filings per cause with the expected decision, fee and failed
// rules; fee bands and the small-claims threshold through a whole evaluation; limitation edge dates;
// jurisdiction by each basis; duplicate detection; rule sets as data; and the time one evaluation takes.
import { describe, expect, it } from 'vitest';
import { CAUSE_IDS, CAUSES, type CauseId } from '../../models/filing-rules/causes.ts';
import { AUTO_ACCEPT_RULE_ID, evaluateFiling, filingFingerprint, limitationLastDay, type CourtFilingContext, type FilingEvaluation, type PriorFiling } from '../../models/filing-rules/evaluate.ts';
import { filingInput, type FilingInput } from '../../models/filing-rules/filing.ts';
import { DEFAULT_RULE_SET, parseRuleSet, type FilingRuleSet } from '../../models/filing-rules/rule-set.ts';
import { SAMPLE_COURT, SAMPLE_FILINGS, SAMPLE_TODAY, sampleFiling } from '../../models/filing-rules/samples.ts';
import { checkResidentIdNumber } from '../../platform/identity/resident-id.ts';
import { checkUnifiedSocialCreditCode } from '../../hub/filings/checks/unified-social-credit-code.ts';

const POA_ID = '00000000-0000-4000-8000-000000000199';

function variant(cause: CauseId, change: (filing: FilingInput) => void = () => {}): FilingInput {
  const filing = sampleFiling(cause);
  change(filing);
  return filing;
}

function evaluate(filing: FilingInput, options: { today?: string; court?: Partial<CourtFilingContext>; ruleSet?: FilingRuleSet; priorFilings?: PriorFiling[] } = {}): FilingEvaluation {
  return evaluateFiling(filing, {
    ruleSet: options.ruleSet ?? DEFAULT_RULE_SET,
    court: { ...SAMPLE_COURT, ...options.court },
    today: options.today ?? SAMPLE_TODAY,
    priorFilings: options.priorFilings ?? [],
  });
}

/** Rules that did not pass: failed, or uncertain (to the clerk). */
const flagged = (evaluation: FilingEvaluation) => evaluation.trace.filter((result) => result.outcome === 'fail' || result.outcome === 'uncertain').map((result) => result.ruleId);
const resultOf = (evaluation: FilingEvaluation, ruleId: string) => evaluation.trace.find((result) => result.ruleId === ruleId)!;

describe('sample filings', () => {
  it('are valid input, one for each of the eight causes', () => {
    expect(Object.keys(SAMPLE_FILINGS).sort()).toEqual([...CAUSE_IDS].sort());
    for (const cause of CAUSE_IDS) expect(filingInput.safeParse(SAMPLE_FILINGS[cause]).success, cause).toBe(true);
  });

  it('carry ID numbers and credit codes that pass their check characters (so third-party checks pass too)', () => {
    for (const cause of CAUSE_IDS) {
      for (const party of [...SAMPLE_FILINGS[cause].plaintiffs, ...SAMPLE_FILINGS[cause].defendants]) {
        if (party.kind === 'person') expect(checkResidentIdNumber(party.idNumber!, SAMPLE_TODAY).reasons, party.name).toEqual([]);
        else expect(checkUnifiedSocialCreditCode(party.idNumber!).refusals, party.name).toEqual([]);
      }
    }
  });
});

describe('a table of filings per cause', () => {
  type Row = [name: string, filing: FilingInput, decision: FilingEvaluation['decision'], fee: string, flaggedRules: string[], fields?: string[]];
  const rows: Row[] = [
    // clean filings
    ['credit card, small claims', variant('creditCard'), 'autoAccept', '133.13', []],
    ['private lending, simplified asked for', variant('privateLending'), 'autoAccept', '940.00', []],
    ['financial loan, agreed court', variant('financialLoan'), 'autoAccept', '6640.00', []],
    ['sales contract, place of performance', variant('salesContract'), 'autoAccept', '2700.00', []],
    ['lease, small claims', variant('lease'), 'autoAccept', '200.00', []],
    ['labour remuneration, not on the auto-accept list', variant('labourRemuneration'), 'needsClerk', '5.00', [AUTO_ACCEPT_RULE_ID]],
    ['traffic accident, not on the auto-accept list', variant('trafficAccident'), 'needsClerk', '1425.00', [AUTO_ACCEPT_RULE_ID]],
    ['online shopping, small claims', variant('onlineShopping'), 'autoAccept', '49.95', []],
    // defective filings
    ['credit card without the card agreement', variant('creditCard', (f) => (f.materials = f.materials.filter((m) => m.type !== 'contract'))), 'returnForCorrection', '133.13', ['materials'], ['materials']],
    ['credit card without the complaint', variant('creditCard', (f) => (f.materials = f.materials.filter((m) => m.type !== 'complaint'))), 'returnForCorrection', '133.13', ['materials'], ['materials']],
    ['credit card with no evidence listed', variant('creditCard', (f) => (f.evidence = [])), 'returnForCorrection', '133.13', ['evidence'], ['evidence']],
    ['credit card with an amountless claim only', variant('creditCard', (f) => (f.claims = [{ text: '判令被告还款' }])), 'returnForCorrection', '100.00', ['claims'], ['claims.0.amount']],
    ['private lending without the principal', variant('privateLending', (f) => delete f.causeFacts.principal), 'returnForCorrection', '940.00', ['causeFacts'], ['causeFacts.principal']],
    ['private lending with one-line facts', variant('privateLending', (f) => (f.facts = '借钱不还')), 'returnForCorrection', '940.00', ['facts'], ['facts']],
    ['private lending, plaintiff without ID number', variant('privateLending', (f) => delete f.plaintiffs[0]!.idNumber), 'returnForCorrection', '940.00', ['parties'], ['plaintiffs.0.idNumber']],
    ['financial loan above the basic-court limit', variant('financialLoan', (f) => (f.claims = [{ text: '判令被告偿还借款600000000元', amount: '600000000' }])), 'reject', '3041800.00', ['level'], ['claims']],
    ['sales contract resting on the place of a tort', variant('salesContract', (f) => (f.jurisdiction.basis = 'placeOfTort')), 'returnForCorrection', '2700.00', ['territorial'], ['jurisdiction.basis']],
    ['lease filed at the defendant domicile (exclusive jurisdiction)', variant('lease', (f) => (f.jurisdiction.basis = 'defendantDomicile')), 'needsClerk', '200.00', ['territorial'], ['jurisdiction.basis']],
    ['labour remuneration without arbitration', variant('labourRemuneration', (f) => (f.causeFacts.arbitration = 'none')), 'reject', '5.00', ['arbitration', AUTO_ACCEPT_RULE_ID], ['causeFacts.arbitration']],
    ['traffic accident elsewhere than the place named', variant('trafficAccident', (f) => (f.causeFacts.accidentPlace = '北京市海淀区中关村大街')), 'returnForCorrection', '1425.00', ['territorial', AUTO_ACCEPT_RULE_ID], ['jurisdiction.place', 'causeFacts.accidentPlace']],
    ['online shopping by a lawyer without a power of attorney', variant('onlineShopping', (f) => (f.agent = { userId: '00000000-0000-4000-8000-000000000777', name: '周律师', licenceNumber: '11101201510123456', powerOfAttorneyMaterialId: POA_ID })), 'returnForCorrection', '49.95', ['powerOfAttorney'], ['agent.powerOfAttorneyMaterialId']],
    [
      'online shopping by a lawyer with the power of attorney',
      variant('onlineShopping', (f) => {
        f.agent = { userId: '00000000-0000-4000-8000-000000000777', name: '周律师', licenceNumber: '11101201510123456', powerOfAttorneyMaterialId: POA_ID };
        f.materials.push({ id: POA_ID, type: 'powerOfAttorney', name: '授权委托书.pdf', pages: 1, mimeType: 'application/pdf' });
      }),
      'autoAccept',
      '49.95',
      [],
    ],
  ];

  const table = rows.map(([name, filing, decision, fee, flaggedRules, fields]) => ({ name, filing, decision, fee, flaggedRules, fields }));
  it.each(table)('$name → $decision, fee $fee', ({ filing, decision, fee, flaggedRules, fields }) => {
    expect(filingInput.safeParse(filing).success).toBe(true);
    const evaluation = evaluate(filing);
    expect(flagged(evaluation)).toEqual(flaggedRules);
    expect(evaluation.decision).toBe(decision);
    expect(evaluation.fee.fee).toBe(fee);
    expect(evaluation.ruleSetVersion).toBe(1);
    for (const result of evaluation.trace) {
      // Every rule result says why in both languages and on what legal basis; only non-passing ones carry a consequence.
      expect(result.reason.zh.length).toBeGreaterThan(0);
      expect(result.reason.en.length).toBeGreaterThan(0);
      expect(result.legalBasis.length).toBeGreaterThan(0);
      expect(result.consequence === null).toBe(result.outcome === 'pass' || result.outcome === 'notApplicable');
      // Every refusal names the field to fix.
      if (result.outcome === 'fail' || result.outcome === 'uncertain') expect(result.fields.length, result.ruleId).toBeGreaterThan(0);
    }
    if (fields) expect(evaluation.trace.filter((result) => flaggedRules.includes(result.ruleId)).flatMap((result) => result.fields)).toEqual(expect.arrayContaining(fields));
  });

  it('asks every cause its own questions and only those', () => {
    for (const cause of CAUSE_IDS) {
      const filing = variant(cause, (f) => (f.causeFacts = {}));
      const result = resultOf(evaluate(filing), 'causeFacts');
      const required = CAUSES[cause].questions.filter((question) => question.required).map((question) => `causeFacts.${question.id}`);
      expect(result.fields, cause).toEqual(required);
      expect(required.length).toBeGreaterThanOrEqual(3);
    }
  });
});

describe('fee bands and the small-claims threshold through an evaluation', () => {
  const withAmount = (amount: string, procedure?: FilingInput['procedure']) =>
    variant('financialLoan', (f) => {
      f.claims = [{ text: '判令被告偿还借款本息', amount }];
      if (procedure) f.procedure = procedure;
      else delete f.procedure;
    });

  it.each([
    // amount, procedure decided, fee paid
    ['10000', 'small-claims', '25.00'],
    ['10000.01', 'small-claims', '25.00'],
    ['50000', 'small-claims', '525.00'], // the small-claims limit itself is small claims: 1050 halved
    ['50000.01', 'ordinary', '1050.00'],
    ['100000', 'ordinary', '2300.00'],
    ['100000.01', 'ordinary', '2300.00'],
    ['200000', 'ordinary', '4300.00'],
    ['200000.01', 'ordinary', '4300.00'],
    ['500000', 'ordinary', '8800.00'],
    ['500000.01', 'ordinary', '8800.00'],
    ['1000000', 'ordinary', '13800.00'],
    ['1000000.01', 'ordinary', '13800.00'],
    ['2000000', 'ordinary', '22800.00'],
    ['2000000.01', 'ordinary', '22800.00'],
    ['5000000', 'ordinary', '46800.00'],
    ['5000000.01', 'ordinary', '46800.00'],
    ['10000000', 'ordinary', '81800.00'],
    ['10000000.01', 'ordinary', '81800.00'],
    ['20000000', 'ordinary', '141800.00'],
    ['20000000.01', 'ordinary', '141800.00'],
  ])('%s yuan → %s, fee %s', (amount, procedure, fee) => {
    const evaluation = evaluate(withAmount(amount));
    expect(evaluation.decision).toBe('autoAccept');
    expect(evaluation.procedure).toBe(procedure);
    expect(evaluation.smallClaims).toBe(procedure === 'small-claims');
    expect(evaluation.fee.fee).toBe(fee);
    expect(resultOf(evaluation, 'fee').detail!.fee).toEqual(evaluation.fee);
  });

  it('sums the claims, halves for the simplified procedure asked for, and falls back from small claims above the limit', () => {
    const two = variant('financialLoan', (f) => (f.claims = [{ text: '本金', amount: '40000' }, { text: '利息', amount: '10000.01' }]));
    expect(evaluate(two)).toMatchObject({ procedure: 'ordinary', fee: { claimAmount: '50000.01', fee: '1050.00' } });
    expect(evaluate(withAmount('60000', 'simplified'))).toMatchObject({ procedure: 'simplified', fee: { fullFee: '1300.00', fee: '650.00' } });
    expect(evaluate(withAmount('60000', 'small-claims'))).toMatchObject({ procedure: 'simplified', smallClaims: false });
    // A court with a higher limit (50% of its province's average wage) hears the same claim as small claims.
    const beijing = parseRuleSet({ ...DEFAULT_RULE_SET, courtCode: '京0105', version: 2, smallClaimsLimit: '107000' });
    expect(evaluate(withAmount('60000'), { ruleSet: beijing })).toMatchObject({ procedure: 'small-claims', ruleSetVersion: 2, fee: { fee: '650.00' } });
    // Traffic accidents are not small claims by default; intermediate courts have no simplified procedure.
    expect(evaluate(variant('trafficAccident', (f) => (f.claims = [{ text: '赔偿', amount: '20000' }])))).toMatchObject({ smallClaims: false, procedure: 'ordinary' });
    expect(evaluate(withAmount('600000000', 'simplified'), { court: { level: 'intermediate' } })).toMatchObject({ procedure: 'ordinary', decision: 'autoAccept' });
  });

  it('charges the non-property fee when no claim has an amount', () => {
    const evaluation = evaluate(variant('salesContract', (f) => (f.claims = [{ text: '判令被告继续履行合同' }])));
    expect(evaluation.fee).toMatchObject({ claimAmount: '0.00', fullFee: '100.00', fee: '100.00' });
    expect(evaluation.decision).toBe('autoAccept');
  });
});

describe('limitation period (民法典第一百八十八条)', () => {
  const knewOn = (date: string) =>
    variant('creditCard', (f) => {
      f.knewOn = date;
      f.causeFacts.overdueSince = date;
      delete f.causeFacts.cardIssuedOn;
    });

  it('ends on the corresponding day three years on, or the month end where there is none (第二百零二条)', () => {
    expect(limitationLastDay('2022-06-25', 3)).toBe('2025-06-25');
    expect(limitationLastDay('2020-02-29', 3)).toBe('2023-02-28');
    expect(limitationLastDay('2021-02-28', 3)).toBe('2024-02-28');
    expect(limitationLastDay('2020-12-31', 3)).toBe('2023-12-31');
  });

  it.each([
    ['2022-06-25', '2025-06-25', 'pass', 'autoAccept'], // exactly three years: the last day still counts
    ['2022-06-25', '2025-06-26', 'uncertain', 'needsClerk'], // one day later
    ['2020-02-29', '2023-02-28', 'pass', 'autoAccept'], // leap day: ends on 28 February
    ['2020-02-29', '2023-03-01', 'uncertain', 'needsClerk'],
    ['2021-03-01', '2024-02-29', 'pass', 'autoAccept'], // a leap day inside the period changes nothing
    ['2021-03-01', '2024-03-02', 'uncertain', 'needsClerk'],
  ])('knew on %s, filed on %s → %s', (knew, today, outcome, decision) => {
    const evaluation = evaluate(knewOn(knew), { today });
    const result = resultOf(evaluation, 'limitation');
    expect(result.outcome).toBe(outcome);
    expect(evaluation.decision).toBe(decision);
    if (outcome === 'uncertain') {
      // A court does not apply limitation of its own motion (第一百九十三条): a clerk, never a rejection.
      expect(result.consequence).toBe('clerk');
      expect(result.fields).toEqual(['knewOn']);
      expect(result.detail).toMatchObject({ daysOver: 1 });
      expect(result.reason.zh).toContain('不主动适用');
    }
  });

  it('does not check without a date, and returns a date of knowledge after the filing day', () => {
    const without = variant('creditCard', (f) => delete f.knewOn);
    expect(resultOf(evaluate(without), 'limitation').outcome).toBe('notApplicable');
    const evaluation = evaluate(knewOn('2025-06-25'), { today: '2025-06-24' });
    expect(resultOf(evaluation, 'limitation')).toMatchObject({ outcome: 'fail', consequence: 'returnForCorrection', fields: ['knewOn'] });
  });
});

describe('jurisdiction by each basis', () => {
  const territorial = (filing: FilingInput, court?: Partial<CourtFilingContext>) => {
    const evaluation = evaluate(filing, { court });
    return { ...resultOf(evaluation, 'territorial'), decision: evaluation.decision };
  };

  it("defendant's domicile: matches, contradicts, unknown, or outside this court", () => {
    expect(territorial(variant('creditCard'))).toMatchObject({ outcome: 'pass', decision: 'autoAccept' });
    expect(territorial(variant('creditCard', (f) => Object.assign(f.defendants[0]!, { domicile: '北京市海淀区', address: '北京市海淀区学院路1号' })))).toMatchObject({
      outcome: 'fail',
      consequence: 'returnForCorrection',
      fields: ['jurisdiction.place', 'defendants.0.domicile'],
    });
    expect(territorial(variant('creditCard', (f) => (delete f.defendants[0]!.domicile, delete f.defendants[0]!.address)))).toMatchObject({ outcome: 'uncertain', decision: 'needsClerk' });
    const elsewhere = territorial(variant('creditCard', (f) => (f.jurisdiction.place = '北京市海淀区')));
    expect(elsewhere).toMatchObject({ outcome: 'fail', consequence: 'reject', decision: 'reject', fields: ['jurisdiction.place'] });
    expect(elsewhere.reason.zh).toContain('本院无管辖权');
    expect(elsewhere.legalBasis).toContain('第二百一十一条');
    // The same filing at the court of the place it names is fine.
    expect(territorial(variant('creditCard', (f) => Object.assign(f.defendants[0]!, { domicile: '北京市海淀区' }, (f.jurisdiction.place = '北京市海淀区'))), { region: '北京市海淀区' })).toMatchObject({ outcome: 'pass' });
    expect(territorial(variant('creditCard', (f) => (f.jurisdiction.place = '北京市')))).toMatchObject({ outcome: 'fail', consequence: 'returnForCorrection', fields: ['jurisdiction.place'] });
    // Full-width characters and spaces do not make another place.
    expect(territorial(variant('creditCard', (f) => (f.jurisdiction.place = '北京市 朝阳区')))).toMatchObject({ outcome: 'pass' });
  });

  it('place of performance: the agreed place, or where the money is received (解释第十八条)', () => {
    expect(territorial(variant('salesContract'))).toMatchObject({ outcome: 'pass' });
    // A loan: the lender (the plaintiff) receives the money, so the plaintiff's domicile is the place of performance.
    expect(territorial(variant('privateLending', (f) => (f.jurisdiction.basis = 'placeOfPerformance')))).toMatchObject({ outcome: 'pass' });
    const unproven = variant('salesContract', (f) => (f.causeFacts.placeOfPerformance = '天津市和平区'));
    expect(territorial(unproven)).toMatchObject({ outcome: 'uncertain', decision: 'needsClerk', fields: ['jurisdiction.place'] });
  });

  it('agreed court (民事诉讼法第三十五条): the clause text, and a place with a real connection', () => {
    expect(territorial(variant('financialLoan'))).toMatchObject({ outcome: 'pass' });
    expect(territorial(variant('financialLoan', (f) => delete f.jurisdiction.clause))).toMatchObject({ outcome: 'fail', consequence: 'returnForCorrection', fields: ['jurisdiction.clause'] });
    const unconnected = variant('financialLoan', (f) => {
      for (const party of [...f.plaintiffs, ...f.defendants]) Object.assign(party, { domicile: '上海市黄浦区', address: '上海市黄浦区南京东路1号' });
      f.causeFacts.signingPlace = '上海市黄浦区';
    });
    expect(territorial(unconnected)).toMatchObject({ outcome: 'uncertain', decision: 'needsClerk', fields: ['jurisdiction.clause'] });
    // Not for a tort: a traffic accident cannot be sent to an agreed court.
    expect(territorial(variant('trafficAccident', (f) => (f.jurisdiction = { basis: 'agreedClause', place: '北京市朝阳区', clause: '由朝阳法院管辖' })))).toMatchObject({ outcome: 'fail', fields: ['jurisdiction.basis'] });
  });

  it('place of the tort for a traffic accident, and the signing place only by agreement', () => {
    expect(territorial(variant('trafficAccident'))).toMatchObject({ outcome: 'pass' });
    expect(territorial(variant('financialLoan', (f) => (f.jurisdiction = { basis: 'placeOfContractSigning', place: '北京市朝阳区' })))).toMatchObject({ outcome: 'fail', consequence: 'returnForCorrection', fields: ['jurisdiction.clause'] });
    expect(territorial(variant('financialLoan', (f) => (f.jurisdiction = { basis: 'placeOfContractSigning', place: '北京市朝阳区', clause: '争议由合同签订地法院管辖' })))).toMatchObject({ outcome: 'pass' });
  });

  it('level jurisdiction: a basic court up to its limit, an intermediate court above it', () => {
    const big = variant('financialLoan', (f) => (f.claims = [{ text: '本息', amount: '500000000' }]));
    expect(resultOf(evaluate(big), 'level')).toMatchObject({ outcome: 'fail', consequence: 'reject', fields: ['claims'] });
    expect(resultOf(evaluate(variant('financialLoan', (f) => (f.claims = [{ text: '本息', amount: '499999999.99' }]))), 'level').outcome).toBe('pass');
    expect(resultOf(evaluate(big, { court: { level: 'intermediate' } }), 'level').outcome).toBe('pass');
    expect(resultOf(evaluate(variant('financialLoan'), { court: { level: 'intermediate' } }), 'level')).toMatchObject({ outcome: 'uncertain', consequence: 'clerk' });
  });
});

describe('duplicate filings (民事诉讼法第一百二十七条, 解释第二百四十七条)', () => {
  const filing = variant('privateLending');
  const prior = (status: string, caseNumber: string | null = null): PriorFiling => ({
    id: '00000000-0000-4000-8000-00000000d001',
    fingerprint: filingFingerprint(filing),
    caseNumber,
    status,
    submittedAt: '2026-10-01T09:00:00+08:00',
  });

  it('rejects the same parties and claims after an acceptance, naming the case', () => {
    const evaluation = evaluate(filing, { priorFilings: [prior('accepted', '（2026）京0105民初1234号')] });
    expect(evaluation.decision).toBe('reject');
    const result = resultOf(evaluation, 'duplicate');
    expect(result).toMatchObject({ outcome: 'fail', consequence: 'reject', fields: ['plaintiffs', 'defendants', 'claims'] });
    expect(result.reason.zh).toContain('（2026）京0105民初1234号');
    expect(result.reason.zh).toContain('重复起诉');
  });

  it('sends a repeat of a filing still under review to the clerk, and lets a returned or rejected one be filed again', () => {
    expect(evaluate(filing, { priorFilings: [prior('submitted')] })).toMatchObject({ decision: 'needsClerk' });
    expect(resultOf(evaluate(filing, { priorFilings: [prior('needsClerk')] }), 'duplicate')).toMatchObject({ outcome: 'fail', consequence: 'clerk' });
    expect(evaluate(filing, { priorFilings: [prior('returned'), prior('rejected')] }).decision).toBe('autoAccept');
  });

  it('fingerprints party identities, the cause and the amounts, not spelling or order', () => {
    const base = filingFingerprint(filing);
    expect(base).toMatch(/^[0-9a-f]{64}$/);
    const same = variant('privateLending', (f) => {
      f.claims.reverse();
      f.claims[1]!.amount = '80000.00';
      f.plaintiffs[0]!.name = ' 张伟 ';
      f.facts = '另一种写法的事实和理由，金额与当事人不变。';
    });
    expect(filingFingerprint(same)).toBe(base);
    const withoutIds = (f: FilingInput) => (delete f.plaintiffs[0]!.idNumber, delete f.defendants[0]!.idNumber);
    expect(filingFingerprint(variant('privateLending', (f) => (withoutIds(f), (f.plaintiffs[0]!.name = '张　伟'))))).toBe(filingFingerprint(variant('privateLending', withoutIds)));
    expect(filingFingerprint(variant('privateLending', (f) => (f.claims[0]!.amount = '80001')))).not.toBe(base);
    expect(filingFingerprint(variant('privateLending', (f) => (f.defendants[0]!.idNumber = '130102198808080052')))).not.toBe(base);
    expect(filingFingerprint(variant('privateLending', (f) => (f.cause = 'financialLoan')))).not.toBe(base);
  });
});

describe('rule sets as data', () => {
  it('accepts the default set and a court version that turns a rule off or changes its consequence', () => {
    expect(parseRuleSet(structuredClone(DEFAULT_RULE_SET))).toEqual(DEFAULT_RULE_SET);
    const strict = parseRuleSet({
      ...structuredClone(DEFAULT_RULE_SET),
      courtCode: '京0105',
      version: 3,
      autoAcceptCauses: ['creditCard'],
      rules: DEFAULT_RULE_SET.rules.map((rule) => (rule.id === 'limitation' ? { ...rule, enabled: false } : rule.id === 'materials' ? { ...rule, consequence: 'clerk' } : rule)),
    });
    const stale = variant('creditCard', (f) => (f.materials = f.materials.filter((m) => m.type !== 'contract')));
    const evaluation = evaluate(stale, { ruleSet: strict, today: '2029-01-01' });
    expect(resultOf(evaluation, 'limitation')).toMatchObject({ outcome: 'notApplicable', detail: { disabled: true } });
    expect(resultOf(evaluation, 'materials')).toMatchObject({ outcome: 'fail', consequence: 'clerk' });
    expect(evaluation).toMatchObject({ decision: 'needsClerk', ruleSetVersion: 3 });
    expect(evaluate(variant('privateLending'), { ruleSet: strict }).decision).toBe('needsClerk');
  });

  it('refuses a bad rule set with every bad field named', () => {
    const bad = {
      ...structuredClone(DEFAULT_RULE_SET),
      smallClaimsLimit: '50000.001',
      limitationYears: 2,
      autoAcceptCauses: ['divorce'],
      rules: [{ ...DEFAULT_RULE_SET.rules[0]!, kind: 'astrology' }, DEFAULT_RULE_SET.rules[1]!, { ...DEFAULT_RULE_SET.rules[1]! }],
    };
    let caught: unknown;
    try {
      parseRuleSet(bad);
    } catch (error) {
      caught = error;
    }
    expect(caught).toMatchObject({ code: 'VALIDATION_FAILED' });
    const paths = (caught as { details: { issues: { path: string }[] } }).details.issues.map((issue) => issue.path);
    expect(paths).toEqual(expect.arrayContaining(['smallClaimsLimit', 'limitationYears', 'autoAcceptCauses.0', 'rules.0.kind']));
    expect(() => parseRuleSet({ ...structuredClone(DEFAULT_RULE_SET), rules: [DEFAULT_RULE_SET.rules[1], DEFAULT_RULE_SET.rules[1]] })).toThrow(/duplicate rule id "claims"/);
  });

  it('takes results from outside the engine (third-party checks) into the decision', () => {
    const evaluation = evaluateFiling(variant('creditCard'), {
      ruleSet: DEFAULT_RULE_SET,
      court: SAMPLE_COURT,
      today: SAMPLE_TODAY,
      priorFilings: [],
      additionalResults: [{ ruleId: 'check.enterpriseRegistration', outcome: 'uncertain', consequence: 'clerk', reason: { zh: '未能核验', en: 'Not verified' }, legalBasis: '—', fields: ['plaintiffs.0'] }],
    });
    expect(evaluation.decision).toBe('needsClerk');
    expect(flagged(evaluation)).toEqual(['check.enterpriseRegistration']);
  });
});

