// The transcript editor's download buttons in headless Chromium: the judge writes a segment, then
// saves the transcript as WebVTT and the party as plain text — the files the export route wrote.
import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { chromiumSkipReason as skipReason, hasChromium, startPortalBrowser, type PortalBrowser } from '../support/portal-browser.ts';

interface Hearing {
  id: string;
  caseId: string;
  transcriptDoc: string;
}

describe.skipIf(!hasChromium)(`transcript download in headless Chromium${skipReason}`, () => {
  let portal: PortalBrowser;

  const demoHearing = async (page: Page): Promise<Hearing> =>
    page.evaluate(async () => {
      const { token } = JSON.parse(sessionStorage.getItem('ecourt.session')!) as { token: string };
      const response = await fetch('/api/v1/hearings', { headers: { authorization: `Bearer ${token}` } });
      return ((await response.json()) as { hearings: Hearing[] }).hearings[0]!;
    });

  async function openTranscript(page: Page, hearing: Hearing): Promise<void> {
    await page.goto(`${portal.baseUrl}/#/cases/${hearing.caseId}/hearings/${hearing.id}/transcript`);
    await page.locator('[data-testid="transcript-status"][data-status="live"]').waitFor();
  }

  async function download(page: Page, format: 'vtt' | 'srt' | 'txt'): Promise<{ name: string; text: string }> {
    const [file] = await Promise.all([page.waitForEvent('download'), page.getByTestId(`transcript-download-${format}`).click()]);
    return { name: file.suggestedFilename(), text: await readFile((await file.path())!, 'utf8') };
  }

  beforeAll(async () => {
    portal = await startPortalBrowser('ecourt-e2e-transcript-download-');
  });

  afterAll(async () => {
    await portal?.close();
  });

  it('saves the transcript as WebVTT for the judge and as plain text for the party', async () => {
    const judge = await portal.openPage();
    await portal.logIn(judge, 'judge1');
    const hearing = await demoHearing(judge);
    await openTranscript(judge, hearing);
    await judge.getByTestId('add-segment').click();
    await judge.getByTestId('new-segment-role').selectOption('plaintiff');
    await expect.poll(() => judge.getByTestId('new-segment-name').inputValue()).toBe('陈静');
    await judge.getByTestId('new-segment-start').fill('01:05');
    await judge.getByTestId('new-segment-end').fill('02:10');
    await judge.getByTestId('new-segment-text').fill('原告已按约交付货物。');
    await judge.getByTestId('new-segment-submit').click();
    expect(await judge.getByTestId('transcript-download-vtt').textContent()).toContain('WebVTT 字幕');

    // The server has the segment once the editor's update went over /yjs: the file shows it.
    await expect
      .poll(async () => (await download(judge, 'vtt')).text, { timeout: 15_000 })
      .toMatch(/^WEBVTT\n\n[0-9a-f-]{36}\n00:01:05\.000 --> 00:02:10\.000\n<v 陈静>原告已按约交付货物。\n$/);
    expect((await download(judge, 'vtt')).name).toBe(`transcript-${hearing.id}.vtt`);

    const party = await portal.openPage({ width: 390, height: 844 });
    await portal.logIn(party, 'party1');
    await openTranscript(party, hearing);
    const text = await download(party, 'txt');
    expect(text).toEqual({ name: `transcript-${hearing.id}.txt`, text: '[00:01:05.000 – 00:02:10.000] 陈静 (plaintiff): 原告已按约交付货物。\n' });
    expect(portal.pageErrors).toEqual([]);
  });
});
