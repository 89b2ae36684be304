// The evidence files of one case, oldest first; visibility is the caller's job (isCaseMember).
import { and, asc, eq } from 'drizzle-orm';
import type { Db } from '../database.ts';
import { isUuid } from '../ids.ts';
import { documents, users } from '../schema.ts';
import { EVIDENCE_KIND, evidenceColumns, toStoredEvidence, uploaderJoin, withoutBlobKey, type EvidenceFile } from './evidence.ts';

export async function listEvidence({ db, caseId }: { db: Db; caseId: string }): Promise<EvidenceFile[]> {
  if (!isUuid(caseId)) return [];
  const rows = await db
    .select(evidenceColumns)
    .from(documents)
    .leftJoin(users, uploaderJoin)
    .where(and(eq(documents.caseId, caseId.toLowerCase()), eq(documents.kind, EVIDENCE_KIND)))
    .orderBy(asc(documents.createdAt), asc(documents.id));
  return rows.map((row) => withoutBlobKey(toStoredEvidence(row)));
}
