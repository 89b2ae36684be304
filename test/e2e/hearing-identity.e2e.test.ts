// The hearing's identity gate in Chromium, with the fake camera playing a face: party1, enrolled with
// the astronaut, passes <ecourt-identity-check> in the waiting room with the astronaut turning her head
// in front of the camera, enters the waiting list and is admitted by the judge; party3, enrolled with
// the same face, has Grace Hopper in front of the camera (a second Chromium), is refused with the reason
// shown and stays out of the waiting list. The videos are y4m loops made with ffmpeg from the face
// fixtures (front, turned left, front, turned right), so any turnLeft/turnRight challenge — the only ones
// this platform draws (ECOURT_LIVENESS_CHALLENGES) — is met within the two seconds captured.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { FaceService } from '../../models/face/face-service.ts';
import { logInDemo } from '../support/demo-platform.ts';
import { turningFrames } from '../support/face-checks.ts';
import { fixtureBytes, fixtureRaster } from '../support/face-images.ts';
import { PASSED_CHECK, demoHearingOf, roomStage, seatOf } from '../support/hearing-room-page.ts';
import { FAKE_MEDIA_ARGS, chromiumSkipReason as skipReason, hasChromium, startPortalBrowser, type PortalBrowser } from '../support/portal-browser.ts';

/** Each pose held 0.3 s at 10 fps: the loop is 1.2 s, shorter than the capture. */
const POSE_FRAMES = 3;

/** A y4m loop of `fixture`'s head: front, turned to its left, front, turned to its right. */
async function faceVideo(service: FaceService, dir: string, fixture: 'astronaut.png' | 'grace-hopper.jpg'): Promise<string> {
  const [front, left, right] = await turningFrames(service, fixtureRaster(fixture), [0, 0.25, -0.25]);
  const poses = [front!, left!, front!, right!];
  const name = fixture.replace(/\W/g, '-');
  let index = 0;
  for (const pose of poses) for (let repeat = 0; repeat < POSE_FRAMES; repeat += 1) writeFileSync(join(dir, `${name}-${String(index++).padStart(3, '0')}.jpg`), pose);
  const video = join(dir, `${name}.y4m`);
  execFileSync('ffmpeg', ['-loglevel', 'error', '-y', '-framerate', '10', '-i', join(dir, `${name}-%03d.jpg`), '-pix_fmt', 'yuv420p', video]);
  return video;
}

describe.skipIf(!hasChromium)(`hearing identity gate in Chromium${skipReason}`, () => {
  let portal: PortalBrowser;
  let videos: string;
  let hopperVideo: string;

  beforeAll(async () => {
    videos = mkdtempSync(join(tmpdir(), 'ecourt-e2e-faces-'));
    const service = new FaceService();
    let astronautVideo: string;
    try {
      astronautVideo = await faceVideo(service, videos, 'astronaut.png');
      hopperVideo = await faceVideo(service, videos, 'grace-hopper.jpg');
    } finally {
      await service.close();
    }
    portal = await startPortalBrowser('ecourt-e2e-hearing-identity-', {
      chromiumArgs: [...FAKE_MEDIA_ARGS, `--use-file-for-fake-video-capture=${astronautVideo}`],
      env: { ECOURT_ASR_ENABLED: 'false', ECOURT_LIVENESS_CHALLENGES: 'turnLeft,turnRight', ECOURT_FACE_IMAGE_RETENTION_DAYS: '0' },
    });
    // Both parties enrolled the astronaut's face (人脸采集), as registration would have done.
    for (const username of ['party1', 'party3']) {
      const { token } = await logInDemo(portal.baseUrl, username);
      const response = await fetch(`${portal.baseUrl}/api/v1/me/face-enrolment?source=selfie`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'image/png' },
        body: fixtureBytes('astronaut.png') as unknown as BodyInit,
      });
      expect(response.status, await response.text()).toBe(201);
    }
  }, 180_000);

  afterAll(async () => {
    await portal?.close();
    if (videos) rmSync(videos, { recursive: true, force: true });
  });

  async function logIn(page: Page, username: string) {
    await portal.logIn(page, username);
    await page.getByTestId('case-list').waitFor();
  }

  /** Into the hearing room past the device check (reported as the element reports it). */
  async function toIdentityCheck(page: Page, hearing: { id: string; caseId: string }) {
    await page.goto(`${portal.baseUrl}/#/cases/${hearing.caseId}/hearings/${hearing.id}/room`);
    await roomStage(page, 'deviceCheck');
    await page.locator('ecourt-device-check').evaluate((element, detail) => {
      element.dispatchEvent(new CustomEvent('device-check-done', { detail, bubbles: true, composed: true }));
    }, PASSED_CHECK);
    await roomStage(page, 'identityCheck');
    await page.getByTestId('identity-check-start').click();
  }

  /** Waits for a verdict the element keeps showing (a refusal; after a pass the room moves on to the declaration). */
  async function verdictOf(page: Page): Promise<void> {
    const check = page.getByTestId('identity-check');
    await expect
      .poll(async () => `${await check.getAttribute('data-stage')}: ${(await check.textContent())?.replace(/\s+/g, ' ')}`, { timeout: 60_000 })
      .toMatch(/^(done|failed):/);
    // A failure to run the check at all (camera, network, server) is not a verdict: say what it was.
    expect(await page.getByTestId('identity-check-error').count(), (await check.textContent()) ?? '').toBe(0);
  }

  it('admits the enrolled face to the waiting room, and refuses another face with the reason', async () => {
    const judge = await portal.openPage();
    await logIn(judge, 'judge1');
    const hearing = await demoHearingOf(judge);
    await judge.goto(`${portal.baseUrl}/#/cases/${hearing.caseId}/hearings/${hearing.id}/room`);
    await roomStage(judge, 'deviceCheck');
    await judge.locator('ecourt-device-check').evaluate((element, detail) => {
      element.dispatchEvent(new CustomEvent('device-check-done', { detail, bubbles: true, composed: true }));
    }, PASSED_CHECK);
    // Court staff are not gated: the judge declares, opens the lobby and enters.
    await roomStage(judge, 'acknowledge');
    await judge.getByTestId('hearing-acknowledge').check();
    await judge.getByTestId('hearing-enter').click();
    await roomStage(judge, 'notYetOpen');
    await judge.getByTestId('hearing-open-lobby').click();
    await roomStage(judge, 'acknowledge');
    await judge.getByTestId('hearing-enter').click();
    await roomStage(judge, 'inRoom');

    // party1: the astronaut turns her head as asked; verified, she declares and waits; the judge admits her.
    const party = await portal.openPage();
    await logIn(party, 'party1');
    const partySeat = await seatOf(party, hearing.id);
    const partyStatus = () => judge.locator(`[data-testid="hearing-identities"] li[data-participant-id="${partySeat}"] [data-testid="hearing-identity-status"]`);
    expect(await partyStatus().getAttribute('data-status')).toBe('notYet');
    await toIdentityCheck(party, hearing);
    // Passed: the hub told the hearing (IDENTITY_VERIFIED), and the room moves on to the court discipline.
    await party.locator('[data-testid="hearing-room"][data-stage="acknowledge"], [data-testid="identity-check-result"][data-passed="false"], [data-testid="identity-check-error"]').first().waitFor({ timeout: 60_000 });
    expect(await party.getByTestId('identity-check-result').count(), (await party.getByTestId('hearing-room').textContent()) ?? '').toBe(0);
    await roomStage(party, 'acknowledge');
    await party.getByTestId('hearing-acknowledge').check();
    await party.getByTestId('hearing-enter').click();
    await roomStage(party, 'waiting');
    await expect.poll(() => partyStatus().getAttribute('data-status')).toBe('face');
    await judge.locator(`[data-testid="hearing-admit"][data-participant-id="${partySeat}"]`).click();
    await roomStage(party, 'inRoom');

    // party3 sits at another computer with Grace Hopper in front of the camera: refused, and kept out.
    const other = await portal.otherBrowser([...FAKE_MEDIA_ARGS, `--use-file-for-fake-video-capture=${hopperVideo}`]);
    const stranger = await other.openPage();
    await logIn(stranger, 'party3');
    const strangerSeat = await seatOf(stranger, hearing.id);
    await toIdentityCheck(stranger, hearing);
    await verdictOf(stranger);
    const result = stranger.getByTestId('identity-check-result');
    expect(await result.getAttribute('data-passed')).toBe('false');
    expect(await result.getAttribute('data-code')).toBe('LIVENESS_FACE_CHANGED');
    expect(await stranger.getByTestId('identity-check-refusal').textContent()).toContain('人脸与采集的人脸不一致');
    // Still at the gate, with a retry; not on the judge's waiting list.
    expect(await stranger.getByTestId('hearing-room').getAttribute('data-stage')).toBe('identityCheck');
    expect(await stranger.getByTestId('identity-check-start').isEnabled()).toBe(true);
    expect(await judge.locator(`[data-testid="hearing-waiting-list"] li[data-participant-id="${strangerSeat}"]`).count()).toBe(0);
    expect(await judge.locator(`[data-testid="hearing-identities"] li[data-participant-id="${strangerSeat}"] [data-status="notYet"]`).count()).toBe(1);
    expect(portal.pageErrors).toEqual([]);
  }, 240_000);
});
