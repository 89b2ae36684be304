// The pre-hearing device check end to end in headless Chromium with its fake camera (a test
// pattern) and microphone (fed a voice-like tone from a WAV file): party1 opens it from the case page, the preview plays, the
// meter moves, the probe against the hub gives numbers, the party confirms the test tone, the
// verdict is pass and is stored; the clerk sees it over the API and, on a phone, on the page.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { chromiumSkipReason as skipReason, FAKE_MEDIA_ARGS, hasChromium, screenshot, startPortalBrowser, type PortalBrowser } from '../support/portal-browser.ts';
import { logInDemo } from '../support/demo-platform.ts';

/**
 * A voice-like microphone signal for Chromium's fake capture: 220 Hz whose loudness swells between
 * 0.1 and 0.5 of full scale three times a second (48 kHz mono 16-bit WAV, looped by Chromium).
 */
function voiceLikeWav(seconds = 2, rate = 48_000): Buffer {
  const samples = seconds * rate;
  const wav = Buffer.alloc(44 + samples * 2);
  wav.write('RIFF', 0);
  wav.writeUInt32LE(36 + samples * 2, 4);
  wav.write('WAVEfmt ', 8);
  wav.writeUInt32LE(16, 16);
  wav.writeUInt16LE(1, 20); // PCM
  wav.writeUInt16LE(1, 22); // mono
  wav.writeUInt32LE(rate, 24);
  wav.writeUInt32LE(rate * 2, 28);
  wav.writeUInt16LE(2, 32);
  wav.writeUInt16LE(16, 34);
  wav.write('data', 36);
  wav.writeUInt32LE(samples * 2, 40);
  for (let i = 0; i < samples; i += 1) {
    const t = i / rate;
    const loudness = 0.3 + 0.2 * Math.sin(2 * Math.PI * 3 * t);
    wav.writeInt16LE(Math.round(32767 * loudness * Math.sin(2 * Math.PI * 220 * t)), 44 + i * 2);
  }
  return wav;
}

describe.skipIf(!hasChromium)(`device check in headless Chromium${skipReason}`, () => {
  let portal: PortalBrowser;
  let baseUrl: string;
  const mediaDir = mkdtempSync(join(tmpdir(), 'ecourt-e2e-media-'));

  /** The demo hearing (case filed by lawyer1 for party1), as this page's user sees it. */
  const demoHearing = (page: Page) =>
    page.evaluate(async () => {
      const { token } = JSON.parse(sessionStorage.getItem('ecourt.session')!) as { token: string };
      for (;;) {
        const response = await fetch('/api/v1/hearings', { headers: { authorization: `Bearer ${token}` } });
        const { hearings } = (await response.json()) as { hearings: { id: string; caseId: string }[] };
        if (hearings[0]) return hearings[0];
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    });

  async function openDeviceCheck(page: Page, caseId: string, hearingId: string) {
    await page.goto(`${baseUrl}/#/cases/${caseId}`);
    await page.locator(`[data-testid="hearing-device-check"][data-hearing-id="${hearingId}"]`).click();
    const check = page.locator(`[data-testid="device-check"][data-hearing-id="${hearingId}"]`);
    await check.waitFor();
    return check;
  }

  beforeAll(async () => {
    const microphone = join(mediaDir, 'voice-like-mic.wav');
    writeFileSync(microphone, voiceLikeWav());
    portal = await startPortalBrowser('ecourt-e2e-device-check-', { chromiumArgs: [...FAKE_MEDIA_ARGS, `--use-file-for-fake-audio-capture=${microphone}`] });
    ({ baseUrl } = portal);
  });

  afterAll(async () => {
    await portal?.close();
    rmSync(mediaDir, { recursive: true, force: true });
  });

  it('a party checks camera, microphone, speaker, browser and network, and the clerk sees the stored pass', async () => {
    const party = await portal.openPage();
    await portal.logIn(party, 'party1');
    const hearing = await demoHearing(party);
    const check = await openDeviceCheck(party, hearing.caseId, hearing.id);
    expect(await check.getAttribute('data-stage')).toBe('idle');

    // Every stage the element passes through, as the progress line shows it.
    await check.evaluate((element) => {
      const seen: string[] = [];
      (window as unknown as { stagesSeen: string[] }).stagesSeen = seen;
      new MutationObserver(() => {
        const progress = element.querySelector('[data-testid="device-check-progress"]');
        const stage = element.getAttribute('data-stage')!;
        if (progress && seen.at(-1) !== stage) seen.push(stage);
      }).observe(element, { attributes: true, subtree: true, childList: true });
    });
    await party.getByTestId('device-check-start').click();
    await party.locator('[data-testid="device-check"][data-stage="done"]').waitFor();
    expect(await party.evaluate(() => (window as unknown as { stagesSeen: string[] }).stagesSeen)).toEqual(['devices', 'ping', 'download', 'upload']);
    expect(await party.getByTestId('device-check-camera').getAttribute('data-ok')).toBe('true');
    const videoWidth = await party.getByTestId('device-check-preview').evaluate(async (element) => {
      const video = element as HTMLVideoElement;
      for (let i = 0; i < 100 && video.videoWidth === 0; i += 1) await new Promise((resolve) => setTimeout(resolve, 50));
      return video.videoWidth;
    });
    expect(videoWidth).toBeGreaterThan(0);

    // The fake microphone plays the swelling tone: the live meter moves, and the peak is the file's own
    // (0.5: no gain control or noise suppression in between).
    const microphone = party.getByTestId('device-check-microphone');
    expect(await microphone.getAttribute('data-ok')).toBe('true');
    await expect.poll(async () => Number(await microphone.getAttribute('data-level')), { timeout: 10_000 }).toBeGreaterThan(0.05);
    await expect.poll(async () => Number(await microphone.getAttribute('data-peak')), { timeout: 10_000 }).toBeGreaterThan(0.45);
    expect(Number(await microphone.getAttribute('data-peak'))).toBeLessThan(0.55);

    const roundTrip = party.getByTestId('device-check-round-trip');
    const p50 = Number(await roundTrip.getAttribute('data-p50'));
    const p95 = Number(await roundTrip.getAttribute('data-p95'));
    expect(p50).toBeGreaterThan(0);
    expect(p95).toBeGreaterThanOrEqual(p50);
    const bandwidth = party.getByTestId('device-check-bandwidth');
    expect(Number(await bandwidth.getAttribute('data-download'))).toBeGreaterThan(0);
    expect(Number(await bandwidth.getAttribute('data-upload'))).toBeGreaterThan(0);
    for (const feature of ['webRtc', 'getUserMedia', 'webAudio', 'opus', 'vp8']) {
      expect(await party.locator(`[data-testid="device-check-browser"] [data-support="${feature}"]`).getAttribute('data-ok'), feature).toBe('true');
    }

    // Not heard yet: the verdict says so; after the tone and the confirmation it passes.
    const verdict = party.getByTestId('device-check-verdict');
    expect(await verdict.getAttribute('data-verdict')).toBe('fail');
    expect(await verdict.locator('[data-reason]').evaluateAll((items) => items.map((item) => item.getAttribute('data-reason')))).toEqual(['speaker.unconfirmed']);
    await party.getByTestId('device-check-play-tone').click();
    await party.getByTestId('device-check-heard').click();
    expect(await party.getByTestId('device-check-speaker').getAttribute('data-state')).toBe('confirmed');
    expect(await verdict.getAttribute('data-verdict')).toBe('pass');
    expect(await verdict.textContent()).toContain('检测结论：通过');

    await party.getByTestId('device-check-save').click();
    const saved = party.getByTestId('device-check-saved');
    await saved.waitFor();
    expect(await saved.getAttribute('data-verdict')).toBe('pass');
    const checkId = await saved.getAttribute('data-check-id');
    // The picture shows the bar moving.
    await expect.poll(async () => Number(await microphone.getAttribute('data-level'))).toBeGreaterThan(0.25);
    await screenshot(party, 'device-check.png');

    // The clerk's list over the API.
    const clerk = await logInDemo(baseUrl, 'clerk1');
    const listed = await fetch(`${baseUrl}/api/v1/hearings/${hearing.id}/device-checks`, { headers: { authorization: `Bearer ${clerk.token}` } });
    expect(listed.status).toBe(200);
    const { deviceChecks } = (await listed.json()) as { deviceChecks: { id: string; verdict: string; account: { displayName: string }; microphone: { peakLevel: number }; network: { roundTripP50Ms: number } }[] };
    expect(deviceChecks).toHaveLength(1);
    expect(deviceChecks[0]).toMatchObject({ id: checkId, verdict: 'pass', account: { displayName: '陈静' }, network: { roundTripP50Ms: p50 } });
    expect(deviceChecks[0]!.microphone.peakLevel).toBeGreaterThan(0.3);

    // And on the clerk's phone: the participants' list, without sideways scrolling.
    const phone = await portal.openPage({ width: 390, height: 844 });
    await portal.logIn(phone, 'clerk1');
    await openDeviceCheck(phone, hearing.caseId, hearing.id);
    const row = phone.locator('[data-testid="device-check-participant"]');
    await row.waitFor();
    expect(await row.getAttribute('data-verdict')).toBe('pass');
    expect(await row.textContent()).toContain('陈静（当事人）');
    // The clerk checks too; every section fits the narrow screen.
    await phone.getByTestId('device-check-start').click();
    await phone.locator('[data-testid="device-check"][data-stage="done"]').waitFor();
    expect(await phone.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    expect(portal.pageErrors).toEqual([]);
  }, 90_000);
});
