// Closed cases (结案, and those archived since) that have no stored case file yet: what the case-file
// archiver still has to build, after a CLOSE or at start — a crash between the case's commit and the
// build loses nothing, the next start finds the case here.
import { and, eq, inArray, isNull, notExists, type SQL } from 'drizzle-orm';
import type { Db } from '../../storage/database.ts';
import { cases, documents } from '../../storage/schema.ts';
import { CASE_FILE_KIND } from './case-file-sources.ts';

export const CLOSED_CASE_STATES = ['closed', 'archived'] as const;

export async function listClosedCasesWithoutCaseFile({ db, caseId, limit = 200 }: { db: Db; caseId?: string; limit?: number }): Promise<string[]> {
  const conditions: SQL[] = [
    inArray(cases.state, [...CLOSED_CASE_STATES]),
    notExists(db.select({ one: documents.id }).from(documents).where(and(eq(documents.caseId, cases.id), eq(documents.kind, CASE_FILE_KIND), isNull(documents.hearingId)))),
  ];
  if (caseId) conditions.push(eq(cases.id, caseId));
  const rows = await db.select({ id: cases.id }).from(cases).where(and(...conditions)).orderBy(cases.updatedAt).limit(limit);
  return rows.map((row) => row.id);
}
