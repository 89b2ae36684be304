// 立案审查队列: a court's filings a clerk has to look at (waiting for a clerk, just submitted, or
// returned for correction), oldest first, each with the rules that failed or were uncertain and the
// third-party checks that did not pass. Read from the filing actor's projection; parties by name
// only (their identifiers stay sealed in the projection and never leave it here).
import { and, asc, eq, inArray, sql } from 'drizzle-orm';
import type { Db } from '../database.ts';
import { filings, type FilingStatus } from '../filings/schema.ts';
import { isUuid } from '../ids.ts';
import { users } from '../schema.ts';

export const QUEUE_STATUSES = ['needsClerk', 'submitted', 'returned'] as const satisfies readonly FilingStatus[];
export type QueueStatus = (typeof QUEUE_STATUSES)[number];

/** One line of a rule trace or a third-party check, as the queue shows it (shape from models/filing-rules). */
export type TraceEntry = Record<string, unknown> & { outcome?: unknown };

export interface FilingQueueItem {
  id: string;
  courtId: string;
  status: FilingStatus;
  state: string;
  cause: string;
  procedure: string | null;
  claimAmount: string | null;
  fee: string | null;
  filedBy: { userId: string; role: string; displayName: string | null };
  plaintiffs: string[];
  defendants: string[];
  /** The rule engine's decision before any clerk ('needsClerk', 'returnForCorrection' …). */
  ruleDecision: string | null;
  ruleSetVersion: number | null;
  /** Failed or uncertain rules (third-party checks included): why a clerk has to look. */
  concerns: TraceEntry[];
  trace: TraceEntry[];
  checks: TraceEntry[];
  correction: Record<string, unknown> | null;
  reasons: Record<string, unknown>[] | null;
  submittedAt: string;
  updatedAt: string;
}

type FilingRow = typeof filings.$inferSelect;

const names = (parties: unknown): string[] =>
  Array.isArray(parties) ? parties.map((party) => String((party as { name?: unknown })?.name ?? '')).filter((name) => name !== '') : [];
const entries = (value: unknown): TraceEntry[] => (Array.isArray(value) ? (value.filter((entry) => entry && typeof entry === 'object') as TraceEntry[]) : []);
const isConcern = (entry: TraceEntry) => entry.outcome === 'fail' || entry.outcome === 'uncertain';

export function filingQueueItemOf(row: FilingRow, displayName: string | null): FilingQueueItem {
  // The projection's decision column is the actor's review: { evaluation: { trace, ruleSetVersion, … }, checks, decision, … },
  // whose trace already holds the third-party checks as 'check.*' rule results.
  const review = (row.decision ?? {}) as Record<string, unknown>;
  const evaluation = (review.evaluation ?? {}) as Record<string, unknown>;
  const trace = entries(evaluation.trace);
  const checks = entries(review.checks);
  const filing = row.filing as Record<string, unknown>;
  return {
    id: row.id,
    courtId: row.courtId,
    status: row.status,
    state: row.state,
    cause: row.cause,
    procedure: row.procedure,
    claimAmount: row.claimAmount,
    fee: row.fee,
    filedBy: { userId: row.filedBy, role: row.filedByRole, displayName },
    plaintiffs: names(filing.plaintiffs),
    defendants: names(filing.defendants),
    ruleDecision: typeof review.decision === 'string' ? review.decision : null,
    ruleSetVersion: typeof evaluation.ruleSetVersion === 'number' ? evaluation.ruleSetVersion : null,
    concerns: trace.filter(isConcern),
    trace,
    checks,
    correction: row.correction ?? null,
    reasons: row.reasons ?? null,
    submittedAt: row.submittedAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}

export interface ListFilingQueueOptions {
  db: Db;
  courtId: string;
  statuses?: readonly QueueStatus[];
  limit: number;
  offset: number;
}

export async function listFilingQueue({ db, courtId, statuses = QUEUE_STATUSES, limit, offset }: ListFilingQueueOptions): Promise<{ filings: FilingQueueItem[]; total: number }> {
  if (!isUuid(courtId) || statuses.length === 0) return { filings: [], total: 0 };
  const where = and(eq(filings.courtId, courtId), inArray(filings.status, [...statuses]));
  const [rows, [count]] = await Promise.all([
    db
      .select({ filing: filings, displayName: users.displayName })
      .from(filings)
      .leftJoin(users, eq(users.id, filings.filedBy))
      .where(where)
      .orderBy(asc(filings.submittedAt), asc(filings.id))
      .limit(limit)
      .offset(offset),
    db.select({ total: sql<number>`count(*)::int` }).from(filings).where(where),
  ]);
  return { filings: rows.map(({ filing, displayName }) => filingQueueItemOf(filing, displayName)), total: Number(count?.total ?? 0) };
}

/** One filing as the queue shows it, whatever its status (the answer to a clerk's decision), or null. */
export async function getFilingQueueItem({ db, filingId }: { db: Db; filingId: string }): Promise<FilingQueueItem | null> {
  if (!isUuid(filingId)) return null;
  const [row] = await db
    .select({ filing: filings, displayName: users.displayName })
    .from(filings)
    .leftJoin(users, eq(users.id, filings.filedBy))
    .where(eq(filings.id, filingId))
    .limit(1);
  return row ? filingQueueItemOf(row.filing, row.displayName) : null;
}
