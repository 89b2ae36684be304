// Why a field read off an ID card needs the user's correction: one code per reason with the text the
// user reads. ID-number reasons come from platform/identity (the same words as at registration).
import type { IdRefusal } from '../../platform/identity/id-refusals.ts';

export const FIELD_FLAGS = {
  NOT_READ: { zh: '未能识别该项，请填写', en: 'This field could not be read: please enter it' },
  LOW_CONFIDENCE: { zh: '识别把握不大，请核对', en: 'Read with low confidence: please check it' },
  FORMAT: { zh: '识别结果格式不符，请核对', en: 'What was read does not have this field\'s format: please check it' },
  UNKNOWN_ETHNICITY: { zh: '不是56个民族之一，请核对', en: 'Not one of the 56 ethnic groups: please check it' },
  BIRTH_MISMATCH: { zh: '出生日期与公民身份号码不符', en: 'The birth date does not match the ID number' },
  SEX_MISMATCH: { zh: '性别与公民身份号码不符', en: 'The sex does not match the ID number' },
  TYPED_MISMATCH: { zh: '与您填写的不一致，请核对', en: 'Differs from what you entered: please check' },
  EXPIRED: { zh: '证件已过有效期限', en: 'The card has expired' },
} as const satisfies Record<string, { zh: string; en: string }>;

export type FieldFlagCode = keyof typeof FIELD_FLAGS;

export interface FieldFlag {
  code: FieldFlagCode | IdRefusal['code'];
  zh: string;
  en: string;
  /** Detail in English (never the personal data itself). */
  hint?: string;
}

export function fieldFlag(code: FieldFlagCode, hint?: string): FieldFlag {
  return { code, ...FIELD_FLAGS[code], ...(hint === undefined ? {} : { hint }) };
}
