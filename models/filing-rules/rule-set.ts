// Filing rules as data (立案审查规则): a versioned set per court code that court staff can read and
// review, each rule with an id, a plain-language reason, its legal basis, the consequence when it
// fails, and parameters. The engine (evaluate.ts) has one checker per kind; the data chooses which
// run, what they lead to and with which thresholds. DEFAULT_RULE_SET is the platform's version 1.
import { z } from 'zod';
import { AppError } from '../../platform/errors.ts';
import { CAUSE_IDS, type CauseId } from './causes.ts';
import { yuan } from './filing.ts';

export const RULE_KINDS = [
  'completeness.parties',
  'completeness.claims',
  'completeness.facts',
  'completeness.causeFacts',
  'completeness.materials',
  'completeness.evidence',
  'completeness.powerOfAttorney',
  'prerequisite.arbitration',
  'jurisdiction.territorial',
  'jurisdiction.level',
  'limitation',
  'duplicate',
  'fee',
  'smallClaims',
  'electronicService',
] as const;
export type RuleKind = (typeof RULE_KINDS)[number];

export const RULE_CONSEQUENCES = ['returnForCorrection', 'reject', 'clerk'] as const;
export type RuleConsequence = (typeof RULE_CONSEQUENCES)[number];

const bilingual = z.object({ zh: z.string().trim().min(1).max(500), en: z.string().trim().min(1).max(500) });

export const ruleDefinition = z.object({
  id: z.string().trim().regex(/^[a-zA-Z][\w.-]{0,63}$/, 'a rule id: letters, digits, dot, dash, underscore'),
  kind: z.enum(RULE_KINDS),
  enabled: z.boolean(),
  /** What a failed check leads to ('uncertain' always goes to a clerk). */
  consequence: z.enum(RULE_CONSEQUENCES),
  /** What the rule checks, in plain words for the filer and the clerk. */
  reason: bilingual,
  legalBasis: z.string().trim().min(1).max(500),
  params: z.record(z.string(), z.unknown()).default({}),
});
export type RuleDefinition = z.infer<typeof ruleDefinition>;

export const filingRuleSet = z
  .object({
    version: z.number().int().min(1),
    /** The court's code, or '*' for the platform default. */
    courtCode: z.string().trim().min(1).max(40),
    /** Causes a clean filing is accepted for without a clerk (others always go to the queue). */
    autoAcceptCauses: z.array(z.enum(CAUSE_IDS)),
    /** 民事诉讼法第一百六十五条: 50% of the province's average annual wage of the previous year. */
    smallClaimsLimit: yuan,
    /** Above this total claim a basic court is not the court of first instance (级别管辖). */
    basicCourtAmountLimit: yuan,
    limitationYears: z.literal(3),
    /** Fee per non-property case (诉讼费用交纳办法第十三条第二项: 50–100 yuan); default 100. */
    nonPropertyFee: yuan.optional(),
    rules: z.array(ruleDefinition).min(1),
  })
  .superRefine((set, context) => {
    const seen = new Set<string>();
    set.rules.forEach((rule, index) => {
      if (seen.has(rule.id)) context.addIssue({ code: 'custom', path: ['rules', index, 'id'], message: `duplicate rule id "${rule.id}"` });
      seen.add(rule.id);
    });
  });
export type FilingRuleSet = z.infer<typeof filingRuleSet>;

/** Validates a rule set (e.g. a court's own version posted by staff); VALIDATION_FAILED lists every bad field in details.issues. */
export function parseRuleSet(json: unknown): FilingRuleSet {
  const parsed = filingRuleSet.safeParse(json);
  if (parsed.success) return parsed.data;
  // The same issue shape as the HTTP layer's validation errors, so a rule-set route can pass it on as it is.
  const issues = parsed.error.issues.map((issue) => ({ path: issue.path.map(String).join('.'), message: issue.message, code: issue.code }));
  throw new AppError('VALIDATION_FAILED', `规则集无效 / invalid filing rule set: ${issues.map((issue) => `${issue.path || '(root)'}: ${issue.message}`).join('; ')}`, { issues });
}

const CPL = '《中华人民共和国民事诉讼法》';
const CPL_INTERPRETATION = '《最高人民法院关于适用〈中华人民共和国民事诉讼法〉的解释》';

const rule = (id: string, kind: RuleKind, consequence: RuleConsequence, zh: string, en: string, legalBasis: string, params: Record<string, unknown> = {}): RuleDefinition => ({
  id,
  kind,
  enabled: true,
  consequence,
  reason: { zh, en },
  legalBasis,
  params,
});

export const DEFAULT_RULE_SET: FilingRuleSet = {
  version: 1,
  courtCode: '*',
  autoAcceptCauses: ['privateLending', 'financialLoan', 'creditCard', 'salesContract', 'lease', 'onlineShopping'],
  smallClaimsLimit: '50000.00',
  // 法发〔2021〕27号: intermediate courts take first-instance civil cases of 5亿 yuan or more (parties in the same province).
  basicCourtAmountLimit: '500000000.00',
  limitationYears: 3,
  nonPropertyFee: '100.00',
  rules: [
    rule('parties', 'completeness.parties', 'returnForCorrection', '原告须写明身份证件号码及住所或联系方式；被告须明确（姓名及证件号码或住所）', 'Each plaintiff needs an ID number and an address or phone; each defendant must be identifiable (name and ID number or address)', `${CPL}第一百二十二条第一项、第二项，第一百二十四条`),
    rule('claims', 'completeness.claims', 'returnForCorrection', '须有具体的诉讼请求，金钱给付请求须写明金额', 'Claims must be specific; a money claim must state its amount', `${CPL}第一百二十二条第三项`),
    rule('facts', 'completeness.facts', 'returnForCorrection', '须写明事实和理由', 'The facts and reasons must be stated', `${CPL}第一百二十四条第三项`, { minLength: 10 }),
    rule('causeFacts', 'completeness.causeFacts', 'returnForCorrection', '须回答该案由的全部必答要素', "Every required question of the cause must be answered", `${CPL}第一百二十四条；《民事案件案由规定》`),
    rule('materials', 'completeness.materials', 'returnForCorrection', '须提交起诉状、身份证明及该案由所需的材料', 'The complaint, proof of identity and the materials the cause needs must be uploaded', `${CPL}第一百二十三条、第一百二十四条；${CPL_INTERPRETATION}第二百零八条`),
    rule('evidence', 'completeness.evidence', 'returnForCorrection', '须列明证据及其证明目的，所附材料须已上传', 'Evidence must be listed with its purpose, and any linked material uploaded', `${CPL}第一百二十四条第四项`),
    rule('powerOfAttorney', 'completeness.powerOfAttorney', 'returnForCorrection', '代理人起诉须提交授权委托书', 'An agent filing for a client must upload the power of attorney', `${CPL}第六十二条`),
    rule('arbitration', 'prerequisite.arbitration', 'reject', '劳动争议须先经劳动仲裁', 'A labour dispute must go to labour arbitration first', '《中华人民共和国劳动争议调解仲裁法》第五条、第二十九条'),
    rule('territorial', 'jurisdiction.territorial', 'reject', '本院须对案件有地域管辖权（被告住所地、合同履行地、协议管辖地或侵权行为地）', 'This court must have territorial jurisdiction (defendant domicile, place of performance, agreed court or place of the tort)', `${CPL}第二十二条、第二十四条、第二十九条、第三十条、第三十五条；${CPL_INTERPRETATION}第十八条、第二十条、第二百一十一条`),
    rule('level', 'jurisdiction.level', 'reject', '诉讼标的额超过基层法院管辖标准的，不属本院管辖', 'A claim above the basic-court limit belongs to an intermediate court', `${CPL}第十八条、第十九条；《最高人民法院关于调整中级人民法院管辖第一审民事案件标准的通知》（法发〔2021〕27号）`),
    rule('limitation', 'limitation', 'clerk', '诉讼时效期间为三年，自知道或应当知道权利受到损害之日起计算；超过时效由立案人员提示，法院不主动适用', 'The limitation period is 3 years from when the right holder knew of the harm; an expired period is flagged for the clerk, a court does not apply it of its own motion', '《中华人民共和国民法典》第一百八十八条、第一百九十三条、第二百零一条、第二百零二条、第二百零三条'),
    rule('duplicate', 'duplicate', 'reject', '同一当事人就同一诉讼请求重复起诉的，不予受理', 'The same parties may not file the same claims again', `${CPL}第一百二十七条第五项；${CPL_INTERPRETATION}第二百四十七条`, { statuses: { accepted: 'reject', submitted: 'clerk', needsClerk: 'clerk' } }),
    rule('fee', 'fee', 'clerk', '按诉讼费用交纳办法计算案件受理费', 'The acceptance fee per the national fee schedule', '《诉讼费用交纳办法》第十三条、第十六条、第二十条'),
    rule('smallClaims', 'smallClaims', 'clerk', '标的额在小额诉讼标准以下的简单金钱给付案件适用小额诉讼程序', 'Simple money claims up to the small-claims limit are heard under the small-claims procedure', `${CPL}第一百六十五条、第一百六十六条`),
    rule('electronicService', 'electronicService', 'returnForCorrection', '同意电子送达须提供送达地址，当事人须有地址或联系方式', 'Consent to electronic service needs a service address, and the party an address or contact', `${CPL}第九十条`),
  ],
};
