// A judge refuses a seal request (with the reason), with its audit row, in one transaction; a request
// already decided is not decided again.
import { and, eq } from 'drizzle-orm';
import { AppError } from '../../platform/errors.ts';
import { writeAudit } from '../audit/write-audit.ts';
import type { Db } from '../database.ts';
import { sealApplications } from '../schema.ts';
import { sealApplicationColumns, toSealApplication, type SealApplication, type SealOperator } from './seal-applications.ts';

export async function refuseSeal({ db, operator, applicationId, reason }: { db: Db; operator: SealOperator; applicationId: string; reason: string }): Promise<SealApplication> {
  return db.transaction(async (tx) => {
    const now = new Date();
    const [row] = await tx
      .update(sealApplications)
      .set({ status: 'refused', decidedBy: operator.userId, decidedAt: now, reason })
      .where(and(eq(sealApplications.id, applicationId), eq(sealApplications.status, 'requested')))
      .returning(sealApplicationColumns);
    if (!row) throw new AppError('SEAL_APPLICATION_DECIDED', 'This seal request was already decided / 该用印申请已处理');
    const application = toSealApplication(row);
    await writeAudit(tx, {
      actor: { userId: operator.userId, role: operator.role },
      action: 'seal.refuse',
      subjectKind: 'document',
      subjectId: application.documentId,
      at: now,
      detail: { applicationId, caseId: application.caseId, sealId: application.sealId, mode: application.mode, sha256Before: application.sha256Before, requestedBy: application.requestedBy, reason },
    });
    return application;
  });
}
