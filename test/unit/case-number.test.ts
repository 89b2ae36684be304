import { describe, expect, it } from 'vitest';
import { CaseNumberFormatError, formatCaseNumber, parseCaseNumber } from '../../actors/case/case-number.ts';

describe('case number (案号)', () => {
  it('formats year, court code, type and sequence', () => {
    expect(formatCaseNumber({ year: 2026, courtCode: '京0105', sequence: 123 })).toBe('(2026)京0105民初123号');
    expect(formatCaseNumber({ year: 2025, courtCode: '沪0115', typeCode: '民终', sequence: 1 })).toBe('(2025)沪0115民终1号');
  });

  it('parses what it formats', () => {
    const parts = { year: 2026, courtCode: '粤0304', typeCode: '执恢', sequence: 45678 };
    expect(parseCaseNumber(formatCaseNumber(parts))).toEqual(parts);
  });

  it('parses full-width parentheses too', () => {
    expect(parseCaseNumber('（2026）京0105民初7号')).toEqual({ year: 2026, courtCode: '京0105', typeCode: '民初', sequence: 7 });
  });

  it.each(['2026京0105民初1号', '(2026)京0105民初0号', '(26)京0105民初1号', '(2026)京0105民初1', '(2026)0105民初1号', '(2026)京0105民初一号', ''])(
    'rejects %j',
    (text) => {
      expect(parseCaseNumber(text)).toBeNull();
    },
  );

  it('refuses to format bad parts', () => {
    expect(() => formatCaseNumber({ year: 2026, courtCode: '0105', sequence: 1 })).toThrow(CaseNumberFormatError);
    expect(() => formatCaseNumber({ year: 2026, courtCode: '京0105', sequence: 0 })).toThrow(CaseNumberFormatError);
    expect(() => formatCaseNumber({ year: 26, courtCode: '京0105', sequence: 1 })).toThrow(CaseNumberFormatError);
    expect(() => formatCaseNumber({ year: 2026, courtCode: '京0105', typeCode: 'MC', sequence: 1 })).toThrow(CaseNumberFormatError);
  });
});
