// What an ID-card reading of the account's own card becomes as an identity check: passed only when the
// name and number were read and agree with the account; only confidences and flag codes are kept.
import { describe, expect, it } from 'vitest';
import { idCardVerdict } from '../../hub/ocr/id-card-verdict.ts';
import type { IdCardReading } from '../../models/ocr/read-idcard.ts';
import type { IdCardField } from '../../models/ocr/idcard-fields.ts';

const field = (value: string | null, confidence: number | null, codes: string[] = []): IdCardField => ({
  value,
  confidence,
  needsCorrection: codes.length > 0,
  reasons: codes.map((code) => ({ code: code as never, zh: '…', en: '…' })),
});

const reading = (fields: Record<string, IdCardField>): IdCardReading => ({
  side: 'front',
  fields,
  needsCorrection: Object.values(fields).some((f) => f.needsCorrection),
  preprocessing: { skewDegrees: 0, crop: { left: 0, top: 0, width: 1, height: 1 } },
  timings: { preprocessMs: 1, recogniseMs: 1 },
});

const SHA = 'a'.repeat(64);

describe('idCardVerdict', () => {
  it('passes when name and number are read and match, even with a low-confidence address', () => {
    const verdict = idCardVerdict(reading({ name: field('张伟', 0.9), idNumber: field('110101199003070038', 0.8), address: field('北京市', 0.2, ['LOW_CONFIDENCE']) }), 'tesseract.js', SHA);
    expect(verdict).toMatchObject({ outcome: 'passed', adapter: 'tesseract.js', matches: { name: true, idNumber: true }, imageSha256: SHA });
    expect(verdict.fields.address).toEqual({ read: true, confidence: 0.2, flags: ['LOW_CONFIDENCE'] });
    expect(JSON.stringify(verdict)).not.toMatch(/张伟|110101199003070038|北京市/);
  });

  it('fails on a typed mismatch, a number breaking its rules, or a field not read', () => {
    expect(idCardVerdict(reading({ name: field('张伟', 0.9, ['TYPED_MISMATCH']), idNumber: field('110101199003070038', 0.9) }), 'x', SHA)).toMatchObject({ outcome: 'failed', matches: { name: false, idNumber: true } });
    expect(idCardVerdict(reading({ name: field('张伟', 0.9), idNumber: field('110101199003070039', 0.9, ['ID_CHECK_DIGIT']) }), 'x', SHA)).toMatchObject({ outcome: 'failed', matches: { idNumber: false } });
    expect(idCardVerdict(reading({ name: field(null, null, ['NOT_READ']), idNumber: field('110101199003070038', 0.9) }), 'x', SHA)).toMatchObject({ outcome: 'failed', matches: { name: false } });
    expect(idCardVerdict(reading({ name: field('张伟', 0.9) }), 'x', SHA).outcome).toBe('failed');
  });
});
