// The evidence viewer end to end in headless Chromium against the whole platform: party1 uploads a
// two-page PDF on the case page, judge and party open it in two browser contexts, pdf.js draws the
// page (the canvas is not blank), the party draws a rectangle, the judge sees it live with the
// party's name and comments on it, the party sees the comment; a court administrator only looks.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Locator, Page } from 'playwright-core';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { chromiumSkipReason as skipReason, DEMO_PASSWORD, hasChromium, screenshot, startPortalBrowser, type PortalBrowser } from '../support/portal-browser.ts';
import { minimalPdf, solidPng } from '../support/evidence-files.ts';
import { logInDemo } from '../support/demo-platform.ts';

describe.skipIf(!hasChromium)(`evidence viewer in headless Chromium${skipReason}`, () => {
  let portal: PortalBrowser;
  let baseUrl: string;
  let pageErrors: string[];

  /** The demo case with a hearing (filed by lawyer1 for party1), as this page's user sees it. */
  const demoCaseId = (page: Page) =>
    page.evaluate(async () => {
      const { token } = JSON.parse(sessionStorage.getItem('ecourt.session')!) as { token: string };
      for (;;) {
        const response = await fetch('/api/v1/hearings', { headers: { authorization: `Bearer ${token}` } });
        const { hearings } = (await response.json()) as { hearings: { caseId: string }[] };
        if (hearings[0]) return hearings[0].caseId;
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    });

  /** Non-white pixels of the page canvas: pdf.js drew something. */
  const inkOf = (canvas: Locator) =>
    canvas.evaluate((element) => {
      const c = element as HTMLCanvasElement;
      const data = c.getContext('2d')!.getImageData(0, 0, c.width, c.height).data;
      let ink = 0;
      for (let i = 0; i < data.length; i += 4) if (data[i]! < 200 || data[i + 1]! < 200 || data[i + 2]! < 200) ink += 1;
      return { ink, pixels: c.width * c.height };
    });

  async function openViewer(page: Page, caseId: string, evidenceId: string): Promise<Locator> {
    await page.goto(`${baseUrl}/#/cases/${caseId}/evidence/${evidenceId}`);
    const viewer = page.locator(`[data-testid="evidence-viewer"][data-evidence-id="${evidenceId}"]`);
    await viewer.waitFor();
    await page.locator('[data-testid="evidence-status"][data-status="live"]').waitFor();
    await page.locator('canvas[data-testid="evidence-canvas"][data-rendered-page="1"]').waitFor();
    return viewer;
  }

  beforeAll(async () => {
    portal = await startPortalBrowser('ecourt-e2e-evidence-');
    ({ baseUrl, pageErrors } = portal);
  });

  afterAll(async () => {
    await portal?.close();
  });

  it('a party uploads a PDF; judge and party annotate and comment live; an administrator only looks', async () => {
    const party = await openPage(portal);
    await portal.logIn(party, 'party1');
    const caseId = await demoCaseId(party);

    // The judge has the case page open: the party's upload appears there live.
    const judge = await openPage(portal);
    await portal.logIn(judge, 'judge1');
    await judge.goto(`${baseUrl}/#/cases/${caseId}`);
    await judge.getByTestId('evidence-empty').waitFor();

    // Upload on the case page.
    await party.goto(`${baseUrl}/#/cases/${caseId}`);
    await party.getByTestId('evidence-empty').waitFor();
    await party.getByTestId('evidence-file').setInputFiles({ name: '买卖合同.pdf', mimeType: 'application/pdf', buffer: minimalPdf(2) });
    await expect.poll(() => party.getByTestId('evidence-file-title').inputValue()).toBe('买卖合同');
    await party.getByTestId('evidence-upload-submit').click();
    await party.getByTestId('evidence-upload-notice').waitFor();
    const row = party.getByTestId('evidence-row');
    await row.waitFor();
    expect(await row.textContent()).toContain('买卖合同');
    expect(await row.textContent()).toContain('2 页');
    const evidenceId = (await row.getAttribute('data-evidence-id'))!;
    await judge.locator(`[data-testid="evidence-row"][data-evidence-id="${evidenceId}"]`).waitFor();

    // The party opens it from the list; the judge by its address.
    await party.locator(`[data-testid="evidence-open"][data-evidence-id="${evidenceId}"]`).click();
    await party.waitForURL(new RegExp(`#/cases/${caseId}/evidence/${evidenceId}$`));
    const partyViewer = await openViewer(party, caseId, evidenceId);
    const judgeViewer = await openViewer(judge, caseId, evidenceId);
    expect(await partyViewer.getAttribute('data-can-draw')).toBe('true');
    expect(await judgeViewer.getAttribute('data-can-draw')).toBe('true');

    // pdf.js drew the page: a real share of the canvas is ink (the blue box and the label).
    const { ink, pixels } = await inkOf(party.getByTestId('evidence-canvas'));
    expect(ink / pixels).toBeGreaterThan(0.1);
    expect(await party.getByTestId('page-number').textContent()).toBe('第 1 / 2 页');

    // The party draws a rectangle with the pointer.
    await party.getByTestId('tool-rectangle').click();
    const overlay = party.getByTestId('annotation-overlay');
    const box = (await overlay.boundingBox())!;
    await party.mouse.move(box.x + box.width * 0.2, box.y + box.height * 0.3);
    await party.mouse.down();
    await party.mouse.move(box.x + box.width * 0.5, box.y + box.height * 0.45, { steps: 5 });
    await party.mouse.move(box.x + box.width * 0.6, box.y + box.height * 0.5, { steps: 5 });
    await party.mouse.up();
    const partyShape = party.locator('[data-testid="annotation"][data-shape="rectangle"]');
    await partyShape.waitFor();
    const annotationId = (await partyShape.getAttribute('data-annotation-id'))!;

    // The judge sees it appear, with the party's name, where it was drawn.
    const judgeShape = judge.locator(`[data-testid="annotation"][data-annotation-id="${annotationId}"]`);
    await judgeShape.waitFor();
    expect(await judgeShape.getByTestId('annotation-author').textContent()).toBe('陈静');
    const judgeBox = (await judgeShape.boundingBox())!;
    const judgeOverlay = (await judge.getByTestId('annotation-overlay').boundingBox())!;
    expect((judgeBox.x - judgeOverlay.x) / judgeOverlay.width).toBeCloseTo(0.2, 1);
    expect((judgeBox.width) / judgeOverlay.width).toBeCloseTo(0.4, 1);
    const item = judge.locator(`[data-testid="annotation-item"][data-annotation-id="${annotationId}"]`);
    expect(await item.getByTestId('annotation-by').textContent()).toMatch(/^陈静（当事人）· /);

    // The judge selects it and comments; the party sees the comment with the judge's name.
    await item.click();
    await judge.getByTestId('comment-input').fill('请提交合同原件以供核对。');
    await judge.getByTestId('comment-submit').click();
    const partyComment = party.locator(`[data-testid="annotation-thread"][data-annotation-id="${annotationId}"] [data-testid="comment"]`);
    await partyComment.waitFor();
    expect(await partyComment.getByTestId('comment-text').textContent()).toBe('请提交合同原件以供核对。');
    expect(await partyComment.textContent()).toContain('李明（法官）');

    // The party may delete its own annotation (offered in the thread).
    expect(await party.getByTestId('annotation-delete').count()).toBe(1);

    // The judge places a stamp with one click; the party sees it with its label.
    await judge.getByTestId('tool-stamp').click();
    await judge.getByTestId('stamp-label').selectOption('evidence.stamp.original');
    await judge.mouse.click(judgeOverlay.x + judgeOverlay.width * 0.62, judgeOverlay.y + judgeOverlay.height * 0.08);
    const partyStamp = party.locator('[data-testid="annotation"][data-shape="stamp"]');
    await partyStamp.waitFor();
    expect(await partyStamp.textContent()).toContain('与原件核对无异');
    expect(await partyStamp.getByTestId('annotation-author').textContent()).toBe('李明');
    // And a highlight by the party over the page's heading.
    await party.getByTestId('tool-highlight').click();
    await party.mouse.move(box.x + box.width * 0.12, box.y + box.height * 0.18);
    await party.mouse.down();
    await party.mouse.move(box.x + box.width * 0.5, box.y + box.height * 0.27, { steps: 4 });
    await party.mouse.up();
    await judge.locator('[data-testid="annotation"][data-shape="highlight"]').waitFor();
    // Back to the rectangle's thread for the picture.
    await party.locator(`[data-testid="annotation-item"][data-annotation-id="${annotationId}"]`).click();
    await party.getByTestId('tool-select').click();

    await screenshot(party, 'evidence-viewer.png');

    // Page two renders too.
    await party.getByTestId('page-next').click();
    await party.locator('canvas[data-testid="evidence-canvas"][data-rendered-page="2"]').waitFor();
    expect(await party.locator('[data-testid="annotation"]').count()).toBe(0);
    await party.getByTestId('page-prev').click();
    await party.locator('canvas[data-testid="evidence-canvas"][data-rendered-page="1"]').waitFor();

    // A court administrator sees the annotation but has no tools.
    const admin = await openPage(portal);
    await portal.logIn(admin, 'admin1');
    const adminViewer = await openViewer(admin, caseId, evidenceId);
    expect(await adminViewer.getAttribute('data-can-draw')).toBe('false');
    await admin.locator(`[data-testid="annotation"][data-annotation-id="${annotationId}"]`).waitFor();
    expect(await admin.getByTestId('tool-rectangle').count()).toBe(0);

    // The party deletes its own annotation; it disappears for the judge.
    await party.locator(`[data-testid="annotation-item"][data-annotation-id="${annotationId}"]`).click();
    await party.getByTestId('annotation-delete').click();
    await expect.poll(() => judgeShape.count()).toBe(0);
    expect(pageErrors).toEqual([]);
  }, 60_000);

  it('works embedded in a page of another origin with only hub, token and evidence attributes', async () => {
    const login = async (username: string) => (await logInDemo(baseUrl, username)).token;
    const token = await login('lawyer1');
    const hearings = (await (await fetch(`${baseUrl}/api/v1/hearings`, { headers: { authorization: `Bearer ${token}` } })).json()) as { hearings: { caseId: string }[] };
    const caseId = hearings.hearings[0]!.caseId;
    const uploaded = await fetch(`${baseUrl}/api/v1/cases/${caseId}/evidence?title=${encodeURIComponent('律师函')}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/pdf' },
      body: new Uint8Array(minimalPdf(1)),
    });
    expect(uploaded.status).toBe(201);
    const { evidence } = (await uploaded.json()) as { evidence: { id: string } };

    // A law firm's page on another origin, with hostile global CSS that must not reach inside.
    const site = createServer((_request, response) => {
      response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      response.end(`<!doctype html><html lang="zh"><head><meta charset="utf-8"><title>某律师事务所</title>
        <style>* { font-family: serif; } div, canvas { border: 6px solid lime !important; } button { display: none !important; }</style></head>
        <body><h1>案件材料</h1>
        <ecourt-evidence-viewer hub="${baseUrl}" token="${token}" evidence="${evidence.id}"></ecourt-evidence-viewer>
        <script type="module" src="${baseUrl}/components/ecourt.js"></script></body></html>`);
    });
    await new Promise<void>((resolve) => site.listen(0, '127.0.0.1', resolve));
    try {
      const siteUrl = `http://127.0.0.1:${(site.address() as AddressInfo).port}/`;
      expect(new URL(siteUrl).origin).not.toBe(new URL(baseUrl).origin);
      const page = await openPage(portal);
      await page.goto(siteUrl);
      await page.locator('[data-testid="evidence-status"][data-status="live"]').waitFor();
      const canvas = page.locator('canvas[data-testid="evidence-canvas"][data-rendered-page="1"]');
      await canvas.waitFor();
      const { ink, pixels } = await inkOf(canvas);
      expect(ink / pixels).toBeGreaterThan(0.1);
      // The page's CSS stayed outside: the tools are there and can draw.
      await page.getByTestId('tool-note').click();
      await page.getByTestId('note-text').fill('见第3条');
      const box = (await page.getByTestId('annotation-overlay').boundingBox())!;
      await page.mouse.click(box.x + box.width * 0.1, box.y + box.height * 0.1);
      const note = page.locator('[data-testid="annotation"][data-shape="note"]');
      await note.waitFor();
      expect(await note.textContent()).toContain('见第3条');
      expect(await note.getByTestId('annotation-author').textContent()).toBe('周律');

      // Switching the attribute to an image: the element reconnects to that file's annotations.
      const photo = await fetch(`${baseUrl}/api/v1/cases/${caseId}/evidence?title=${encodeURIComponent('现场照片')}`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'image/png' },
        body: new Uint8Array(solidPng(40, 30)),
      });
      const { evidence: image } = (await photo.json()) as { evidence: { id: string } };
      await page.locator('ecourt-evidence-viewer').evaluate((element, id) => element.setAttribute('evidence', id), image.id);
      await page.locator(`[data-testid="evidence-viewer"][data-evidence-id="${image.id}"]`).waitFor();
      await page.locator('[data-testid="evidence-status"][data-status="live"]').waitFor();
      const picture = page.getByTestId('evidence-image');
      await picture.waitFor();
      // Scaled up to fit, aspect kept, and the overlay covers it exactly.
      const pictureBox = (await picture.boundingBox())!;
      expect(pictureBox.width / pictureBox.height).toBeCloseTo(40 / 30, 1);
      expect(pictureBox.width).toBeGreaterThan(100);
      await expect.poll(async () => (await page.getByTestId('annotation-overlay').boundingBox())?.width).toBeCloseTo(pictureBox.width, 0);
      expect(await page.locator('[data-testid="annotation"]').count()).toBe(0);
      expect(await page.getByTestId('page-number').textContent()).toBe('第 1 / 1 页');
      expect(pageErrors).toEqual([]);
    } finally {
      await new Promise((resolve) => site.close(resolve));
    }
  }, 40_000);
});

function openPage(portal: PortalBrowser) {
  return portal.openPage();
}
