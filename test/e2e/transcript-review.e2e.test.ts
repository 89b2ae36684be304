// 笔录确认 in headless Chromium against the whole platform: the demo hearing sits with party1 in the
// room and a segment the judge wrote; the judge ends it and the transcript freezes (banner, no more
// editing); party1 objects to the segment with a note and submits the objection; the judge corrects
// the segment from the objection; the hearing is archived and the filed transcript appears on the case page.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { chromiumSkipReason as skipReason, hasChromium, screenshot, startPortalBrowser, type PortalBrowser } from '../support/portal-browser.ts';
import { MANUAL_CHECK_NOTE } from '../support/hearing-flow.ts';

const PASSED = { passed: true, camera: true, microphone: true, speaker: true, browserSupported: true, roundTripMs: 5, bandwidthKbps: 50_000 };

/** A call to the API as this page's user. */
const api = (page: Page, method: string, path: string, body?: unknown) =>
  page.evaluate(
    async ({ method, path, body }) => {
      const { token } = JSON.parse(sessionStorage.getItem('ecourt.session')!) as { token: string };
      const response = await fetch(path, {
        method,
        headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
      return { status: response.status, json: (await response.json()) as any };
    },
    { method, path, body },
  );

describe.skipIf(!hasChromium)(`transcript confirmation in headless Chromium${skipReason}`, () => {
  let portal: PortalBrowser;
  let baseUrl: string;

  beforeAll(async () => {
    portal = await startPortalBrowser('ecourt-e2e-transcript-review-');
    ({ baseUrl } = portal);
  });

  afterAll(async () => {
    await portal?.close();
  });

  it('freezes at the end, takes the party’s objection, and files the judge’s correction with the case', async () => {
    const judge = await portal.openPage();
    await portal.logIn(judge, 'judge1');
    const party = await portal.openPage({ width: 390, height: 844 });
    await portal.logIn(party, 'party1');
    const [hearing] = (await api(judge, 'GET', '/api/v1/hearings')).json.hearings as { id: string; caseId: string }[];
    const live = async (page: Page) => (await api(page, 'GET', `/api/v1/hearings/${hearing!.id}/live`)).json;
    await expect.poll(async () => (await live(judge)).hearing?.state, { timeout: 15_000 }).toBe('scheduled');
    const seat = { judge: (await live(judge)).me.participantId, party: (await live(party)).me.participantId };
    const command = async (page: Page, command: Record<string, unknown>) => {
      const answer = await api(page, 'POST', `/api/v1/hearings/${hearing!.id}/commands`, { v: 1, command });
      expect(answer.status, JSON.stringify(answer.json)).toBe(200);
    };
    await command(judge, { type: 'OPEN_LOBBY' });
    for (const [page, participantId] of [[judge, seat.judge], [party, seat.party]] as const) {
      await command(page, { type: 'DEVICE_CHECKED', participantId, result: PASSED });
      await command(page, { type: 'DECLARE_IDENTITY', participantId, declaration: '本人确认身份属实。' });
    }
    await command(judge, { type: 'JOIN_ROOM', participantId: seat.judge });
    await command(judge, { type: 'APPROVE_MANUAL_IDENTITY', participantId: seat.party, note: MANUAL_CHECK_NOTE });
    await command(party, { type: 'ENTER_WAITING', participantId: seat.party });
    await command(judge, { type: 'ADMIT', participantId: seat.party });
    await command(judge, { type: 'START' });
    await command(party, { type: 'JOIN_ROOM', participantId: seat.party });

    const transcriptUrl = `${baseUrl}/#/cases/${hearing!.caseId}/hearings/${hearing!.id}/transcript`;
    await judge.goto(transcriptUrl);
    await judge.locator('[data-testid="transcript-status"][data-status="live"]').waitFor();
    await judge.getByTestId('add-segment').click();
    await judge.getByTestId('new-segment-role').selectOption('plaintiff');
    await judge.getByTestId('new-segment-start').fill('00:05');
    await judge.getByTestId('new-segment-end').fill('00:09');
    await judge.getByTestId('new-segment-text').fill('被告尚欠货款三千元。');
    await judge.getByTestId('new-segment-submit').click();
    const segment = judge.getByTestId('transcript-segment').last();
    await segment.waitFor();
    const segmentId = (await segment.getAttribute('data-segment-id'))!;
    await expect.poll(async () => (await api(judge, 'GET', `/api/v1/hearings/${hearing!.id}/transcript`)).json.segmentCount).toBe(1);

    // The end freezes the transcript: the judge's view turns read-only under the frozen banner.
    await command(judge, { type: 'END' });
    await judge.getByTestId('transcript-frozen').waitFor({ timeout: 15_000 });
    await expect.poll(() => judge.locator('[data-testid="transcript-editor"]').getAttribute('data-can-edit')).toBe('false');
    expect(await judge.getByTestId('add-segment').count()).toBe(0);

    // The party marks its objection with a note and submits it.
    await party.goto(transcriptUrl);
    await party.locator('[data-testid="own-review"][data-status="notReviewed"]').waitFor({ timeout: 15_000 });
    const partySegment = party.locator(`[data-testid="transcript-segment"][data-segment-id="${segmentId}"]`);
    await partySegment.getByTestId('segment-object').click();
    await partySegment.getByTestId('object-note').fill('我方主张的是三万元');
    await partySegment.getByTestId('object-submit').click();
    await expect.poll(() => party.getByTestId('review-object').isEnabled()).toBe(true);
    expect(await party.getByTestId('review-confirm').isEnabled()).toBe(false);
    await party.getByTestId('review-object').click();
    await party.locator('[data-testid="own-review"][data-status="objected"]').waitFor();
    // The review is in: the per-segment marks are final and no longer offered.
    await expect.poll(() => partySegment.getByTestId('segment-object').count()).toBe(0);
    await screenshot(party, 'transcript-review-party.png');
    expect(await party.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)).toBeLessThanOrEqual(0);

    // The judge sees the objection and corrects the segment from it.
    await judge.reload();
    const objection = judge.locator(`[data-testid="objection"][data-segment-id="${segmentId}"]`);
    await objection.waitFor({ timeout: 15_000 });
    expect(await objection.textContent()).toContain('我方主张的是三万元');
    await objection.getByTestId('objection-correct').click();
    await objection.getByTestId('resolve-text').fill('被告尚欠货款三万元。');
    await objection.getByTestId('resolve-note').fill('经核对录音予以更正');
    await objection.getByTestId('resolve-submit').click();
    await judge.getByTestId('transcript-archived').waitFor({ timeout: 15_000 });
    expect(await objection.getByTestId('objection-resolution').getAttribute('data-decision')).toBe('corrected');
    await expect.poll(() => partySegment.getByTestId('segment-text').textContent()).toContain('三万元');
    await screenshot(judge, 'transcript-review-judge.png');

    // The filed transcript is listed on the case page. Filing renders and seals the PDF after the review ends
    // (asynchronously, in the issuing pool): wait until the case lists it, then open the page.
    await expect
      .poll(async () => ((await api(party, 'GET', `/api/v1/cases/${hearing!.caseId}/documents`)).json.documents as { kind: string }[]).some((document) => document.kind === 'hearingTranscript'), { timeout: 30_000 })
      .toBe(true);
    await party.goto(`${baseUrl}/#/cases/${hearing!.caseId}`);
    // (Beside the stage documents the demo case has by now, e.g. its summons.)
    const filed = party.locator('[data-testid="case-document"][data-kind="hearingTranscript"]');
    await filed.waitFor({ timeout: 15_000 });
    expect(await filed.textContent()).toContain('庭审笔录');
    // A sealed PDF: its verification code is shown.
    expect(await filed.getByTestId('case-document-code').textContent()).toMatch(/^[0-9A-Z]{4}(-[0-9A-Z]{4}){3}$/);
  });
});
