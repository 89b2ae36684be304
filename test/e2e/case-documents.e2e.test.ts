// The case page's documents in headless Chromium against the whole platform: the demo's sales contract case
// (its parties have addresses) lists a 传票 to each of its three parties and an 应诉通知书 to each of its two
// defendants, each with whom it is addressed to; a case whose second defendant has no address shows the clerk
// that party's summons and notice as not issued, by the party's name and the missing field.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomUUID } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { chromiumSkipReason as skipReason, hasChromium, screenshot, startPortalBrowser, type PortalBrowser } from '../support/portal-browser.ts';
import { cases, users } from '../../storage/schema.ts';

describe.skipIf(!hasChromium)(`case documents addressed to each party in headless Chromium${skipReason}`, () => {
  let portal: PortalBrowser;

  beforeAll(async () => {
    portal = await startPortalBrowser('ecourt-e2e-case-documents-');
    // The start-up pass over the demo cases, done before the pages look.
    await portal.platform.hub!.documentIssuer.reconcile();
  }, 120_000);

  afterAll(async () => {
    await portal?.close();
  });

  const addressees = async (page: import('playwright-core').Page, kind: string) =>
    (await page.locator(`[data-testid="case-document"][data-kind="${kind}"] [data-testid="case-document-addressee"]`).allTextContents()).map((text) => text.trim()).sort();

  it('lists each party’s summons and each defendant’s notice to respond with the party’s name', async () => {
    const db = portal.platform.database.db;
    const [sales] = await db.select({ id: cases.id }).from(cases).where(eq(cases.cause, '买卖合同纠纷'));
    const clerk = await portal.openPage();
    await portal.logIn(clerk, 'clerk1');
    await clerk.goto(`${portal.baseUrl}/#/cases/${sales!.id}`);
    await clerk.locator('[data-testid="case-document"][data-kind="summons"]').first().waitFor({ timeout: 15_000 });
    await expect.poll(() => addressees(clerk, 'summons'), { timeout: 15_000 }).toEqual(['致北京示范商贸有限公司', '致王强', '致陈静']);
    expect(await addressees(clerk, 'noticeToRespond')).toEqual(['致北京示范商贸有限公司', '致王强']);
    expect(await clerk.locator('[data-testid="case-document-problems"]').count()).toBe(0);
    await clerk.locator('[data-testid="case-document"]').first().scrollIntoViewIfNeeded();
    await screenshot(clerk, 'case-documents.png');
  }, 60_000);

  it('shows the clerk the summons and notice a defendant without an address could not get, by its name', async () => {
    const db = portal.platform.database.db;
    const [clerkRow] = await db.select({ id: users.id, courtId: users.courtId }).from(users).where(eq(users.username, 'clerk1'));
    const [partyRow] = await db.select({ id: users.id }).from(users).where(eq(users.username, 'party1'));
    const caseId = randomUUID();
    const clerkBy = { userId: clerkRow!.id, role: 'clerk' };
    for (const command of [
      {
        type: 'FILE',
        by: { userId: partyRow!.id, role: 'party' },
        filing: {
          courtId: clerkRow!.courtId,
          cause: '民间借贷纠纷',
          claims: '判令被告偿还借款本金人民币20000元。',
          claimAmount: '20000.00',
          facts: '被告向原告借款未还。',
          plaintiffs: [{ name: '陈静', kind: 'person', userId: partyRow!.id, address: '北京市朝阳区建国路88号' }],
          defendants: [
            { name: '北京示范借贷有限公司', kind: 'organisation', address: '北京市朝阳区示范路2号' },
            { name: '孙六', kind: 'person' },
          ],
        },
      },
      { type: 'BEGIN_REVIEW', by: clerkBy },
      { type: 'ACCEPT', by: clerkBy },
      { type: 'SCHEDULE_HEARING', by: clerkBy, hearingId: randomUUID(), startsAt: new Date(Date.now() + 86_400_000).toISOString(), courtroom: '第五法庭' },
    ]) {
      const reply = await portal.platform.actors.ask({ kind: 'case', id: caseId }, command);
      expect(reply.ok, JSON.stringify(reply)).toBe(true);
    }
    await portal.platform.hub!.documentIssuer.reconcile(caseId);

    const clerk = await portal.openPage();
    await portal.logIn(clerk, 'clerk1');
    await clerk.goto(`${portal.baseUrl}/#/cases/${caseId}`);
    const problems = clerk.locator('[data-testid="case-document-problem"]');
    await problems.first().waitFor({ timeout: 15_000 });
    const texts = (await problems.allTextContents()).map((text) => text.replace(/\s+/g, ''));
    expect(texts).toEqual(expect.arrayContaining(['未能出具传票（致孙六）：defendants.1.address', '未能出具应诉通知书（致孙六）：defendants.1.address']));
    // The other parties' summonses and the first defendant's notice are there.
    expect(await addressees(clerk, 'summons')).toEqual(['致北京示范借贷有限公司', '致陈静']);
    expect(await addressees(clerk, 'noticeToRespond')).toEqual(['致北京示范借贷有限公司']);
    expect(portal.pageErrors).toEqual([]);
  }, 60_000);
});
