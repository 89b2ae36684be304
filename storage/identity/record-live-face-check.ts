// Records one live face check (活体检测 + 人脸比对) of a user: its identity check row and an audit row
// naming the purpose, in one transaction. `details` are scores, hashes and times only.
import { writeAudit } from '../audit/write-audit.ts';
import type { Db } from '../database.ts';
import { recordIdentityCheck, type IdentityCheckRecord } from './record-identity-check.ts';
import { roleOf } from './record-face-enrolment.ts';

export async function recordLiveFaceCheck({
  db,
  userId,
  passed,
  details,
}: {
  db: Db;
  userId: string;
  passed: boolean;
  details: Record<string, unknown> & { purpose: Record<string, unknown> };
}): Promise<IdentityCheckRecord> {
  return db.transaction(async (tx) => {
    const actor = { userId, role: await roleOf(tx, userId) };
    const check = await recordIdentityCheck({ tx, userId, kind: 'face_live', adapter: 'face-api', outcome: passed ? 'passed' : 'failed', details, actor });
    await writeAudit(tx, {
      actor,
      action: 'user.faceCheck',
      subjectKind: 'user',
      subjectId: userId,
      detail: { checkId: check.id, purpose: details.purpose, passed, refusal: details.refusal ?? null },
      at: check.at,
    });
    return check;
  });
}
