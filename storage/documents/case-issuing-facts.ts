// What the court's documents of a case are written from (documents/issuing/case-document-data.ts): the
// case, its court, its parties with their addresses, its hearings, the moments of its transitions from
// the case actor's journal (filed, accepted, judgment issued and served, and who did it), the court
// documents already issued (what a 送达回证 lists) and the court's judges and clerks. Identifiers (ID numbers, phones) are not read: no document the stage hooks issue prints them.
import { and, asc, eq, inArray, isNotNull, sql } from 'drizzle-orm';
import type { Db } from '../database.ts';
import { isUuid } from '../ids.ts';
import { actorJournal, caseParties, cases, courts, documents, hearings, users } from '../schema.ts';
import { filings } from '../filings/schema.ts';

export interface IssuingParty {
  side: string;
  /** Its place on its side (0-based, as the complaint lists it): with the side, the party's key as addressee. */
  ordinal: number;
  name: string;
  kind: 'person' | 'organisation';
  address: string | null;
}

export interface IssuingHearing {
  id: string;
  startsAt: Date;
  courtroom: string;
  state: string;
  /** When it was scheduled: the day its summons is issued on. */
  createdAt: Date;
}

/** A court document the case has been issued (verification code set: evidence and filings have none). */
export interface IssuedCaseDocument {
  kind: string;
  title: string;
  /** The party's key for a document to one party, null for one to the case as a whole. */
  addressee: string | null;
  issuedAt: Date;
}

export interface CaseIssuingFacts {
  caseId: string;
  state: string;
  courtId: string;
  courtName: string;
  caseNumber: string | null;
  cause: string;
  claims: string;
  claimAmount: string | null;
  facts: string;
  closingSummary: string | null;
  parties: IssuingParty[];
  hearings: IssuingHearing[];
  /** When the case actor journalled these transitions (the first of each). */
  filedAt: Date | null;
  acceptedAt: Date | null;
  judgmentAt: Date | null;
  /** When the judgment's service was recorded (RECORD_SERVICE) and by whom (display name). */
  servedAt: Date | null;
  servedBy: string | null;
  /** The court documents issued to the case so far, oldest first. */
  issuedDocuments: IssuedCaseDocument[];
  /** The acceptance fee of the online filing the case came from (its procedure's), null for a case filed otherwise. */
  filingFee: string | null;
  /** The judge who issued the judgment (ISSUE_JUDGMENT's sender), by display name. */
  judgmentBy: string | null;
  /** The court's judges and clerks (display names, in name order): cases carry no assignment yet. */
  judges: string[];
  clerks: string[];
}

/** The plural the templates use for a side's list ('defendants.0.address'), and so the addressee key's first part. */
const SIDE_LISTS: Record<string, string> = { plaintiff: 'plaintiffs', defendant: 'defendants', third_party: 'thirdParties' };

/**
 * The stable key a document addressed to one party carries (`documents.addressee`): 'plaintiffs.0', 'defendants.1' …,
 * the side's list and the party's place in it — never a name or an ID number, so it survives a corrected spelling.
 */
export const addresseeKey = (party: Pick<IssuingParty, 'side' | 'ordinal'>): string => `${SIDE_LISTS[party.side] ?? party.side}.${party.ordinal}`;

/** The same key in SQL, for a `case_parties` row aliased `p` (storage/documents/list-cases-with-documents-due.ts). */
export const ADDRESSEE_KEY_SQL = `(case p.side ${Object.entries(SIDE_LISTS)
  .map(([side, list]) => `when '${side}' then '${list}'`)
  .join(' ')} else p.side end || '.' || p.ordinal)`;

export async function readCaseIssuingFacts({ db, caseId }: { db: Db; caseId: string }): Promise<CaseIssuingFacts | null> {
  if (!isUuid(caseId)) return null;
  const [row] = await db
    .select({
      state: cases.state,
      courtId: cases.courtId,
      courtName: courts.name,
      caseNumber: cases.caseNumber,
      cause: cases.cause,
      claims: cases.claims,
      claimAmount: cases.claimAmount,
      facts: cases.facts,
      closingSummary: cases.closingSummary,
    })
    .from(cases)
    .innerJoin(courts, eq(courts.id, cases.courtId))
    .where(eq(cases.id, caseId))
    .limit(1);
  if (!row) return null;
  const [parties, hearingRows, journal, staff, filingFee, issuedDocuments] = await Promise.all([
    db
      .select({ side: caseParties.side, ordinal: caseParties.ordinal, name: caseParties.name, kind: caseParties.kind, address: caseParties.address })
      .from(caseParties)
      .where(eq(caseParties.caseId, caseId))
      .orderBy(asc(caseParties.side), asc(caseParties.ordinal)),
    db
      .select({ id: hearings.id, startsAt: hearings.startsAt, courtroom: hearings.courtroom, state: hearings.state, createdAt: hearings.createdAt })
      .from(hearings)
      .where(eq(hearings.caseId, caseId))
      .orderBy(asc(hearings.startsAt)),
    db
      .select({ event: actorJournal.event, at: actorJournal.at })
      .from(actorJournal)
      .where(and(eq(actorJournal.kind, 'case'), eq(actorJournal.actorId, caseId), sql`${actorJournal.event}->>'type' in ('FILE', 'ACCEPT', 'ISSUE_JUDGMENT', 'RECORD_SERVICE')`))
      .orderBy(asc(actorJournal.seq)),
    db
      .select({ role: users.role, displayName: users.displayName, id: users.id })
      .from(users)
      .where(and(eq(users.courtId, row.courtId), inArray(users.role, ['judge', 'clerk']), eq(users.disabled, false)))
      .orderBy(asc(users.displayName)),
    // A case that came from an online filing has its fee worked out for its procedure already (the fee notice's).
    db.select({ fee: filings.fee }).from(filings).where(eq(filings.caseId, caseId)).limit(1),
    db
      .select({ kind: documents.kind, title: documents.title, addressee: documents.addressee, issuedAt: documents.createdAt })
      .from(documents)
      .where(and(eq(documents.caseId, caseId), isNotNull(documents.verificationCode)))
      .orderBy(asc(documents.createdAt)),
  ]);
  const first = (type: string) => journal.find((entry) => entry.event.type === type);
  const judgment = first('ISSUE_JUDGMENT');
  const service = first('RECORD_SERVICE');
  /** The display name of whoever sent a journalled command (its `by`), null when unknown. */
  const senderName = async (event: Record<string, unknown> | undefined): Promise<string | null> => {
    const userId = (event?.by as { userId?: unknown } | undefined)?.userId;
    if (typeof userId !== 'string' || !isUuid(userId)) return null;
    const [user] = await db.select({ displayName: users.displayName }).from(users).where(eq(users.id, userId)).limit(1);
    return user?.displayName ?? null;
  };
  const [judgmentBy, servedBy] = await Promise.all([senderName(judgment?.event), senderName(service?.event)]);
  return {
    caseId,
    ...row,
    claimAmount: row.claimAmount === null ? null : String(row.claimAmount),
    parties: parties.map((party) => ({ ...party, kind: party.kind === 'organisation' ? 'organisation' : 'person' })),
    hearings: hearingRows,
    filedAt: first('FILE')?.at ?? null,
    acceptedAt: first('ACCEPT')?.at ?? null,
    judgmentAt: judgment?.at ?? null,
    judgmentBy,
    servedAt: service?.at ?? null,
    servedBy,
    issuedDocuments,
    filingFee: filingFee[0]?.fee == null ? null : String(filingFee[0].fee),
    judges: staff.filter((member) => member.role === 'judge').map((member) => member.displayName),
    clerks: staff.filter((member) => member.role === 'clerk').map((member) => member.displayName),
  };
}
