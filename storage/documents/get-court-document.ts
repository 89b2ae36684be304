// One document the court filed with a case, with where its bytes are and the case's number (its download
// is named after it), or null (also for evidence: its bytes have their own route); visibility is the
// caller's job (isCaseMember on caseId).
import { and, eq, inArray } from 'drizzle-orm';
import type { Db } from '../database.ts';
import { isUuid } from '../ids.ts';
import { cases, documents } from '../schema.ts';
import { COURT_DOCUMENT_KINDS, courtDocumentColumns, toStoredCourtDocument, type StoredCourtDocument } from './court-documents.ts';

export async function getCourtDocument({ db, caseId, documentId }: { db: Db; caseId: string; documentId: string }): Promise<(StoredCourtDocument & { caseNumber: string | null }) | null> {
  if (!isUuid(caseId) || !isUuid(documentId)) return null;
  const [row] = await db
    .select({ ...courtDocumentColumns, caseNumber: cases.caseNumber })
    .from(documents)
    .innerJoin(cases, eq(cases.id, documents.caseId))
    .where(and(eq(documents.id, documentId.toLowerCase()), eq(documents.caseId, caseId.toLowerCase()), inArray(documents.kind, [...COURT_DOCUMENT_KINDS])))
    .limit(1);
  return row ? { ...toStoredCourtDocument(row), caseNumber: row.caseNumber ?? null } : null;
}
