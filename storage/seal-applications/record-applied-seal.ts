// Records a seal that was applied: the document's row now names the sealed bytes (already in the blob
// store), the application is recorded (new, or a request turned applied), and the audit row — all in
// one transaction. The row changes only if it still holds the bytes that were sealed, so two sealings
// of one document at once cannot lose one of them (the later answers DOCUMENT_CHANGED).
import { and, eq } from 'drizzle-orm';
import { AppError } from '../../platform/errors.ts';
import { writeAudit } from '../audit/write-audit.ts';
import type { StoredBlob } from '../blobs/blob-store.ts';
import type { Db } from '../database.ts';
import { documents, sealApplications } from '../schema.ts';
import { sealApplicationColumns, toSealApplication, type SealApplication, type SealOperator, type SealRequestFacts } from './seal-applications.ts';

export interface RecordAppliedSealOptions {
  db: Db;
  /** Who applied it: the judge approving a request, or the role applying at once. */
  operator: SealOperator;
  facts: SealRequestFacts;
  /** The request being approved; absent when applied at once. */
  applicationId?: string;
  sha256Before: string;
  sealed: StoredBlob;
  /** Where each seal landed (widget rectangles, cross-page strips). */
  placed: Record<string, unknown>;
}

export const documentChanged = () =>
  new AppError('DOCUMENT_CHANGED', 'The document changed since it was read for sealing; look at it again / 文书已变更，请重新查看后再用印');

export async function recordAppliedSeal({ db, operator, facts, applicationId, sha256Before, sealed, placed }: RecordAppliedSealOptions): Promise<SealApplication> {
  return db.transaction(async (tx) => {
    const updated = await tx
      .update(documents)
      .set({ sha256: sealed.sha256, blobKey: sealed.key, sizeBytes: sealed.sizeBytes })
      .where(and(eq(documents.id, facts.documentId), eq(documents.sha256, sha256Before)))
      .returning({ id: documents.id });
    if (updated.length === 0) throw documentChanged();
    const now = new Date();
    const position = { ...facts.position, ...placed };
    const decided = { status: 'applied' as const, decidedBy: operator.userId, decidedAt: now, sha256After: sealed.sha256, position };
    const [row] = applicationId
      ? await tx
          .update(sealApplications)
          .set(decided)
          .where(and(eq(sealApplications.id, applicationId), eq(sealApplications.status, 'requested')))
          .returning(sealApplicationColumns)
      : await tx
          .insert(sealApplications)
          .values({ ...facts, ...decided, requestedBy: operator.userId, requestedRole: operator.role, requestedAt: now, sha256Before })
          .returning(sealApplicationColumns);
    if (!row) throw new AppError('SEAL_APPLICATION_DECIDED', 'This seal request was already decided / 该用印申请已处理');
    const application = toSealApplication(row);
    await writeAudit(tx, {
      actor: { userId: operator.userId, role: operator.role },
      action: 'seal.apply',
      subjectKind: 'document',
      subjectId: facts.documentId,
      at: now,
      detail: {
        applicationId: application.id,
        caseId: facts.caseId,
        sealId: facts.sealId,
        mode: facts.mode,
        position,
        sha256Before,
        sha256After: sealed.sha256,
        requestedBy: application.requestedBy,
        approvedBy: applicationId ? operator.userId : null,
      },
    });
    return application;
  });
}
