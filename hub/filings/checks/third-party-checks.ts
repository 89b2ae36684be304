// 第三方核验 for a filing: checks the filing review cannot make from the filing alone, each an
// adapter whose result is recorded (the filing actor journals them in its evaluation's trace;
// an 'uncertain' or 'fail' sends the filing to a clerk).
//  - enterpriseRegistration: an organisation party's 统一社会信用代码 checked by its GB 32100-2015
//    form and check characters, locally; no enterprise registry is queried unless a registry
//    adapter is passed in (none ships: the platform has no registry connection yet).
//  - realNameStatus: whether the filer's account, the agent's and every party account named by
//    userId passed the real-name check (the same 'real_name' identity check 立案须实名 relies on).
import type { FilingInput } from '../../../models/filing-rules/filing.ts';
import type { Db } from '../../../storage/database.ts';
import { hasPassedIdentityCheck } from '../../../storage/identity/has-passed-identity-check.ts';
import { checkUnifiedSocialCreditCode } from './unified-social-credit-code.ts';

export interface ThirdPartyCheckResult {
  check: 'enterpriseRegistration' | 'realNameStatus';
  /** The filing path of the party checked ('defendants.0', 'agent'), or 'filer' for the filing account. */
  party: string;
  outcome: 'pass' | 'fail' | 'uncertain';
  source: string;
  detail: Record<string, unknown>;
  checkedAt: string;
}

/** An enterprise registry (国家企业信用信息公示系统 or a court's data exchange), for a later adapter. */
export interface EnterpriseRegistry {
  readonly source: string;
  /** 'registered': exists and in business; 'deregistered': cancelled or revoked; 'unknown': not found. */
  lookup(code: string): Promise<{ status: 'registered' | 'deregistered' | 'unknown'; name?: string }>;
}

export const CREDIT_CODE_SOURCE = 'GB 32100-2015 check digit';
export const REAL_NAME_SOURCE = 'ecourt identity checks (real_name)';

export interface ThirdPartyCheckDeps {
  db: Db;
  /** Absent: the local check only (the default). */
  enterpriseRegistry?: EnterpriseRegistry;
  /** The time stamped on the results (tests pin it). */
  now?: () => Date;
}

type Party = FilingInput['plaintiffs'][number];

function partiesWithPaths(filing: FilingInput): { path: string; party: Party }[] {
  return [
    ...filing.plaintiffs.map((party, i) => ({ path: `plaintiffs.${i}`, party })),
    ...filing.defendants.map((party, i) => ({ path: `defendants.${i}`, party })),
  ];
}

async function enterpriseRegistrationCheck(
  deps: ThirdPartyCheckDeps,
  path: string,
  party: Party,
  checkedAt: string,
): Promise<ThirdPartyCheckResult> {
  const result = (outcome: ThirdPartyCheckResult['outcome'], source: string, detail: Record<string, unknown>): ThirdPartyCheckResult => ({
    check: 'enterpriseRegistration',
    party: path,
    outcome,
    source,
    detail,
    checkedAt,
  });
  if (!party.idNumber) return result('uncertain', CREDIT_CODE_SOURCE, { reason: 'noCreditCode', registryQueried: false });
  const code = checkUnifiedSocialCreditCode(party.idNumber);
  // The code itself is a public registration number, not a personal identifier; only its form is recorded anyway.
  const formDetail = { refusals: code.refusals, ...(code.parts ? { division: code.parts.division, category: code.parts.registrationAuthority + code.parts.category } : {}) };
  if (!code.valid) return result('fail', CREDIT_CODE_SOURCE, { ...formDetail, registryQueried: false });
  if (!deps.enterpriseRegistry) return result('pass', CREDIT_CODE_SOURCE, { ...formDetail, registryQueried: false });
  try {
    const found = await deps.enterpriseRegistry.lookup(code.normalised);
    const outcome = found.status === 'registered' ? 'pass' : found.status === 'deregistered' ? 'fail' : 'uncertain';
    return result(outcome, deps.enterpriseRegistry.source, { ...formDetail, registryQueried: true, registryStatus: found.status });
  } catch (error) {
    // A registry that does not answer is no reason to refuse a filing: a clerk looks.
    return result('uncertain', deps.enterpriseRegistry.source, { ...formDetail, registryQueried: true, registryError: (error as Error).message });
  }
}

export async function runThirdPartyChecks(deps: ThirdPartyCheckDeps, filing: FilingInput, filerUserId: string): Promise<ThirdPartyCheckResult[]> {
  const checkedAt = (deps.now?.() ?? new Date()).toISOString();
  const parties = partiesWithPaths(filing);

  const enterprise = parties
    .filter(({ party }) => party.kind === 'organisation')
    .map(({ path, party }) => enterpriseRegistrationCheck(deps, path, party, checkedAt));

  // The filer must have passed (fail otherwise); a named party's account that has not is only uncertain:
  // the filer cannot make someone else verify.
  const accounts: { path: string; userId: string; required: boolean }[] = [{ path: 'filer', userId: filerUserId, required: true }];
  if (filing.agent && filing.agent.userId !== filerUserId) accounts.push({ path: 'agent', userId: filing.agent.userId, required: true });
  for (const { path, party } of parties) if (party.userId) accounts.push({ path, userId: party.userId, required: false });
  const realName = accounts.map(async ({ path, userId, required }): Promise<ThirdPartyCheckResult> => {
    const passed = await hasPassedIdentityCheck({ db: deps.db, userId, kind: 'real_name' });
    return {
      check: 'realNameStatus',
      party: path,
      outcome: passed ? 'pass' : required ? 'fail' : 'uncertain',
      source: REAL_NAME_SOURCE,
      detail: { userId, realNamePassed: passed },
      checkedAt,
    };
  });

  return Promise.all([...enterprise, ...realName]);
}
