// The documents the court filed with one case, oldest first (not the parties' evidence, which has
// its own list); visibility is the caller's job (isCaseMember).
import { and, asc, eq, inArray } from 'drizzle-orm';
import type { Db } from '../database.ts';
import { isUuid } from '../ids.ts';
import { documents } from '../schema.ts';
import { COURT_DOCUMENT_KINDS, courtDocumentColumns, toStoredCourtDocument, withoutBlobKey, type CourtDocument } from './court-documents.ts';

export async function listCourtDocuments({ db, caseId }: { db: Db; caseId: string }): Promise<CourtDocument[]> {
  if (!isUuid(caseId)) return [];
  const rows = await db
    .select(courtDocumentColumns)
    .from(documents)
    .where(and(eq(documents.caseId, caseId.toLowerCase()), inArray(documents.kind, [...COURT_DOCUMENT_KINDS])))
    .orderBy(asc(documents.createdAt), asc(documents.id));
  return rows.map((row) => withoutBlobKey(toStoredCourtDocument(row)));
}
