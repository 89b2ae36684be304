// The one-time registration code's rules: its form, its keyed hash, expiry, attempts, single use,
// the resend interval and the hourly limit per phone.
import { describe, expect, it } from 'vitest';
import { randomBytes } from 'node:crypto';
import { createPersonalDataCipher } from '../../platform/personal-data.ts';
import {
  judgePhoneCode,
  newPhoneCode,
  normalisePhone,
  PHONE_CODE_MAX_ATTEMPTS,
  PHONE_CODE_RESEND_MS,
  PHONE_CODE_TTL_MS,
  phoneCodeHash,
  phoneCodeWaitMs,
} from '../../platform/identity/phone-code.ts';

const now = new Date('2026-11-27T10:00:00Z');
const at = (offsetMs: number) => new Date(now.getTime() + offsetMs);
const fresh = { expiresAt: at(PHONE_CODE_TTL_MS), attempts: 0, usedAt: null };

describe('phone numbers', () => {
  it.each([
    ['13800138000', '13800138000'],
    ['+86 138 0013 8000', '13800138000'],
    ['0086-19912345678', '19912345678'],
    ['１３８００１３８０００', '13800138000'],
  ])('accepts %j as %s', (raw, phone) => expect(normalisePhone(raw)).toBe(phone));

  it.each(['', '1380013800', '138001380001', '12800138000', '01065550100', '+85291234567', '1380013800a'])('refuses %j', (raw) => {
    expect(normalisePhone(raw)).toBeNull();
  });
});

describe('codes', () => {
  it('are six digits, leading zeros kept, and not all the same', () => {
    const codes = Array.from({ length: 200 }, newPhoneCode);
    for (const code of codes) expect(code).toMatch(/^\d{6}$/);
    expect(new Set(codes).size).toBeGreaterThan(190);
  });

  it('are hashed with a key, per phone', () => {
    const cipher = createPersonalDataCipher(randomBytes(32));
    const other = createPersonalDataCipher(randomBytes(32));
    const hash = phoneCodeHash(cipher, '13800138000', '123456');
    expect(hash).not.toContain('123456');
    expect(phoneCodeHash(cipher, '13800138000', '123456')).toBe(hash);
    expect(phoneCodeHash(cipher, '13800138001', '123456')).not.toBe(hash);
    expect(phoneCodeHash(cipher, '13800138000', '123457')).not.toBe(hash);
    expect(phoneCodeHash(other, '13800138000', '123456')).not.toBe(hash);
  });
});

describe('judgePhoneCode', () => {
  it('accepts the right code within five minutes', () => {
    expect(judgePhoneCode(fresh, true, now)).toBe('accepted');
    expect(judgePhoneCode(fresh, true, at(PHONE_CODE_TTL_MS - 1))).toBe('accepted');
  });
  it('refuses a wrong code as an attempt', () => expect(judgePhoneCode(fresh, false, now)).toBe('CODE_WRONG'));
  it('refuses when no code was sent', () => expect(judgePhoneCode(null, false, now)).toBe('CODE_MISSING'));
  it('refuses an expired code, even the right one', () => {
    expect(judgePhoneCode(fresh, true, at(PHONE_CODE_TTL_MS))).toBe('CODE_EXPIRED');
  });
  it('refuses a used code, even the right one (a replay)', () => {
    expect(judgePhoneCode({ ...fresh, usedAt: now }, true, now)).toBe('CODE_USED');
  });
  it('refuses after five wrong attempts, even the right code', () => {
    expect(judgePhoneCode({ ...fresh, attempts: PHONE_CODE_MAX_ATTEMPTS - 1 }, true, now)).toBe('accepted');
    expect(judgePhoneCode({ ...fresh, attempts: PHONE_CODE_MAX_ATTEMPTS }, true, now)).toBe('CODE_ATTEMPTS');
  });
});

describe('phoneCodeWaitMs', () => {
  it('lets the first code go at once', () => expect(phoneCodeWaitMs([], now)).toBe(0));
  it('holds a resend for a minute after the last code', () => {
    expect(phoneCodeWaitMs([at(-10_000)], now)).toBe(PHONE_CODE_RESEND_MS - 10_000);
    expect(phoneCodeWaitMs([at(-PHONE_CODE_RESEND_MS)], now)).toBe(0);
  });
  it('allows five codes an hour, then waits for the oldest to leave the hour', () => {
    const four = [at(-120_000), at(-20 * 60_000), at(-30 * 60_000), at(-40 * 60_000)];
    expect(phoneCodeWaitMs(four, now)).toBe(0);
    const five = [...four, at(-50 * 60_000)];
    expect(phoneCodeWaitMs(five, now)).toBe(10 * 60_000);
    const older = [...four, at(-61 * 60_000)];
    expect(phoneCodeWaitMs(older, now)).toBe(0);
  });
});
