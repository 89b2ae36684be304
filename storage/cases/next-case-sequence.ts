// Hands out the next number of a court's case series for a year and case type (e.g. 民初): one
// atomic upsert, so concurrent acceptances never get the same number.
import { sql } from 'drizzle-orm';
import type { Db } from '../database.ts';
import { caseNumberSequences } from '../schema.ts';
import { SYSTEM_ACTOR, writeAudit, type AuditActor } from '../audit/write-audit.ts';

export interface NextCaseSequenceOptions {
  db: Db;
  courtId: string;
  year: number;
  /** The case type code of the series, e.g. '民初'. */
  typeCode: string;
  /** Who asked; the system (the case actor accepting a case) when omitted. */
  actor?: AuditActor;
}

export async function nextCaseSequence({ db, courtId, year, typeCode, actor = SYSTEM_ACTOR }: NextCaseSequenceOptions): Promise<number> {
  return db.transaction(async (tx) => {
    const [row] = await tx
      .insert(caseNumberSequences)
      .values({ courtId, year, typeCode, lastValue: 1 })
      .onConflictDoUpdate({
        target: [caseNumberSequences.courtId, caseNumberSequences.year, caseNumberSequences.typeCode],
        set: { lastValue: sql`${caseNumberSequences.lastValue} + 1` },
      })
      .returning({ value: caseNumberSequences.lastValue });
    if (!row) throw new Error('case number sequence upsert returned no row');
    await writeAudit(tx, {
      actor,
      action: 'caseNumber.next',
      subjectKind: 'court',
      subjectId: courtId,
      detail: { year, typeCode, value: row.value },
    });
    return row.value;
  });
}
