// Court document templates without rendering: Chinese line breaking (避头尾, Latin words whole), dates in
// Chinese, exact money, and bad data refused with every bad field listed.
import { describe, expect, it } from 'vitest';
import { breakLines, breakUnits, NO_LINE_END, NO_LINE_START } from '../../documents/render/line-break.ts';
import { chineseDate, formatYuan, yuanToCents } from '../../documents/templates/chinese-numbers.ts';
import { buildCourtDocument, TEMPLATE_NAMES } from '../../documents/templates/index.ts';
import { SAMPLE_DATA, sampleJudgment } from '../../documents/templates/samples.ts';
import { AppError } from '../../platform/errors.ts';

/** Every character one unit wide, Latin half: enough to check where lines break. */
const measure = (text: string) => [...text].reduce((sum, char) => sum + (/[\x20-\x7e]/.test(char) ? 0.5 : 1), 0);

function refusal(template: string, data: unknown): AppError {
  try {
    buildCourtDocument(template, data);
  } catch (error) {
    if (error instanceof AppError) return error;
    throw error;
  }
  throw new Error('data was accepted');
}

const fieldsOf = (error: AppError) => (error.details as { fields: { field: string }[] }).fields.map((entry) => entry.field);

describe('Chinese line breaking', () => {
  it('breaks between CJK characters and keeps Latin words and numbers whole', () => {
    expect(breakUnits('借款120,000.50元，PDF文件')).toEqual(['借', '款', '120,000.50', '元', '，', 'PDF', '文', '件']);
    const lines = breakLines('本院于2026年9月1日受理原告诉讼请求120000元的案件', measure, 8);
    expect(lines.join('')).toBe('本院于2026年9月1日受理原告诉讼请求120000元的案件');
    for (const line of lines) expect(measure(line)).toBeLessThanOrEqual(8);
    expect(lines.some((line) => line.includes('120000'))).toBe(true);
    expect(lines.some((line) => line.includes('2026'))).toBe(true);
  });

  it('never starts a line with closing punctuation nor ends one with an opening mark (避头尾)', () => {
    // Widths of 5 would put "，" and "。" at a line start and "（" at a line end.
    const text = '甲乙丙丁戊，己庚辛壬癸。子丑寅卯（辰巳）午未申酉戌亥「天地」人和';
    for (const width of [4, 5, 6, 7]) {
      const lines = breakLines(text, measure, width);
      expect(lines.join('')).toBe(text);
      lines.forEach((line, index) => {
        if (index > 0) expect(NO_LINE_START.has(line[0]!), `line ${index} "${line}" at width ${width}`).toBe(false);
        if (index < lines.length - 1) expect(NO_LINE_END.has(line[line.length - 1]!), `line ${index} "${line}" at width ${width}`).toBe(false);
      });
    }
  });

  it('narrows the first line for the indent and splits a word longer than a line', () => {
    expect(breakLines('一二三四五六七八', measure, 4, 2)).toEqual(['一二', '三四五六', '七八']);
    expect(breakLines('ABCDEFGHIJ', measure, 2).join('')).toBe('ABCDEFGHIJ');
  });
});

describe('numbers and dates as court documents write them', () => {
  it('writes dates in Chinese numerals', () => {
    expect(chineseDate('2026-11-27')).toBe('二〇二六年十一月二十七日');
    expect(chineseDate('2030-01-10')).toBe('二〇三〇年一月十日');
    expect(chineseDate('2026-10-31')).toBe('二〇二六年十月三十一日');
  });

  it('adds money exactly in cents', () => {
    expect(yuanToCents('0.1') + yuanToCents('0.2')).toBe(30n);
    expect(formatYuan(yuanToCents('1234567.5'))).toBe('1,234,567.50');
  });
});

describe('template data', () => {
  it('lays out every template from its sample data', () => {
    for (const name of TEMPLATE_NAMES) {
      const document = buildCourtDocument(name, SAMPLE_DATA[name]);
      // The complaint (起诉状) is the filer's document: no court head, it is addressed to the court (此致).
      if (name === 'complaint') expect(document.blocks[0]).toMatchObject({ type: 'heading', text: '民事起诉状' });
      else expect(document.blocks[0]).toMatchObject({ type: 'title', courtName: '北京市朝阳区人民法院' });
      expect(document.blocks.some((block) => block.type === 'signature')).toBe(true);
    }
  });

  it('totals the annex table exactly', () => {
    const data = sampleJudgment(3);
    const table = buildCourtDocument('civilJudgment', data).blocks.find((block) => block.type === 'table');
    expect(table).toMatchObject({ footer: ['', '合计', '30,039.03', ''] }); // 10000.00 + 10013.01 + 10026.02
  });

  it('lists every bad field at once: missing address, bad amount, dates out of order', () => {
    const data = structuredClone(sampleJudgment(2)) as Record<string, any>;
    delete data.defendants[0].address;
    data.caseFee = '2700.005';
    data.annexes[0].rows[1].amount = '12.5e3';
    data.hearingOn = '2026-08-01'; // before acceptedOn
    data.caseNumber = '2026-123';
    const error = refusal('civilJudgment', data);
    expect(error.code).toBe('DOCUMENT_DATA_INVALID');
    expect(error.httpStatus).toBe(422);
    expect(fieldsOf(error).sort()).toEqual(['annexes.0.rows.1.amount', 'caseFee', 'caseNumber', 'defendants.0.address', 'hearingOn'].sort());
    expect(error.message).toContain('defendants.0.address');
    expect(error.message).toContain('文书数据有误');
  });

  it('refuses transcript segments out of time order and a summons dated after its hearing', () => {
    const transcript = structuredClone(SAMPLE_DATA.hearingTranscript) as Record<string, any>;
    transcript.segments[2].time = '2026-10-20T09:00:00+08:00';
    expect(fieldsOf(refusal('hearingTranscript', transcript))).toEqual(['segments.2.time']);
    const summons = { ...SAMPLE_DATA.summons, issuedOn: '2026-10-21' };
    expect(fieldsOf(refusal('summons', summons))).toEqual(['hearingAt']);
    // Same court day is in order: a receipt issued the day of a 14:05 (UTC+8) filing.
    expect(() => buildCourtDocument('filingReceipt', SAMPLE_DATA.filingReceipt)).not.toThrow();
  });

  it('refuses data that is not an object and unknown templates', () => {
    expect(fieldsOf(refusal('summons', null))).toEqual(['(data)']);
    expect(refusal('decree', {}).code).toBe('BAD_REQUEST');
  });
});
