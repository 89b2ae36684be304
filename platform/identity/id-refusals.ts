// Why an identity document number is refused: one code per rule, with the text a user reads in
// Chinese and English. The API, the CLI and the portal show these as they are.

export const ID_REFUSALS = {
  ID_EMPTY: { zh: '请填写证件号码', en: 'Enter the document number' },
  ID_LENGTH: { zh: '证件号码位数不对', en: 'The document number has the wrong number of characters' },
  ID_FORMAT: { zh: '证件号码含有不允许的字符或格式不符', en: 'The document number has characters or a layout this document type does not use' },
  ID_REGION: { zh: '居民身份证号码的地址码（前六位）不是有效的行政区划代码', en: 'The region code (first six digits) is not a valid administrative division code' },
  ID_BIRTH_DATE: { zh: '出生日期不存在、晚于今天或早于1900年', en: 'The birth date does not exist, lies in the future or before 1900' },
  ID_CHECK_DIGIT: { zh: '校验码（最后一位）不符，请核对号码', en: 'The check character (last character) does not match: please check the number' },
  ID_TYPE: { zh: '不支持的证件类型', en: 'This document type is not supported' },
} as const satisfies Record<string, { zh: string; en: string }>;

export type IdRefusalCode = keyof typeof ID_REFUSALS;

export interface IdRefusal {
  code: IdRefusalCode;
  zh: string;
  en: string;
  /** What exactly was wrong, in English, without repeating the number (it is personal data). */
  hint?: string;
}

export function idRefusal(code: IdRefusalCode, hint?: string): IdRefusal {
  return { code, ...ID_REFUSALS[code], ...(hint === undefined ? {} : { hint }) };
}
