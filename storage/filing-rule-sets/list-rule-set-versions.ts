// The version history of a court's filing rules: the court's own versions and the platform's
// (which apply while the court has none), newest first, for court staff to review.
import { sql } from 'drizzle-orm';
import type { Db } from '../database.ts';
import { isUuid } from '../ids.ts';
import { rowsOf } from '../raw-rows.ts';
import { ruleSetRecordOf, type RuleSetRecord, type RuleSetRow } from './get-current-rule-set.ts';

export async function listRuleSetVersions({ db, courtId }: { db: Db; courtId: string }): Promise<RuleSetRecord[]> {
  const court = isUuid(courtId) ? courtId : null;
  const result = await db.execute(sql`
    select id, court_id, version, rule_set, created_by, created_at from filing_rule_sets
    where court_id = ${court}::uuid or court_id is null
    order by (court_id is null), version desc`);
  return rowsOf<RuleSetRow>(result).map(ruleSetRecordOf);
}
