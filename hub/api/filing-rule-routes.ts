// 立案规则: a court's filing rules for its staff to review (the set in force, each rule's id, plain
// reason and legal basis, and every earlier version), and a courtAdmin saving a new version. A new
// version is validated by the rule engine's own schema (parseRuleSet) and audited; old versions
// stay, since each filing's trace names the version it was judged by.
import { z } from 'zod';
import { parseRuleSet, type FilingRuleSet } from '../../models/filing-rules/rule-set.ts';
import { AppError, ForbiddenError, NotFoundError } from '../../platform/errors.ts';
import { getCourt } from '../../storage/courts/get-court.ts';
import { addRuleSetVersion } from '../../storage/filing-rule-sets/add-rule-set-version.ts';
import { BUILT_IN_RULE_SET_RECORD, getCurrentRuleSetRecord, type RuleSetRecord } from '../../storage/filing-rule-sets/get-current-rule-set.ts';
import { listRuleSetVersions } from '../../storage/filing-rule-sets/list-rule-set-versions.ts';
import { signedInAs } from '../auth/access.ts';
import type { Session } from '../auth/session-token.ts';
import { validationFailed } from '../http/error-response.ts';
import { defineRoute, type AnyRoute } from '../http/route.ts';
import { paths } from '../http/paths.ts';
import type { HubServices } from '../services.ts';

const ruleSetRecordSchema = z.object({
  id: z.uuid().nullable().describe('null for the set built into the platform'),
  courtId: z.uuid().nullable(),
  version: z.number().int(),
  source: z.enum(['court', 'platform', 'builtIn']),
  ruleSet: z.record(z.string(), z.unknown()).describe('version, courtCode, autoAcceptCauses, smallClaimsLimit, basicCourtAmountLimit, limitationYears, rules[{id, kind, enabled, consequence, reason {zh,en}, legalBasis, params}]'),
  createdBy: z.uuid().nullable(),
  createdAt: z.string().nullable(),
});

const rulesAnswer = z.object({
  court: z.object({ id: z.uuid(), code: z.string(), name: z.string() }),
  current: ruleSetRecordSchema,
  /** Newest first: the court's versions, then the platform's, then the built-in one. */
  versions: z.array(ruleSetRecordSchema),
});

const courtParams = z.object({ courtId: z.uuid() });

/** parseRuleSet, its refusal's issue paths prefixed 'body.ruleSet.' like every other validation error of the API. */
function parseRuleSetAsBody(json: Record<string, unknown>): FilingRuleSet {
  try {
    return parseRuleSet(json);
  } catch (error) {
    if (!(error instanceof AppError) || error.code !== 'VALIDATION_FAILED') throw error;
    const details = (error.details ?? {}) as { issues?: { path: string; message: string; code?: string }[]; fields?: { path: string; message: string; code?: string }[] };
    const issues = details.issues ?? details.fields ?? [];
    throw validationFailed(issues.map((issue) => ({ path: ['body', 'ruleSet', issue.path].filter((part) => part !== '').join('.'), message: issue.message, code: issue.code ?? 'custom' })));
  }
}

function assertOwnCourt(session: Session, courtId: string): void {
  if (session.courtId !== courtId) throw new ForbiddenError('Only staff of this court may see or change its filing rules');
}

async function readRules(services: HubServices, courtId: string) {
  const db = services.database.db;
  const court = await getCourt({ db, courtId });
  if (!court) throw new NotFoundError('Court');
  const [current, stored] = await Promise.all([getCurrentRuleSetRecord({ db, courtId }), listRuleSetVersions({ db, courtId })]);
  const versions: RuleSetRecord[] = [...stored, BUILT_IN_RULE_SET_RECORD];
  return { court: { id: court.id, code: court.code, name: court.name }, current, versions };
}

export const getFilingRulesRoute = defineRoute({
  method: 'get',
  path: paths.courtFilingRules,
  operationId: 'getFilingRules',
  summary: 'The court’s filing rule set in force (each rule’s id, reason, legal basis) and its version history',
  tags: ['filings'],
  access: signedInAs('judge', 'clerk', 'courtAdmin'),
  params: courtParams,
  response: rulesAnswer,
  authorize({ session, params }) {
    assertOwnCourt(session as Session, params.courtId);
  },
  async handle({ params, services }) {
    return readRules(services, params.courtId);
  },
});

export const putFilingRulesRoute = defineRoute({
  method: 'put',
  path: paths.courtFilingRules,
  operationId: 'putFilingRules',
  summary: 'Saves a new version of the court’s filing rules (courtAdmin); validated and audited, earlier versions kept',
  tags: ['filings'],
  access: signedInAs('courtAdmin'),
  params: courtParams,
  body: z.object({
    ruleSet: z.record(z.string(), z.unknown()).describe('A whole rule set; its version and courtCode are assigned by the server'),
    note: z.string().trim().min(1).max(500).optional().describe('Why the rules change (kept in the audit row)'),
  }),
  response: rulesAnswer,
  errors: ['VALIDATION_FAILED'],
  authorize({ session, params }) {
    assertOwnCourt(session as Session, params.courtId);
  },
  async handle({ session, params, body, services }) {
    const caller = session as Session;
    const db = services.database.db;
    const court = await getCourt({ db, courtId: params.courtId });
    if (!court) throw new NotFoundError('Court');
    // Version and court are the server's: a client cannot skip or reuse a number, nor write another court's code.
    const ruleSet = parseRuleSetAsBody({ ...body.ruleSet, version: 1, courtCode: court.code });
    await addRuleSetVersion({ db, courtId: court.id, courtCode: court.code, ruleSet, actor: { userId: caller.userId, role: caller.role }, ...(body.note ? { note: body.note } : {}) });
    return readRules(services, params.courtId);
  },
});

export const filingRuleRoutes: AnyRoute[] = [getFilingRulesRoute, putFilingRulesRoute];
