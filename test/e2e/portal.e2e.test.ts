// The court's site end to end in headless Chromium against the whole platform started in-process:
// homepage and language switch, a party's filed case, the clerk seeing it arrive live and
// accepting it, and the party's page following without a reload.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import type { Page } from 'playwright-core';
import { hearings } from '../../storage/schema.ts';
import { chromiumSkipReason as skipReason, DEMO_PASSWORD, hasChromium, LIVE_TIMEOUT_MS, screenshot, startPortalBrowser, type PortalBrowser } from '../support/portal-browser.ts';
import { logInDemo } from '../support/demo-platform.ts';

describe.skipIf(!hasChromium)(`court portal in headless Chromium${skipReason}`, () => {
  let portal: PortalBrowser;
  let baseUrl: string;
  let pageErrors: string[];
  const openPage: PortalBrowser['openPage'] = (...args) => portal.openPage(...args);
  const logIn: PortalBrowser['logIn'] = (page, username) => portal.logIn(page, username);

  /** Marks the page's JavaScript realm; the mark survives only if the page never reloads. */
  const markNoReload = (page: Page) => page.evaluate(() => ((window as unknown as { ecourtMark: number }).ecourtMark = 42));
  const stillSamePage = (page: Page) => page.evaluate(() => (window as unknown as { ecourtMark?: number }).ecourtMark === 42);

  beforeAll(async () => {
    portal = await startPortalBrowser('ecourt-e2e-');
    ({ baseUrl, pageErrors } = portal);
  });

  afterAll(async () => {
    await portal?.close();
  });

  it('serves the homepage in Chinese, switches to English and remembers the choice', async () => {
    const page = await openPage();
    await page.goto(`${baseUrl}/`);
    const courtName = page.getByTestId('court-name');
    await expect.poll(() => courtName.textContent()).toBe('北京市朝阳区人民法院');
    for (const title of ['法院简介', '受案范围', '诉讼流程', '法院新闻']) {
      await page.getByRole('heading', { name: title }).waitFor();
    }
    await expect.poll(() => page.getByTestId('home-process').textContent()).toMatch(/立案[\s\S]*审查[\s\S]*受理[\s\S]*排期[\s\S]*开庭[\s\S]*宣判[\s\S]*送达[\s\S]*结案/);
    await screenshot(page, 'homepage.png');

    await page.getByTestId('lang-switch').click();
    await expect.poll(() => courtName.textContent()).toBe('Beijing Chaoyang District People’s Court');
    await page.getByRole('heading', { name: 'About the court' }).waitFor();
    await page.reload();
    await expect.poll(() => courtName.textContent()).toBe('Beijing Chaoyang District People’s Court');
    expect(await page.evaluate(() => document.documentElement.lang)).toBe('en');

    // A wrong password is answered with the coded error in the chosen language.
    await page.goto(`${baseUrl}/#/login`);
    await page.getByTestId('login-username').fill('party2');
    await page.getByTestId('login-password').fill('not-the-password');
    await page.getByTestId('login-submit').click();
    await expect.poll(() => page.getByTestId('login-error').textContent()).toBe('Wrong username or password');
  });

  it('fits a phone-sized screen', async () => {
    const page = await openPage({ width: 390, height: 844 });
    await page.goto(`${baseUrl}/`);
    await expect.poll(() => page.getByTestId('court-name').textContent()).toBe('北京市朝阳区人民法院');
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow).toBeLessThanOrEqual(0);
  });

  it('a filed case reaches the clerk live, is accepted, and the party sees it without reloading', async () => {
    // The clerk watches the court's cases before anything is filed.
    // The clerk's browser runs on London time: hearing times must still be entered and shown in court time.
    const clerk = await openPage(undefined, 'Europe/London');
    await logIn(clerk, 'clerk1');
    await clerk.goto(`${baseUrl}/#/cases`);
    await clerk.getByTestId('case-list').waitFor();
    await clerk.locator('[data-testid="live-status"][data-status="open"]').waitFor();
    const rowsBefore = await clerk.getByTestId('case-row').count();
    await markNoReload(clerk);

    // The party files a case for the clerk's review (the cases API; the guided filing form and its
    // automatic review are test/e2e/filing.e2e.test.ts) and opens the new case's page.
    const party = await openPage();
    await logIn(party, 'party1');
    const partyLogin = await logInDemo(baseUrl, 'party1');
    const courts = (await (await fetch(`${baseUrl}/api/v1/courts`)).json()) as { courts: { id: string }[] };
    const filed = await fetch(`${baseUrl}/api/v1/cases`, {
      method: 'POST',
      headers: { authorization: `Bearer ${partyLogin.token}`, 'content-type': 'application/json' },
      body: JSON.stringify({
        courtId: courts.courts[0]!.id,
        cause: '民间借贷纠纷',
        claims: '1. 判令被告偿还借款本金50000元；2. 本案诉讼费用由被告承担。',
        claimAmount: '50000.00',
        facts: '2025年3月1日，被告向原告借款50000元，约定同年12月31日前归还，到期后经多次催要未还。',
        plaintiffs: [{ name: '陈静', kind: 'person', userId: partyLogin.user.id }],
        defendants: [{ name: '王某', kind: 'person' }],
      }),
    });
    expect(filed.status).toBe(201);
    const caseId = ((await filed.json()) as { case: { id: string } }).case.id;
    await party.goto(`${baseUrl}/#/cases/${caseId}`);
    const partyCase = party.getByTestId('case-page');
    await partyCase.waitFor();
    expect(await partyCase.getAttribute('data-state')).toBe('filed');
    expect(await party.getByTestId('case-number').textContent()).toBe('待分配');
    expect(await party.getByTestId('case-state').textContent()).toBe('已提交立案申请');
    await markNoReload(party);

    // It appears in the clerk's list without a reload.
    const clerkRow = clerk.locator(`[data-testid="case-row"][data-case-id="${caseId}"]`);
    await clerkRow.waitFor();
    expect(await clerk.getByTestId('case-row').count()).toBe(rowsBefore + 1);
    expect(await clerkRow.textContent()).toContain('民间借贷纠纷');
    expect(await clerkRow.textContent()).toContain('待分配');
    expect(await stillSamePage(clerk)).toBe(true);

    // The clerk opens it, begins the review and accepts it.
    await clerkRow.getByTestId('case-link').click();
    const clerkCase = clerk.getByTestId('case-page');
    await clerkCase.waitFor();
    await clerk.getByTestId('command-BEGIN_REVIEW').click();
    await clerk.getByTestId('command-submit').click();
    await clerk.locator('[data-testid="case-page"][data-state="underReview"]').waitFor();
    await clerk.getByTestId('command-ACCEPT').click();
    await clerk.getByTestId('command-submit').click();
    await clerk.locator('[data-testid="case-page"][data-state="accepted"]').waitFor();
    const caseNumber = (await clerk.getByTestId('case-number').textContent())!;
    expect(caseNumber).toMatch(/^\(\d{4}\)京0105民初\d+号$/);

    // The party's open page follows: accepted, with its case number, no reload.
    await party.locator('[data-testid="case-page"][data-state="accepted"]').waitFor();
    await expect.poll(() => party.getByTestId('case-number').textContent()).toBe(caseNumber);
    expect(await party.getByTestId('case-state').textContent()).toBe('已受理');
    expect(await stillSamePage(party)).toBe(true);
    // A party may only withdraw; the court's commands are the clerk's.
    const partyCommands = await party.locator('button[data-testid^="command-"]').evaluateAll((buttons) => buttons.map((b) => b.getAttribute('data-testid')));
    expect(partyCommands).toEqual(['command-WITHDRAW']);
    expect(await clerk.getByTestId('command-ACCEPT').count()).toBe(0);

    // The clerk schedules the hearing in court time; both pages list it.
    const day = new Date(Date.now() + 14 * 24 * 3600 * 1000).toLocaleDateString('sv-SE', { timeZone: 'Asia/Shanghai' });
    await clerk.getByTestId('command-SCHEDULE_HEARING').click();
    await clerk.getByTestId('command-starts-at').fill(`${day}T09:30`);
    await clerk.getByTestId('command-courtroom').fill('第三法庭');
    // The hearing's language (default: the court's): this one is held in English.
    expect(await clerk.getByTestId('command-hearing-language').inputValue()).toBe('');
    await clerk.getByTestId('command-hearing-language').selectOption('en');
    await clerk.getByTestId('command-submit').click();
    await clerk.locator('[data-testid="case-page"][data-state="hearingScheduled"]').waitFor();
    const scheduled = await portal.platform.database.db.select({ language: hearings.language }).from(hearings).where(eq(hearings.caseId, caseId));
    expect(scheduled).toEqual([{ language: 'en' }]);
    await expect.poll(() => clerk.getByTestId('case-hearings').textContent()).toMatch(/09:30[\s\S]*第三法庭[\s\S]*待开庭/);
    await party.locator('[data-testid="case-page"][data-state="hearingScheduled"]').waitFor();
    await expect.poll(() => party.getByTestId('case-hearings').textContent()).toContain('第三法庭');
    expect(await stillSamePage(party)).toBe(true);
    await screenshot(clerk, 'case-page.png');

    expect(pageErrors).toEqual([]);
  }, 90_000);

  it('reconnects the live channel after it drops, resubscribes and catches up', async () => {
    const clerk = await openPage();
    // Keep a handle on every WebSocket the page opens, so the test can cut the line.
    await clerk.addInitScript(() => {
      const Native = window.WebSocket;
      const sockets: WebSocket[] = [];
      (window as unknown as { ecourtSockets: WebSocket[] }).ecourtSockets = sockets;
      window.WebSocket = class extends Native {
        constructor(url: string | URL, protocols?: string | string[]) {
          super(url, protocols);
          sockets.push(this);
        }
      };
    });
    await logIn(clerk, 'clerk1');
    await clerk.goto(`${baseUrl}/#/cases`);
    await clerk.locator('[data-testid="live-status"][data-status="open"]').waitFor();
    await markNoReload(clerk);
    const socketCount = () => clerk.evaluate(() => (window as unknown as { ecourtSockets: WebSocket[] }).ecourtSockets.length);
    const before = await socketCount();

    await clerk.evaluate(() => (window as unknown as { ecourtSockets: WebSocket[] }).ecourtSockets.at(-1)!.close());
    // Filed while the clerk's line is down or coming back: it must still show up.
    const filedId = await fileCaseOverHttp('party2', '买卖合同纠纷', '李某');
    await expect.poll(socketCount, { timeout: LIVE_TIMEOUT_MS }).toBeGreaterThan(before);
    await clerk.locator('[data-testid="live-status"][data-status="open"]').waitFor();
    await clerk.locator(`[data-testid="case-row"][data-case-id="${filedId}"]`).waitFor();

    // And events after the reconnect arrive through the renewed subscription.
    const secondId = await fileCaseOverHttp('party2', '网络购物合同纠纷', '某电子商务有限公司');
    await clerk.locator(`[data-testid="case-row"][data-case-id="${secondId}"]`).waitFor();
    expect(await stillSamePage(clerk)).toBe(true);
    expect(pageErrors).toEqual([]);
  }, 60_000);

  async function fileCaseOverHttp(username: string, cause: string, defendant: string): Promise<string> {
    const post = async (path: string, body: unknown, token?: string) => {
      const response = await fetch(`${baseUrl}${path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
        body: JSON.stringify(body),
      });
      if (!response.ok) throw new Error(`${path} answered ${response.status}: ${await response.text()}`);
      return response.json() as Promise<Record<string, any>>;
    };
    const login = await post('/api/v1/auth/login', { username, password: DEMO_PASSWORD });
    const { courts } = (await (await fetch(`${baseUrl}/api/v1/courts`)).json()) as { courts: { id: string; code: string }[] };
    const court = courts.find((c) => c.code === '京0105')!;
    const filed = await post(
      '/api/v1/cases',
      {
        courtId: court.id,
        cause,
        claims: '判令被告返还货款3000元。',
        claimAmount: '3000',
        plaintiffs: [{ name: login.user.displayName, kind: 'person', userId: login.user.id }],
        defendants: [{ name: defendant, kind: defendant.length > 4 ? 'organisation' : 'person' }],
      },
      login.token,
    );
    return filed.case.id as string;
  }
});
