// Field reading and cross-checks on recognised lines written by hand (the recogniser's output shape),
// so each rule is checked alone: label matching, the portrait, look-alike digits, flags.
import { describe, expect, it } from 'vitest';
import { extractBack, extractFront, labelEnd, LOW_CONFIDENCE } from '../../models/ocr/idcard-fields.ts';
import type { OcrLine } from '../../models/ocr/ocr-engine.ts';

const WIDTH = 846;
const TODAY = '2026-11-27';

/** A line from words: `text@confidence` (default 0.93), at increasing x unless `x:` is given. */
function line(...words: (string | { text: string; confidence?: number; left?: number })[]): OcrLine {
  let left = 40;
  return {
    words: words.map((word) => {
      const w = typeof word === 'string' ? { text: word } : word;
      const box = { left: w.left ?? left, top: 0, width: 30 * w.text.length, height: 30 };
      left = box.left + box.width + 10;
      return { text: w.text, confidence: w.confidence ?? 0.93, box };
    }),
  };
}

const front = (overrides: Partial<Record<'name' | 'sex' | 'birth' | 'number', OcrLine>> = {}, typed?: { name?: string; idNumber?: string }) =>
  extractFront(
    [
      overrides.name ?? line('姓名', '张', '伟'),
      overrides.sex ?? line('性', '别', '男', '民族', '汉'),
      overrides.birth ?? line('出', '生', '1990', '年', '3', '月', '7', '日'),
      line('住址', '北京', '市', '东城', '区', '景山前街4号院2号'),
      line('楼301室'),
      overrides.number ?? line('公民身份号码', '1101011990030', '70038'),
    ],
    { imageWidth: WIDTH, today: TODAY, ...(typed ? { typed } : {}) },
  );

const codes = (field: { reasons: { code: string }[] }) => field.reasons.map((reason) => reason.code);

describe('ID card front fields', () => {
  it('reads every field, joins the address lines and the split number', () => {
    const fields = front();
    expect(Object.fromEntries(Object.entries(fields).map(([key, field]) => [key, field.value]))).toEqual({
      name: '张伟',
      sex: '男',
      ethnicity: '汉',
      birthDate: '1990-03-07',
      address: '北京市东城区景山前街4号院2号楼301室',
      idNumber: '110101199003070038',
    });
    for (const field of Object.values(fields)) expect(field).toMatchObject({ confidence: 0.93, needsCorrection: false, reasons: [] });
  });

  it('finds labels after stray marks and with one character misread', () => {
    expect(labelEnd('人性别男', '性别')).toBe(3);
    expect(labelEnd('答发机关北京', '签发机关')).toBe(4);
    expect(labelEnd('性列男', '性别')).toBe(-1);
    const fields = front({ sex: line('人性别', '男', '“民族', '汉') });
    expect([fields.sex.value, fields.ethnicity.value]).toEqual(['男', '汉']);
  });

  it('leaves out what is read on the portrait, except on the number line', () => {
    const fields = front({ name: line('姓名', '张', '伟', { text: '@', left: 640 }) });
    expect(fields.name.value).toBe('张伟');
  });

  it('puts look-alike letters back into the number and the birth date', () => {
    const fields = front({ number: line('公民身份号码', '11010l1990O3', '07OO38'), birth: line('出生', '1990年', '3月', '7日') });
    expect(fields.idNumber.value).toBe('110101199003070038');
    expect(front({ birth: line('出生', '1990年', '3月', '工', '日') }).birthDate.value).toBe('1990-03-01');
  });

  it('flags a wrong check character, and then does not trust birth date or sex to it', () => {
    const fields = front({ number: line('公民身份号码', '110101199003070039') });
    expect(fields.idNumber.needsCorrection).toBe(true);
    expect(codes(fields.idNumber)).toEqual(['ID_CHECK_DIGIT']);
    expect(fields.birthDate.needsCorrection).toBe(false);
  });

  it('flags a birth date and a sex that disagree with the number', () => {
    const fields = front({ birth: line('出生', '1990年3月8日'), sex: line('性别', '女', '民族', '汉') });
    expect(codes(fields.birthDate)).toEqual(['BIRTH_MISMATCH']);
    expect(codes(fields.sex)).toEqual(['SEX_MISMATCH']);
  });

  it('flags low confidence, except where the number confirms the value', () => {
    const low = LOW_CONFIDENCE - 0.2;
    const fields = front({
      name: line('姓名', '张', { text: '伟', confidence: low }),
      birth: line('出生', { text: '1990', confidence: low }, '年3月7日'),
    });
    expect(fields.name).toMatchObject({ confidence: Math.round(low * 100) / 100, needsCorrection: true });
    expect(codes(fields.name)).toEqual(['LOW_CONFIDENCE']);
    expect(fields.birthDate.needsCorrection).toBe(false);
    expect(fields.birthDate.confidence).toBe(Math.round(low * 100) / 100);
  });

  it('compares with what the user typed', () => {
    const same = front({}, { name: ' 张伟 ', idNumber: '11010119900307003８' });
    expect([same.name.needsCorrection, same.idNumber.needsCorrection]).toEqual([false, false]);
    const other = front({}, { name: '张三', idNumber: '110101199003070046' });
    expect(codes(other.name)).toEqual(['TYPED_MISMATCH']);
    expect(codes(other.idNumber)).toEqual(['TYPED_MISMATCH']);
  });

  it('says what was not read and an unknown ethnicity', () => {
    const fields = extractFront([line('姓名', '张伟'), line('性别', '男', '民族', '汉人')], { imageWidth: WIDTH, today: TODAY });
    expect(codes(fields.ethnicity)).toEqual(['UNKNOWN_ETHNICITY']);
    for (const key of ['birthDate', 'address', 'idNumber'] as const) expect(fields[key]).toMatchObject({ value: null, confidence: null, needsCorrection: true });
    expect(codes(fields.idNumber)).toEqual(['NOT_READ']);
  });
});

describe('ID card back fields', () => {
  const back = (validity: OcrLine) => extractBack([line('中华人民共和国'), line('居民身份证'), line('答发机关', '北京市公安局', '东城分局'), validity], { today: TODAY });

  it('reads the authority and a period, with misread dashes and dots', () => {
    const fields = back(line('有效期限', '2015.03.07', '—', '2035。03.07'));
    expect([fields.issuingAuthority.value, fields.validity.value]).toEqual(['北京市公安局东城分局', '2015.03.07-2035.03.07']);
    expect(fields.validity.needsCorrection).toBe(false);
    expect(back(line('有效期限', '2001.10.01-长期')).validity.value).toBe('2001.10.01-长期');
  });

  it('flags an expired card and a period no card has', () => {
    expect(codes(back(line('有效期限', '2006.03.07-2016.03.07')).validity)).toEqual(['EXPIRED']);
    expect(codes(back(line('有效期限', '2015.03.07-2032.03.07')).validity)).toEqual(['FORMAT']);
    expect(codes(back(line('有效期限', '2015.02.30-2035.02.30')).validity)).toEqual(['FORMAT']);
    expect(codes(back(line('有效期限', '二〇一五')).validity)).toEqual(['FORMAT']);
  });
});
