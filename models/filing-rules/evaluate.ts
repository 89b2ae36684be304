// The filing rule engine (立案审查): runs a court's rule set over a submitted filing like an experienced
// filing clerk would, and returns the decision with a trace of every rule — outcome, consequence,
// plain-language reason, legal basis and the fields concerned. Pure and synchronous (no I/O): the
// filing actor, the CLI dry-run and the benchmark all call it with the facts they gathered.
import { createHash } from 'node:crypto';
import { CAUSES, type CauseDefinition, type CauseId } from './causes.ts';
import { caseAcceptanceFee, fenToYuan, sumFen, yuanToFen, DEFAULT_NON_PROPERTY_FEE, type FeeCalculation } from './fee-schedule.ts';
import type { FilingInput, Procedure } from './filing.ts';
import type { FilingRuleSet, RuleDefinition, RuleKind } from './rule-set.ts';
import { answerProblem, isCalendarDate } from './values.ts';

export interface CourtFilingContext {
  courtId: string;
  courtName: string;
  /** The court's district, e.g. '北京市朝阳区'. */
  region: string;
  level: 'basic' | 'intermediate';
}

export interface PriorFiling {
  id: string;
  fingerprint: string;
  caseNumber: string | null;
  status: string;
  submittedAt: string;
}

export type RuleOutcome = 'pass' | 'fail' | 'uncertain' | 'notApplicable';

export interface RuleResult {
  ruleId: string;
  outcome: RuleOutcome;
  /** null when the rule passed or did not apply; 'clerk' for every uncertain outcome. */
  consequence: 'returnForCorrection' | 'reject' | 'clerk' | null;
  reason: { zh: string; en: string };
  legalBasis: string;
  /** Filing paths concerned, e.g. 'defendants.0.domicile', 'causeFacts.principal'. */
  fields: string[];
  detail?: Record<string, unknown>;
}

export type FilingDecision = 'autoAccept' | 'needsClerk' | 'returnForCorrection' | 'reject';

export interface FilingEvaluation {
  decision: FilingDecision;
  ruleSetVersion: number;
  procedure: Procedure;
  fee: FeeCalculation;
  smallClaims: boolean;
  trace: RuleResult[];
}

export interface EvaluateOptions {
  ruleSet: FilingRuleSet;
  court: CourtFilingContext;
  /** The court day of submission, YYYY-MM-DD. */
  today: string;
  priorFilings: PriorFiling[];
  /** Results gathered outside the engine (third-party checks), appended to the trace before deciding. */
  additionalResults?: RuleResult[];
}

/** The rule id of the trace entry that records whether the cause is on the court's auto-accept list. */
export const AUTO_ACCEPT_RULE_ID = 'autoAcceptCause';

/** Duplicate detection: sha256 over normalised party identities, the cause and the claimed amounts. */
export function filingFingerprint(filing: FilingInput): string {
  const identity = (party: FilingInput['plaintiffs'][number]) => (party.idNumber ? `id:${normalise(party.idNumber).toUpperCase()}` : `name:${normalise(party.name)}`);
  const amounts = filing.claims
    .filter((claim) => claim.amount !== undefined)
    .map((claim) => yuanToFen(claim.amount!).toString())
    .sort();
  const canonical = JSON.stringify({
    cause: filing.cause,
    plaintiffs: filing.plaintiffs.map(identity).sort(),
    defendants: filing.defendants.map(identity).sort(),
    amounts,
  });
  return createHash('sha256').update(canonical).digest('hex');
}

/** The decision from a trace: reject > return for correction > clerk (a clerk consequence, anything uncertain, or a cause not auto-accepted) > accept. */
export function decideFiling(trace: RuleResult[], cause: CauseId, ruleSet: FilingRuleSet): FilingDecision {
  if (trace.some((result) => result.outcome === 'fail' && result.consequence === 'reject')) return 'reject';
  if (trace.some((result) => result.outcome === 'fail' && result.consequence === 'returnForCorrection')) return 'returnForCorrection';
  if (trace.some((result) => result.outcome === 'uncertain' || (result.outcome === 'fail' && result.consequence === 'clerk'))) return 'needsClerk';
  if (!ruleSet.autoAcceptCauses.includes(cause)) return 'needsClerk';
  return 'autoAccept';
}

export function evaluateFiling(filing: FilingInput, options: EvaluateOptions): FilingEvaluation {
  const { ruleSet, court } = options;
  const cause = CAUSES[filing.cause];
  const amounts = filing.claims.flatMap((claim) => (claim.amount === undefined ? [] : [claim.amount]));
  const claimFen = amounts.length === 0 ? null : sumFen(amounts);
  const smallClaimsRule = ruleSet.rules.find((rule) => rule.kind === 'smallClaims' && rule.enabled);
  const smallClaims =
    smallClaimsRule !== undefined && court.level === 'basic' && cause.smallClaimsSuitable && claimFen !== null && claimFen > 0n && claimFen <= yuanToFen(ruleSet.smallClaimsLimit);
  const procedure = decideProcedure(filing.procedure, smallClaims, court);
  const fee = caseAcceptanceFee({ claimFen, procedure, category: cause.feeCategory ?? 'property', nonPropertyFee: ruleSet.nonPropertyFee ?? DEFAULT_NON_PROPERTY_FEE });
  const context: CheckContext = { filing, cause, ruleSet, court, today: options.today, priorFilings: options.priorFilings, claimFen, smallClaims, procedure, fee };

  const trace: RuleResult[] = ruleSet.rules.map((rule) => runRule(rule, context));
  trace.push(...(options.additionalResults ?? []));
  const autoAccept = ruleSet.autoAcceptCauses.includes(filing.cause);
  trace.push({
    ruleId: AUTO_ACCEPT_RULE_ID,
    outcome: autoAccept ? 'pass' : 'fail',
    consequence: autoAccept ? null : 'clerk',
    reason: autoAccept
      ? { zh: `${cause.name}在本院自动受理案由范围内`, en: `${cause.nameEn} is on the court's auto-accept list` }
      : { zh: `${cause.name}不在本院自动受理案由范围内，由立案人员审查`, en: `${cause.nameEn} is not on the court's auto-accept list: a clerk reviews it` },
    legalBasis: `立案规则集第${ruleSet.version}版（${ruleSet.courtCode}）`,
    fields: autoAccept ? [] : ['cause'],
  });
  return { decision: decideFiling(trace, filing.cause, ruleSet), ruleSetVersion: ruleSet.version, procedure, fee, smallClaims, trace };
}

function decideProcedure(requested: Procedure | undefined, smallClaims: boolean, court: CourtFilingContext): Procedure {
  // Only basic courts hear cases under the simplified (and so small-claims) procedure (民事诉讼法第一百六十条).
  if (court.level !== 'basic') return 'ordinary';
  if (smallClaims) return 'small-claims';
  if (requested === 'small-claims') return 'simplified';
  return requested ?? 'ordinary';
}

// ——— the checks, one per rule kind ———

interface CheckContext {
  filing: FilingInput;
  cause: CauseDefinition;
  ruleSet: FilingRuleSet;
  court: CourtFilingContext;
  today: string;
  priorFilings: PriorFiling[];
  claimFen: bigint | null;
  smallClaims: boolean;
  procedure: Procedure;
  fee: FeeCalculation;
}

type Bilingual = { zh: string; en: string };

interface CheckResult {
  outcome: RuleOutcome;
  /** A reason specific to this filing; the rule's own reason otherwise. */
  reason?: Bilingual;
  fields?: string[];
  detail?: Record<string, unknown>;
  /** A consequence other than the rule's default for this particular failure (named in the rule's params). */
  consequence?: 'returnForCorrection' | 'reject' | 'clerk';
}

type Check = (context: CheckContext, params: Record<string, unknown>) => CheckResult;

function runRule(rule: RuleDefinition, context: CheckContext): RuleResult {
  const base = { ruleId: rule.id, legalBasis: rule.legalBasis };
  if (!rule.enabled) return { ...base, outcome: 'notApplicable', consequence: null, reason: rule.reason, fields: [], detail: { disabled: true } };
  const result = CHECKS[rule.kind](context, rule.params);
  const consequence = result.outcome === 'fail' ? (result.consequence ?? rule.consequence) : result.outcome === 'uncertain' ? 'clerk' : null;
  return {
    ...base,
    outcome: result.outcome,
    consequence,
    reason: result.reason ?? rule.reason,
    fields: result.fields ?? [],
    ...(result.detail ? { detail: result.detail } : {}),
  };
}

const pass = (detail?: Record<string, unknown>, reason?: Bilingual): CheckResult => ({ outcome: 'pass', ...(detail ? { detail } : {}), ...(reason ? { reason } : {}) });
const notApplicable = (reason: Bilingual): CheckResult => ({ outcome: 'notApplicable', reason });

/** Params a court may set that name a consequence (validated here, since params are free-form data). */
function consequenceParam(params: Record<string, unknown>, name: string, fallback: CheckResult['consequence']): CheckResult['consequence'] {
  const value = params[name];
  return value === 'returnForCorrection' || value === 'reject' || value === 'clerk' ? value : fallback;
}

const CHECKS: Record<RuleKind, Check> = {
  'completeness.parties': ({ filing }) => {
    const fields: string[] = [];
    filing.plaintiffs.forEach((party, index) => {
      if (!party.idNumber) fields.push(`plaintiffs.${index}.idNumber`);
      if (!party.address && !party.phone) fields.push(`plaintiffs.${index}.address`);
    });
    filing.defendants.forEach((party, index) => {
      // 有明确的被告: a name plus something that singles the person out.
      if (!party.idNumber && !party.address) fields.push(`defendants.${index}.address`);
    });
    if (fields.length === 0) return pass();
    return {
      outcome: 'fail',
      fields,
      reason: { zh: `当事人信息不全：${fields.join('、')}`, en: `Party details missing: ${fields.join(', ')}` },
    };
  },

  'completeness.claims': ({ filing, cause }) => {
    const fields = filing.claims.flatMap((claim, index) => (claim.amount !== undefined && yuanToFen(claim.amount) === 0n ? [`claims.${index}.amount`] : []));
    if (fields.length > 0) return { outcome: 'fail', fields, reason: { zh: '诉讼请求金额不能为零', en: 'A claimed amount must not be zero' } };
    if (cause.claimAmountRequired && !filing.claims.some((claim) => claim.amount !== undefined)) {
      return {
        outcome: 'fail',
        fields: ['claims.0.amount'],
        reason: { zh: `${cause.name}须在诉讼请求中写明给付金额`, en: `A ${cause.nameEn.toLowerCase()} claim must state the amount claimed` },
      };
    }
    return pass({ claimAmount: filing.claims.some((claim) => claim.amount !== undefined) ? fenToYuan(sumFen(filing.claims.flatMap((claim) => (claim.amount ? [claim.amount] : [])))) : null });
  },

  'completeness.facts': ({ filing }, params) => {
    const minLength = typeof params.minLength === 'number' ? params.minLength : 10;
    if ([...filing.facts.trim()].length >= minLength) return pass();
    return { outcome: 'fail', fields: ['facts'], reason: { zh: `事实和理由过于简略（至少${minLength}个字）`, en: `The facts and reasons are too short (at least ${minLength} characters)` } };
  },

  'completeness.causeFacts': ({ filing, cause, today }) => {
    const missing: string[] = [];
    const invalid: { field: string; problem: string }[] = [];
    for (const question of cause.questions) {
      const answer = filing.causeFacts[question.id]?.trim() ?? '';
      if (answer === '') {
        if (question.required) missing.push(question.id);
        continue;
      }
      const problem = answerProblem(question, answer, today);
      if (problem) invalid.push({ field: `causeFacts.${question.id}`, problem });
    }
    if (missing.length === 0 && invalid.length === 0) return pass();
    const labels = (ids: string[], language: 'zh' | 'en') => ids.map((id) => cause.questions.find((question) => question.id === id)!.label[language]);
    return {
      outcome: 'fail',
      fields: [...missing.map((id) => `causeFacts.${id}`), ...invalid.map((entry) => entry.field)],
      reason: {
        zh: [missing.length ? `${cause.name}须回答：${labels(missing, 'zh').join('、')}` : '', invalid.length ? `答案有误：${invalid.map((entry) => `${entry.field}（${entry.problem}）`).join('；')}` : ''].filter(Boolean).join('；'),
        en: [missing.length ? `A ${cause.nameEn.toLowerCase()} needs: ${labels(missing, 'en').join(', ')}` : '', invalid.length ? `Invalid answers: ${invalid.map((entry) => `${entry.field} (${entry.problem})`).join('; ')}` : ''].filter(Boolean).join('; '),
      },
      detail: { missing, invalid },
    };
  },

  'completeness.materials': ({ filing, cause }) => {
    const present = new Set(filing.materials.map((material) => material.type));
    const missing = cause.requiredMaterials.filter((type) => !present.has(type));
    if (missing.length === 0) return pass();
    return {
      outcome: 'fail',
      fields: ['materials'],
      reason: { zh: `缺少材料：${missing.map((type) => MATERIAL_NAMES[type].zh).join('、')}`, en: `Materials missing: ${missing.map((type) => MATERIAL_NAMES[type].en).join(', ')}` },
      detail: { missing },
    };
  },

  'completeness.evidence': ({ filing }) => {
    if (filing.evidence.length === 0) return { outcome: 'fail', fields: ['evidence'], reason: { zh: '须提交证据清单', en: 'An evidence list is required' } };
    const materialIds = new Set(filing.materials.map((material) => material.id));
    const fields = filing.evidence.flatMap((item, index) => [
      ...(item.purpose.trim() === '' ? [`evidence.${index}.purpose`] : []),
      ...(item.materialId !== undefined && !materialIds.has(item.materialId) ? [`evidence.${index}.materialId`] : []),
    ]);
    if (fields.length === 0) return pass();
    return { outcome: 'fail', fields, reason: { zh: `证据清单不完整：${fields.join('、')}（证明目的须写明，所附材料须已上传）`, en: `Evidence list incomplete: ${fields.join(', ')} (state each purpose; upload linked materials)` } };
  },

  'completeness.powerOfAttorney': ({ filing }) => {
    if (!filing.agent) return notApplicable({ zh: '本人起诉，无需授权委托书', en: 'Filed in person: no power of attorney needed' });
    const found = filing.materials.find((material) => material.id === filing.agent!.powerOfAttorneyMaterialId);
    if (found?.type === 'powerOfAttorney') return pass({ materialId: found.id });
    return {
      outcome: 'fail',
      fields: ['agent.powerOfAttorneyMaterialId'],
      reason: found
        ? { zh: '所指材料不是授权委托书', en: 'The material given is not a power of attorney' }
        : { zh: '代理人起诉须上传授权委托书', en: 'An agent filing for a client must upload the power of attorney' },
    };
  },

  'prerequisite.arbitration': ({ filing }, params) => {
    const causes = Array.isArray(params.causes) ? (params.causes as string[]) : ['labourRemuneration'];
    if (!causes.includes(filing.cause)) return notApplicable({ zh: '本案由无需仲裁前置', en: 'No arbitration needed first for this cause' });
    const answer = filing.causeFacts.arbitration?.trim();
    if (answer === 'award' || answer === 'notAccepted' || answer === 'overdue') return pass({ arbitration: answer });
    if (answer === 'none') {
      return {
        outcome: 'fail',
        fields: ['causeFacts.arbitration'],
        reason: { zh: '劳动争议未经劳动仲裁，不能直接起诉，请先向劳动争议仲裁委员会申请仲裁', en: 'A labour dispute cannot be filed before labour arbitration: apply to the labour arbitration commission first' },
      };
    }
    return { outcome: 'uncertain', fields: ['causeFacts.arbitration'], reason: { zh: '未说明劳动仲裁情况', en: 'Whether labour arbitration took place is not stated' } };
  },

  'jurisdiction.territorial': checkTerritorial,

  'jurisdiction.level': ({ court, claimFen, ruleSet }) => {
    const limit = yuanToFen(ruleSet.basicCourtAmountLimit);
    const amount = claimFen ?? 0n;
    const detail = { claimAmount: fenToYuan(amount), basicCourtAmountLimit: ruleSet.basicCourtAmountLimit, level: court.level };
    if (court.level === 'basic') {
      if (amount < limit) return pass(detail);
      return {
        outcome: 'fail',
        fields: ['claims'],
        detail,
        reason: {
          zh: `诉讼标的额${fenToYuan(amount)}元达到${ruleSet.basicCourtAmountLimit}元，应由中级人民法院管辖，本院不予受理，请向有管辖权的中级人民法院起诉`,
          en: `A claim of ${fenToYuan(amount)} yuan reaches the ${ruleSet.basicCourtAmountLimit} yuan limit: an intermediate court has jurisdiction; file there`,
        },
      };
    }
    if (amount >= limit) return pass(detail);
    return {
      outcome: 'uncertain',
      fields: ['claims'],
      detail,
      reason: { zh: '标的额未达中级法院管辖标准，由立案人员审查是否属本院管辖', en: 'The claim is below the intermediate-court threshold: a clerk checks whether this court has jurisdiction' },
    };
  },

  limitation: ({ filing, today, ruleSet }) => {
    if (!filing.knewOn) return notApplicable({ zh: '未填写知道权利受损之日，诉讼时效不作审查', en: 'No date of knowledge given: limitation not checked' });
    if (!isCalendarDate(filing.knewOn) || filing.knewOn > today) {
      return { outcome: 'fail', consequence: 'returnForCorrection', fields: ['knewOn'], reason: { zh: '知道权利受损之日不能晚于今天', en: 'The date of knowledge must not be in the future' } };
    }
    const lastDay = limitationLastDay(filing.knewOn, ruleSet.limitationYears);
    if (today <= lastDay) return pass({ knewOn: filing.knewOn, lastDay }, { zh: `诉讼时效至${lastDay}届满，未超过`, en: `The limitation period runs until ${lastDay}: not expired` });
    return {
      outcome: 'uncertain',
      fields: ['knewOn'],
      detail: { knewOn: filing.knewOn, lastDay, daysOver: daysBetween(lastDay, today) },
      reason: {
        zh: `自${filing.knewOn}起三年的诉讼时效已于${lastDay}届满；是否存在中止、中断（民法典第一百九十四条、第一百九十五条）或末日为法定休假日顺延（第二百零三条），由立案人员审查，法院不主动适用诉讼时效`,
        en: `The 3-year limitation period from ${filing.knewOn} ended on ${lastDay}; a clerk checks for suspension, interruption or a holiday extension — the court does not apply limitation of its own motion`,
      },
    };
  },

  duplicate: ({ filing, priorFilings }, params) => {
    const fingerprint = filingFingerprint(filing);
    const statuses = (typeof params.statuses === 'object' && params.statuses !== null ? params.statuses : { accepted: 'reject', submitted: 'clerk', needsClerk: 'clerk' }) as Record<string, unknown>;
    const matches = priorFilings.filter((prior) => prior.fingerprint === fingerprint && consequenceParam(statuses, prior.status, undefined) !== undefined);
    if (matches.length === 0) return pass({ fingerprint });
    const rejecting = matches.filter((prior) => consequenceParam(statuses, prior.status, undefined) === 'reject');
    const fields = ['plaintiffs', 'defendants', 'claims'];
    const detail = { fingerprint, priorFilings: matches.map((prior) => ({ id: prior.id, caseNumber: prior.caseNumber, status: prior.status, submittedAt: prior.submittedAt })) };
    if (rejecting.length > 0) {
      const numbers = rejecting.map((prior) => prior.caseNumber ?? prior.id).join('、');
      return {
        outcome: 'fail',
        consequence: 'reject',
        fields,
        detail,
        reason: { zh: `同一当事人就同一诉讼请求已起诉并已立案（${numbers}），属重复起诉，不予受理`, en: `The same parties already filed the same claims and the case was accepted (${numbers}): a repeated suit is not accepted` },
      };
    }
    const pending = matches[0]!;
    return {
      outcome: 'fail',
      consequence: consequenceParam(statuses, pending.status, 'clerk'),
      fields,
      detail,
      reason: {
        zh: `同一当事人就同一诉讼请求的立案申请（${pending.id}，${pending.submittedAt}）尚在审查中，由立案人员核实是否重复提交`,
        en: `A filing by the same parties with the same claims (${pending.id}, ${pending.submittedAt}) is still under review: a clerk checks whether this one repeats it`,
      },
    };
  },

  fee: ({ fee }) => pass({ fee }, fee.explanation),

  smallClaims: ({ smallClaims, procedure, filing, ruleSet, cause, court, claimFen }) => {
    const detail = { eligible: smallClaims, procedure, requested: filing.procedure ?? null, smallClaimsLimit: ruleSet.smallClaimsLimit, claimAmount: claimFen === null ? null : fenToYuan(claimFen) };
    if (smallClaims) return pass(detail, { zh: `标的额不超过${ruleSet.smallClaimsLimit}元，适用小额诉讼程序`, en: `A claim up to ${ruleSet.smallClaimsLimit} yuan: small-claims procedure` });
    const why =
      court.level !== 'basic'
        ? { zh: '非基层法院，不适用小额诉讼程序', en: 'Not a basic court: no small-claims procedure' }
        : !cause.smallClaimsSuitable
          ? { zh: `${cause.name}不宜直接适用小额诉讼程序，适用${PROCEDURE_NAMES[procedure].zh}`, en: `${cause.nameEn} is not heard under small claims by default: ${PROCEDURE_NAMES[procedure].en}` }
          : { zh: `标的额超过${ruleSet.smallClaimsLimit}元或无金额，适用${PROCEDURE_NAMES[procedure].zh}`, en: `The claim is above ${ruleSet.smallClaimsLimit} yuan or has no amount: ${PROCEDURE_NAMES[procedure].en}` };
    return { outcome: 'notApplicable', reason: why, detail };
  },

  electronicService: ({ filing }) => {
    if (!filing.electronicService.consent) return notApplicable({ zh: '未同意电子送达，按其他方式送达', en: 'No consent to electronic service: served by other means' });
    const fields = [
      ...(filing.electronicService.addresses.length === 0 ? ['electronicService.addresses'] : []),
      ...filing.plaintiffs.flatMap((party, index) => (!party.address && !party.phone ? [`plaintiffs.${index}.address`] : [])),
    ];
    if (fields.length === 0) return pass({ addresses: filing.electronicService.addresses.length });
    return { outcome: 'fail', fields, reason: { zh: '同意电子送达须提供送达地址，当事人须有地址或联系方式', en: 'Consent to electronic service needs a service address, and each party an address or contact' } };
  },
};

function checkTerritorial({ filing, cause, court }: CheckContext, params: Record<string, unknown>): CheckResult {
  const { basis, place, clause } = filing.jurisdiction;
  const region = normalise(court.region);
  const where = normalise(place);
  const correction = consequenceParam(params, 'correctionConsequence', 'returnForCorrection');
  if (!cause.jurisdictionBases.includes(basis)) {
    return {
      outcome: 'fail',
      consequence: correction,
      fields: ['jurisdiction.basis'],
      reason: {
        zh: `${cause.name}不能以“${BASIS_NAMES[basis].zh}”确定管辖，可选：${cause.jurisdictionBases.map((item) => BASIS_NAMES[item].zh).join('、')}`,
        en: `A ${cause.nameEn.toLowerCase()} cannot rest on ${BASIS_NAMES[basis].en}; possible: ${cause.jurisdictionBases.map((item) => BASIS_NAMES[item].en).join(', ')}`,
      },
    };
  }
  if (!where.startsWith(region)) {
    if (region.startsWith(where)) {
      return { outcome: 'fail', consequence: correction, fields: ['jurisdiction.place'], reason: { zh: `管辖地点“${place}”不够具体，请写明至区县`, en: `The place "${place}" is too broad: name the district or county` } };
    }
    return {
      outcome: 'fail',
      fields: ['jurisdiction.place'],
      detail: { basis, place, courtRegion: court.region },
      reason: {
        zh: `${BASIS_NAMES[basis].zh}“${place}”不在本院（${court.courtName}，${court.region}）辖区，本院无管辖权，请向有管辖权的人民法院起诉`,
        en: `The ${BASIS_NAMES[basis].en} "${place}" is outside ${court.courtName} (${court.region}): this court has no jurisdiction; file with the competent court`,
      },
    };
  }
  const detail = { basis, place, courtRegion: court.region };
  // 房屋租赁合同纠纷按不动产纠纷由不动产所在地法院专属管辖 (民事诉讼法第三十四条, 解释第二十八条): no clause overrides it.
  if (cause.id === 'lease' && basis !== 'placeOfPerformance') {
    return {
      outcome: 'uncertain',
      fields: ['jurisdiction.basis'],
      detail,
      reason: { zh: '房屋租赁合同纠纷由不动产所在地法院专属管辖，由立案人员核实租赁物是否为房屋及其所在地', en: 'A premises lease belongs exclusively to the court where the property lies: a clerk checks what was leased and where' },
    };
  }
  const facts = filing.causeFacts;
  const domiciles = (parties: FilingInput['plaintiffs']) => parties.flatMap((party) => [party.domicile, party.address].filter((value): value is string => Boolean(value)));
  const connected = (candidates: (string | undefined)[]) => candidates.some((candidate) => candidate !== undefined && sameRegion(candidate, place));
  switch (basis) {
    case 'defendantDomicile': {
      const known = domiciles(filing.defendants);
      if (connected(known)) return pass(detail);
      if (known.length === 0) return { outcome: 'uncertain', fields: ['defendants.0.domicile'], detail, reason: { zh: '未填写被告住所地，由立案人员核实', en: "The defendant's domicile is not given: a clerk checks it" } };
      return {
        outcome: 'fail',
        consequence: correction,
        fields: ['jurisdiction.place', ...filing.defendants.map((_, index) => `defendants.${index}.domicile`)],
        detail,
        reason: { zh: `被告住所地与所填管辖地点“${place}”不一致`, en: `No defendant's domicile matches the place "${place}"` },
      };
    }
    case 'placeOfPerformance': {
      // 争议标的为给付货币的，接收货币一方所在地为合同履行地 (解释第十八条); online sales: the buyer's domicile (第二十条).
      const candidates = [facts.placeOfPerformance, facts.leasedProperty, ...(cause.claimAmountRequired || cause.id === 'onlineShopping' ? domiciles(filing.plaintiffs) : [])];
      if (connected(candidates)) return pass(detail);
      return { outcome: 'uncertain', fields: ['jurisdiction.place'], detail, reason: { zh: `无法从所填事实确认合同履行地为“${place}”，由立案人员核实`, en: `The facts do not show "${place}" as the place of performance: a clerk checks it` } };
    }
    case 'agreedClause':
    case 'placeOfContractSigning': {
      if (!clause || clause.trim().length < 4) {
        return {
          outcome: 'fail',
          consequence: correction,
          fields: ['jurisdiction.clause'],
          reason: { zh: '协议管辖须提供书面管辖条款原文（合同签订地须经书面协议选择）', en: 'An agreed court needs the text of the written jurisdiction clause (the signing place only counts when agreed)' },
        };
      }
      // 民事诉讼法第三十五条: only places with a real connection to the dispute may be chosen.
      const candidates = [...domiciles(filing.plaintiffs), ...domiciles(filing.defendants), facts.placeOfPerformance, facts.signingPlace, facts.leasedProperty];
      if (connected(candidates)) return pass({ ...detail, clause });
      return {
        outcome: 'uncertain',
        fields: ['jurisdiction.clause'],
        detail: { ...detail, clause },
        reason: { zh: `所选“${place}”与当事人住所地、合同履行地、签订地均无明显联系，由立案人员核实是否为标的物所在地等有实际联系的地点`, en: `"${place}" matches no party's domicile, place of performance or signing: a clerk checks for another real connection (e.g. where the subject matter is)` },
      };
    }
    case 'placeOfTort': {
      const accidentPlace = facts.accidentPlace;
      if (!accidentPlace) return { outcome: 'uncertain', fields: ['causeFacts.accidentPlace'], detail, reason: { zh: '未填写事故发生地，由立案人员核实', en: 'Where the accident happened is not given: a clerk checks it' } };
      if (sameRegion(accidentPlace, place)) return pass(detail);
      return { outcome: 'fail', consequence: correction, fields: ['jurisdiction.place', 'causeFacts.accidentPlace'], detail, reason: { zh: `事故发生地“${accidentPlace}”与管辖地点“${place}”不一致`, en: `The accident place "${accidentPlace}" does not match "${place}"` } };
    }
  }
}

/**
 * 民法典第二百零一条、第二百零二条: the day of knowledge is not counted; the period ends on the corresponding
 * day of the final year, or the month's last day where there is none (knew on 29 February → 28 February).
 */
export function limitationLastDay(knewOn: string, years: number): string {
  const [year, month, day] = knewOn.split('-').map(Number) as [number, number, number];
  const targetYear = year + years;
  const monthEnd = new Date(Date.UTC(targetYear, month, 0)).getUTCDate();
  return `${targetYear}-${String(month).padStart(2, '0')}-${String(Math.min(day, monthEnd)).padStart(2, '0')}`;
}

function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);
}

/** Full-width to half-width, no spaces: '北京市 朝阳区' and '北京市朝阳区' are one place. */
function normalise(text: string): string {
  return text.normalize('NFKC').replace(/\s+/g, '');
}

/** One region names the other or lies within it ('北京市朝阳区' and '北京市朝阳区建国路1号'). */
function sameRegion(a: string, b: string): boolean {
  const [x, y] = [normalise(a), normalise(b)];
  return x.length > 0 && y.length > 0 && (x.startsWith(y) || y.startsWith(x));
}

const BASIS_NAMES: Record<FilingInput['jurisdiction']['basis'], Bilingual> = {
  defendantDomicile: { zh: '被告住所地', en: "defendant's domicile" },
  placeOfPerformance: { zh: '合同履行地', en: 'place of performance' },
  agreedClause: { zh: '协议管辖地', en: 'agreed court' },
  placeOfTort: { zh: '侵权行为地', en: 'place of the tort' },
  placeOfContractSigning: { zh: '合同签订地', en: 'place of signing' },
};

const MATERIAL_NAMES: Record<FilingInput['materials'][number]['type'], Bilingual> = {
  complaint: { zh: '起诉状', en: 'complaint' },
  identityProof: { zh: '身份证明', en: 'proof of identity' },
  evidence: { zh: '证据材料', en: 'evidence' },
  powerOfAttorney: { zh: '授权委托书', en: 'power of attorney' },
  contract: { zh: '合同', en: 'contract' },
  other: { zh: '其他材料', en: 'other material' },
};

const PROCEDURE_NAMES: Record<Procedure, Bilingual> = {
  ordinary: { zh: '普通程序', en: 'ordinary procedure' },
  simplified: { zh: '简易程序', en: 'simplified procedure' },
  'small-claims': { zh: '小额诉讼程序', en: 'small-claims procedure' },
};
