// A document of a case the court may seal: any the court filed or issued, not the parties' evidence
// (their own material, sealed by nobody but them). Null when there is none; visibility is the
// caller's job (case membership).
import { and, eq, ne } from 'drizzle-orm';
import type { Db } from '../database.ts';
import { EVIDENCE_KIND } from '../evidence/evidence.ts';
import { isUuid } from '../ids.ts';
import { documents } from '../schema.ts';

export interface SealableDocument {
  id: string;
  caseId: string;
  kind: string;
  sha256: string;
  blobKey: string | null;
  mimeType: string | null;
}

export async function getSealableDocument({ db, caseId, documentId }: { db: Db; caseId: string; documentId: string }): Promise<SealableDocument | null> {
  if (!isUuid(caseId) || !isUuid(documentId)) return null;
  const [row] = await db
    .select({ id: documents.id, caseId: documents.caseId, kind: documents.kind, sha256: documents.sha256, blobKey: documents.blobKey, mimeType: documents.mimeType })
    .from(documents)
    .where(and(eq(documents.id, documentId.toLowerCase()), eq(documents.caseId, caseId.toLowerCase()), ne(documents.kind, EVIDENCE_KIND)))
    .limit(1);
  return row ?? null;
}
