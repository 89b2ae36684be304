// Records one identity check of a user (and its audit row) inside the caller's transaction.
// `details` must already be free of personal data (rule names, scores, hashes only).
import { writeAudit, type AuditActor } from '../audit/write-audit.ts';
import type { Db } from '../database.ts';
import { identityChecks, type IdentityCheckOutcome } from './schema.ts';

export interface IdentityCheckRecord {
  id: string;
  kind: string;
  adapter: string;
  outcome: IdentityCheckOutcome;
  details: Record<string, unknown>;
  at: Date;
}

export interface RecordIdentityCheckOptions {
  tx: Db;
  userId: string;
  kind: string;
  adapter: string;
  outcome: IdentityCheckOutcome;
  details: Record<string, unknown>;
  actor: AuditActor;
}

export async function recordIdentityCheck({ tx, userId, kind, adapter, outcome, details, actor }: RecordIdentityCheckOptions): Promise<IdentityCheckRecord> {
  const [row] = await tx.insert(identityChecks).values({ userId, kind, adapter, outcome, details }).returning();
  if (!row) throw new Error('insert into identity_checks returned no row');
  await writeAudit(tx, {
    actor,
    action: 'identity.check',
    subjectKind: 'user',
    subjectId: userId,
    detail: { checkId: row.id, kind, adapter, outcome },
    at: row.at,
  });
  return { id: row.id, kind: row.kind, adapter: row.adapter, outcome: row.outcome, details: row.details, at: row.at };
}
