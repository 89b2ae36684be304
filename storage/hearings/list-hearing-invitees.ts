// Who is invited to a new hearing of a case: the case's parties with an account, the filer when a
// lawyer filed for a client, and the court's judges and clerks (cases carry no judge or clerk
// assignment yet, so the court's staff are invited; the hearing actor lets only judges run it, the
// clerks admit and record). Participant ids are derived from hearing and account, so a repeated spawn is identical.
import { createHash } from 'node:crypto';
import { and, eq, inArray, or } from 'drizzle-orm';
import type { Db } from '../database.ts';
import { caseParties, cases, users } from '../schema.ts';

export interface HearingInvitee {
  participantId: string;
  accountId: string;
  role: 'judge' | 'clerk' | 'party' | 'lawyer';
  displayName: string;
  courtId: string;
}

/** A short stable token (the hearing protocol's participant id), not the account id itself. */
export const participantIdFor = (hearingId: string, accountId: string): string =>
  `p${createHash('sha256').update(`${hearingId}:${accountId}`).digest('hex').slice(0, 20)}`;

export async function listHearingInvitees({
  db,
  hearingId,
  caseId,
  courtId,
}: {
  db: Db;
  hearingId: string;
  caseId: string;
  courtId: string;
}): Promise<HearingInvitee[]> {
  const partyAccounts = db.select({ id: caseParties.userId }).from(caseParties).where(eq(caseParties.caseId, caseId));
  const filer = db.select({ id: cases.filedBy }).from(cases).where(eq(cases.id, caseId));
  const rows = await db
    .select({ id: users.id, role: users.role, displayName: users.displayName, courtId: users.courtId })
    .from(users)
    .where(
      and(
        eq(users.disabled, false),
        or(
          inArray(users.id, partyAccounts),
          and(inArray(users.id, filer), eq(users.role, 'lawyer')),
          and(inArray(users.role, ['judge', 'clerk']), eq(users.courtId, courtId)),
        ),
      ),
    );
  return rows
    .filter((row) => row.role === 'judge' || row.role === 'clerk' || row.role === 'party' || row.role === 'lawyer')
    .map((row) => ({
      participantId: participantIdFor(hearingId, row.id),
      accountId: row.id,
      role: row.role as HearingInvitee['role'],
      displayName: row.displayName,
      // Litigants belong to no court: they join under the hearing's court (its clerk admits them).
      courtId: row.courtId ?? courtId,
    }));
}
