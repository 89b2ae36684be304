// One hearing (which case it belongs to), or null; visibility is the caller's job (isCaseMember).
import { eq } from 'drizzle-orm';
import type { Db } from '../database.ts';
import { isUuid } from '../ids.ts';
import { hearings } from '../schema.ts';

export interface HearingRef {
  id: string;
  caseId: string;
  startsAt: string;
  courtroom: string;
  state: string;
}

export async function getHearing({ db, hearingId }: { db: Db; hearingId: string }): Promise<HearingRef | null> {
  if (!isUuid(hearingId)) return null;
  const [row] = await db
    .select({ id: hearings.id, caseId: hearings.caseId, startsAt: hearings.startsAt, courtroom: hearings.courtroom, state: hearings.state })
    .from(hearings)
    .where(eq(hearings.id, hearingId.toLowerCase()))
    .limit(1);
  return row ? { ...row, startsAt: row.startsAt.toISOString() } : null;
}
