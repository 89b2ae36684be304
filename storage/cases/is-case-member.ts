// Whether a user may see one case: the same rule as the listing, for per-case checks in the hub.
import { and, eq } from 'drizzle-orm';
import type { Db } from '../database.ts';
import { isUuid } from '../ids.ts';
import { cases } from '../schema.ts';
import { visibleCasesCondition, type CaseViewer } from './case-visibility.ts';

export async function isCaseMember({ db, caseId, viewer }: { db: Db; caseId: string; viewer: CaseViewer }): Promise<boolean> {
  if (!isUuid(caseId)) return false;
  const visible = visibleCasesCondition(viewer);
  if (visible === null) return false;
  const rows = await db.select({ id: cases.id }).from(cases).where(and(eq(cases.id, caseId), visible)).limit(1);
  return rows.length > 0;
}
