// Resolves who may open a document from storage: the user's display name, case membership (the case
// visibility rule: staff of the case's court, litigants of the case) and that the hearing (or the evidence
// file an annotations document belongs to) is the case's.
import { and, eq } from 'drizzle-orm';
import type { Db } from '../../storage/database.ts';
import { isCaseMember } from '../../storage/cases/is-case-member.ts';
import { getEvidence } from '../../storage/evidence/get-evidence.ts';
import { getUser } from '../../storage/users/get-user.ts';
import { hearings } from '../../storage/schema.ts';
import type { ResolveAdmission } from './gateway.ts';

async function hearingOfCase(db: Db, caseId: string, hearingId: string): Promise<boolean> {
  const rows = await db
    .select({ id: hearings.id })
    .from(hearings)
    .where(and(eq(hearings.id, hearingId), eq(hearings.caseId, caseId)))
    .limit(1);
  return rows.length > 0;
}

/** Annotations exist only on a real evidence file of that case: no document for a made-up or foreign id. */
async function evidenceOfCase(db: Db, caseId: string, evidenceId: string): Promise<boolean> {
  const evidence = await getEvidence({ db, evidenceId });
  return evidence !== null && evidence.caseId.toLowerCase() === caseId.toLowerCase();
}

export function storageAdmission(db: Db): ResolveAdmission {
  return async (session, descriptor) => {
    const viewer = { userId: session.userId, role: session.role, courtId: session.courtId };
    const [member, account, hearingOk] = await Promise.all([
      isCaseMember({ db, caseId: descriptor.caseId, viewer }),
      getUser({ db, userId: session.userId }),
      descriptor.kind === 'annotations'
        ? evidenceOfCase(db, descriptor.caseId, descriptor.evidenceId)
        : hearingOfCase(db, descriptor.caseId, descriptor.hearingId),
    ]);
    if (!member || !account || !hearingOk) return null;
    return {
      user: { userId: session.userId, role: session.role, courtId: session.courtId, displayName: account.displayName },
      // isCaseMember already requires staff to belong to the case's court.
      facts: { isMember: true },
    };
  };
}
