// Dates and amounts written the way court documents write them: 二〇二六年十一月二十七日.

const DIGITS = ['〇', '一', '二', '三', '四', '五', '六', '七', '八', '九'];

/** 1–99 as Chinese numerals (十一, 二十, 三十一). */
function smallNumber(value: number): string {
  if (value < 10) return DIGITS[value]!;
  const tens = Math.floor(value / 10);
  const units = value % 10;
  return `${tens === 1 ? '' : DIGITS[tens]}十${units === 0 ? '' : DIGITS[units]}`;
}

/** An ISO date (2026-11-27, or the date part of a timestamp) → 二〇二六年十一月二十七日. */
export function chineseDate(isoDate: string): string {
  const match = /^(\d{4})-(\d{2})-(\d{2})/.exec(isoDate);
  if (!match) throw new Error(`not an ISO date: ${isoDate}`);
  const [, year, month, day] = match;
  return `${[...year!].map((digit) => DIGITS[Number(digit)]).join('')}年${smallNumber(Number(month))}月${smallNumber(Number(day))}日`;
}

/** An ISO date or timestamp → 2026年11月27日 (the Arabic form used in body text). */
export function arabicDate(isoDate: string): string {
  const match = /^(\d{4})-(\d{2})-(\d{2})/.exec(isoDate);
  if (!match) throw new Error(`not an ISO date: ${isoDate}`);
  return `${match[1]}年${Number(match[2])}月${Number(match[3])}日`;
}

/** A timestamp with offset → 2026年12月3日9时30分, in the court's time (UTC+8) whatever offset it was written with. */
export function arabicDateTime(isoDateTime: string): string {
  const shifted = new Date(Date.parse(isoDateTime) + 8 * 3600_000);
  const minutes = shifted.getUTCMinutes();
  return `${shifted.getUTCFullYear()}年${shifted.getUTCMonth() + 1}月${shifted.getUTCDate()}日${shifted.getUTCHours()}时${minutes === 0 ? '' : `${minutes}分`}`;
}

/** Cents of a decimal yuan string ("12000.5" → 1200050n): money is added exactly, never as floats. */
export function yuanToCents(amount: string): bigint {
  const [whole, fraction = ''] = amount.split('.');
  return BigInt(whole!) * 100n + BigInt(fraction.padEnd(2, '0'));
}

/** Cents → "12,000.50" (grouped, two decimals, as amounts are printed). */
export function formatYuan(cents: bigint): string {
  const negative = cents < 0n;
  const absolute = negative ? -cents : cents;
  const whole = (absolute / 100n).toString().replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return `${negative ? '-' : ''}${whole}.${(absolute % 100n).toString().padStart(2, '0')}`;
}
