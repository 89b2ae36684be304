// Records a document the court issued (a stage hook's 受理通知书, 传票 …, or a hearing's sealed transcript):
// its `documents` row and audit row in one transaction, the bytes already in the blob store. Once per
// case and kind (per hearing and kind for a hearing's documents) and addressee (a 传票 per party, an 应诉通知书
// per defendant; null for a document addressed to nobody in particular), by the unique indexes of migrations
// 0012 and 0014: a second issue (a restart, another node, a reconcile) finds the first and returns it unchanged.
import { and, eq, isNull, isNotNull, sql } from 'drizzle-orm';
import { SYSTEM_ACTOR, writeAudit } from '../audit/write-audit.ts';
import type { StoredBlob } from '../blobs/blob-store.ts';
import type { Db } from '../database.ts';
import { documents } from '../schema.ts';
import { courtDocumentColumns, toStoredCourtDocument, withoutBlobKey, type CourtDocument, type CourtDocumentKind } from './court-documents.ts';

export interface IssuedDocumentFacts {
  caseId: string;
  /** Set for a hearing's document (summons, transcript); null for the case's own. */
  hearingId: string | null;
  kind: CourtDocumentKind;
  /** The party it is addressed to ('defendants.0' …), null for the case's or hearing's document as a whole. */
  addressee?: string | null;
  title: string;
  verificationCode: string;
  pageCount: number;
  details: Record<string, unknown> | null;
}

/** The document of this kind (and addressee) already issued for the case (or hearing), or null. */
export async function findIssuedCaseDocument({
  db,
  caseId,
  hearingId,
  kind,
  addressee = null,
}: {
  db: Db;
  caseId: string;
  hearingId: string | null;
  kind: string;
  addressee?: string | null;
}): Promise<CourtDocument | null> {
  const toWhom = addressee === null ? isNull(documents.addressee) : eq(documents.addressee, addressee);
  const [row] = await db
    .select(courtDocumentColumns)
    .from(documents)
    .where(
      hearingId
        ? and(eq(documents.hearingId, hearingId), eq(documents.kind, kind), toWhom)
        : and(eq(documents.caseId, caseId), eq(documents.kind, kind), isNull(documents.hearingId), isNotNull(documents.verificationCode), toWhom),
    )
    .limit(1);
  return row ? withoutBlobKey(toStoredCourtDocument(row)) : null;
}

/** The unique index a document of this hearing-or-case and addressee falls under (migration 0014). */
function conflictTarget(hearingId: string | null, addressee: string | null) {
  if (hearingId) {
    return addressee === null
      ? { target: [documents.hearingId, documents.kind], where: sql`${documents.hearingId} is not null and ${documents.addressee} is null` }
      : { target: [documents.hearingId, documents.kind, documents.addressee], where: sql`${documents.hearingId} is not null and ${documents.addressee} is not null` };
  }
  return addressee === null
    ? { target: [documents.caseId, documents.kind], where: sql`${documents.hearingId} is null and ${documents.verificationCode} is not null and ${documents.addressee} is null` }
    : { target: [documents.caseId, documents.kind, documents.addressee], where: sql`${documents.hearingId} is null and ${documents.verificationCode} is not null and ${documents.addressee} is not null` };
}

export async function insertIssuedDocument({ db, facts, blob, mimeType }: { db: Db; facts: IssuedDocumentFacts; blob: StoredBlob; mimeType: string }): Promise<{ document: CourtDocument; issued: boolean }> {
  const { caseId, hearingId, kind, title, verificationCode, pageCount, details } = facts;
  const addressee = facts.addressee ?? null;
  return db.transaction(async (tx) => {
    const [inserted] = await tx
      .insert(documents)
      // created_by null: the court's system issues it, nobody uploaded it.
      .values({ caseId, hearingId, kind, addressee, title, sha256: blob.sha256, blobKey: blob.key, mimeType, sizeBytes: blob.sizeBytes, pageCount, details, verificationCode, createdBy: null })
      // The predicates name the partial unique indexes as arbiters (a hearing's kind, or the case's issued kind;
      // with the addressee when there is one).
      .onConflictDoNothing(conflictTarget(hearingId, addressee))
      .returning(courtDocumentColumns);
    if (!inserted) {
      const existing = await findIssuedCaseDocument({ db: tx, caseId, hearingId, kind, addressee });
      if (!existing) throw new Error(`issued document ${kind} conflicted on insert but is not there`);
      return { document: existing, issued: false };
    }
    await writeAudit(tx, {
      actor: SYSTEM_ACTOR,
      action: 'document.issue',
      subjectKind: 'document',
      subjectId: inserted.id,
      detail: { caseId, hearingId, kind, ...(addressee ? { addressee } : {}), sha256: blob.sha256, sizeBytes: blob.sizeBytes, pageCount },
    });
    return { document: withoutBlobKey(toStoredCourtDocument(inserted)), issued: true };
  });
}
