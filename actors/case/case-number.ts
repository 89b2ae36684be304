// 案号: the court's case number, e.g. (2026)京0105民初123号 — year of acceptance, the court's
// code (province abbreviation + digits), the case type (民初 civil first instance, …) and a
// sequence per court, year and type.
const CJK = '\\u4e00-\\u9fff';
const COURT_CODE = new RegExp(`^[${CJK}]\\d+$`);
const TYPE_CODE = new RegExp(`^[${CJK}]{1,4}$`);
// Both ASCII and full-width parentheses occur in documents; we write ASCII ones.
const CASE_NUMBER = new RegExp(`^[(（](\\d{4})[)）]([${CJK}]\\d+)([${CJK}]{1,4}?)([1-9]\\d*)号$`);

export interface CaseNumberParts {
  year: number;
  courtCode: string;
  typeCode: string;
  sequence: number;
}

export class CaseNumberFormatError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CaseNumberFormatError';
  }
}

export function formatCaseNumber(parts: { year: number; courtCode: string; typeCode?: string; sequence: number }): string {
  const typeCode = parts.typeCode ?? '民初';
  if (!Number.isInteger(parts.year) || parts.year < 1000 || parts.year > 9999) throw new CaseNumberFormatError(`bad year ${parts.year}`);
  if (!COURT_CODE.test(parts.courtCode)) throw new CaseNumberFormatError(`bad court code ${JSON.stringify(parts.courtCode)}`);
  if (!TYPE_CODE.test(typeCode)) throw new CaseNumberFormatError(`bad case type code ${JSON.stringify(typeCode)}`);
  if (!Number.isSafeInteger(parts.sequence) || parts.sequence < 1) throw new CaseNumberFormatError(`bad sequence ${parts.sequence}`);
  return `(${parts.year})${parts.courtCode}${typeCode}${parts.sequence}号`;
}

/** The parts of a case number, or null when the text is not one. */
export function parseCaseNumber(text: string): CaseNumberParts | null {
  const match = CASE_NUMBER.exec(text.trim());
  if (!match) return null;
  const [, year, courtCode, typeCode, sequence] = match;
  return { year: Number(year), courtCode: courtCode!, typeCode: typeCode!, sequence: Number(sequence) };
}
