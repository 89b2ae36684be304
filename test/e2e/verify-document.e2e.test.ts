// 文书验证 end to end in headless Chromium: someone not signed in opens the portal's verification page
// from the navigation, picks a PDF sealed by the court's CA and sees one valid signature card; a
// tampered copy shows the card invalid with its reason; a file that is not a PDF gets the coded refusal.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromiumSkipReason as skipReason, hasChromium, startPortalBrowser, type PortalBrowser } from '../support/portal-browser.ts';
import { judgmentPdf } from '../support/pdf-documents.ts';
import { CourtCa } from '../../documents/ca/court-ca.ts';
import { applySeal } from '../../documents/seal/apply-seal.ts';

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
});
