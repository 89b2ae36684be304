// What goes into a case's electronic case file (电子卷宗): the case (number, cause, court) and every
// `documents` row of it — the court's documents and the parties' evidence — with their bytes from the
// blob store, in the case file's order. The stored case file itself (kind caseFile) is not one of them.
import { and, asc, eq, ne } from 'drizzle-orm';
import { AppError, NotFoundError } from '../../platform/errors.ts';
import type { BlobStore } from '../../storage/blobs/blob-store.ts';
import type { Db } from '../../storage/database.ts';
import { isUuid } from '../../storage/ids.ts';
import { cases, courts, documents } from '../../storage/schema.ts';
import { EVIDENCE_KIND } from '../../storage/evidence/evidence.ts';
import { isTemplateName, TEMPLATES } from '../templates/index.ts';
import { sha256Hex } from './manifest.ts';

export interface CaseFileCase {
  id: string;
  caseNumber: string | null;
  cause: string;
  court: { name: string; code: string };
}

export interface CaseFileSource {
  id: string;
  kind: string;
  kindLabel: string;
  title: string;
  mimeType: string;
  filedAt: Date;
  sha256: string;
  bytes: Buffer;
}

/** The `documents` kind of the case file stored when the case closes (documents/archive/archive-on-close.ts). */
export const CASE_FILE_KIND = 'caseFile';

export const CASE_FILE_ORDER =
  'by filing time (documents.created_at); at the same instant the court\'s documents before the parties\' evidence; then by id';

export function kindLabel(kind: string): string {
  if (kind === EVIDENCE_KIND) return '证据';
  return isTemplateName(kind) ? TEMPLATES[kind].title : kind;
}

export async function loadCaseFileSources({ db, blobs, caseId }: { db: Db; blobs: BlobStore; caseId: string }): Promise<{ caseInfo: CaseFileCase; sources: CaseFileSource[] }> {
  if (!isUuid(caseId)) throw new AppError('VALIDATION_FAILED', 'The case id is not a UUID / 案件编号格式无效', { fields: ['caseId'] });
  const id = caseId.toLowerCase();
  const [row] = await db
    .select({ id: cases.id, caseNumber: cases.caseNumber, cause: cases.cause, courtName: courts.name, courtCode: courts.code })
    .from(cases)
    .innerJoin(courts, eq(courts.id, cases.courtId))
    .where(eq(cases.id, id));
  if (!row) throw new NotFoundError('Case');
  const rows = await db
    .select({ id: documents.id, kind: documents.kind, title: documents.title, mimeType: documents.mimeType, sha256: documents.sha256, blobKey: documents.blobKey, createdAt: documents.createdAt })
    .from(documents)
    .where(and(eq(documents.caseId, id), ne(documents.kind, CASE_FILE_KIND)))
    .orderBy(asc(documents.createdAt), asc(documents.id));
  // The same instant is rare (one transaction filing several rows); the court's documents lead then.
  const rank = (kind: string) => (kind === EVIDENCE_KIND ? 1 : 0);
  rows.sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime() || rank(a.kind) - rank(b.kind) || a.id.localeCompare(b.id));
  const sources: CaseFileSource[] = [];
  for (const document of rows) {
    // A row without stored bytes (none today) cannot be put in the file: refuse rather than leave a gap.
    if (!document.blobKey) throw new AppError('BLOB_MISSING', 'The stored file is missing', { documentId: document.id });
    const bytes = await blobs.get(document.blobKey);
    const sha256 = sha256Hex(bytes);
    if (sha256 !== document.sha256) throw new AppError('INTERNAL', `Stored file ${document.id} does not match its recorded SHA-256 / 存储的文件与记录的哈希不符`);
    sources.push({
      id: document.id,
      kind: document.kind,
      kindLabel: kindLabel(document.kind),
      title: document.title,
      mimeType: document.mimeType ?? 'application/octet-stream',
      filedAt: document.createdAt,
      sha256,
      bytes,
    });
  }
  return { caseInfo: { id: row.id, caseNumber: row.caseNumber, cause: row.cause, court: { name: row.courtName, code: row.courtCode } }, sources };
}
