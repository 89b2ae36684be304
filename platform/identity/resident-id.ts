// The 18-character number of a resident ID card (居民身份证, GB 11643-1999): six digits of region
// (GB/T 2260), eight of birth date, three of sequence (odd = male) and an ISO 7064 MOD 11-2
// check character. The same layout serves the residence permit of Hong Kong, Macao and Taiwan
// residents (港澳台居民居住证), whose region code is 810000, 820000 or 830000.
import { idRefusal, type IdRefusal } from './id-refusals.ts';
import { PROVINCE_CODES, RESIDENCE_PERMIT_REGIONS } from './province-codes.ts';

const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const CHECK_CHARACTERS = '10X98765432';
const EARLIEST_BIRTH_DATE = '1900-01-01';

/** GB 11643 (ISO 7064 MOD 11-2) check character for the first 17 digits of the number. */
export function residentIdCheckCharacter(first17: string): string {
  if (!/^\d{17}$/.test(first17)) throw new Error('expected 17 digits');
  const sum = [...first17].reduce((total, digit, index) => total + Number(digit) * WEIGHTS[index]!, 0);
  return CHECK_CHARACTERS[sum % 11]!;
}

/** What the number itself says about its holder (no look-up behind it). */
export interface ResidentIdFacts {
  regionCode: string;
  /** Province-level division (or 港澳台 for a residence permit), in Chinese. */
  region: string;
  /** YYYY-MM-DD */
  birthDate: string;
  sex: 'male' | 'female';
}

export interface ResidentIdResult {
  reasons: IdRefusal[];
  /** Present when the number is valid. */
  facts?: ResidentIdFacts;
}

export type ResidentIdKind = 'resident' | 'residence';

/**
 * Checks an already normalised number (see normaliseIdNumber). `today` (YYYY-MM-DD, China's date)
 * bounds the birth date. Length and layout refusals stop early; region, birth date and check
 * character are all reported when several are wrong.
 */
export function checkResidentIdNumber(number: string, today: string, kind: ResidentIdKind = 'resident'): ResidentIdResult {
  if (number.length === 15 && /^\d{15}$/.test(number)) {
    return { reasons: [idRefusal('ID_LENGTH', 'a 15-digit first-generation number: the 18-character number of the current card is needed')] };
  }
  if (number.length !== 18) return { reasons: [idRefusal('ID_LENGTH', `18 characters expected, got ${number.length}`)] };
  if (!/^\d{17}[\dX]$/.test(number)) {
    return { reasons: [idRefusal('ID_FORMAT', 'the first 17 characters must be digits, the last a digit or X')] };
  }
  const reasons: IdRefusal[] = [];
  const regionCode = number.slice(0, 6);
  const region = regionOf(regionCode, kind);
  if (typeof region !== 'string') reasons.push(region);
  const birthDate = `${number.slice(6, 10)}-${number.slice(10, 12)}-${number.slice(12, 14)}`;
  const birthProblem = birthDateProblem(birthDate, today);
  if (birthProblem) reasons.push(idRefusal('ID_BIRTH_DATE', birthProblem));
  const expected = residentIdCheckCharacter(number.slice(0, 17));
  if (number[17] !== expected) reasons.push(idRefusal('ID_CHECK_DIGIT'));
  if (reasons.length > 0) return { reasons };
  return {
    reasons,
    facts: { regionCode, region: region as string, birthDate, sex: Number(number[16]) % 2 === 1 ? 'male' : 'female' },
  };
}

/** The region's name, or why the code is not one a card of this kind carries. */
function regionOf(code: string, kind: ResidentIdKind): string | IdRefusal {
  if (kind === 'residence') {
    return RESIDENCE_PERMIT_REGIONS[code] ?? idRefusal('ID_REGION', 'a residence permit number starts with 810000, 820000 or 830000');
  }
  if (RESIDENCE_PERMIT_REGIONS[code]) {
    return idRefusal('ID_REGION', 'this is the number of a residence permit for Hong Kong, Macao or Taiwan residents: choose that document type');
  }
  const province = PROVINCE_CODES[code.slice(0, 2)];
  if (!province) return idRefusal('ID_REGION', 'the first two digits are not a province-level division');
  // GB/T 2260: prefecture 01–70 or 90 (county-level units directly under the province); the
  // county part may be 00 (cities without districts, e.g. 东莞 441900).
  const prefecture = Number(code.slice(2, 4));
  if (!((prefecture >= 1 && prefecture <= 70) || prefecture === 90)) {
    return idRefusal('ID_REGION', 'digits 3–4 are not a prefecture-level code (01–70 or 90)');
  }
  return province;
}

function birthDateProblem(date: string, today: string): string | null {
  const [year, month, day] = date.split('-').map(Number) as [number, number, number];
  const parsed = new Date(Date.UTC(year, month - 1, day));
  const real = parsed.getUTCFullYear() === year && parsed.getUTCMonth() === month - 1 && parsed.getUTCDate() === day;
  if (!real) return 'no such calendar date';
  if (date < EARLIEST_BIRTH_DATE) return 'before 1900';
  if (date > today) return 'in the future';
  return null;
}
