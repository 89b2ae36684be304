// Writes audit rows inside the caller's transaction, so a use-case and its audit row commit or
// roll back together. `detail` must never carry personal identifiers in clear.
import type { SQL } from 'drizzle-orm';
import type { Db } from '../database.ts';
import { insertRowsSql } from '../insert-many.ts';
import { auditLog } from '../schema.ts';

/** Who did it; null for the system itself (seeding, schedulers). */
export interface AuditActor {
  userId: string | null;
  role: string | null;
}

export const SYSTEM_ACTOR: AuditActor = { userId: null, role: null };

export interface AuditEntry {
  actor: AuditActor;
  /** '<subject kind>.<verb>', e.g. 'user.create', 'case.FILE'. */
  action: string;
  subjectKind: string;
  subjectId: string;
  detail?: Record<string, unknown>;
  /** When it happened; defaults to the moment of writing. */
  at?: Date;
}

export async function writeAudit(tx: Db, entries: AuditEntry | readonly AuditEntry[]): Promise<void> {
  const list = Array.isArray(entries) ? (entries as readonly AuditEntry[]) : [entries as AuditEntry];
  if (list.length === 0) return;
  await tx.execute(auditInsertSql(list));
}

/** The insert of `entries` as one statement, for callers that combine it with others (the journal's commit). */
export function auditInsertSql(entries: readonly AuditEntry[]): SQL {
  const now = new Date().toISOString();
  return insertRowsSql(auditLog, [
    [auditLog.at, 'timestamptz', entries.map((e) => (e.at ? e.at.toISOString() : now))],
    [auditLog.actorUserId, 'uuid', entries.map((e) => e.actor.userId)],
    [auditLog.actorRole, 'text', entries.map((e) => e.actor.role)],
    [auditLog.action, 'text', entries.map((e) => e.action)],
    [auditLog.subjectKind, 'text', entries.map((e) => e.subjectKind)],
    [auditLog.subjectId, 'text', entries.map((e) => e.subjectId)],
    [auditLog.detail, 'jsonb', entries.map((e) => e.detail ?? {})],
  ]);
}
