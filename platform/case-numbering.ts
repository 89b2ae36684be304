// Assigns case numbers in the court's format, e.g. (2026)京0105民初123号: the year is the
// court's local year at acceptance, the sequence is per court, year and case type. Numbers are
// reserved in runs (one database round trip for every acceptance waiting on the same court).
import { formatCaseNumber } from '../actors/case/case-number.ts';
import type { ReserveCaseNumbers } from '../actors/case/case-number-dispenser.ts';
import { getCourt } from '../storage/courts/get-court.ts';
import { nextCaseSequence } from '../storage/cases/next-case-sequence.ts';
import type { Db } from '../storage/database.ts';
import { NotFoundError } from './errors.ts';

export const CIVIL_FIRST_INSTANCE = '民初';

/** Building an Intl.DateTimeFormat costs far more than formatting with one: one per time zone. */
const yearFormats = new Map<string, Intl.DateTimeFormat>();

export function yearInTimeZone(at: Date, timeZone: string): number {
  let format = yearFormats.get(timeZone);
  if (!format) {
    // Throws RangeError for an unknown zone before anything is cached.
    format = new Intl.DateTimeFormat('en-US', { timeZone, year: 'numeric' });
    yearFormats.set(timeZone, format);
  }
  return Number(format.format(at));
}

/** Reserves `count` consecutive civil first-instance numbers of a court, in order. */
export function createCaseNumberReservation(db: Db): ReserveCaseNumbers {
  const courts = new Map<string, { code: string; timeZone: string }>();
  return async (courtId, at, count) => {
    let court = courts.get(courtId);
    if (!court) {
      const found = await getCourt({ db, courtId });
      if (!found) throw new NotFoundError('court');
      court = { code: found.code, timeZone: found.timeZone };
      courts.set(courtId, court); // a court's code and time zone do not change under a running node
    }
    const year = yearInTimeZone(at, court.timeZone);
    const last = await nextCaseSequence({ db, courtId, year, typeCode: CIVIL_FIRST_INSTANCE, count });
    return Array.from({ length: count }, (_, index) =>
      formatCaseNumber({ year, courtCode: court.code, typeCode: CIVIL_FIRST_INSTANCE, sequence: last - count + 1 + index }),
    );
  };
}
