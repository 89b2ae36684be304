// Writes audit rows inside the caller's transaction, so a use-case and its audit row commit or
// roll back together. `detail` must never carry personal identifiers in clear.
import type { Db } from '../database.ts';
import { insertManySql, jsonText } from '../insert-many.ts';
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
  const now = new Date().toISOString();
  await tx.execute(
    insertManySql(auditLog, [
      [auditLog.at, 'timestamptz', list.map((e) => (e.at ? e.at.toISOString() : now))],
      [auditLog.actorUserId, 'uuid', list.map((e) => e.actor.userId)],
      [auditLog.actorRole, 'text', list.map((e) => e.actor.role)],
      [auditLog.action, 'text', list.map((e) => e.action)],
      [auditLog.subjectKind, 'text', list.map((e) => e.subjectKind)],
      [auditLog.subjectId, 'text', list.map((e) => e.subjectId)],
      [auditLog.detail, 'jsonb', list.map((e) => jsonText(e.detail ?? {}))],
    ]),
  );
}
