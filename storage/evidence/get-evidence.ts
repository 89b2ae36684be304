// One evidence file with where its bytes are, or null; visibility is the caller's job (isCaseMember
// on the file's case).
import { and, eq } from 'drizzle-orm';
import type { Db } from '../database.ts';
import { isUuid } from '../ids.ts';
import { documents, users } from '../schema.ts';
import { EVIDENCE_KIND, evidenceColumns, toStoredEvidence, uploaderJoin, type StoredEvidenceFile } from './evidence.ts';

export async function getEvidence({ db, evidenceId }: { db: Db; evidenceId: string }): Promise<StoredEvidenceFile | null> {
  if (!isUuid(evidenceId)) return null;
  const [row] = await db
    .select(evidenceColumns)
    .from(documents)
    .leftJoin(users, uploaderJoin)
    .where(and(eq(documents.id, evidenceId.toLowerCase()), eq(documents.kind, EVIDENCE_KIND)))
    .limit(1);
  return row ? toStoredEvidence(row) : null;
}
