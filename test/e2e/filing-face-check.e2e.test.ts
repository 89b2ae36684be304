// Signing the complaint behind a live face check (刷脸签名), in Chromium with the fake camera playing a
// face: party2 has enrolled the astronaut's face, so signing the complaint of a filing draft answers
// FACE_CHECK_REQUIRED; the form runs <ecourt-identity-check> for purpose signing / complaint:<draftId>,
// the astronaut turns her head in front of the camera, the check passes and the complaint is signed.
// The draft itself is saved through the drafts API (the form's own filling is covered in filing.e2e).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomUUID } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FaceService } from '../../models/face/face-service.ts';
import { logInDemo } from '../support/demo-platform.ts';
import { turningFrames } from '../support/face-checks.ts';
import { fixtureBytes, fixtureRaster } from '../support/face-images.ts';
import { FAKE_MEDIA_ARGS, chromiumSkipReason as skipReason, hasChromium, startPortalBrowser, type PortalBrowser } from '../support/portal-browser.ts';

/** A y4m loop of the astronaut's head: front, turned left, front, turned right (each pose 0.3 s at 10 fps). */
async function faceVideo(dir: string): Promise<string> {
  const service = new FaceService();
  try {
    const [front, left, right] = await turningFrames(service, fixtureRaster('astronaut.png'), [0, 0.25, -0.25]);
    let index = 0;
    for (const pose of [front!, left!, front!, right!]) for (let repeat = 0; repeat < 3; repeat += 1) writeFileSync(join(dir, `face-${String(index++).padStart(3, '0')}.jpg`), pose);
  } finally {
    await service.close();
  }
  const video = join(dir, 'face.y4m');
  execFileSync('ffmpeg', ['-loglevel', 'error', '-y', '-framerate', '10', '-i', join(dir, 'face-%03d.jpg'), '-pix_fmt', 'yuv420p', video]);
  return video;
}

describe.skipIf(!hasChromium)(`complaint signing behind a live face check in Chromium${skipReason}`, () => {
  let portal: PortalBrowser;
  let videos: string;

  beforeAll(async () => {
    videos = mkdtempSync(join(tmpdir(), 'ecourt-e2e-filing-face-'));
    const video = await faceVideo(videos);
    portal = await startPortalBrowser('ecourt-e2e-filing-face-', {
      chromiumArgs: [...FAKE_MEDIA_ARGS, `--use-file-for-fake-video-capture=${video}`],
      env: { ECOURT_ASR_ENABLED: 'false', ECOURT_LIVENESS_CHALLENGES: 'turnLeft,turnRight', ECOURT_FACE_IMAGE_RETENTION_DAYS: '0' },
    });
  }, 180_000);

  afterAll(async () => {
    await portal?.close();
    if (videos) rmSync(videos, { recursive: true, force: true });
  });

  it('an enrolled filer passes the face check in the form and the complaint is then signed', async () => {
    const { token, user } = await logInDemo(portal.baseUrl, 'party2');
    const auth = { authorization: `Bearer ${token}` };
    const enrolled = await fetch(`${portal.baseUrl}/api/v1/me/face-enrolment?source=selfie`, {
      method: 'POST',
      headers: { ...auth, 'content-type': 'image/png' },
      body: fixtureBytes('astronaut.png') as unknown as BodyInit,
    });
    expect(enrolled.status, await enrolled.text()).toBe(201);
    const courts = (await (await fetch(`${portal.baseUrl}/api/v1/courts`)).json()) as { courts: { id: string }[] };
    const draftId = randomUUID();
    const filing = {
      courtId: courts.courts[0]!.id,
      cause: 'creditCard',
      plaintiffs: [{ kind: 'person', name: user.displayName, userId: user.id, phone: '13800138002', address: '北京市朝阳区建国路88号', domicile: '北京市朝阳区' }],
      defendants: [{ kind: 'organisation', name: '某某银行股份有限公司', address: '北京市朝阳区东三环中路1号', domicile: '北京市朝阳区' }],
      claims: [{ text: '判令被告退还多收取的年费及利息', amount: '1288.50' }],
      facts: '原告持有被告发行的信用卡。被告违规收取年费，经交涉未果。',
      causeFacts: {},
      jurisdiction: { basis: 'defendantDomicile', place: '北京市朝阳区' },
      evidence: [{ name: '信用卡账单', purpose: '证明被告收取年费' }],
      electronicService: { consent: true, addresses: [{ kind: 'phone', value: '13800138002' }] },
    };
    const saved = await fetch(`${portal.baseUrl}/api/v1/filing-drafts/${draftId}`, {
      method: 'PUT',
      headers: { ...auth, 'content-type': 'application/json' },
      body: JSON.stringify({ filing, step: 'review' }),
    });
    expect(saved.status, await saved.text()).toBe(200);

    const page = await portal.openPage();
    await portal.logIn(page, 'party2');
    // The form reopens the draft this browser was working on.
    await page.evaluate(([key, id]) => localStorage.setItem(key!, id!), [`ecourt.filingDraft.${user.id}`, draftId]);
    await page.reload();
    await page.getByTestId('nav-file').click();
    await page.locator('[data-testid="filing-form"][data-step="review"]').waitFor();
    expect(await page.getByTestId('filing-form').getAttribute('data-draft-id')).toBe(draftId);

    await page.getByTestId('filing-complaint-preview').click();
    await page.getByTestId('filing-complaint-frame').waitFor();
    await page.getByTestId('filing-complaint-sign').click();
    // The hub asks for the face check: the form shows it for this complaint.
    await page.getByTestId('filing-face-check-needed').waitFor();
    expect(await page.getByTestId('filing-complaint-signed').count()).toBe(0);
    await page.getByTestId('identity-check-start').click();
    // After the pass the signing is retried on its own.
    await page.getByTestId('filing-complaint-signed').waitFor({ timeout: 60_000 });
    expect(await page.getByTestId('filing-face-check-needed').count()).toBe(0);
    expect(await page.getByTestId('filing-complaint-error').count()).toBe(0);

    const draft = (await (await fetch(`${portal.baseUrl}/api/v1/filing-drafts/${draftId}`, { headers: auth })).json()) as { draft: { materials: { type: string }[] } };
    expect(draft.draft.materials.map((m) => m.type)).toContain('complaint');
    expect(portal.pageErrors).toEqual([]);
  }, 120_000);
});
