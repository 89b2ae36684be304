// 实名注册 in the portal, in headless Chromium against the embedded platform: the form checks the
// ID number with the server's rules as it is typed, sends the phone's code (shown from the demo
// inbox), and a registered party lands signed in on their cases. With an ID-card photo: the card is
// read by the server (real tesseract), the form pre-filled, the card recorded as a check after
// registering, and the face enrolled from a selfie when the card's portrait holds none.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromiumSkipReason as skipReason, hasChromium, startPortalBrowser, type PortalBrowser } from '../support/portal-browser.ts';
import { residentIdCheckCharacter } from '../../platform/identity/resident-id.ts';
import { openIdCardCamera, SAMPLE_FRONTS } from '../support/idcard-images.ts';
import { fixtureBytes } from '../support/face-images.ts';

describe.skipIf(!hasChromium)(`registration in the portal${skipReason}`, () => {
  let portal: PortalBrowser;

  beforeAll(async () => {
    portal = await startPortalBrowser('ecourt-e2e-registration-');
  });

  afterAll(async () => {
    await portal?.close();
  });

  it('registers a party with a phone code and signs them in', async () => {
    const page = await portal.openPage();
    await page.goto(`${portal.baseUrl}/#/login`);
    await page.getByTestId('register-open').locator('summary').click();
    await page.getByTestId('register-name').fill('钱芳');
    const first17 = '32010219950808004';
    const idNumber = first17 + residentIdCheckCharacter(first17);
    const wrong = first17 + (idNumber.endsWith('0') ? '1' : '0');
    await page.getByTestId('register-id-number').fill(wrong);
    await page.getByTestId('register-phone').click();
    await expect.poll(() => page.getByTestId('register-id-problems').textContent()).toContain('校验码');
    await page.getByTestId('register-id-number').fill(idNumber);
    await page.getByTestId('register-phone').fill('13912345678');
    await expect.poll(() => page.getByTestId('register-id-problems').count()).toBe(0);

    await page.getByTestId('register-send-code').click();
    await expect.poll(() => page.getByTestId('register-notice').textContent()).toMatch(/验证码为 \d{6}/);
    expect(await page.getByTestId('register-send-code').isDisabled()).toBe(true);
    const code = /(\d{6})/.exec((await page.getByTestId('register-notice').textContent())!)![1]!;

    await page.getByTestId('register-code').fill(code);
    await page.getByTestId('register-username').fill('qianfang');
    await page.getByTestId('register-password').fill('a good password');
    await page.getByTestId('register-submit').click();
    // Without a card photo the face is asked for as a selfie; it may wait.
    await page.getByTestId('register-selfie').waitFor();
    await page.getByTestId('register-continue').click();
    await page.waitForURL(/#\/cases$/);
    // A new account has no cases yet.
    await page.getByTestId('case-list-empty').waitFor();
    await expect.poll(() => page.getByTestId('signed-in-user').textContent()).toContain('钱芳');
    expect(portal.pageErrors).toEqual([]);
  });

  it('reads the uploaded ID card into the form, records it after registering and enrols a selfie', async () => {
    const card = SAMPLE_FRONTS[1]!;
    const camera = await openIdCardCamera();
    let photo: Buffer;
    try {
      photo = await camera.front(card, { rotation: -3, noise: 8, seed: 11 });
    } finally {
      await camera.close();
    }
    const page = await portal.openPage();
    await page.goto(`${portal.baseUrl}/#/login`);
    await page.getByTestId('register-open').locator('summary').click();
    await page.getByTestId('register-id-card-file').setInputFiles({ name: 'idcard.png', mimeType: 'image/png', buffer: photo });
    await page.getByTestId('register-card-reading').waitFor({ timeout: 60_000 });
    await expect.poll(() => page.getByTestId('register-name').inputValue()).toBe(card.name);
    expect(await page.getByTestId('register-id-number').inputValue()).toBe(card.idNumber);

    await page.getByTestId('register-phone').fill('13912345679');
    await page.getByTestId('register-send-code').click();
    await expect.poll(() => page.getByTestId('register-notice').textContent()).toMatch(/验证码为 \d{6}/);
    const code = /(\d{6})/.exec((await page.getByTestId('register-notice').textContent())!)![1]!;
    await page.getByTestId('register-code').fill(code);
    await page.getByTestId('register-username').fill('lixiuying');
    await page.getByTestId('register-password').fill('a good password');
    await page.getByTestId('register-submit').click();

    await expect.poll(() => page.getByTestId('register-card-check').textContent(), { timeout: 60_000 }).toContain('身份证核对通过');
    // The synthetic card's portrait is a silhouette: no face there, so a selfie is asked for.
    await page.getByTestId('register-face-problem').waitFor({ timeout: 60_000 });
    await page.getByTestId('register-selfie').setInputFiles({ name: 'selfie.jpg', mimeType: 'image/jpeg', buffer: Buffer.from(fixtureBytes('grace-hopper.jpg')) });
    await page.getByTestId('register-face-enrolled').waitFor({ timeout: 60_000 });
    await page.getByTestId('register-continue').click();
    await page.waitForURL(/#\/cases$/);
    await expect.poll(() => page.getByTestId('signed-in-user').textContent()).toContain(card.name);
    expect(portal.pageErrors).toEqual([]);
  }, 180_000);
});
