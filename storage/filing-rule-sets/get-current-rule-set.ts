// The filing rule set in force at a court: the court's newest version, else the platform's newest
// (court_id null), else the rule set built into models/filing-rules. The filing review reads it for
// every submission, so it is one indexed query.
import { sql } from 'drizzle-orm';
import { DEFAULT_RULE_SET, type FilingRuleSet } from '../../models/filing-rules/rule-set.ts';
import type { Db, Tx } from '../database.ts';
import { isUuid } from '../ids.ts';
import { rowsOf } from '../raw-rows.ts';

export type RuleSetSource = 'court' | 'platform' | 'builtIn';

export interface RuleSetRecord {
  /** null for the built-in set, which has no row. */
  id: string | null;
  courtId: string | null;
  version: number;
  source: RuleSetSource;
  ruleSet: FilingRuleSet;
  createdBy: string | null;
  createdAt: string | null;
}

export interface RuleSetRow {
  id: string;
  court_id: string | null;
  version: number;
  rule_set: FilingRuleSet | string;
  created_by: string | null;
  created_at: string | Date;
}

export function ruleSetRecordOf(row: RuleSetRow): RuleSetRecord {
  // Rows were validated (parseRuleSet) when written; pg answers jsonb parsed, PGlite too, text only from odd drivers.
  const ruleSet = typeof row.rule_set === 'string' ? (JSON.parse(row.rule_set) as FilingRuleSet) : row.rule_set;
  return {
    id: row.id,
    courtId: row.court_id,
    version: Number(row.version),
    source: row.court_id ? 'court' : 'platform',
    ruleSet,
    createdBy: row.created_by,
    createdAt: new Date(row.created_at).toISOString(),
  };
}

export const BUILT_IN_RULE_SET_RECORD: RuleSetRecord = {
  id: null,
  courtId: null,
  version: DEFAULT_RULE_SET.version,
  source: 'builtIn',
  ruleSet: DEFAULT_RULE_SET,
  createdBy: null,
  createdAt: null,
};

export async function getCurrentRuleSetRecord({ db, courtId }: { db: Db | Tx; courtId: string }): Promise<RuleSetRecord> {
  const court = isUuid(courtId) ? courtId : null;
  const result = await db.execute(sql`
    select id, court_id, version, rule_set, created_by, created_at from filing_rule_sets
    where court_id = ${court}::uuid or court_id is null
    order by (court_id is null), version desc
    limit 1`);
  const [row] = rowsOf<RuleSetRow>(result);
  return row ? ruleSetRecordOf(row) : BUILT_IN_RULE_SET_RECORD;
}

/** The rule set the filing review evaluates a filing at `courtId` with. */
export async function getCurrentRuleSet({ db, courtId }: { db: Db | Tx; courtId: string }): Promise<FilingRuleSet> {
  return (await getCurrentRuleSetRecord({ db, courtId })).ruleSet;
}
