// The verification mark on a rendered document, read back by independent tools: pdftotext finds the
// code on every page (real, selectable text), the first page rasterised by poppler (pdftoppm) and decoded
// by jsQR gives back the verification address, the QR sits in the top margin clear of the text, the page
// number and the seal anchors, and a document rendered without a code carries no mark.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import jsQRModule from 'jsqr';
import { PNG } from 'pngjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { A4, MARGINS, PAGE_NUMBER_BASELINE, SIZES, TEXT_TOP } from '../../documents/render/page-geometry.ts';
import { renderPdf } from '../../documents/render/render-pdf.ts';
import { qrPlacement, VERIFICATION_LINE_BASELINE } from '../../documents/render/verification-mark.ts';
import { buildCourtDocument } from '../../documents/templates/index.ts';
import { SAMPLE_DATA, sampleJudgment } from '../../documents/templates/samples.ts';
import { newVerificationCode, verificationUrl } from '../../documents/verification/verification-code.ts';

// jsqr is CommonJS typed as an ES default export: under NodeNext the default import is the function at run time.
const jsQR = ((jsQRModule as unknown as { default?: unknown }).default ?? jsQRModule) as unknown as typeof jsQRModule.default;

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'ecourt-verification-code-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function write(bytes: Uint8Array): string {
  const file = join(dir, `${Math.random().toString(36).slice(2)}.pdf`);
  writeFileSync(file, bytes);
  return file;
}

const pageText = (file: string, page: number) => execFileSync('pdftotext', ['-f', String(page), '-l', String(page), '-enc', 'UTF-8', file, '-'], { encoding: 'utf8' });

/** Rasterises one page with poppler and decodes the QR codes jsQR finds in it. */
function decodeQr(file: string, page: number, dpi = 150): string | null {
  const prefix = join(dir, `page-${page}-${dpi}`);
  execFileSync('pdftoppm', ['-f', String(page), '-l', String(page), '-r', String(dpi), '-png', '-singlefile', file, prefix]);
  const png = PNG.sync.read(readFileSync(`${prefix}.png`));
  const found = jsQR(new Uint8ClampedArray(png.data.buffer, png.data.byteOffset, png.data.length), png.width, png.height);
  return found?.data ?? null;
}

describe('the verification mark', () => {
  const code = newVerificationCode();
  const url = verificationUrl('https://e.court.example.cn', code);

  it('a long judgment: the code is text on every page, and the QR on page 1 decodes to the address', async () => {
    const rendered = await renderPdf(buildCourtDocument('civilJudgment', sampleJudgment(120)), { verification: { code, url } });
    expect(rendered.pageCount).toBeGreaterThanOrEqual(10);
    const file = write(rendered.bytes);
    for (let page = 1; page <= rendered.pageCount; page++) {
      const text = pageText(file, page);
      expect(text, `page ${page}`).toContain(`Verification code: ${code}`);
      expect(text.replace(/\s+/g, '')).toContain('验证码');
      expect(text).toContain(url);
    }
    // At 150 and 100 dpi (a phone photo of a print is about this): the same address.
    expect(decodeQr(file, 1, 150)).toBe(url);
    expect(decodeQr(file, 1, 100)).toBe(url);
    // Only the first page carries the QR.
    expect(decodeQr(file, 2)).toBeNull();
  });

  it('every template takes the mark, and the QR sits in the top margin, clear of the text, page number and seal anchors', async () => {
    const qr = qrPlacement();
    expect(qr.y).toBeGreaterThan(TEXT_TOP + 4); // above the text block (quiet zone included)
    expect(qr.y + qr.side).toBeLessThan(A4.height - 4);
    expect(qr.x + qr.side).toBeLessThanOrEqual(A4.width - MARGINS.right + 0.01);
    // The line sits below the page number's glyphs.
    expect(VERIFICATION_LINE_BASELINE + 8).toBeLessThan(PAGE_NUMBER_BASELINE - SIZES.pageNumber * 0.25);
    for (const name of ['acceptanceNotice', 'summons', 'filingReceipt'] as const) {
      const rendered = await renderPdf(buildCourtDocument(name, SAMPLE_DATA[name]), { verification: { code, url } });
      for (const anchor of [rendered.anchors.date, rendered.anchors.courtName]) {
        if (anchor) expect(anchor.y + 60).toBeLessThan(qr.y); // a 42 mm seal centred on the line stays below the QR
      }
      const file = write(rendered.bytes);
      expect(decodeQr(file, 1)).toBe(url);
      expect(pageText(file, 1)).toContain(code);
    }
  });

  it('without a code: no mark, and the same bytes as before; the code changes only the mark', async () => {
    const document = buildCourtDocument('acceptanceNotice', SAMPLE_DATA.acceptanceNotice);
    const plain = await renderPdf(document);
    expect(pageText(write(plain.bytes), 1)).not.toContain('Verification code');
    expect(Buffer.from((await renderPdf(document)).bytes).equals(Buffer.from(plain.bytes))).toBe(true);
    const marked = await renderPdf(document, { verification: { code, url } });
    const again = await renderPdf(document, { verification: { code, url } });
    expect(Buffer.from(again.bytes).equals(Buffer.from(marked.bytes))).toBe(true);
    expect(marked.pageCount).toBe(plain.pageCount);
    expect(marked.anchors).toEqual(plain.anchors);
  });
});
