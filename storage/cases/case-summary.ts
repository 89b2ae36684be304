// The case summary shared by the listing and the detail: the case row, its court's name and the
// names of the parties on each side (in filing order).
import { asc, desc, eq, inArray, type SQL } from 'drizzle-orm';
import type { Db } from '../database.ts';
import { caseParties, cases, courts } from '../schema.ts';

export interface CaseSummary {
  id: string;
  caseNumber: string | null;
  courtId: string;
  courtName: string;
  cause: string;
  /** Decimal yuan as a string ("12000.50"), or null when the claim is not monetary. */
  claimAmount: string | null;
  state: string;
  filedAt: string;
  updatedAt: string;
  plaintiffs: string[];
  defendants: string[];
}

/** Summaries of the cases matching `where`, newest filing first. */
export async function selectCaseSummaries(db: Db, where: SQL, limit: number): Promise<CaseSummary[]> {
  const rows = await db
    .select({
      id: cases.id,
      caseNumber: cases.caseNumber,
      courtId: cases.courtId,
      courtName: courts.name,
      cause: cases.cause,
      claimAmount: cases.claimAmount,
      state: cases.state,
      filedAt: cases.filedAt,
      updatedAt: cases.updatedAt,
    })
    .from(cases)
    .innerJoin(courts, eq(courts.id, cases.courtId))
    .where(where)
    .orderBy(desc(cases.filedAt), desc(cases.id))
    .limit(limit);
  if (rows.length === 0) return [];
  const names = await partyNamesBySide(db, rows.map((row) => row.id));
  return rows.map((row) => ({
    ...row,
    filedAt: row.filedAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
    plaintiffs: names.get(row.id)?.plaintiffs ?? [],
    defendants: names.get(row.id)?.defendants ?? [],
  }));
}

async function partyNamesBySide(db: Db, caseIds: string[]): Promise<Map<string, { plaintiffs: string[]; defendants: string[] }>> {
  const parties = await db
    .select({ caseId: caseParties.caseId, side: caseParties.side, name: caseParties.name })
    .from(caseParties)
    .where(inArray(caseParties.caseId, caseIds))
    .orderBy(asc(caseParties.caseId), asc(caseParties.side), asc(caseParties.ordinal));
  const byCase = new Map<string, { plaintiffs: string[]; defendants: string[] }>();
  for (const party of parties) {
    let entry = byCase.get(party.caseId);
    if (!entry) byCase.set(party.caseId, (entry = { plaintiffs: [], defendants: [] }));
    if (party.side === 'plaintiff') entry.plaintiffs.push(party.name);
    else if (party.side === 'defendant') entry.defendants.push(party.name);
  }
  return byCase;
}
