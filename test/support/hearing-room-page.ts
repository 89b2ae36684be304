// Steps of the hearing room in a browser page, shared by the end-to-end tests: finding the demo
// hearing as the page's user, passing the device check (for real, or reported the way the element
// reports it) and acknowledging the court discipline, and waiting for the room's stages.
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

/**
 * Opens the room and passes the device check: with `realCheck`, the embedded <ecourt-device-check>
 * runs for real on the fake camera and microphone (probe, tone, saved); otherwise the test reports
 * a passed check the way that element does, to keep the run short. Ends with the discipline acknowledged.
 */
export async function arriveAtRoom(page: Page, baseUrl: string, hearing: { id: string; caseId: string }, { realCheck = false } = {}): Promise<void> {
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
  await roomStage(page, 'acknowledge');
  expect(await page.getByTestId('hearing-discipline').textContent()).toContain('法庭纪律');
  expect(await page.getByTestId('hearing-enter').isDisabled()).toBe(true);
  await page.getByTestId('hearing-acknowledge').check();
}
