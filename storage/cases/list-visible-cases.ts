// The cases a user may see (see case-visibility.ts for the rule), newest filing first.
import type { Db } from '../database.ts';
import { visibleCasesCondition, type CaseViewer } from './case-visibility.ts';
import { selectCaseSummaries, type CaseSummary } from './case-summary.ts';

export interface ListVisibleCasesOptions {
  db: Db;
  viewer: CaseViewer;
  /** At most this many (default 200): a listing, not an export. */
  limit?: number;
}

export async function listVisibleCases({ db, viewer, limit = 200 }: ListVisibleCasesOptions): Promise<CaseSummary[]> {
  const where = visibleCasesCondition(viewer);
  if (where === null) return [];
  return selectCaseSummaries(db, where, limit);
}
