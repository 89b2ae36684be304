// Whether a file is a document this court issued, by its SHA-256: for the public verification of a
// court document. Answers only the kind and the date, never the case or its parties (the caller may
// be anyone). Evidence files are the parties' own, not issued by the court, so they do not count.
import { and, asc, inArray, ne } from 'drizzle-orm';
import type { Db } from '../database.ts';
import { EVIDENCE_KIND } from '../evidence/evidence.ts';
import { documents } from '../schema.ts';

export interface IssuedDocumentMatch {
  sha256: string;
  kind: string;
  issuedAt: Date;
}

/** The first issued document whose hash is one of `hashes` (lower-case hex), oldest first; null when none. */
export async function findIssuedDocument({ db, hashes }: { db: Db; hashes: readonly string[] }): Promise<IssuedDocumentMatch | null> {
  const wanted = [...new Set(hashes.map((hash) => hash.toLowerCase()).filter((hash) => /^[0-9a-f]{64}$/.test(hash)))];
  if (wanted.length === 0) return null;
  const [row] = await db
    .select({ sha256: documents.sha256, kind: documents.kind, issuedAt: documents.createdAt })
    .from(documents)
    .where(and(inArray(documents.sha256, wanted), ne(documents.kind, EVIDENCE_KIND)))
    .orderBy(asc(documents.createdAt))
    .limit(1);
  return row ?? null;
}
