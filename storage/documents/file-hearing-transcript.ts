// Files a hearing's confirmed transcript with its case: the rendering into the blob store (on disk
// before anything refers to it), then its `documents` row and audit row in one transaction. Once per
// hearing (unique index on hearing and kind): a second filing (a restart, another node) finds the
// first and returns it unchanged.
import { and, eq, sql } from 'drizzle-orm';
import { SYSTEM_ACTOR, writeAudit } from '../audit/write-audit.ts';
import type { BlobStore } from '../blobs/blob-store.ts';
import type { Db } from '../database.ts';
import { documents } from '../schema.ts';
import { courtDocumentColumns, HEARING_TRANSCRIPT_KIND, toStoredCourtDocument, withoutBlobKey, type CourtDocument } from './court-documents.ts';

export interface FileHearingTranscriptOptions {
  db: Db;
  blobs: BlobStore;
  caseId: string;
  hearingId: string;
  title: string;
  /** The stored rendering (UTF-8 text). */
  content: string;
  /** The confirmation list (who, role, how, when). */
  details: Record<string, unknown>;
}

const TRANSCRIPT_MIME_TYPE = 'text/plain; charset=utf-8';

export async function fileHearingTranscript({ db, blobs, caseId, hearingId, title, content, details }: FileHearingTranscriptOptions): Promise<{ document: CourtDocument; filed: boolean }> {
  const blob = await blobs.put(Buffer.from(content, 'utf8'));
  return db.transaction(async (tx) => {
    const [inserted] = await tx
      .insert(documents)
      // created_by null: the system files it, nobody uploaded it.
      .values({ caseId, hearingId, kind: HEARING_TRANSCRIPT_KIND, title, sha256: blob.sha256, blobKey: blob.key, mimeType: TRANSCRIPT_MIME_TYPE, sizeBytes: blob.sizeBytes, details, createdBy: null })
      // The predicate names the partial unique index (documents_hearing_kind_unique: addressed to nobody) as the arbiter.
      .onConflictDoNothing({ target: [documents.hearingId, documents.kind], where: sql`${documents.hearingId} is not null and ${documents.addressee} is null` })
      .returning(courtDocumentColumns);
    if (!inserted) {
      const [existing] = await tx
        .select(courtDocumentColumns)
        .from(documents)
        .where(and(eq(documents.hearingId, hearingId), eq(documents.kind, HEARING_TRANSCRIPT_KIND)))
        .limit(1);
      if (!existing) throw new Error('hearing transcript conflicted on insert but is not there');
      return { document: withoutBlobKey(toStoredCourtDocument(existing)), filed: false };
    }
    await writeAudit(tx, {
      actor: SYSTEM_ACTOR,
      action: 'document.file',
      subjectKind: 'document',
      subjectId: inserted.id,
      detail: { caseId, hearingId, kind: HEARING_TRANSCRIPT_KIND, sha256: blob.sha256, sizeBytes: blob.sizeBytes },
    });
    return { document: withoutBlobKey(toStoredCourtDocument(inserted)), filed: true };
  });
}
