// Turns the rules' evaluation of a submission into the review the filing actor journals: the
// third-party checks as rule results of the trace (a failed or uncertain check sends the filing to a
// clerk), what to correct by when, and the reasons the filer is given. Pure.
import type { FilingDecision, FilingEvaluation, RuleResult } from '../../models/filing-rules/evaluate.ts';
import type { ThirdPartyCheckResult } from '../../hub/filings/checks/third-party-checks.ts';
import type { FilingCorrection, FilingReason, FilingReview } from './filing-review.machine.ts';
import { CORRECTION_DAYS } from './filing.protocol.ts';

const CHECK_REASONS: Record<ThirdPartyCheckResult['check'], Record<'fail' | 'uncertain', { zh: string; en: string }>> = {
  enterpriseRegistration: {
    fail: { zh: '统一社会信用代码校验未通过，请核对当事人名称与代码', en: 'The unified social credit code failed its check; verify the party and its code' },
    uncertain: { zh: '无法核验该组织的登记信息，需人工审查', en: 'The organisation’s registration could not be verified; a clerk will check it' },
  },
  realNameStatus: {
    fail: { zh: '提交人未通过实名认证', en: 'The filer has not passed real-name verification' },
    uncertain: { zh: '当事人账户未完成实名认证，需人工审查', en: 'A party’s account has not passed real-name verification; a clerk will check it' },
  },
};

const CHECK_BASIS: Record<ThirdPartyCheckResult['check'], string> = {
  enterpriseRegistration: 'GB 32100-2015《法人和其他组织统一社会信用代码编码规则》',
  realNameStatus: '《最高人民法院关于人民法院在线诉讼规则》第七条',
};

/** A third-party check as a rule result of the trace. */
export function checkAsRuleResult(check: ThirdPartyCheckResult): RuleResult {
  const failed = check.outcome !== 'pass';
  return {
    ruleId: `check.${check.check}`,
    outcome: check.outcome,
    consequence: failed ? 'clerk' : null,
    reason: failed ? CHECK_REASONS[check.check][check.outcome as 'fail' | 'uncertain'] : { zh: '核验通过', en: 'Verified' },
    legalBasis: CHECK_BASIS[check.check],
    fields: [check.party],
    detail: { source: check.source, checkedAt: check.checkedAt, ...check.detail },
  };
}

/** YYYY-MM-DD plus whole days (calendar arithmetic in UTC: the date has no time zone). */
export function addDays(date: string, days: number): string {
  const at = new Date(`${date}T00:00:00Z`);
  at.setUTCDate(at.getUTCDate() + days);
  return at.toISOString().slice(0, 10);
}

const reasonOf = (result: RuleResult): FilingReason => ({
  ruleId: result.ruleId,
  zh: result.reason.zh,
  en: result.reason.en,
  legalBasis: result.legalBasis,
  fields: result.fields,
});

const NOT_AUTO_ACCEPTED: FilingReason = {
  ruleId: 'autoAcceptCauses',
  zh: '该案由不在本院自动立案范围内，由立案庭人工审查',
  en: 'This cause is not on the court’s automatic acceptance list; a filing clerk reviews it',
  legalBasis: '《最高人民法院关于人民法院登记立案若干问题的规定》第八条',
  fields: ['cause'],
};

/** The review of an evaluation whose trace already holds the checks (evaluateFiling's additionalResults). */
export function reviewOf(evaluation: FilingEvaluation, checks: ThirdPartyCheckResult[], today: string): FilingReview {
  const decision: FilingDecision = evaluation.decision;
  const concerns = evaluation.trace.filter((result) => result.outcome === 'fail' || result.outcome === 'uncertain');
  let reasons: FilingReason[] = [];
  let correction: FilingCorrection | null = null;
  if (decision === 'reject') {
    reasons = concerns.filter((result) => result.consequence === 'reject').map(reasonOf);
  } else if (decision === 'returnForCorrection') {
    reasons = concerns.filter((result) => result.consequence === 'returnForCorrection').map(reasonOf);
    correction = { fields: [...new Set(reasons.flatMap((reason) => reason.fields))], deadline: addDays(today, CORRECTION_DAYS), reasons };
  } else if (decision === 'needsClerk') {
    reasons = concerns.map(reasonOf);
    if (reasons.length === 0) reasons = [NOT_AUTO_ACCEPTED];
  }
  return { evaluation, checks, decision, correction, reasons };
}
