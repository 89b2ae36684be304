// The hearing a request names, for a member of its case (litigants of the case, staff of its court);
// to anyone else exactly like a hearing that does not exist (404), so hearing ids cannot be probed.
import { NotFoundError } from '../../platform/errors.ts';
import { isCaseMember } from '../../storage/cases/is-case-member.ts';
import { getHearing, type HearingRef } from '../../storage/hearings/get-hearing.ts';
import type { Session } from '../auth/session-token.ts';
import type { HubServices } from '../services.ts';

export async function hearingOfCaseMember(services: HubServices, session: Session, hearingId: string): Promise<HearingRef> {
  const hearing = await getHearing({ db: services.database.db, hearingId });
  if (!hearing) throw new NotFoundError('Hearing');
  const member = await isCaseMember({ db: services.database.db, caseId: hearing.caseId, viewer: { userId: session.userId, role: session.role, courtId: session.courtId } });
  if (!member) throw new NotFoundError('Hearing');
  return hearing;
}
