// Steps of the hearing room in a browser page, shared by the end-to-end tests: finding the demo
// hearing as the page's user, passing the device check (for real, or reported the way the element
// reports it), the identity gate (the judge's manual check, from the judge's page) and acknowledging
// the court discipline, and waiting for the room's stages.
import { expect } from 'vitest';
import type { Page } from 'playwright-core';

/** What <ecourt-device-check> reports when done (its measurements and verdict). */
export const PASSED_CHECK = {
  camera: { ok: true, width: 640, height: 480 },
  microphone: { ok: true, peakLevel: 0.4 },
  speaker: { confirmed: true },
  browser: { webRtc: true, getUserMedia: true, webAudio: true, opus: true, vp8: true },
  network: { roundTripP50Ms: 2, roundTripP95Ms: 5, downloadMbps: 200, uploadMbps: 150 },
  verdict: 'pass',
  reasons: [],
};

/** The demo hearing as this page's user sees it, once its actor answers the live route. */
export const demoHearingOf = (page: Page): Promise<{ id: string; caseId: string }> =>
  page.evaluate(async () => {
    const { token } = JSON.parse(sessionStorage.getItem('ecourt.session')!) as { token: string };
    const headers = { authorization: `Bearer ${token}` };
    for (;;) {
      const { hearings } = (await (await fetch('/api/v1/hearings', { headers })).json()) as { hearings: { id: string; caseId: string }[] };
      if (hearings[0] && (await fetch(`/api/v1/hearings/${hearings[0].id}/live`, { headers })).ok) return hearings[0];
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  });

export const hearingRoom = (page: Page) => page.getByTestId('hearing-room');
export const roomStage = (page: Page, value: string) => page.locator(`[data-testid="hearing-room"][data-stage="${value}"]`).waitFor();

/** This page's user's seat in the hearing (the live route's `me`). */
export const seatOf = (page: Page, hearingId: string): Promise<string> =>
  page.evaluate(async (id) => {
    const { token } = JSON.parse(sessionStorage.getItem('ecourt.session')!) as { token: string };
    const live = (await (await fetch(`/api/v1/hearings/${id}/live`, { headers: { authorization: `Bearer ${token}` } })).json()) as { me: { participantId: string } };
    return live.me.participantId;
  }, hearingId);

/** The judge, in their own page, checks the identity of the party in `party` by hand (人工核验) with a note. */
export async function approveManually(judge: Page, party: Page, hearingId: string): Promise<void> {
  const participantId = await seatOf(party, hearingId);
  await judge.locator(`[data-testid="hearing-approve-manually"][data-participant-id="${participantId}"]`).click();
  await judge.getByTestId('hearing-manual-note').fill('审判员当庭核对身份证原件');
  await judge.getByTestId('hearing-manual-confirm').click();
  await judge.locator(`[data-testid="hearing-identities"] li[data-participant-id="${participantId}"] [data-status="manual"]`).waitFor();
}

/**
 * Opens the room and passes the device check: with `realCheck`, the embedded <ecourt-device-check>
 * runs for real on the fake camera and microphone (probe, tone, saved); otherwise the test reports
 * a passed check the way that element does, to keep the run short. A party then meets the identity
 * gate: with `judge` (the judge's page, in the room or its waiting room) the judge checks them by hand.
 * Ends with the discipline acknowledged.
 */
export async function arriveAtRoom(
  page: Page,
  baseUrl: string,
  hearing: { id: string; caseId: string },
  { realCheck = false, judge }: { realCheck?: boolean; judge?: Page } = {},
): Promise<void> {
  await page.goto(`${baseUrl}/#/cases/${hearing.caseId}/hearings/${hearing.id}/room`);
  await roomStage(page, 'deviceCheck');
  if (realCheck) {
    await page.getByTestId('device-check-start').click();
    await page.locator('[data-testid="device-check"][data-stage="done"]').waitFor({ timeout: 60_000 });
    await page.getByTestId('device-check-play-tone').click();
    await page.getByTestId('device-check-heard').click();
    expect(await page.getByTestId('device-check-verdict').getAttribute('data-verdict')).not.toBe('fail');
    await page.getByTestId('device-check-save').click();
  } else {
    await page.locator('ecourt-device-check').evaluate((element, detail) => {
      element.dispatchEvent(new CustomEvent('device-check-done', { detail, bubbles: true, composed: true }));
    }, PASSED_CHECK);
  }
  if (judge) {
    await roomStage(page, 'identityCheck');
    await page.getByTestId('identity-check').waitFor();
    await approveManually(judge, page, hearing.id);
  }
  await roomStage(page, 'acknowledge');
  expect(await page.getByTestId('hearing-discipline').textContent()).toContain('法庭纪律');
  expect(await page.getByTestId('hearing-enter').isDisabled()).toBe(true);
  await page.getByTestId('hearing-acknowledge').check();
}
