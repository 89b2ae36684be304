// Assigns case numbers in the court's format, e.g. (2026)京0105民初123号: the year is the
// court's local year at acceptance, the sequence is per court, year and case type.
import { formatCaseNumber } from '../actors/case/case-number.ts';
import { getCourt } from '../storage/courts/get-court.ts';
import { nextCaseSequence } from '../storage/cases/next-case-sequence.ts';
import type { Db } from '../storage/database.ts';
import { NotFoundError } from './errors.ts';

export const CIVIL_FIRST_INSTANCE = '民初';

export function yearInTimeZone(at: Date, timeZone: string): number {
  return Number(new Intl.DateTimeFormat('en-US', { timeZone, year: 'numeric' }).format(at));
}

export function createCaseNumbering(db: Db): (courtId: string, at: Date) => Promise<string> {
  return async (courtId, at) => {
    const court = await getCourt({ db, courtId });
    if (!court) throw new NotFoundError('court');
    const year = yearInTimeZone(at, court.timeZone);
    const sequence = await nextCaseSequence({ db, courtId, year, typeCode: CIVIL_FIRST_INSTANCE });
    return formatCaseNumber({ year, courtCode: court.code, typeCode: CIVIL_FIRST_INSTANCE, sequence });
  };
}
