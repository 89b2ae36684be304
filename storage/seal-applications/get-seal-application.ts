// One seal application of a case, or null (also for an id of another case: the caller checked
// membership of this case only).
import { and, eq } from 'drizzle-orm';
import type { Db } from '../database.ts';
import { isUuid } from '../ids.ts';
import { sealApplications } from '../schema.ts';
import { sealApplicationColumns, toSealApplication, type SealApplication } from './seal-applications.ts';

export async function getSealApplication({ db, caseId, applicationId }: { db: Db; caseId: string; applicationId: string }): Promise<SealApplication | null> {
  if (!isUuid(caseId) || !isUuid(applicationId)) return null;
  const [row] = await db
    .select(sealApplicationColumns)
    .from(sealApplications)
    .where(and(eq(sealApplications.id, applicationId.toLowerCase()), eq(sealApplications.caseId, caseId.toLowerCase())))
    .limit(1);
  return row ? toSealApplication(row) : null;
}
