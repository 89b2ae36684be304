// 文书验证 end to end in headless Chromium: someone not signed in opens the portal's verification page
// from the navigation, picks a PDF sealed by the court's CA and sees one valid signature card; a
// tampered copy shows the card invalid with its reason; a file that is not a PDF gets the coded refusal.
// The 验证码: a judgment rendered with its mark, its QR decoded from poppler's raster of page 1 and opened
// in the browser, shows what the court issued under the code; the same file uploaded matches, another
// does not; an unknown code typed in gets the coded refusal.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHash, randomBytes } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromiumSkipReason as skipReason, hasChromium, startPortalBrowser, type PortalBrowser } from '../support/portal-browser.ts';
import { judgmentPdf } from '../support/pdf-documents.ts';
import { CourtCa } from '../../documents/ca/court-ca.ts';
import { applySeal } from '../../documents/seal/apply-seal.ts';
import jsQRModule from 'jsqr';
import { PNG } from 'pngjs';
import { renderPdf } from '../../documents/render/render-pdf.ts';
import { buildCourtDocument } from '../../documents/templates/index.ts';
import { sampleJudgment } from '../../documents/templates/samples.ts';
import { newVerificationCode, verificationUrl } from '../../documents/verification/verification-code.ts';
import { cases, documents } from '../../storage/schema.ts';

const jsQR = ((jsQRModule as unknown as { default?: unknown }).default ?? jsQRModule) as unknown as typeof jsQRModule.default;

/** Rasterises page 1 with poppler and decodes its QR code, as a phone camera would from the print. */
function qrOfFirstPage(dir: string, pdf: Uint8Array): string | null {
  writeFileSync(join(dir, 'issued.pdf'), pdf);
  execFileSync('pdftoppm', ['-f', '1', '-l', '1', '-r', '150', '-png', '-singlefile', join(dir, 'issued.pdf'), join(dir, 'issued')]);
  const png = PNG.sync.read(readFileSync(join(dir, 'issued.png')));
  return jsQR(new Uint8ClampedArray(png.data.buffer, png.data.byteOffset, png.data.length), png.width, png.height)?.data ?? null;
}

describe.skipIf(!hasChromium)(`document verification page in headless Chromium${skipReason}`, () => {
  let portal: PortalBrowser;
  let caDir: string;
  let sealed: Buffer;

  beforeAll(async () => {
    caDir = mkdtempSync(join(tmpdir(), 'ecourt-e2e-verify-ca-'));
    const ca = new CourtCa(join(caDir, 'ca'), randomBytes(32));
    ca.init({ court: '北京市朝阳区人民法院', courtCode: '1101050000001' });
    ca.issue({ id: 'court', kind: 'court-seal', name: '北京市朝阳区人民法院' });
    sealed = Buffer.from((await applySeal({ pdf: await judgmentPdf(), signer: ca.signer('court'), placement: { mode: 'fixed', page: 1, x: 380, y: 80 } })).bytes);
    portal = await startPortalBrowser('ecourt-e2e-verify-', { env: { ECOURT_CA_DIR: join(caDir, 'ca') } });
  }, 180_000);

  afterAll(async () => {
    await portal?.close();
    if (caDir) rmSync(caDir, { recursive: true, force: true });
  });

  it('a visitor verifies a sealed PDF, a tampered copy and a non-PDF', async () => {
    const page = await portal.openPage();
    await page.goto(`${portal.baseUrl}/#/`);
    await page.getByTestId('nav-verify').click();
    const input = page.getByTestId('verify-file');

    await input.setInputFiles({ name: '判决书.pdf', mimeType: 'application/pdf', buffer: sealed });
    await page.locator('[data-testid="verify-result"][data-valid="true"]').waitFor();
    const card = page.getByTestId('verify-signature');
    await expect(card.count()).resolves.toBe(1);
    expect(await card.getAttribute('data-valid')).toBe('true');
    expect(await page.getByTestId('verify-signer').textContent()).toContain('北京市朝阳区人民法院');
    expect(await page.getByTestId('verify-summary').textContent()).toContain('全部签章有效');
    expect(await page.getByTestId('verify-ledger').getAttribute('data-in-ledger')).toBe('false');

    const tampered = Buffer.from(sealed);
    const at = Math.floor(tampered.indexOf('/Contents <') / 2);
    tampered[at] = tampered[at]! ^ 0x01;
    await input.setInputFiles({ name: '判决书-改.pdf', mimeType: 'application/pdf', buffer: tampered });
    await page.locator('[data-testid="verify-result"][data-valid="false"]').waitFor();
    expect(await page.getByTestId('verify-signature').getAttribute('data-valid')).toBe('false');
    expect(await page.getByTestId('verify-problems').textContent()).toContain('签章后文件内容被改动');

    await input.setInputFiles({ name: 'note.txt', mimeType: 'text/plain', buffer: Buffer.from('只是一段文字') });
    await page.locator('[data-testid="verify-error"][data-code="DOCUMENT_MALFORMED"]').waitFor();
    expect(portal.pageErrors).toEqual([]);
  });

  it('a visitor scans the QR code of an issued document: the code is looked up, the same file matches, another does not', async () => {
    const code = newVerificationCode();
    const url = verificationUrl(portal.baseUrl, code);
    const issued = await renderPdf(buildCourtDocument('civilJudgment', sampleJudgment()), { verification: { code, url } });
    const db = portal.platform.database.db;
    const [someCase] = await db.select({ id: cases.id }).from(cases).limit(1);
    await db.insert(documents).values({
      caseId: someCase!.id,
      kind: 'civilJudgment',
      title: '民事判决书',
      sha256: createHash('sha256').update(issued.bytes).digest('hex'),
      mimeType: 'application/pdf',
      pageCount: issued.pageCount,
      verificationCode: code,
    });
    const scanned = qrOfFirstPage(caDir, issued.bytes);
    expect(scanned).toBe(url);

    const page = await portal.openPage();
    await page.goto(scanned!);
    const found = page.locator('[data-testid="verify-code-result"][data-kind="civilJudgment"]');
    await found.waitFor();
    expect(await page.getByTestId('verify-code-value').textContent()).toBe(code);
    expect(await page.getByTestId('verify-code-kind').textContent()).toBe('民事判决书');
    expect(await page.getByTestId('verify-code-sha256').textContent()).toBe(createHash('sha256').update(issued.bytes).digest('hex'));
    expect(await page.getByTestId('verify-code').inputValue()).toBe(code);

    const input = page.getByTestId('verify-file');
    await input.setInputFiles({ name: '判决书.pdf', mimeType: 'application/pdf', buffer: Buffer.from(issued.bytes) });
    await page.locator('[data-testid="verify-code-match"][data-matches="true"]').waitFor();
    expect(await page.getByTestId('verify-code-match').textContent()).toContain('该文件就是验证码对应的文书');
    await input.setInputFiles({ name: '别的判决书.pdf', mimeType: 'application/pdf', buffer: sealed });
    await page.locator('[data-testid="verify-code-match"][data-matches="false"]').waitFor();

    // A code typed by hand (lower case, no dashes) that the court never issued.
    await page.getByTestId('verify-code').fill(newVerificationCode().toLowerCase().replace(/-/g, ''));
    await page.getByTestId('verify-code-check').click();
    await page.locator('[data-testid="verify-code-error"][data-code="VERIFICATION_CODE_UNKNOWN"]').waitFor();
    expect(await page.getByTestId('verify-code-error').textContent()).toContain('未找到与该验证码对应的文书');
    // And the one on the document, typed the same way, is found again.
    await page.getByTestId('verify-code').fill(code.toLowerCase().replace(/-/g, ' '));
    await page.getByTestId('verify-code-check').click();
    await found.waitFor();
    expect(portal.pageErrors).toEqual([]);
  });
});
