// Who may see a case: court staff see every case of their own court; litigants (party, lawyer,
// institution) see the cases they filed or where one of the parties is their account.
import { eq, sql, type SQL } from 'drizzle-orm';
import { COURT_STAFF_ROLES, LITIGANT_ROLES } from '../../platform/roles.ts';
import { isUuid } from '../ids.ts';
import { caseParties, cases } from '../schema.ts';

export interface CaseViewer {
  userId: string;
  role: string;
  courtId: string | null;
}

/** A condition on `cases` selecting what the viewer may see, or null when it may see nothing. */
export function visibleCasesCondition(viewer: CaseViewer): SQL | null {
  if ((COURT_STAFF_ROLES as readonly string[]).includes(viewer.role)) {
    if (viewer.courtId === null || !isUuid(viewer.courtId)) return null;
    return eq(cases.courtId, viewer.courtId);
  }
  if ((LITIGANT_ROLES as readonly string[]).includes(viewer.role)) {
    if (!isUuid(viewer.userId)) return null;
    // A union of two index look-ups (cases by filer, parties by account), not an OR the planner
    // can only answer by scanning every case of the city.
    return sql`${cases.id} in (select ${cases.id} from ${cases} where ${cases.filedBy} = ${viewer.userId} union select ${caseParties.caseId} from ${caseParties} where ${caseParties.userId} = ${viewer.userId})`;
  }
  return null;
}
