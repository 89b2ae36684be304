// The court as the filing rules see it (name, region for territorial jurisdiction, level for the
// amount thresholds). Every court on the platform is a basic-level court (基层人民法院) for now:
// the courts table has no level, and the platform serves the city's basic courts.
import { eq } from 'drizzle-orm';
import type { CourtFilingContext } from '../../models/filing-rules/evaluate.ts';
import type { Db } from '../database.ts';
import { isUuid } from '../ids.ts';
import { courts } from '../schema.ts';

export async function getFilingCourtContext({ db, courtId }: { db: Db; courtId: string }): Promise<CourtFilingContext | null> {
  if (!isUuid(courtId)) return null;
  const [row] = await db.select({ id: courts.id, name: courts.name, region: courts.region }).from(courts).where(eq(courts.id, courtId)).limit(1);
  return row ? { courtId: row.id, courtName: row.name, region: row.region, level: 'basic' } : null;
}
