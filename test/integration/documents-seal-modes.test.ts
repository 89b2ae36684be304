// Keyword and cross-page (骑缝章) seals: where they land is read back from the output PDF (widget /Rect,
// each page's content stream and resources) and compared with poppler's own text positions
// (`pdftotext -bbox`), and every signature is checked by pdfsig. Real keys, files and tools.
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PDFArray, PDFDict, PDFDocument, type PDFHexString, PDFName, PDFNumber, PDFRawStream, PDFRef, type PDFString, decodePDFRawStream } from 'pdf-lib';
import { CourtCa } from '../../documents/ca/court-ca.ts';
import { applySeal } from '../../documents/seal/apply-seal.ts';
import { verifyPdf } from '../../documents/signing/verify-pdf.ts';
import { AppError } from '../../platform/errors.ts';
import { runEcourtToEnd } from '../support/cli-process.ts';
import { judgmentPdf, pdfsig, pdftotext } from '../support/pdf-documents.ts';

const run = promisify(execFile);
let dir: string;
let ca: CourtCa;
const anchors = () => ({ roots: [ca.rootCertificate()], crls: [ca.crl()] });
const write = (name: string, bytes: Buffer | Uint8Array) => {
  const file = join(dir, name);
  writeFileSync(file, bytes);
  return file;
};

/** Every signature widget of the output: its field name, 1-based page and /Rect. */
async function widgets(bytes: Buffer): Promise<{ field: string; page: number; rect: number[] }[]> {
  const doc = await PDFDocument.load(bytes, { updateMetadata: false });
  const pageRefs = doc.getPages().map((page) => page.ref.toString());
  const fields = doc.catalog.lookup(PDFName.of('AcroForm'), PDFDict).lookup(PDFName.of('Fields'), PDFArray);
  return fields.asArray().map((ref) => {
    const widget = doc.context.lookup(ref, PDFDict);
    const rect = widget.lookup(PDFName.of('Rect'), PDFArray).asArray().map((value) => (value as PDFNumber).asNumber());
    return { field: (widget.lookup(PDFName.of('T')) as PDFHexString | PDFString).decodeText(), page: pageRefs.indexOf((widget.get(PDFName.of('P')) as PDFRef).toString()) + 1, rect };
  });
}

/** Poppler's box of a word (pdftotext -bbox, top-left origin) in PDF points (lower-left origin), per page. */
async function popplerWords(file: string): Promise<{ page: number; word: string; x0: number; x1: number; y0: number; y1: number }[]> {
  const { stdout } = await run('pdftotext', ['-bbox', file, '-']);
  const words: { page: number; word: string; x0: number; x1: number; y0: number; y1: number }[] = [];
  let page = 0;
  let height = 0;
  for (const line of stdout.split('\n')) {
    const pageMatch = /<page width="[\d.]+" height="([\d.]+)">/.exec(line);
    if (pageMatch) {
      page += 1;
      height = Number(pageMatch[1]);
    }
    const word = /<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">(.*)<\/word>/.exec(line);
    if (word) words.push({ page, word: word[5]!, x0: Number(word[1]), x1: Number(word[3]), y0: height - Number(word[4]), y1: height - Number(word[2]) });
  }
  return words;
}

/** Each page's last content stream (decoded), and the XObject its resources name `EcourtSeal`. */
async function pageContents(bytes: Buffer): Promise<{ width: number; last: string; seal?: string }[]> {
  const doc = await PDFDocument.load(bytes, { updateMetadata: false });
  return doc.getPages().map((page) => {
    const contents = page.node.lookup(PDFName.of('Contents'));
    const refs = contents instanceof PDFArray ? contents.asArray() : [page.node.get(PDFName.of('Contents'))!];
    const stream = doc.context.lookup(refs[refs.length - 1] as PDFRef) as PDFRawStream;
    const xobjects = page.node.Resources()?.lookupMaybe(PDFName.of('XObject'), PDFDict);
    return {
      width: page.getCropBox().x + page.getCropBox().width,
      last: Buffer.from(decodePDFRawStream(stream).decode()).toString('latin1'),
      seal: xobjects?.get(PDFName.of('EcourtSeal'))?.toString(),
    };
  });
}

const centre = (rect: number[]) => ({ x: (rect[0]! + rect[2]!) / 2, y: (rect[1]! + rect[3]!) / 2 });

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'ecourt-seal-modes-'));
  ca = new CourtCa(join(dir, 'ca'), randomBytes(32));
  ca.init({ court: '北京市海淀区人民法院', courtCode: '1101080000001' });
  ca.issue({ id: 'court', kind: 'court-seal', name: '北京市海淀区人民法院' });
  ca.issue({ id: 'judge-li', kind: 'person', name: '李明', department: '审判员' });
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('keyword seal', () => {
  it('lands centred over the last occurrence of the keyword, where poppler sees the text', async () => {
    const original = await judgmentPdf(3);
    const words = await popplerWords(write('keyword-original.pdf', original));
    const sealed = await applySeal({ pdf: original, signer: ca.signer('court'), placement: { mode: 'keyword', keyword: '北京市海淀区人民法院' } });
    const [widget, ...others] = await widgets(sealed.bytes);
    expect(others).toHaveLength(0);
    const text = words.find((word) => word.page === 3 && word.word === '北京市海淀区人民法院')!;
    expect(widget!.page).toBe(3);
    expect(Math.abs(centre(widget!.rect).x - (text.x0 + text.x1) / 2)).toBeLessThan(3);
    expect(Math.abs(centre(widget!.rect).y - (text.y0 + text.y1) / 2)).toBeLessThan(3);
    expect(sealed.placed).toEqual([expect.objectContaining({ field: widget!.field, page: 3 })]);

    const file = write('keyword-last.pdf', sealed.bytes);
    const checked = await pdfsig(file, join(dir, 'nss'), [ca.rootCertificate()]);
    expect(checked.signatures.map((signature) => [signature.valid, signature.trusted]), checked.output).toEqual([[true, true]]);
    expect(await pdftotext(file)).toContain('民事判决书');
  });

  it('seals part of a line (a keyword inside a longer text run) at that part', async () => {
    const original = await judgmentPdf(1);
    const words = await popplerWords(write('keyword-part.pdf', original));
    const sealed = await applySeal({ pdf: original, signer: ca.signer('court'), placement: { mode: 'keyword', keyword: '人民法院' } });
    const line = words.find((word) => word.word === '北京市海淀区人民法院')!;
    // 人民法院 is the last 4 of the 10 equal-width characters.
    const expected = line.x0 + ((line.x1 - line.x0) * 8) / 10;
    const [widget] = await widgets(sealed.bytes);
    expect(Math.abs(centre(widget!.rect).x - expected)).toBeLessThan(3);
  });

  it('with occurrence "all" applies one signature per occurrence, each valid for pdfsig and our verifier', async () => {
    const sealed = await applySeal({ pdf: await judgmentPdf(3), signer: ca.signer('court'), placement: { mode: 'keyword', keyword: '民事判决书', occurrence: 'all' } });
    const found = await widgets(sealed.bytes);
    expect(found.map((widget) => widget.page)).toEqual([1, 2, 3]);
    expect(sealed.placed.map((placed) => placed.field)).toEqual(found.map((widget) => widget.field));
    const checked = await pdfsig(write('keyword-all.pdf', sealed.bytes), join(dir, 'nss'), []);
    // Trust is asserted by our verifier below: pdfsig 22.12 (NSS) reports "Unknown issue with
    // Certificate" for every second consecutive signature by the same certificate (measured with
    // fixed-mode seals too; alternating certificates are all trusted), while each signature is valid.
    expect(checked.signatures.map((signature) => signature.valid), checked.output).toEqual([true, true, true]);
    expect(checked.signatures[0]!.trusted).toBe(true);
    const report = await verifyPdf(sealed.bytes, anchors());
    expect(report.valid).toBe(true);
    expect(report.signatures.map((signature) => [signature.trusted, signature.changesAfter])).toEqual([
      [true, 'signatures-only'],
      [true, 'signatures-only'],
      [true, 'none'],
    ]);
  });

  it('keeps the judge’s fixed signature valid when the court seal is then placed by keyword', async () => {
    const byJudge = await applySeal({ pdf: await judgmentPdf(2), signer: ca.signer('judge-li'), placement: { mode: 'fixed', page: 2, x: 72, y: 100 } });
    const sealed = await applySeal({ pdf: byJudge.bytes, signer: ca.signer('court'), placement: { mode: 'keyword', keyword: '北京市海淀区人民法院' } });
    expect(sealed.bytes.subarray(0, byJudge.bytes.length).equals(byJudge.bytes)).toBe(true);
    const checked = await pdfsig(write('judge-then-keyword.pdf', sealed.bytes), join(dir, 'nss'), []);
    expect(checked.signatures.map((signature) => [signature.commonName, signature.valid, signature.trusted]), checked.output).toEqual([
      ['李明', true, true],
      ['北京市海淀区人民法院', true, true],
    ]);
    expect((await verifyPdf(sealed.bytes, anchors())).valid).toBe(true);
  });

  it('refuses a keyword that is not in the text layer (no seal at 0,0) and an empty keyword', async () => {
    const original = await judgmentPdf(1);
    const missing = await applySeal({ pdf: original, signer: ca.signer('court'), placement: { mode: 'keyword', keyword: '二〇二六年' } }).catch((error: unknown) => error);
    expect(missing).toBeInstanceOf(AppError);
    expect(missing).toMatchObject({ code: 'SEAL_KEYWORD_NOT_FOUND', details: { keyword: '二〇二六年' } });
    const empty = await applySeal({ pdf: original, signer: ca.signer('court'), placement: { mode: 'keyword', keyword: '  ' } }).catch((error: unknown) => error);
    expect(empty).toMatchObject({ code: 'VALIDATION_FAILED', details: { fields: ['keyword'] } });
  });
});

describe('cross-page seal (骑缝章)', () => {
  it('puts one strip of the seal at the right edge of every page, all bound to one signature pdfsig accepts', async () => {
    const original = await judgmentPdf(4);
    const sealed = await applySeal({ pdf: original, signer: ca.signer('court'), placement: { mode: 'cross-page' } });
    // An incremental update: every earlier byte as it was.
    expect(sealed.bytes.subarray(0, original.length).equals(original)).toBe(true);

    const pages = await pageContents(sealed.bytes);
    const stripWidth = 119 / 4;
    pages.forEach((page, index) => {
      // Clip to the strip at the right edge, then shift the seal so its index-th quarter falls in it.
      const clip = /([\d.]+) ([\d.]+) ([\d.]+) ([\d.]+) re W n 1 0 0 1 ([-\d.]+) ([\d.]+) cm \/EcourtSeal Do Q$/.exec(page.last);
      expect(clip, page.last).not.toBeNull();
      const [x, , width, height, shift] = clip!.slice(1, 6).map(Number);
      expect(x! + width!).toBeCloseTo(page.width, 2);
      expect(width).toBeCloseTo(stripWidth, 2);
      expect(height).toBeCloseTo(119, 2);
      expect(shift).toBeCloseTo(page.width - stripWidth * (index + 1), 2);
    });
    // The same seal drawing on every page.
    expect(new Set(pages.map((page) => page.seal)).size).toBe(1);
    expect(pages[0]!.seal).toBeDefined();

    const [widget, ...others] = await widgets(sealed.bytes);
    expect(others).toHaveLength(0);
    expect(widget!.page).toBe(4);
    expect(sealed.strips?.map((strip) => strip.page)).toEqual([1, 2, 3, 4]);

    const file = write('cross-page.pdf', sealed.bytes);
    const checked = await pdfsig(file, join(dir, 'nss'), []);
    expect(checked.signatures.map((signature) => [signature.valid, signature.trusted, signature.wholeDocument]), checked.output).toEqual([[true, true, true]]);
    expect((await verifyPdf(sealed.bytes, anchors())).signatures[0]).toMatchObject({ intact: true, changesAfter: 'none', valid: true });
    const text = await pdftotext(file);
    expect(text).toContain('民事判决书');
    expect(text).toContain('第4页');
  });

  it('goes before other signatures: a keyword seal after it leaves both valid', async () => {
    const crossPage = await applySeal({ pdf: await judgmentPdf(2), signer: ca.signer('court'), placement: { mode: 'cross-page', top: 300 } });
    const sealed = await applySeal({ pdf: crossPage.bytes, signer: ca.signer('court'), placement: { mode: 'keyword', keyword: '北京市海淀区人民法院' } });
    const checked = await pdfsig(write('cross-page-then-keyword.pdf', sealed.bytes), join(dir, 'nss'), []);
    expect(checked.signatures.map((signature) => signature.valid), checked.output).toEqual([true, true]);
    expect((await verifyPdf(sealed.bytes, anchors())).valid).toBe(true);
    // top = 300 pt from the top of the page: the strip's upper edge.
    expect(crossPage.strips![0]!.y + crossPage.strips![0]!.height).toBeCloseTo(841.89 - 300, 2);
  });

  it('after an earlier signature it changes page content, which our verifier reports for that signature', async () => {
    const byJudge = await applySeal({ pdf: await judgmentPdf(2), signer: ca.signer('judge-li'), placement: { mode: 'fixed', page: 2, x: 72, y: 100 } });
    const sealed = await applySeal({ pdf: byJudge.bytes, signer: ca.signer('court'), placement: { mode: 'cross-page' } });
    const report = await verifyPdf(sealed.bytes, anchors());
    expect(report.signatures.map((signature) => [signature.intact, signature.changesAfter])).toEqual([
      [true, 'other'],
      [true, 'none'],
    ]);
  });

  it('refuses a one-page document and a person’s signature', async () => {
    const onePage = await applySeal({ pdf: await judgmentPdf(1), signer: ca.signer('court'), placement: { mode: 'cross-page' } }).catch((error: unknown) => error);
    expect(onePage).toMatchObject({ code: 'VALIDATION_FAILED', details: { fields: ['pages'] } });
    const person = await applySeal({ pdf: await judgmentPdf(2), signer: ca.signer('judge-li'), placement: { mode: 'cross-page' } }).catch((error: unknown) => error);
    expect(person).toMatchObject({ code: 'VALIDATION_FAILED', details: { fields: ['seal'] } });
  });
});

describe('a PDF printed by Chromium (Skia text, classic cross-reference table)', () => {
  it('takes a cross-page seal and then a court seal over the date line, both valid', async () => {
    const html = write('complaint.html', Buffer.from('<html><head><meta charset="utf-8"></head><body><h1>民事起诉状</h1><p>原告诉称：被告拖欠货款人民币十万元。</p><p style="page-break-after:always">此致</p><p>北京市海淀区人民法院</p><p>二〇二六年十一月二十七日</p></body></html>'));
    const printed = join(dir, 'chromium-2pages.pdf');
    await run('chromium', ['--headless', '--no-sandbox', '--disable-gpu', '--no-pdf-header-footer', `--print-to-pdf=${printed}`, `file://${html}`], { timeout: 30_000 });
    const original = readFileSync(printed);
    const crossPage = await applySeal({ pdf: original, signer: ca.signer('court'), placement: { mode: 'cross-page' } });
    const sealed = await applySeal({ pdf: crossPage.bytes, signer: ca.signer('court'), placement: { mode: 'keyword', keyword: '二〇二六年十一月二十七日' } });

    const date = (await popplerWords(printed)).find((word) => word.word === '二〇二六年十一月二十七日')!;
    const keywordWidget = (await widgets(sealed.bytes)).find((widget) => widget.field === sealed.fieldName)!;
    expect(keywordWidget.page).toBe(2);
    expect(Math.abs(centre(keywordWidget.rect).x - (date.x0 + date.x1) / 2)).toBeLessThan(3);
    expect(Math.abs(centre(keywordWidget.rect).y - (date.y0 + date.y1) / 2)).toBeLessThan(3);
    expect((await pageContents(sealed.bytes)).map((page) => /re W n .* cm \/EcourtSeal Do Q$/.test(page.last))).toEqual([true, true]);

    const file = write('chromium-seals.pdf', sealed.bytes);
    const checked = await pdfsig(file, join(dir, 'nss'), []);
    expect(checked.signatures.map((signature) => signature.valid), checked.output).toEqual([true, true]);
    expect((await verifyPdf(sealed.bytes, anchors())).valid).toBe(true);
    expect(await pdftotext(file)).toContain('被告拖欠货款');
  });
});

describe('ecourt seal --mode keyword | cross-page', () => {
  it('seals from the command line, and a missing keyword is a refusal (exit 1) that writes nothing', async () => {
    const env = { ECOURT_DATA_DIR: join(dir, 'cli-data') };
    const ecourt = (args: string[]) => runEcourtToEnd(args, env);
    const input = write('cli-judgment.pdf', await judgmentPdf(2));
    expect((await ecourt(['ca', 'init', '--court', '北京市海淀区人民法院', '--code', '1101080000001'])).code).toBe(0);
    expect((await ecourt(['ca', 'issue', 'court', '--kind', 'court-seal', '--name', '北京市海淀区人民法院'])).code).toBe(0);

    const keyword = await ecourt(['seal', input, '--out', join(dir, 'cli-keyword.pdf'), '--mode', 'keyword', '--keyword', '民事判决书', '--occurrence', 'all', '--json']);
    expect(keyword.code, keyword.stderr).toBe(0);
    expect(JSON.parse(keyword.stdout)).toMatchObject({ mode: 'keyword', fields: ['Signature1', 'Signature2'] });

    const crossPage = await ecourt(['seal', join(dir, 'cli-keyword.pdf'), '--out', join(dir, 'cli-cross.pdf'), '--mode', 'cross-page', '--json']);
    expect(crossPage.code, crossPage.stderr).toBe(0);
    expect(JSON.parse(crossPage.stdout)).toMatchObject({ mode: 'cross-page', strips: 2, fields: ['Signature3'] });
    const checked = await pdfsig(join(dir, 'cli-cross.pdf'), join(dir, 'nss'), []);
    expect(checked.signatures.map((signature) => signature.valid), checked.output).toEqual([true, true, true]);

    const missing = await ecourt(['seal', input, '--out', join(dir, 'cli-missing.pdf'), '--mode', 'keyword', '--keyword', '年月日']);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('SEAL_KEYWORD_NOT_FOUND');
    expect(existsSync(join(dir, 'cli-missing.pdf'))).toBe(false);
    const mixed = await ecourt(['seal', input, '--out', join(dir, 'x.pdf'), '--mode', 'cross-page', '--page', '1']);
    expect(mixed.code).toBe(2);
  }, 120_000);
});
