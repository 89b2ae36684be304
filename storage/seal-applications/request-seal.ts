// Records a seal request that waits for a judge's approval (用印申请), with its audit row, in one
// transaction. The document's hash is kept: the judge approves sealing exactly these bytes.
import { writeAudit } from '../audit/write-audit.ts';
import type { Db } from '../database.ts';
import { sealApplications } from '../schema.ts';
import { sealApplicationColumns, toSealApplication, type SealApplication, type SealOperator, type SealRequestFacts } from './seal-applications.ts';

export async function requestSeal({ db, operator, facts, sha256Before }: { db: Db; operator: SealOperator; facts: SealRequestFacts; sha256Before: string }): Promise<SealApplication> {
  return db.transaction(async (tx) => {
    const [row] = await tx
      .insert(sealApplications)
      .values({ ...facts, status: 'requested', requestedBy: operator.userId, requestedRole: operator.role, sha256Before })
      .returning(sealApplicationColumns);
    const application = toSealApplication(row!);
    await writeAudit(tx, {
      actor: { userId: operator.userId, role: operator.role },
      action: 'seal.request',
      subjectKind: 'document',
      subjectId: facts.documentId,
      detail: { applicationId: application.id, caseId: facts.caseId, sealId: facts.sealId, mode: facts.mode, position: facts.position, sha256Before },
    });
    return application;
  });
}
