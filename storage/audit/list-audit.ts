// The audit trail of one subject (a case, a user, a court), oldest first.
import { and, asc, eq } from 'drizzle-orm';
import type { Db } from '../database.ts';
import { auditLog } from '../schema.ts';

export interface AuditRow {
  id: number;
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
  const rows = await db
    .select()
    .from(auditLog)
    .where(and(eq(auditLog.subjectKind, subjectKind), eq(auditLog.subjectId, subjectId)))
    .orderBy(asc(auditLog.id))
    .limit(limit);
  return rows.map((row) => ({ ...row, at: row.at.toISOString() }));
}
