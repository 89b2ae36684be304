// The 验证码: 80 random bits in Crockford base32, four groups of four; normalising forgives what people
// type (case, separators, O/I/L) and refuses what cannot be a code; the QR address carries the code.
import { describe, expect, it } from 'vitest';
import { newVerificationCode, normaliseVerificationCode, verificationUrl } from '../../documents/verification/verification-code.ts';
import { publicUrlOf, verificationMarkOf } from '../../documents/verification/public-url.ts';

const SHAPE = /^[0-9A-HJKMNP-TV-Z]{4}(-[0-9A-HJKMNP-TV-Z]{4}){3}$/;

describe('newVerificationCode', () => {
  it('is four groups of four Crockford symbols (no I, L, O, U), and 10,000 of them are all different', () => {
    const codes = new Set<string>();
    for (let index = 0; index < 10_000; index++) {
      const code = newVerificationCode();
      expect(code).toMatch(SHAPE);
      codes.add(code);
    }
    expect(codes.size).toBe(10_000);
  });

  it('uses every symbol in every position about equally (80 unbiased bits, not a counter)', () => {
    const counts = Array.from({ length: 16 }, () => new Map<string, number>());
    const samples = 32_000;
    for (let index = 0; index < samples; index++) {
      [...newVerificationCode().replace(/-/g, '')].forEach((symbol, position) => counts[position]!.set(symbol, (counts[position]!.get(symbol) ?? 0) + 1));
    }
    for (const position of counts) {
      expect(position.size).toBe(32);
      // Expected 1,000 each; ±25 % is > 7 standard deviations.
      for (const count of position.values()) expect(Math.abs(count - samples / 32)).toBeLessThan(250);
    }
  });
});

describe('normaliseVerificationCode', () => {
  const code = '7K3M-Q9TX-2F8R-WD4N';
  it.each([
    ['canonical', code],
    ['lower case', code.toLowerCase()],
    ['no dashes', '7K3MQ9TX2F8RWD4N'],
    ['spaces and dots', ' 7k3m q9tx.2f8r_wd4n '],
  ])('%s → the canonical form', (_, typed) => {
    expect(normaliseVerificationCode(typed)).toBe(code);
  });

  it('O reads as 0, I and L as 1', () => {
    expect(normaliseVerificationCode('OOOO-IIII-LLLL-0000')).toBe('0000-1111-1111-0000');
  });

  it.each([
    ['too short', '7K3M-Q9TX-2F8R-WD4'],
    ['too long', '7K3M-Q9TX-2F8R-WD4NX'],
    ['U is not a symbol', '7K3M-Q9TX-2F8R-WD4U'],
    ['punctuation', '7K3M-Q9TX-2F8R-WD4!'],
    ['Chinese', '验证码验证码验证码验证码验证码验证'],
    ['empty', ''],
    ['not a string', 12345],
  ])('%s → null', (_, typed) => {
    expect(normaliseVerificationCode(typed)).toBeNull();
  });

  it('a fresh code survives a round trip through lower case without dashes', () => {
    const fresh = newVerificationCode();
    expect(normaliseVerificationCode(fresh.toLowerCase().replace(/-/g, ''))).toBe(fresh);
  });
});

describe('the verification address', () => {
  it('is the portal hash route with the code; the base loses trailing slashes', () => {
    expect(verificationUrl('https://court.example.cn/portal/', '7K3M-Q9TX-2F8R-WD4N')).toBe('https://court.example.cn/portal/#/verify?code=7K3M-Q9TX-2F8R-WD4N');
  });

  it('ECOURT_PUBLIC_URL when set, else http://HOST:PORT with the wildcard host as loopback', () => {
    expect(publicUrlOf({ ECOURT_PUBLIC_URL: 'https://e.court.cn/', HOST: '0.0.0.0', PORT: 8080 })).toBe('https://e.court.cn');
    expect(publicUrlOf({ ECOURT_PUBLIC_URL: undefined, HOST: '0.0.0.0', PORT: 8080 })).toBe('http://127.0.0.1:8080');
    expect(publicUrlOf({ ECOURT_PUBLIC_URL: undefined, HOST: 'court.local', PORT: 9000 })).toBe('http://court.local:9000');
    expect(verificationMarkOf({ ECOURT_PUBLIC_URL: 'https://e.court.cn', HOST: '0.0.0.0', PORT: 1 }, 'AAAA-BBBB-CCCC-DDDD')).toEqual({ code: 'AAAA-BBBB-CCCC-DDDD', url: 'https://e.court.cn/#/verify?code=AAAA-BBBB-CCCC-DDDD' });
  });
});
