// The small value checks the filing schema and the rules share: money strings, calendar dates, the
// court's day, and one answer to a cause question checked against the question's kind.
import type { CauseQuestion } from './causes.ts';

/** Decimal yuan: no sign, no exponent, at most two fraction digits. */
export const YUAN_PATTERN = /^(0|[1-9]\d{0,13})(\.\d{1,2})?$/;
const PERCENT_PATTERN = /^(0|[1-9]\d{0,2})(\.\d{1,4})?$/;

/** The court's calendar day (China Standard Time, no daylight saving), YYYY-MM-DD. */
export function courtToday(now: Date = new Date()): string {
  return new Date(now.getTime() + 8 * 3600_000).toISOString().slice(0, 10);
}

/** A real calendar date written YYYY-MM-DD (2023-02-29 is not). */
export function isCalendarDate(text: string): boolean {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  if (!match) return false;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const date = new Date(Date.UTC(year, month - 1, day));
  return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
}

/** Why an answer does not fit its question (bilingual), or null when it does. Empty answers are the rules' business. */
export function answerProblem(question: CauseQuestion, answer: string, today: string): string | null {
  const value = answer.trim();
  if (value === '') return null;
  switch (question.kind) {
    case 'date':
      if (!isCalendarDate(value)) return '日期须为有效的 YYYY-MM-DD / must be a valid date YYYY-MM-DD';
      if (value > today) return '日期不能晚于今天 / the date must not be in the future';
      return null;
    case 'yuan':
      return YUAN_PATTERN.test(value) ? null : '金额须为最多两位小数的元金额 / must be a decimal amount of yuan with at most 2 fraction digits';
    case 'percent':
      return PERCENT_PATTERN.test(value) && Number(value) <= 100 ? null : '须为0至100之间的百分数 / must be a percentage from 0 to 100';
    case 'choice':
      return question.choices?.some((choice) => choice.value === value) ? null : `须为以下之一 / must be one of: ${question.choices?.map((choice) => choice.value).join(', ')}`;
    case 'text':
      return null;
  }
}
