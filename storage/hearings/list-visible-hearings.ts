// The hearings of the cases a user may see (the case visibility rule), soonest first.
import { and, asc, eq, gte, type SQL } from 'drizzle-orm';
import type { Db } from '../database.ts';
import { cases, hearings } from '../schema.ts';
import { visibleCasesCondition, type CaseViewer } from '../cases/case-visibility.ts';

export interface HearingListing {
  id: string;
  caseId: string;
  caseNumber: string | null;
  startsAt: string;
  courtroom: string;
  state: string;
}

export interface ListVisibleHearingsOptions {
  db: Db;
  viewer: CaseViewer;
  /** Only hearings starting at or after this instant. */
  from?: Date;
  limit?: number;
}

export async function listVisibleHearings({ db, viewer, from, limit = 200 }: ListVisibleHearingsOptions): Promise<HearingListing[]> {
  const visible = visibleCasesCondition(viewer);
  if (visible === null) return [];
  const conditions: SQL[] = [visible];
  if (from) conditions.push(gte(hearings.startsAt, from));
  const rows = await db
    .select({
      id: hearings.id,
      caseId: hearings.caseId,
      caseNumber: cases.caseNumber,
      startsAt: hearings.startsAt,
      courtroom: hearings.courtroom,
      state: hearings.state,
    })
    .from(hearings)
    .innerJoin(cases, eq(cases.id, hearings.caseId))
    .where(and(...conditions))
    .orderBy(asc(hearings.startsAt), asc(hearings.id))
    .limit(limit);
  return rows.map((row) => ({ ...row, startsAt: row.startsAt.toISOString() }));
}
