// The document the court issued under a verification code (验证码), for the public lookup: what it is
// (kind, title), when it was issued, the SHA-256 of its current bytes (the sealed file once sealed) and
// its page count. Never its case, number or parties: whoever typed the code may be anyone.
import { and, eq, ne } from 'drizzle-orm';
import type { Db } from '../database.ts';
import { EVIDENCE_KIND } from '../evidence/evidence.ts';
import { documents } from '../schema.ts';

export interface DocumentByCode {
  kind: string;
  title: string;
  issuedAt: Date;
  sha256: string;
  mimeType: string | null;
  pageCount: number | null;
  /** A case file (a ZIP): the SHA-256 of the sealed PDF inside it, the part that is printed and handed on. */
  bundleSha256: string | null;
}

/** `code` in canonical form (normaliseVerificationCode); null when no issued document has it. */
export async function findDocumentByCode({ db, code }: { db: Db; code: string }): Promise<DocumentByCode | null> {
  const [row] = await db
    .select({ kind: documents.kind, title: documents.title, issuedAt: documents.createdAt, sha256: documents.sha256, mimeType: documents.mimeType, pageCount: documents.pageCount, details: documents.details })
    .from(documents)
    .where(and(eq(documents.verificationCode, code), ne(documents.kind, EVIDENCE_KIND)))
    .limit(1);
  if (!row) return null;
  const { details, ...found } = row;
  const bundleSha256 = details?.bundleSha256;
  return { ...found, bundleSha256: typeof bundleSha256 === 'string' && /^[0-9a-f]{64}$/.test(bundleSha256) ? bundleSha256 : null };
}
