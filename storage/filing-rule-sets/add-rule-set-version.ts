// A court's new version of its filing rules (courtAdmin): numbered after the version in force
// (the court's, else the platform's, else the built-in one), stored with its audit row in one
// transaction. Earlier versions stay: a filing's trace names the version it was judged by.
import { sql } from 'drizzle-orm';
import type { FilingRuleSet } from '../../models/filing-rules/rule-set.ts';
import { writeAudit, type AuditActor } from '../audit/write-audit.ts';
import type { Db } from '../database.ts';
import { rowsOf } from '../raw-rows.ts';
import { getCurrentRuleSetRecord, ruleSetRecordOf, type RuleSetRecord, type RuleSetRow } from './get-current-rule-set.ts';

export interface AddRuleSetVersionOptions {
  db: Db;
  courtId: string;
  /** The court's code ('京0105'), written into the set as its courtCode. */
  courtCode: string;
  /** Already validated (parseRuleSet); its version and courtCode are replaced. */
  ruleSet: FilingRuleSet;
  actor: AuditActor;
  /** Why the court changed its rules, kept in the audit row. */
  note?: string;
}

export async function addRuleSetVersion({ db, courtId, courtCode, ruleSet, actor, note }: AddRuleSetVersionOptions): Promise<RuleSetRecord> {
  return db.transaction(async (tx) => {
    // Two admins saving at once get consecutive versions instead of a unique-key failure.
    await tx.execute(sql`select pg_advisory_xact_lock(hashtext(${'filing_rule_sets:' + courtId}))`);
    const current = await getCurrentRuleSetRecord({ db: tx, courtId });
    const maxResult = await tx.execute(sql`select coalesce(max(version), 0) as max from filing_rule_sets where court_id = ${courtId}::uuid`);
    const courtMax = Number(rowsOf<{ max: number | string }>(maxResult)[0]?.max ?? 0);
    const version = Math.max(courtMax, current.version) + 1;
    const stored: FilingRuleSet = { ...ruleSet, version, courtCode };
    const inserted = await tx.execute(sql`
      insert into filing_rule_sets (court_id, version, rule_set, created_by)
      values (${courtId}::uuid, ${version}, ${JSON.stringify(stored)}::jsonb, ${actor.userId}::uuid)
      returning id, court_id, version, rule_set, created_by, created_at`);
    const record = ruleSetRecordOf(rowsOf<RuleSetRow>(inserted)[0]!);
    await writeAudit(tx, {
      actor,
      action: 'filingRuleSet.add',
      subjectKind: 'court',
      subjectId: courtId,
      detail: {
        version,
        previousVersion: current.version,
        previousSource: current.source,
        ruleIds: stored.rules.map((rule) => rule.id),
        ...(note ? { note } : {}),
      },
    });
    return record;
  });
}
