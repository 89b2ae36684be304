// Court documents rendered for real: every template to PDF, read back by poppler's pdftotext (title,
// case number, a Chinese paragraph), a 20-page judgment whose annex table runs across pages with its
// header repeated, reproducible bytes, seal anchors, DOCX as a zip with the text, and `ecourt document render`.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderDocx } from '../../documents/render/render-docx.ts';
import { renderPdf } from '../../documents/render/render-pdf.ts';
import { A4 } from '../../documents/render/page-geometry.ts';
import { buildCourtDocument, TEMPLATE_NAMES, type CourtDocument } from '../../documents/templates/index.ts';
import { SAMPLE_DATA, sampleJudgment } from '../../documents/templates/samples.ts';
import { runEcourtToEnd } from '../support/cli-process.ts';

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'ecourt-document-render-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** pdftotext of the whole file, or of one page. */
function pdfText(bytes: Uint8Array, page?: number): string {
  const file = join(dir, `read-${process.pid}-${Math.random().toString(36).slice(2)}.pdf`);
  writeFileSync(file, bytes);
  return execFileSync('pdftotext', [...(page ? ['-f', String(page), '-l', String(page)] : []), '-enc', 'UTF-8', file, '-'], { encoding: 'utf8' });
}

const squeeze = (text: string) => text.replace(/\s+/g, '');

function firstParagraph(document: CourtDocument): string {
  const paragraph = document.blocks.find((block) => block.type === 'paragraph' && block.indent && block.text.length > 20);
  if (!paragraph || paragraph.type !== 'paragraph') throw new Error('no paragraph');
  return paragraph.text;
}

describe('PDF rendering', () => {
  it.each(TEMPLATE_NAMES)('%s: pdftotext reads back the title, case number and Chinese text', async (name) => {
    const document = buildCourtDocument(name, SAMPLE_DATA[name]);
    const rendered = await renderPdf(document);
    const text = squeeze(pdfText(rendered.bytes));
    expect(text).toContain('北京市朝阳区人民法院');
    expect(text).toContain(squeeze(document.title));
    if (document.caseNumber) expect(text).toContain(document.caseNumber);
    const paragraph = document.blocks.find((block) => block.type === 'paragraph' && block.text.length > 12);
    if (paragraph?.type === 'paragraph') expect(text).toContain(squeeze(paragraph.text));
    expect(pdfText(rendered.bytes, 1)).toMatch(/—\s*1\s*—/);
    // The date line of the signature block is where sealing will look for it.
    expect(rendered.anchors.date).toBeDefined();
    expect(text).toContain(rendered.anchors.date!.text);
  });

  it('embeds a subset of the CJK font', async () => {
    const rendered = await renderPdf(buildCourtDocument('acceptanceNotice', SAMPLE_DATA.acceptanceNotice));
    const fonts = execFileSync('pdffonts', [join(dir, writeTemp('fonts.pdf', rendered.bytes))], { encoding: 'utf8' });
    expect(fonts).toMatch(/[A-Z]{6}\+WenQuanYiZenHei\s+CID TrueType\s+Identity-H\s+yes\s+yes\s+yes/);
    expect(readFileSync(join(dir, 'fonts.pdf')).length).toBeLessThan(200_000); // a subset, not the 10 MB font
  });

  it('renders the same bytes for the same data, and different bytes for different data', async () => {
    const document = buildCourtDocument('civilJudgment', SAMPLE_DATA.civilJudgment);
    const [first, second] = [await renderPdf(document), await renderPdf(document)];
    expect(first.sha256).toBe(second.sha256);
    // Dated by the document (midnight, court time), not by the moment of rendering.
    const info = execFileSync('pdfinfo', ['-isodates', join(dir, writeTemp('dated.pdf', first.bytes))], { encoding: 'utf8' });
    expect(info).toMatch(/CreationDate:\s+2026-11-26T16:00:00Z/);
    const other = await renderPdf(buildCourtDocument('civilJudgment', { ...SAMPLE_DATA.civilJudgment, caseFee: '2701.00' }));
    expect(other.sha256).not.toBe(first.sha256);
  });

  it('reports where the court name and date lines are, with room above them for the seal', async () => {
    const rendered = await renderPdf(buildCourtDocument('noticeToRespond', SAMPLE_DATA.noticeToRespond));
    const { courtName, date } = rendered.anchors;
    expect(courtName).toMatchObject({ page: 1, text: '北京市朝阳区人民法院' });
    expect(date).toMatchObject({ page: 1, text: '二〇二六年九月二日' });
    expect(courtName!.y).toBeGreaterThan(date!.y);
    // The court name is centred over the date, inside the page's text block.
    expect(courtName!.x + courtName!.width / 2).toBeCloseTo(date!.x + date!.width / 2, 1);
    expect(date!.x + date!.width).toBeLessThan(A4.width - 26 * (72 / 25.4));
    const layout = execFileSync('pdftotext', ['-layout', '-enc', 'UTF-8', join(dir, writeTemp('notice.pdf', rendered.bytes)), '-'], { encoding: 'utf8' });
    const lines = layout.split('\n');
    const courtLine = lines.findLastIndex((line) => line.includes('北京市朝阳区人民法院'));
    // Blank lines above the court name: room for the upper half of a 42 mm seal.
    expect(lines[courtLine - 1]!.trim()).toBe('');
    expect(lines[courtLine - 2]!.trim()).toBe('');
  });

  it('paginates a 20-page judgment with the annex table split across pages and its header on every page', async () => {
    const document = buildCourtDocument('civilJudgment', sampleJudgment(230));
    const rendered = await renderPdf(document);
    expect(rendered.pageCount).toBeGreaterThanOrEqual(20);
    const pages = Array.from({ length: rendered.pageCount }, (_, index) => pdfText(rendered.bytes, index + 1));
    const annexStart = pages.findIndex((page) => page.includes('附表：'));
    expect(annexStart).toBeGreaterThan(0);
    expect(rendered.pageCount - annexStart).toBeGreaterThanOrEqual(10);
    pages.slice(annexStart).forEach((page, index) => {
      for (const title of ['序号', '项目', '金额（元）', '备注']) expect(squeeze(page), `page ${annexStart + index + 1}`).toContain(title);
      expect(page).toMatch(new RegExp(`—\\s*${annexStart + index + 1}\\s*—`));
    });
    // Every row once, in order, and the total on the last page.
    const all = squeeze(pages.join(''));
    expect(all).toContain('第230期还款');
    expect(squeeze(pages.at(-1)!)).toContain('合计');
    let position = -1;
    for (const row of [1, 57, 58, 120, 230]) {
      const next = all.indexOf(`第${row}期还款`);
      expect(next).toBeGreaterThan(position);
      position = next;
    }
    // The body's paragraph survives line breaking intact.
    expect(all).toContain(squeeze(firstParagraph(document)));
  });
});

function writeTemp(name: string, bytes: Uint8Array): string {
  writeFileSync(join(dir, name), bytes);
  return name;
}

describe('DOCX export', () => {
  it('is a zip with word/document.xml holding the text and a repeating table header', async () => {
    const document = buildCourtDocument('civilJudgment', SAMPLE_DATA.civilJudgment);
    const bytes = await renderDocx(document);
    expect(bytes.subarray(0, 4).toString('latin1')).toBe('PK\x03\x04');
    writeFileSync(join(dir, 'judgment.docx'), bytes);
    const xml = execFileSync('unzip', ['-p', join(dir, 'judgment.docx'), 'word/document.xml'], { encoding: 'utf8' });
    expect(xml).toContain('民事判决书');
    expect(xml).toContain('（2026）京0105民初123号');
    expect(xml).toContain('二〇二六年十一月二十七日');
    expect(xml).toContain('<w:tblHeader');
    expect(xml).toContain('合计');
    // GB/T 9704 margins: 37 mm top ≈ 2098 twips.
    expect(xml).toMatch(/<w:pgMar w:top="209[78]"/);
  });
});

describe('ecourt document render', () => {
  it('writes a PDF and a DOCX, refuses bad data with the fields (exit 1) and bad usage (exit 2)', async () => {
    writeFileSync(join(dir, 'summons.json'), JSON.stringify(SAMPLE_DATA.summons));
    const pdf = await runEcourtToEnd(['document', 'render', 'summons', join(dir, 'summons.json'), '--out', join(dir, 'summons.pdf'), '--json']);
    expect(pdf.code, pdf.stderr).toBe(0);
    const outcome = JSON.parse(pdf.stdout);
    expect(outcome).toMatchObject({ template: 'summons', format: 'pdf', pages: 1, anchors: { date: { page: 1 } } });
    expect(squeeze(pdfText(readFileSync(join(dir, 'summons.pdf'))))).toContain('传票');

    const docx = await runEcourtToEnd(['document', 'render', 'summons', join(dir, 'summons.json'), '--out', join(dir, 'summons.docx')]);
    expect(docx.code, docx.stderr).toBe(0);
    expect(readFileSync(join(dir, 'summons.docx')).subarray(0, 2).toString()).toBe('PK');

    const { address: _address, ...withoutAddress } = SAMPLE_DATA.summons.summoned as Record<string, unknown>;
    writeFileSync(join(dir, 'bad.json'), JSON.stringify({ ...SAMPLE_DATA.summons, summoned: withoutAddress, issuedOn: '2026-11-01' }));
    const bad = await runEcourtToEnd(['document', 'render', 'summons', join(dir, 'bad.json'), '--out', join(dir, 'bad.pdf'), '--json']);
    expect(bad.code).toBe(1);
    const body = JSON.parse(bad.stdout);
    expect(body.error.code).toBe('DOCUMENT_DATA_INVALID');
    expect(body.error.details.fields.map((field: { field: string }) => field.field)).toEqual(['summoned.address', 'hearingAt']);

    expect((await runEcourtToEnd(['document', 'render', 'decree', join(dir, 'summons.json'), '--out', join(dir, 'x.pdf')])).code).toBe(2);
    expect((await runEcourtToEnd(['document', 'render', 'summons', join(dir, 'summons.json'), '--out', join(dir, 'x.txt')])).code).toBe(2);
  });
});
