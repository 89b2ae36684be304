// One case with its claims, parties (identifiers masked, never in clear) and hearings, or null.
// Visibility is the caller's job (isCaseMember) so staff tools and members share this read.
import { asc, eq } from 'drizzle-orm';
import { maskIdentifier, type PersonalDataCipher } from '../../platform/personal-data.ts';
import type { Db } from '../database.ts';
import { isUuid } from '../ids.ts';
import { caseParties, cases, hearings } from '../schema.ts';
import { selectCaseSummaries, type CaseSummary } from './case-summary.ts';

export interface CasePartyView {
  id: string;
  side: string;
  name: string;
  kind: string;
  userId: string | null;
  idNumberMasked: string | null;
  phoneMasked: string | null;
  address: string | null;
}

export interface CaseHearingView {
  id: string;
  startsAt: string;
  courtroom: string;
  state: string;
}

export interface CaseDetail extends CaseSummary {
  claims: string;
  facts: string;
  filedBy: string;
  rejectionReasons: string[] | null;
  closingSummary: string | null;
  parties: CasePartyView[];
  hearings: CaseHearingView[];
}

export async function getCaseDetail({ db, cipher, caseId }: { db: Db; cipher: PersonalDataCipher; caseId: string }): Promise<CaseDetail | null> {
  if (!isUuid(caseId)) return null;
  const [summary] = await selectCaseSummaries(db, eq(cases.id, caseId), 1);
  if (!summary) return null;
  const [row] = await db
    .select({
      claims: cases.claims,
      facts: cases.facts,
      filedBy: cases.filedBy,
      rejectionReasons: cases.rejectionReasons,
      closingSummary: cases.closingSummary,
    })
    .from(cases)
    .where(eq(cases.id, caseId));
  if (!row) return null;
  const parties = await db
    .select()
    .from(caseParties)
    .where(eq(caseParties.caseId, caseId))
    .orderBy(asc(caseParties.side), asc(caseParties.ordinal));
  const hearingRows = await db
    .select({ id: hearings.id, startsAt: hearings.startsAt, courtroom: hearings.courtroom, state: hearings.state })
    .from(hearings)
    .where(eq(hearings.caseId, caseId))
    .orderBy(asc(hearings.startsAt));
  const masked = (sealed: string | null) => (sealed === null ? null : maskIdentifier(cipher.open(sealed)));
  return {
    ...summary,
    ...row,
    parties: parties.map((party) => ({
      id: party.id,
      side: party.side,
      name: party.name,
      kind: party.kind,
      userId: party.userId,
      idNumberMasked: masked(party.idNumberSealed),
      phoneMasked: masked(party.phoneSealed),
      address: party.address,
    })),
    hearings: hearingRows.map((hearing) => ({ ...hearing, startsAt: hearing.startsAt.toISOString() })),
  };
}
