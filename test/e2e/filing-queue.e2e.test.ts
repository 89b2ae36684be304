// The clerks' filing queue and the filer's inbox end to end in headless Chromium (issue 8 point 3):
// a filing the rules leave to a clerk shows up in the clerk's queue with its uncertain rules; a new
// one arrives live without a reload; the clerk accepts it with a reason; the filer's inbox, open in
// another browser context, shows the acceptance and the fee notice live, downloads the sealed receipt
// and marks the message read.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomUUID } from 'node:crypto';
import type { Page } from 'playwright-core';
import { chromiumSkipReason as skipReason, hasChromium, LIVE_TIMEOUT_MS, screenshot, startPortalBrowser, type PortalBrowser } from '../support/portal-browser.ts';
import { sampleFiling } from '../../models/filing-rules/samples.ts';
import { getCourt } from '../../storage/courts/get-court.ts';

describe.skipIf(!hasChromium)(`filing queue and inbox in headless Chromium${skipReason}`, () => {
  let portal: PortalBrowser;
  let chaoyang: string;
  let party1: string;
  let submitted = 0;

  const markNoReload = (page: Page) => page.evaluate(() => ((window as unknown as { ecourtMark: number }).ecourtMark = 7));
  const stillSamePage = (page: Page) => page.evaluate(() => (window as unknown as { ecourtMark?: number }).ecourtMark === 7);

  /** A labour-remuneration filing by party1 (not on the auto-accept list: it waits for a clerk); each with its own amount. */
  async function submitForClerk(): Promise<string> {
    const id = randomUUID();
    const filing = sampleFiling('labourRemuneration', chaoyang);
    submitted += 1;
    filing.claims = [{ text: '判令被告支付拖欠工资', amount: `${20000 + submitted}.00` }];
    const reply = await portal.platform.actors.ask({ kind: 'filing', id }, { type: 'SUBMIT', by: { userId: party1, role: 'party' }, filing });
    if (!reply.ok) throw new Error(`SUBMIT refused: ${JSON.stringify(reply)}`);
    return id;
  }

  beforeAll(async () => {
    portal = await startPortalBrowser('ecourt-e2e-filing-queue-');
    chaoyang = (await getCourt({ db: portal.platform.database.db, code: '京0105' }))!.id;
    const login = await fetch(`${portal.baseUrl}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'party1', password: 'demo-password-1' }),
    });
    party1 = ((await login.json()) as { user: { id: string } }).user.id;
  }, 180_000);

  afterAll(async () => portal?.close());

  it('a clerk works the queue live and accepts; the filer’s inbox shows the acceptance live and gives the sealed receipt', async () => {
    const first = await submitForClerk();

    const clerk = await portal.openPage();
    await portal.logIn(clerk, 'clerk1');
    await clerk.getByTestId('nav-filing-queue').click();
    const firstCard = clerk.locator(`[data-testid="queue-filing"][data-filing-id="${first}"]`);
    await firstCard.waitFor();
    expect(await firstCard.getAttribute('data-status')).toBe('needsClerk');
    await firstCard.locator('[data-testid="queue-concern"][data-rule-id="autoAcceptCause"]').waitFor();
    await expect.poll(() => clerk.getByTestId('queue-live').getAttribute('data-status'), { timeout: LIVE_TIMEOUT_MS }).toBe('open');
    await firstCard.getByTestId('queue-trace-toggle').click();
    expect(await firstCard.locator('[data-testid="queue-trace"] tbody tr').count()).toBeGreaterThan(5);
    await screenshot(clerk, 'filing-queue.png');

    const filer = await portal.openPage();
    await portal.logIn(filer, 'party1');
    await filer.getByTestId('nav-inbox').click();
    await filer.getByTestId('inbox-empty').waitFor();
    await expect.poll(() => filer.getByTestId('inbox-live').getAttribute('data-status'), { timeout: LIVE_TIMEOUT_MS }).toBe('open');
    await markNoReload(clerk);
    await markNoReload(filer);

    // A new filing arrives in the open queue without a reload.
    const second = await submitForClerk();
    const secondCard = clerk.locator(`[data-testid="queue-filing"][data-filing-id="${second}"]`);
    await secondCard.waitFor({ timeout: LIVE_TIMEOUT_MS });
    expect(await stillSamePage(clerk)).toBe(true);

    // A decision without a reason is stopped in the page; with one, the actor takes it.
    await secondCard.getByTestId('queue-decision-submit').click();
    await secondCard.getByTestId('queue-decision-error').waitFor();
    await secondCard.getByTestId('queue-decision-reason').fill('劳动仲裁已裁决，材料齐全，准予立案');
    await secondCard.getByTestId('queue-decision-submit').click();
    await expect.poll(() => secondCard.getAttribute('data-status'), { timeout: LIVE_TIMEOUT_MS }).not.toBe('needsClerk');

    // The acceptor creates the case and issues the receipt: the filer's inbox shows it without a reload.
    const accepted = filer.locator('[data-testid="inbox-message"][data-kind="filingAccepted"]');
    await accepted.waitFor({ timeout: LIVE_TIMEOUT_MS });
    await filer.locator('[data-testid="inbox-message"][data-kind="feeNotice"]').waitFor({ timeout: LIVE_TIMEOUT_MS });
    expect(await stillSamePage(filer)).toBe(true);
    expect(await accepted.getByTestId('inbox-title').textContent()).toMatch(/^立案通知：/);
    await expect.poll(() => filer.getByTestId('inbox-unread').textContent()).toMatch(/2 条未读/);
    await screenshot(filer, 'inbox.png');

    const [download] = await Promise.all([filer.waitForEvent('download'), accepted.getByTestId('inbox-receipt').click()]);
    const pdf = await download.createReadStream().then(async (stream) => {
      const chunks: Buffer[] = [];
      for await (const chunk of stream) chunks.push(chunk as Buffer);
      return Buffer.concat(chunks);
    });
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
    // Opening the receipt marked the message read.
    await expect.poll(() => accepted.getAttribute('data-read')).toBe('true');
    await expect.poll(() => filer.getByTestId('inbox-unread').textContent()).toMatch(/1 条未读/);

    // The first filing is still waiting; the page language switches the queue to English.
    await clerk.getByTestId('lang-switch').click();
    await expect.poll(() => firstCard.getByTestId('queue-filing-status').textContent()).toBe('Needs a clerk');
    expect(portal.pageErrors).toEqual([]);
  });
});
