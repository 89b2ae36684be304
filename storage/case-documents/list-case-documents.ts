// The documents filed with a case (oldest first), or one of them by id.
import { and, asc, eq } from 'drizzle-orm';
import type { Db } from '../database.ts';
import { caseDocuments, type CaseDocumentKind } from './schema.ts';

export interface CaseDocument {
  id: string;
  caseId: string;
  hearingId: string;
  kind: CaseDocumentKind;
  title: string;
  blobKey: string;
  sha256: string;
  contentType: string;
  size: number;
  details: Record<string, unknown>;
  createdAt: string;
}

export async function listCaseDocuments({ db, caseId, documentId }: { db: Db; caseId: string; documentId?: string }): Promise<CaseDocument[]> {
  const rows = await db
    .select()
    .from(caseDocuments)
    .where(documentId ? and(eq(caseDocuments.caseId, caseId), eq(caseDocuments.id, documentId)) : eq(caseDocuments.caseId, caseId))
    .orderBy(asc(caseDocuments.createdAt), asc(caseDocuments.id));
  return rows.map((row) => ({ ...row, details: row.details as Record<string, unknown>, createdAt: row.createdAt.toISOString() }));
}
