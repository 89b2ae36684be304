// 民事起诉状 from the guided filing's answers: parties with masked identifiers, numbered claims with
// exact amounts and their total, facts, evidence list, 此致 the court, 具状人 and date; bad data refused
// with every bad field; the PDF reads back its text.
import { describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildCourtDocument } from '../../documents/templates/index.ts';
import { SAMPLE_DATA } from '../../documents/templates/samples.ts';
import { renderPdf } from '../../documents/render/render-pdf.ts';
import { AppError } from '../../platform/errors.ts';

const texts = (name: string, data: unknown) =>
  buildCourtDocument(name, data).blocks.map((block) => (block.type === 'paragraph' || block.type === 'heading' ? block.text : block.type));

describe('complaint template (民事起诉状)', () => {
  it('states the parties, numbered claims with amounts and their total, facts, evidence, 此致 and 具状人', () => {
    const document = buildCourtDocument('complaint', SAMPLE_DATA.complaint);
    const lines = texts('complaint', SAMPLE_DATA.complaint);
    expect(document).toMatchObject({ template: 'complaint', title: '民事起诉状', courtName: '北京市朝阳区人民法院', issuedOn: '2026-08-28' });
    expect(document.caseNumber).toBeUndefined();
    expect(lines[0]).toBe('民事起诉状');
    expect(lines).toContain('原告：张三，公民身份号码：110105********0018，住北京市朝阳区建国路88号3单元502室，联系电话：138****5678。');
    expect(lines).toContain('被告：北京某某科技有限公司，住所地北京市海淀区中关村大街1号。');
    expect(lines).toContain('1.判令被告偿还借款本金120000元（金额：120,000.00元）');
    expect(lines).toContain('3.本案诉讼费用由被告负担');
    expect(lines).toContain('以上诉讼请求金额合计：122,190.50元。');
    expect(lines).toContain('借款日期：2025-03-01');
    // Facts typed on several lines become paragraphs.
    expect(lines).toContain('借款到期后，被告未予归还，经原告多次催要未果，故诉至法院。');
    expect(lines.indexOf('此致')).toBeGreaterThan(lines.indexOf('table'));
    expect(lines[lines.indexOf('此致') + 1]).toBe('北京市朝阳区人民法院');
    const signature = document.blocks.find((block) => block.type === 'signature');
    expect(signature).toMatchObject({ block: { panel: [{ title: '具状人', name: '张三' }], date: '二〇二六年八月二十八日' } });
    const table = document.blocks.find((block) => block.type === 'table');
    expect(table).toMatchObject({ rows: [['1', '借款合同', '证明双方存在借贷关系及约定'], ['2', '银行转账凭证', '证明原告已交付借款']] });
  });

  it('names the agent, and once confirmed says when the filer signed', () => {
    const lines = texts('complaint', { ...SAMPLE_DATA.complaint, agent: { name: '王律师', licenceNumber: '11101200910123456' }, signedAt: '2026-08-28T06:20:00Z' });
    expect(lines).toContain('委托诉讼代理人：王律师，律师，执业证号：11101200910123456。');
    expect(lines.at(-1)).toBe('本起诉状已由具状人于2026年8月28日14时20分在线确认签名。');
  });

  it('refuses bad data listing every bad field: no defendant address, bad amount, one-character claim, no facts', () => {
    const data = structuredClone(SAMPLE_DATA.complaint) as Record<string, any>;
    delete data.defendants[0].address;
    data.claims[0].amount = '120000.005';
    data.claims[1].text = '还';
    data.facts = ' ';
    let error: unknown;
    try {
      buildCourtDocument('complaint', data);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(AppError);
    expect((error as AppError).code).toBe('DOCUMENT_DATA_INVALID');
    const fields = ((error as AppError).details as { fields: { field: string }[] }).fields.map((entry) => entry.field);
    expect(fields).toEqual(expect.arrayContaining(['defendants.0.address', 'claims.0.amount', 'claims.1.text', 'facts']));
  });

  it('renders a PDF whose text reads back (pdftotext)', async () => {
    const rendered = await renderPdf(buildCourtDocument('complaint', SAMPLE_DATA.complaint));
    expect(Buffer.from(rendered.bytes.subarray(0, 5)).toString('latin1')).toBe('%PDF-');
    const dir = mkdtempSync(join(tmpdir(), 'ecourt-complaint-'));
    try {
      writeFileSync(join(dir, 'complaint.pdf'), rendered.bytes);
      const text = execFileSync('pdftotext', ['-enc', 'UTF-8', join(dir, 'complaint.pdf'), '-'], { encoding: 'utf8' }).replace(/\s+/g, '');
      for (const expected of ['民事起诉状', '诉讼请求', '事实与理由', '证据清单', '此致', '北京市朝阳区人民法院', '具状人', '二〇二六年八月二十八日']) expect(text).toContain(expected);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
