// The hearing transcript editor end to end in headless Chromium against the whole platform: the
// judge adds and types a segment, party1 (plaintiff of the demo sales case) sees it live with the
// judge's named caret, cannot edit, and confirms; the judge sees the confirmation.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { chromiumSkipReason as skipReason, hasChromium, screenshot, startPortalBrowser, type PortalBrowser } from '../support/portal-browser.ts';

interface Hearing {
  id: string;
  caseId: string;
  transcriptDoc: string;
}

describe.skipIf(!hasChromium)(`transcript editor in headless Chromium${skipReason}`, () => {
  let portal: PortalBrowser;
  let baseUrl: string;
  let pageErrors: string[];
  const openPage: PortalBrowser['openPage'] = (...args) => portal.openPage(...args);
  const logIn: PortalBrowser['logIn'] = (page, username) => portal.logIn(page, username);

  /** The demo hearing as the API lists it to this page's user. */
  const demoHearing = (page: Page) =>
    page.evaluate(async () => {
      const { token } = JSON.parse(sessionStorage.getItem('ecourt.session')!) as { token: string };
      const response = await fetch('/api/v1/hearings', { headers: { authorization: `Bearer ${token}` } });
      return ((await response.json()) as { hearings: Hearing[] }).hearings;
    });

  /** Opens the transcript the way a user does: case page → the hearing's transcript link. */
  async function openTranscript(page: Page, hearing: Hearing): Promise<void> {
    await page.goto(`${baseUrl}/#/cases/${hearing.caseId}`);
    const link = page.locator(`[data-testid="hearing-transcript-link"][data-hearing-id="${hearing.id}"]`);
    await link.waitFor();
    expect(await link.textContent()).toBe('庭审笔录');
    // The hearings table with its transcript column still fits a phone.
    expect(await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)).toBeLessThanOrEqual(0);
    await link.click();
    await page.waitForURL(new RegExp(`#/cases/${hearing.caseId}/hearings/${hearing.id}/transcript$`));
    await page.locator(`[data-testid="transcript-editor"][data-doc="${hearing.transcriptDoc}"]`).waitFor();
    await page.locator('[data-testid="transcript-status"][data-status="live"]').waitFor();
  }

  beforeAll(async () => {
    portal = await startPortalBrowser('ecourt-e2e-transcript-');
    ({ baseUrl, pageErrors } = portal);
  });

  afterAll(async () => {
    await portal?.close();
  });

  it('the judge writes live, the party sees the text and the judge’s caret, cannot edit, and confirms', async () => {
    const judge = await openPage();
    await logIn(judge, 'judge1');
    const judgeHearings = await demoHearing(judge);
    expect(judgeHearings).toHaveLength(1);
    const hearing = judgeHearings[0]!;
    expect(hearing.transcriptDoc).toBe(`cases/${hearing.caseId}/hearings/${hearing.id}/transcript`);

    const party = await openPage({ width: 390, height: 844 });
    await logIn(party, 'party1');
    expect((await demoHearing(party)).map((h) => h.id)).toEqual([hearing.id]);

    await openTranscript(judge, hearing);
    await openTranscript(party, hearing);
    // Each sees the other present, with the name the server stamped.
    await judge.locator('[data-testid="presence"]').getByText('陈静').waitFor();
    await party.locator('[data-testid="presence"]').getByText('李明').waitFor();
    expect(await judge.locator('[data-testid="transcript-editor"]').getAttribute('data-can-edit')).toBe('true');
    expect(await party.locator('[data-testid="transcript-editor"]').getAttribute('data-can-edit')).toBe('false');
    expect(await party.getByTestId('add-segment').count()).toBe(0);

    // The judge adds a segment spoken by the plaintiff, then types into it.
    await judge.getByTestId('add-segment').click();
    await judge.getByTestId('new-segment-role').selectOption('plaintiff');
    await expect.poll(() => judge.getByTestId('new-segment-name').inputValue()).toBe('陈静');
    await judge.getByTestId('new-segment-start').fill('01:05');
    await judge.getByTestId('new-segment-end').fill('02:10');
    await judge.getByTestId('new-segment-text').fill('原告已按约交付货物。');
    await judge.getByTestId('new-segment-submit').click();
    const judgeSegment = judge.getByTestId('transcript-segment').last();
    await judgeSegment.waitFor();
    const segmentId = (await judgeSegment.getAttribute('data-segment-id'))!;
    expect(await judgeSegment.getByTestId('segment-speaker').textContent()).toBe('陈静（原告）');
    expect(await judgeSegment.getByTestId('segment-time').textContent()).toBe('01:05–02:10');
    expect(await judgeSegment.getByTestId('segment-source').textContent()).toBe('人工');

    const judgeText = judgeSegment.getByTestId('segment-text');
    await judgeText.click();
    await judgeText.press('End');
    await judgeText.pressSequentially('被告尚欠货款。', { delay: 20 });
    await expect.poll(() => judgeText.inputValue()).toBe('原告已按约交付货物。被告尚欠货款。');

    // The party sees the text live, with the judge's caret and name inside the segment.
    const partySegment = party.locator(`[data-testid="transcript-segment"][data-segment-id="${segmentId}"]`);
    const partyText = partySegment.getByTestId('segment-text');
    await expect.poll(() => partyText.evaluate((el) => [...el.childNodes].filter((n) => n.nodeType === Node.TEXT_NODE).map((n) => n.textContent).join(''))).toBe(
      '原告已按约交付货物。被告尚欠货款。',
    );
    const caret = partySegment.getByTestId('peer-caret');
    await expect.poll(() => caret.textContent()).toBe('李明');
    expect(await partySegment.getByTestId('segment-speaker').textContent()).toBe('陈静（原告）');

    // No editable text for the party: no textarea, not contenteditable, typing changes nothing.
    expect(await party.locator('textarea[data-testid="segment-text"]').count()).toBe(0);
    expect(await partyText.evaluate((el) => (el as HTMLElement).isContentEditable)).toBe(false);
    await partyText.click();
    await party.keyboard.type('篡改');
    await party.waitForTimeout(300);
    expect(await judgeText.inputValue()).toBe('原告已按约交付货物。被告尚欠货款。');
    expect(await partyText.textContent()).not.toContain('篡改');

    await screenshot(party, 'transcript-editor.png');
    expect(await party.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)).toBeLessThanOrEqual(0);

    // The party confirms the segment; the judge sees the mark with the party's name.
    await partySegment.getByTestId('segment-confirm').click();
    const judgeMark = judgeSegment.locator(`[data-testid="segment-mark"][data-status="confirmed"]`);
    await expect.poll(() => judgeMark.textContent().then((text) => text?.trim())).toBe('✓ 陈静 已确认');
    expect(await partySegment.getByTestId('segment-confirm').getAttribute('aria-pressed')).toBe('true');

    // The server's plain-text rendering has the judge's text (the edit reached storage's live room).
    const transcript = await judge.evaluate(async (hearingId) => {
      const { token } = JSON.parse(sessionStorage.getItem('ecourt.session')!) as { token: string };
      const response = await fetch(`/api/v1/hearings/${hearingId}/transcript`, { headers: { authorization: `Bearer ${token}` } });
      return (await response.json()) as { text: string };
    }, hearing.id);
    expect(transcript.text).toContain('陈静 (plaintiff) — 00:01:05.000–00:02:10.000 — 原告已按约交付货物。被告尚欠货款。');

    // A second editor (the clerk) types at the start while the judge's caret sits mid-text: both
    // edits survive (minimal diffs), and the judge's caret moves with the text it was in.
    const clerk = await openPage();
    await logIn(clerk, 'clerk1');
    await openTranscript(clerk, hearing);
    const clerkText = clerk.locator(`[data-testid="transcript-segment"][data-segment-id="${segmentId}"]`).getByTestId('segment-text');
    await judgeText.evaluate((el) => {
      const area = el as HTMLTextAreaElement;
      area.focus();
      area.setSelectionRange(2, 2);
      area.dispatchEvent(new KeyboardEvent('keyup'));
    });
    await clerkText.click();
    await clerkText.press('Home');
    await clerkText.pressSequentially('记录：', { delay: 20 });
    await expect.poll(() => judgeText.inputValue()).toBe('记录：原告已按约交付货物。被告尚欠货款。');
    expect(await judgeText.evaluate((el) => (el as HTMLTextAreaElement).selectionStart)).toBe(5);
    await judgeSegment.locator('[data-testid="peer-caret"]').getByText('张华 正在编辑').waitFor();
    await judge.keyboard.type('方');
    await expect.poll(() => clerkText.inputValue()).toBe('记录：原告方已按约交付货物。被告尚欠货款。');

    // A party's update outside their own area is refused by the server: the editor shows the coded
    // refusal and reloads a fresh doc, and nobody else ever sees the change.
    await party.evaluate((id) => {
      const portal = document.querySelector('ecourt-portal')!;
      const editor = portal.shadowRoot!.querySelector('ecourt-transcript-editor') as unknown as {
        ydoc: { getArray(name: string): { toArray(): { get(key: string): any }[] } };
      };
      const segment = editor.ydoc.getArray('segments').toArray().find((entry) => entry.get('id') === id)!;
      segment.get('text').insert(0, '篡改');
    }, segmentId);
    await party.locator('[data-testid="transcript-error"][data-code="FORBIDDEN_UPDATE"]').waitFor();
    await party.locator('[data-testid="transcript-status"][data-status="live"]').waitFor();
    await expect.poll(() => partyText.evaluate((el) => [...el.childNodes].filter((n) => n.nodeType === Node.TEXT_NODE).map((n) => n.textContent).join(''))).toBe(
      '记录：原告方已按约交付货物。被告尚欠货款。',
    );
    await partySegment.locator(`[data-testid="segment-confirm"][aria-pressed="true"]`).waitFor();
    expect(await judgeText.inputValue()).toBe('记录：原告方已按约交付货物。被告尚欠货款。');
    expect(await clerkText.inputValue()).toBe('记录：原告方已按约交付货物。被告尚欠货款。');

    // English on request, live.
    await party.getByTestId('lang-switch').click();
    await expect.poll(() => party.getByTestId('transcript-status').textContent()).toBe('Live');
    await expect.poll(() => partySegment.getByTestId('segment-speaker').textContent()).toBe('陈静（Plaintiff）');
    expect(await partySegment.getByTestId('segment-confirm').textContent()).toBe('Confirm');
    expect(pageErrors).toEqual([]);
  }, 90_000);
});

