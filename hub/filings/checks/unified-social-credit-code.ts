// 统一社会信用代码 (GB 32100-2015): the 18-character code every registered organisation carries.
// A local check of its form and both check characters; it says nothing about whether the
// organisation still exists (that needs the registry, see enterprise-registry.ts).

/** The code's 31 characters: digits and capitals without I, O, S, V, Z. Index = value. */
const CODE_CHARSET = '0123456789ABCDEFGHJKLMNPQRTUWXY';
/** Weights of positions 1–17 (3^(i) mod 31). */
const CODE_WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28] as const;
/** Weights of the embedded organisation code (GB 11714-1997), positions 9–16. */
const ORGANISATION_WEIGHTS = [3, 7, 9, 10, 5, 8, 4, 2] as const;

export type CreditCodeRefusal = 'length' | 'characters' | 'divisionCode' | 'organisationCheck' | 'checkCharacter';

export interface CreditCodeCheck {
  valid: boolean;
  /** Upper case, full-width folded, trimmed: how people type it is not how it is compared. */
  normalised: string;
  refusals: CreditCodeRefusal[];
  /** For a code of the right form: 登记管理部门代码, 机构类别代码, 登记管理机关行政区划码. */
  parts?: { registrationAuthority: string; category: string; division: string; organisationCode: string };
}

export function normaliseCreditCode(raw: string): string {
  return raw.normalize('NFKC').replace(/[\s-]/g, '').toUpperCase();
}

/** GB 32100-2015 §5: C18 = 31 − (Σ Ci·Wi mod 31), 31 written as 0. */
export function creditCodeCheckCharacter(first17: string): string {
  let sum = 0;
  for (let i = 0; i < 17; i += 1) sum += CODE_CHARSET.indexOf(first17[i]!) * CODE_WEIGHTS[i]!;
  const value = (31 - (sum % 31)) % 31;
  return CODE_CHARSET[value]!;
}

/** GB 11714-1997: C9 = 11 − (Σ Ci·Wi mod 11), 10 written X, 11 written 0; letters count A=10 … Z=35. */
export function organisationCodeCheckCharacter(first8: string): string {
  let sum = 0;
  for (let i = 0; i < 8; i += 1) sum += Number.parseInt(first8[i]!, 36) * ORGANISATION_WEIGHTS[i]!;
  const value = 11 - (sum % 11);
  return value === 10 ? 'X' : value === 11 ? '0' : String(value);
}

export function checkUnifiedSocialCreditCode(raw: string): CreditCodeCheck {
  const normalised = normaliseCreditCode(raw);
  if (normalised.length !== 18) return { valid: false, normalised, refusals: ['length'] };
  if (![...normalised].every((c) => CODE_CHARSET.includes(c))) return { valid: false, normalised, refusals: ['characters'] };
  const refusals: CreditCodeRefusal[] = [];
  const division = normalised.slice(2, 8);
  if (!/^\d{6}$/.test(division)) refusals.push('divisionCode');
  const organisationCode = normalised.slice(8, 17);
  // The organisation code's own check character is a digit or X (0-9A-Z body); a letter body outside that is no organisation code.
  if (!/^[0-9A-Z]{8}[0-9X]$/.test(organisationCode) || organisationCodeCheckCharacter(organisationCode.slice(0, 8)) !== organisationCode[8]) {
    refusals.push('organisationCheck');
  }
  if (creditCodeCheckCharacter(normalised.slice(0, 17)) !== normalised[17]) refusals.push('checkCharacter');
  return {
    valid: refusals.length === 0,
    normalised,
    refusals,
    parts: { registrationAuthority: normalised[0]!, category: normalised[1]!, division, organisationCode },
  };
}
