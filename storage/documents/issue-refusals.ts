// A document a stage hook could not issue (受理通知书 without a party's address …) is recorded as an audit
// row `document.issue-refused` on the case, with the missing or bad fields, so court staff see on the case
// page what to complete. A reconcile that meets the same refusal again adds no second row; the problem
// drops off the list once the document is issued. A document to one party (a 传票, an 应诉通知书) is refused on
// its own: its addressee is part of what names it, so the other parties' copies are issued and listed apart.
import { and, desc, eq, inArray } from 'drizzle-orm';
import { SYSTEM_ACTOR, writeAudit } from '../audit/write-audit.ts';
import type { Db } from '../database.ts';
import { isUuid } from '../ids.ts';
import { auditLog, documents } from '../schema.ts';

export const ISSUE_REFUSED_ACTION = 'document.issue-refused';

export interface IssueRefusal {
  caseId: string;
  hearingId: string | null;
  /** The party it is addressed to ('defendants.1' …), null for a document to nobody in particular. */
  addressee?: string | null;
  kind: string;
  /** The error code: DOCUMENT_DATA_INVALID, SEAL_NOT_FOUND, CERTIFICATE_REVOKED … */
  code: string;
  message: string;
  /** For DOCUMENT_DATA_INVALID: every bad field (field, message). */
  fields: { field: string; message: string }[];
}

export interface IssueProblem extends IssueRefusal {
  addressee: string | null;
  at: string;
}

/** Which document a refusal is about: kind, hearing, addressee. */
const documentKey = (kind: unknown, hearingId: unknown, addressee: unknown) => `${String(kind)}:${String(hearingId ?? '')}:${String(addressee ?? '')}`;

const sameRefusal = (a: IssueRefusal, b: Record<string, unknown>) =>
  b.kind === a.kind && (b.hearingId ?? null) === a.hearingId && (b.addressee ?? null) === (a.addressee ?? null) && b.code === a.code && JSON.stringify(b.fields ?? []) === JSON.stringify(a.fields);

async function latestRefusals(db: Db, caseId: string) {
  const rows = await db
    .select({ detail: auditLog.detail, at: auditLog.at })
    .from(auditLog)
    .where(and(eq(auditLog.subjectKind, 'case'), eq(auditLog.subjectId, caseId), eq(auditLog.action, ISSUE_REFUSED_ACTION)))
    .orderBy(desc(auditLog.id));
  const latest = new Map<string, { detail: Record<string, unknown>; at: Date }>();
  for (const row of rows) {
    const detail = (row.detail ?? {}) as Record<string, unknown>;
    const key = documentKey(detail.kind, detail.hearingId, detail.addressee);
    if (!latest.has(key)) latest.set(key, { detail, at: row.at });
  }
  return latest;
}

/** Writes the refusal unless the latest one for the same document says the same; true when written. */
export async function recordIssueRefusal({ db, refusal }: { db: Db; refusal: IssueRefusal }): Promise<boolean> {
  const previous = (await latestRefusals(db, refusal.caseId)).get(documentKey(refusal.kind, refusal.hearingId, refusal.addressee));
  if (previous && sameRefusal(refusal, previous.detail)) return false;
  await writeAudit(db, {
    actor: SYSTEM_ACTOR,
    action: ISSUE_REFUSED_ACTION,
    subjectKind: 'case',
    subjectId: refusal.caseId,
    detail: { kind: refusal.kind, hearingId: refusal.hearingId, ...(refusal.addressee ? { addressee: refusal.addressee } : {}), code: refusal.code, message: refusal.message, fields: refusal.fields },
  });
  return true;
}

/** The case's documents still not issued because of their latest refusal, oldest first. */
export async function listIssueProblems({ db, caseId }: { db: Db; caseId: string }): Promise<IssueProblem[]> {
  if (!isUuid(caseId)) return [];
  const latest = await latestRefusals(db, caseId.toLowerCase());
  if (latest.size === 0) return [];
  const kinds = [...new Set([...latest.values()].map(({ detail }) => String(detail.kind)))];
  const issued = await db
    .select({ kind: documents.kind, hearingId: documents.hearingId, addressee: documents.addressee })
    .from(documents)
    .where(and(eq(documents.caseId, caseId.toLowerCase()), inArray(documents.kind, kinds)));
  const done = new Set(issued.map((row) => documentKey(row.kind, row.hearingId, row.addressee)));
  return [...latest.entries()]
    .filter(([key]) => !done.has(key))
    .map(([, { detail, at }]) => ({
      caseId: caseId.toLowerCase(),
      hearingId: (detail.hearingId as string | null) ?? null,
      addressee: (detail.addressee as string | null) ?? null,
      kind: String(detail.kind),
      code: String(detail.code),
      message: String(detail.message ?? ''),
      fields: Array.isArray(detail.fields) ? (detail.fields as IssueProblem['fields']) : [],
      at: at.toISOString(),
    }))
    .sort((a, b) => a.at.localeCompare(b.at));
}
