// A case's seal applications, newest first, optionally only those in one status (a judge's pending
// requests); visibility is the caller's job (case membership).
import { and, desc, eq } from 'drizzle-orm';
import type { Db } from '../database.ts';
import { isUuid } from '../ids.ts';
import { sealApplications, type SealApplicationStatus } from '../schema.ts';
import { sealApplicationColumns, toSealApplication, type SealApplication } from './seal-applications.ts';

export async function listSealApplications({ db, caseId, status }: { db: Db; caseId: string; status?: SealApplicationStatus }): Promise<SealApplication[]> {
  if (!isUuid(caseId)) return [];
  const rows = await db
    .select(sealApplicationColumns)
    .from(sealApplications)
    .where(and(eq(sealApplications.caseId, caseId.toLowerCase()), status ? eq(sealApplications.status, status) : undefined))
    .orderBy(desc(sealApplications.requestedAt), desc(sealApplications.id))
    .limit(500);
  return rows.map(toSealApplication);
}
