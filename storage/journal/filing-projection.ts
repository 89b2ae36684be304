// Projects the filing review actor's journal into `filings` (one upsert per filing per commit, from the
// context after its last record in the commit) and writes an audit row for every clerk's decision
// (DECIDE: override with a reason, audited) — both as writes of the journal's one commit statement.
import { sql } from 'drizzle-orm';
import type { JournalRecord } from '../../actors/runtime/types.ts';
import type { FilingContext } from '../../actors/filing/filing-review.machine.ts';
import { filingStatusOf } from '../../actors/filing/filing.protocol.ts';
import { auditInsertSql, type AuditEntry } from '../audit/write-audit.ts';
import { insertRowsSql } from '../insert-many.ts';
import { filings } from '../filings/schema.ts';
import type { Projection, ProjectionWrite } from './sql-journal.ts';

const contextOf = (record: JournalRecord): FilingContext => record.context as unknown as FilingContext;

/** The total of the claims' amounts in fen-exact decimal arithmetic (null when no claim has one). */
function claimTotal(context: FilingContext): string | null {
  const amounts = (context.filing?.claims ?? []).flatMap((claim) => (claim.amount ? [claim.amount] : []));
  if (amounts.length === 0) return null;
  let fen = 0n;
  for (const amount of amounts) {
    const [whole, fraction = ''] = amount.split('.');
    fen += BigInt(whole!) * 100n + BigInt((fraction + '00').slice(0, 2));
  }
  return `${fen / 100n}.${String(fen % 100n).padStart(2, '0')}`;
}

export const filingProjection: Projection = (records) => {
  const latest = new Map<string, JournalRecord>();
  const audits: AuditEntry[] = [];
  for (const record of records) {
    latest.set(record.id, record);
    if (record.event.type === 'DECIDE') {
      const event = record.event as unknown as { by: { userId: string; role: string }; decision: string; reason: string; correction: { fields: string[]; deadline: string } | null };
      audits.push({
        actor: { userId: event.by.userId, role: event.by.role },
        action: `filing.DECIDE`,
        subjectKind: 'filing',
        subjectId: record.id,
        detail: { decision: event.decision, reason: event.reason, ...(event.correction ? { fields: event.correction.fields, deadline: event.correction.deadline } : {}), seq: record.seq },
        at: new Date(record.at),
      });
    }
  }
  const rows = [...latest.values()].filter((record) => contextOf(record).filing !== null);
  const writes: ProjectionWrite[] = [];
  if (rows.length > 0) {
    const column = <T>(pick: (record: JournalRecord, context: FilingContext) => T) => rows.map((record) => pick(record, contextOf(record)));
    writes.push({
      statement: sql`${insertRowsSql(filings, [
        [filings.id, 'uuid', column((r) => r.id)],
        [filings.courtId, 'uuid', column((_, c) => c.courtId)],
        [filings.filedBy, 'uuid', column((_, c) => c.filedBy!.userId)],
        [filings.filedByRole, 'text', column((_, c) => c.filedBy!.role)],
        [filings.agentUserId, 'uuid', column((_, c) => c.agentUserId)],
        [filings.draftId, 'uuid', column((_, c) => c.draftId)],
        [filings.status, 'text', column((r) => filingStatusOf(r.state))],
        [filings.state, 'text', column((r) => r.state)],
        [filings.cause, 'text', column((_, c) => c.filing!.cause)],
        [filings.procedure, 'text', column((_, c) => c.review?.evaluation.procedure ?? null)],
        [filings.claimAmount, 'numeric', column((_, c) => claimTotal(c))],
        [filings.fingerprint, 'text', column((_, c) => c.fingerprint)],
        [filings.filing, 'jsonb', column((_, c) => c.filing)],
        [filings.decision, 'jsonb', column((_, c) => c.review)],
        [filings.fee, 'numeric', column((_, c) => c.review?.evaluation.fee.fee ?? null)],
        [filings.correction, 'jsonb', column((_, c) => c.correction)],
        [filings.reasons, 'jsonb', column((_, c) => c.reasons)],
        [filings.decidedBy, 'uuid', column((_, c) => c.clerkDecision?.by.userId ?? null)],
        [filings.decidedAt, 'timestamptz', column((_, c) => c.clerkDecision?.decidedAt ?? null)],
        [filings.caseId, 'uuid', column((_, c) => c.acceptance?.caseId ?? null)],
        [filings.caseNumber, 'text', column((_, c) => c.acceptance?.caseNumber ?? null)],
        [filings.receiptDocumentId, 'uuid', column((_, c) => c.acceptance?.receiptDocumentId ?? null)],
        [filings.submittedAt, 'timestamptz', column((_, c) => c.submittedAt)],
        [filings.updatedAt, 'timestamptz', column((r) => r.at)],
        [filings.lastSeq, 'int', column((r) => r.seq)],
      ])} on conflict (id) do update set status = excluded.status, state = excluded.state, agent_user_id = excluded.agent_user_id,
        procedure = excluded.procedure, claim_amount = excluded.claim_amount, fingerprint = excluded.fingerprint, filing = excluded.filing,
        decision = excluded.decision, fee = excluded.fee, correction = excluded.correction, reasons = excluded.reasons,
        decided_by = excluded.decided_by, decided_at = excluded.decided_at, case_id = excluded.case_id, case_number = excluded.case_number,
        receipt_document_id = excluded.receipt_document_id, updated_at = excluded.updated_at, last_seq = excluded.last_seq
        where filings.last_seq < excluded.last_seq`,
    });
  }
  if (audits.length > 0) writes.push({ statement: auditInsertSql(audits) });
  return writes;
};
