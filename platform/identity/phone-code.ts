// The one-time code sent to a phone at registration (短信验证码): six digits, valid five minutes,
// five tries, used once. Only a keyed hash of the code is kept. This file holds the rules; the
// rows live in storage/identity, the sending in an SmsSender.
import { randomInt } from 'node:crypto';
import type { PersonalDataCipher } from '../personal-data.ts';

export const PHONE_CODE_DIGITS = 6;
export const PHONE_CODE_TTL_MS = 5 * 60_000;
export const PHONE_CODE_MAX_ATTEMPTS = 5;
/** A phone gets a new code at most once a minute (the form's countdown) … */
export const PHONE_CODE_RESEND_MS = 60_000;
/** … and at most this many an hour, so nobody floods a stranger's phone. */
export const PHONE_CODES_PER_PHONE_HOUR = 5;

/** A mainland mobile number (+86 and spaces allowed as typed), or null when it is not one. */
export function normalisePhone(raw: string): string | null {
  const compact = raw.normalize('NFKC').replace(/[\s-]/g, '').replace(/^(\+86|0086)/, '');
  return /^1[3-9]\d{9}$/.test(compact) ? compact : null;
}

export function newPhoneCode(): string {
  return String(randomInt(0, 10 ** PHONE_CODE_DIGITS)).padStart(PHONE_CODE_DIGITS, '0');
}

/**
 * Keyed hash of a code for one phone: a stolen table does not give the codes away (six digits
 * unkeyed would be guessed in a second), and a code is worthless for another phone.
 */
export function phoneCodeHash(cipher: PersonalDataCipher, phone: string, code: string): string {
  return cipher.blindIndex(`phone-code\u0000${phone}\u0000${code}`);
}

export const PHONE_CODE_REFUSALS = {
  CODE_MISSING: { zh: '请先获取验证码', en: 'Request a code first' },
  CODE_EXPIRED: { zh: '验证码已过期，请重新获取', en: 'The code has expired: request a new one' },
  CODE_USED: { zh: '验证码已使用，请重新获取', en: 'The code was already used: request a new one' },
  CODE_ATTEMPTS: { zh: '验证码错误次数过多，请重新获取', en: 'Too many wrong tries: request a new code' },
  CODE_WRONG: { zh: '验证码错误', en: 'The code is wrong' },
} as const satisfies Record<string, { zh: string; en: string }>;

export type PhoneCodeRefusal = keyof typeof PHONE_CODE_REFUSALS;

/** What the store knows of the phone's latest code. */
export interface PhoneCodeState {
  expiresAt: Date;
  attempts: number;
  usedAt: Date | null;
}

/**
 * The verdict on a code typed for the phone's latest code. `matches` is whether its hash equals
 * the stored one; a wrong code counts as an attempt, every other refusal does not.
 */
export function judgePhoneCode(state: PhoneCodeState | null, matches: boolean, now: Date): 'accepted' | PhoneCodeRefusal {
  if (!state) return 'CODE_MISSING';
  if (state.usedAt) return 'CODE_USED';
  if (now.getTime() >= state.expiresAt.getTime()) return 'CODE_EXPIRED';
  if (state.attempts >= PHONE_CODE_MAX_ATTEMPTS) return 'CODE_ATTEMPTS';
  return matches ? 'accepted' : 'CODE_WRONG';
}

/** Milliseconds before the phone may be sent another code (0: now), given its codes of the last hour, newest first. */
export function phoneCodeWaitMs(recent: readonly Date[], now: Date): number {
  const hourAgo = now.getTime() - 3600_000;
  const lastHour = recent.filter((at) => at.getTime() > hourAgo);
  const newest = lastHour[0];
  let wait = newest ? newest.getTime() + PHONE_CODE_RESEND_MS - now.getTime() : 0;
  if (lastHour.length >= PHONE_CODES_PER_PHONE_HOUR) {
    const releasing = lastHour[PHONE_CODES_PER_PHONE_HOUR - 1]!;
    wait = Math.max(wait, releasing.getTime() + 3600_000 - now.getTime());
  }
  return Math.max(0, wait);
}
