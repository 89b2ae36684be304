// Checks the number of an identity document by its type: the resident ID card and the residence
// permit by GB 11643, the travel permits and passports by their printed layout. Pure: the date
// that bounds birth dates is passed in (or China's current date).
import { idRefusal, type IdRefusal } from './id-refusals.ts';
import { checkResidentIdNumber, type ResidentIdFacts } from './resident-id.ts';

/**
 * resident: 居民身份证; residence: 港澳台居民居住证; passport: 护照 (any country, ICAO 9303 number);
 * hkmo: 港澳居民来往内地通行证; tw: 台湾居民来往大陆通行证.
 */
export const ID_TYPES = ['resident', 'residence', 'passport', 'hkmo', 'tw'] as const;
export type IdType = (typeof ID_TYPES)[number];

export const ID_TYPE_NAMES: Record<IdType, { zh: string; en: string }> = {
  resident: { zh: '居民身份证', en: 'Resident identity card' },
  residence: { zh: '港澳台居民居住证', en: 'Residence permit for Hong Kong, Macao and Taiwan residents' },
  passport: { zh: '护照', en: 'Passport' },
  hkmo: { zh: '港澳居民来往内地通行证', en: 'Mainland travel permit for Hong Kong and Macao residents' },
  tw: { zh: '台湾居民来往大陆通行证', en: 'Mainland travel permit for Taiwan residents' },
};

export interface IdNumberCheck {
  type: IdType;
  valid: boolean;
  /** The number as stored and compared: NFKC (full-width digits), trimmed, upper case. */
  normalised: string;
  reasons: IdRefusal[];
  /** For a valid resident ID or residence permit: region, birth date and sex read from the number. */
  facts?: ResidentIdFacts;
}

/** Full-width digits and a lower-case x are what people type; they mean the same number. */
export function normaliseIdNumber(raw: string): string {
  return raw.normalize('NFKC').trim().toUpperCase();
}

/** Today's date in China (UTC+8), which is the date on the card's side of the question. */
export function chinaToday(now: Date = new Date()): string {
  return new Date(now.getTime() + 8 * 3600_000).toISOString().slice(0, 10);
}

export function checkIdNumber(type: IdType, raw: string, today: string = chinaToday()): IdNumberCheck {
  const normalised = normaliseIdNumber(raw);
  const done = (reasons: IdRefusal[], facts?: ResidentIdFacts): IdNumberCheck => ({
    type,
    valid: reasons.length === 0,
    normalised,
    reasons,
    ...(facts ? { facts } : {}),
  });
  if (normalised === '') return done([idRefusal('ID_EMPTY')]);
  switch (type) {
    case 'resident':
    case 'residence': {
      const result = checkResidentIdNumber(normalised, today, type);
      return done(result.reasons, result.facts);
    }
    case 'passport':
      // ICAO 9303: the document number field holds up to 9 letters and digits; none is shorter than 5.
      if (normalised.length < 5 || normalised.length > 9) return done([idRefusal('ID_LENGTH', '5 to 9 letters and digits expected')]);
      if (!/^[A-Z0-9]+$/.test(normalised) || !/\d/.test(normalised)) return done([idRefusal('ID_FORMAT', 'letters A–Z and digits only, with at least one digit')]);
      return done([]);
    case 'hkmo':
      // Card issued since 2013: H (Hong Kong) or M (Macao) and 8 digits; the older 10-digit cards have all expired.
      if (normalised.length !== 9) return done([idRefusal('ID_LENGTH', '9 characters expected: H or M and 8 digits')]);
      if (!/^[HM]\d{8}$/.test(normalised)) return done([idRefusal('ID_FORMAT', 'H or M followed by 8 digits')]);
      return done([]);
    case 'tw':
      // Card issued since 2015: 8 digits; the earlier booklets have all expired.
      if (normalised.length !== 8) return done([idRefusal('ID_LENGTH', '8 digits expected')]);
      if (!/^\d{8}$/.test(normalised)) return done([idRefusal('ID_FORMAT', 'digits only')]);
      return done([]);
  }
}

export const isIdType = (value: string): value is IdType => (ID_TYPES as readonly string[]).includes(value);
