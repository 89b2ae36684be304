// The audit trail of one subject (a case, a user, a court), oldest first. Actions of use-cases
// live in audit_log; the events of actor kinds (a case's filing, review, acceptance …) live in
// the actor journal, which is their audit trail (journal-audit.ts); both are merged here.
import { and, asc, eq } from 'drizzle-orm';
import type { Db } from '../database.ts';
import { actorJournal, auditLog } from '../schema.ts';
import { auditEntryOfJournalRecord, JOURNAL_AUDITED_KINDS } from './journal-audit.ts';

export interface AuditRow {
  /** Unique within a trail: `audit_log:<id>` or `actor_journal:<seq>`. */
  id: string;
  source: 'audit_log' | 'actor_journal';
  at: string;
  actorUserId: string | null;
  actorRole: string | null;
  action: string;
  subjectKind: string;
  subjectId: string;
  detail: Record<string, unknown>;
}

export interface ListAuditOptions {
  db: Db;
  subjectKind: string;
  subjectId: string;
  limit?: number;
}

export async function listAudit({ db, subjectKind, subjectId, limit = 1000 }: ListAuditOptions): Promise<AuditRow[]> {
  const logged = await db
    .select()
    .from(auditLog)
    .where(and(eq(auditLog.subjectKind, subjectKind), eq(auditLog.subjectId, subjectId)))
    .orderBy(asc(auditLog.id))
    .limit(limit);
  const trail: AuditRow[] = logged.map((row) => ({ ...row, id: `audit_log:${row.id}`, source: 'audit_log', at: row.at.toISOString() }));
  if (JOURNAL_AUDITED_KINDS.has(subjectKind)) {
    const records = await db
      .select()
      .from(actorJournal)
      .where(and(eq(actorJournal.kind, subjectKind), eq(actorJournal.actorId, subjectId)))
      .orderBy(asc(actorJournal.seq))
      .limit(limit);
    for (const record of records) {
      const entry = auditEntryOfJournalRecord(record);
      trail.push({
        id: `actor_journal:${record.seq}`,
        source: 'actor_journal',
        at: record.at.toISOString(),
        actorUserId: entry.actor.userId,
        actorRole: entry.actor.role,
        action: entry.action,
        subjectKind,
        subjectId,
        detail: entry.detail,
      });
    }
    // Oldest first across both sources; each source is already in its own order and the sort is stable.
    trail.sort((a, b) => Date.parse(a.at) - Date.parse(b.at));
  }
  return trail.slice(0, limit);
}
