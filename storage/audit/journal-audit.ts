// The audit trail of actor events, read from the actor journal: a journal record already says who
// (`event.by`), what (the event), when (`at`) and the resulting state, append-only and in the
// same commit as the projections, so a second audit_log row per event would only duplicate it.
// This turns a record into the audit row the trail shows; `detail` never carries personal
// identifiers (the journal holds them sealed, and they are left out here as well).
import type { AuditActor } from './write-audit.ts';

export interface JournalAuditRecord {
  kind: string;
  actorId: string;
  seq: number;
  event: { type: string } & Record<string, unknown>;
  state: string;
  at: Date;
}

export interface JournalAuditEntry {
  actor: AuditActor;
  action: string;
  detail: Record<string, unknown>;
}

/** Actor kinds whose audit trail is their journal. */
export const JOURNAL_AUDITED_KINDS: ReadonlySet<string> = new Set(['case']);

/** Fields of an event that may go into the audit detail: never personal identifiers. */
const AUDITED_FIELDS = ['caseNumber', 'reasons', 'hearingId', 'startsAt', 'courtroom', 'summary', 'reason'] as const;

export function auditEntryOfJournalRecord(record: JournalAuditRecord): JournalAuditEntry {
  const event = record.event;
  const detail: Record<string, unknown> = { seq: record.seq, state: record.state };
  if (record.kind === 'case' && event.type === 'FILE') {
    const filing = (event as { filing?: Record<string, unknown> }).filing ?? {};
    detail.courtId = filing.courtId;
    detail.cause = filing.cause;
    detail.claimAmount = filing.claimAmount ?? null;
    detail.plaintiffs = Array.isArray(filing.plaintiffs) ? filing.plaintiffs.length : 0;
    detail.defendants = Array.isArray(filing.defendants) ? filing.defendants.length : 0;
  }
  for (const field of AUDITED_FIELDS) if (event[field] !== undefined) detail[field] = event[field];
  return { actor: senderOf(event.by), action: `${record.kind}.${event.type}`, detail };
}

/** Who sent the event, when it says so in the expected shape; else nobody (a system event). */
function senderOf(sender: unknown): AuditActor {
  if (typeof sender !== 'object' || sender === null || Array.isArray(sender)) return { userId: null, role: null };
  const { userId, role } = sender as Record<string, unknown>;
  const ok = (value: unknown) => value === undefined || value === null || typeof value === 'string';
  if (!ok(userId) || !ok(role)) return { userId: null, role: null };
  return { userId: (userId as string | null | undefined) ?? null, role: (role as string | null | undefined) ?? null };
}
