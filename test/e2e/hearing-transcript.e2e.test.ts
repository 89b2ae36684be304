// Speech recognition and the transcript's confirmation end to end in headless Chromium: party1's
// fake microphone plays the court sentence (a recording of a real voice, looped); the judge (in a
// second Chromium whose microphone is silent) starts the hearing and sees the recognised text appear
// in the transcript panel, attributed to the party; the judge ends the hearing, the transcript is
// frozen, the party confirms it in the browser, and the hearing actor records the confirmation.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { wordErrorRate } from '../../models/asr/word-error-rate.ts';
import { fakeMicrophoneWav, fixtureSpeech, silence } from '../support/asr-audio.ts';
import { arriveAtRoom, demoHearingOf, roomStage } from '../support/hearing-room-page.ts';
import { chromiumSkipReason as skipReason, FAKE_MEDIA_ARGS, hasChromium, screenshot, startPortalBrowser, type PortalBrowser } from '../support/portal-browser.ts';

/** party1's display name in the demo data. */
const PARTY_NAME = '陈静';

describe.skipIf(!hasChromium)(`speech recognition into the transcript in headless Chromium${skipReason}`, () => {
  let portal: PortalBrowser;
  let openJudgePage: () => Promise<Page>;
  const sentence = fixtureSpeech('court-in-session');

  beforeAll(async () => {
    const mediaDir = mkdtempSync(join(tmpdir(), 'ecourt-e2e-asr-'));
    const speaking = join(mediaDir, 'party-microphone.wav');
    const quiet = join(mediaDir, 'judge-microphone.wav');
    // A pause, the sentence, a pause long enough for the recogniser to close the utterance: looped.
    writeFileSync(speaking, fakeMicrophoneWav([silence(1.5), sentence.samples, silence(3)]));
    writeFileSync(quiet, fakeMicrophoneWav([silence(2)]));
    portal = await startPortalBrowser('ecourt-e2e-asr-', { chromiumArgs: [...FAKE_MEDIA_ARGS, `--use-file-for-fake-audio-capture=${speaking}`] });
    const judgeBrowser = await portal.otherBrowser([...FAKE_MEDIA_ARGS, `--use-file-for-fake-audio-capture=${quiet}`]);
    openJudgePage = () => judgeBrowser.openPage();
  });

  afterAll(async () => {
    await portal?.close();
  });

  async function logIn(page: Page, username: string) {
    await portal.logIn(page, username);
    await page.getByTestId('case-list').waitFor();
  }

  it('shows what the party says in the judge’s transcript panel, attributed to the party, and records the party’s confirmation', async () => {
    const judge = await openJudgePage();
    await logIn(judge, 'judge1');
    const hearing = await demoHearingOf(judge);
    await arriveAtRoom(judge, portal.baseUrl, hearing);
    await judge.getByTestId('hearing-enter').click();
    await roomStage(judge, 'notYetOpen');
    await judge.getByTestId('hearing-open-lobby').click();
    await roomStage(judge, 'acknowledge');
    await judge.getByTestId('hearing-enter').click();
    await roomStage(judge, 'inRoom');

    const party = await portal.openPage();
    await logIn(party, 'party1');
    await arriveAtRoom(party, portal.baseUrl, hearing, { judge });
    await party.getByTestId('hearing-enter').click();
    await roomStage(party, 'waiting');
    await judge.getByTestId('hearing-admit').click();
    await roomStage(party, 'inRoom');
    await judge.getByTestId('hearing-start').click();
    await judge.getByTestId('hearing-recording').waitFor();

    // The judge's transcript panel: a recognised segment spoken by the party, with the sentence's words.
    await judge.getByTestId('hearing-tab-transcript').click();
    const recognised = judge.locator('[data-testid="transcript-segment"]', { has: judge.locator('[data-testid="segment-speaker"]', { hasText: PARTY_NAME }) });
    // The judge may edit, so a segment's text is in a textarea (its value), a reader's in a paragraph.
    const finalText = async () => {
      const segments = await recognised.evaluateAll((items) =>
        items
          .filter((item) => item.getAttribute('data-partial') !== 'true')
          .map((item) => {
            const text = item.querySelector('[data-testid="segment-text"]');
            return (text instanceof HTMLTextAreaElement ? text.value : (text?.textContent ?? '')).trim();
          }),
      );
      return Math.min(1, ...segments.map((text) => wordErrorRate(sentence.text, text)));
    };
    await expect.poll(finalText, { timeout: 60_000, interval: 500 }).toBeLessThanOrEqual(0.25);
    expect(await recognised.first().getByTestId('segment-source').textContent()).toContain('pocketsphinx');
    // Only the judge and clerk see how recognition keeps up.
    await judge.getByTestId('hearing-asr-status').waitFor();
    expect(await party.getByTestId('hearing-asr-status').count()).toBe(0);
    await screenshot(judge, 'hearing-live-transcript.png');

    // The end freezes the transcript; the party confirms it in the browser and the hearing records it.
    await judge.getByTestId('hearing-end').click();
    // The freeze waits for recognition to drain its last results (slow on a busy machine): the review opens
    // once the hearing is in transcriptConfirmation.
    const hearingState = () =>
      party.evaluate(async (hearingId) => {
        const { token } = JSON.parse(sessionStorage.getItem('ecourt.session')!) as { token: string };
        const live = (await (await fetch(`/api/v1/hearings/${hearingId}/live`, { headers: { authorization: `Bearer ${token}` } })).json()) as { hearing: { state: string } };
        return live.hearing.state;
      }, hearing.id);
    await expect.poll(hearingState, { timeout: 90_000, interval: 500 }).toBe('transcriptConfirmation');
    await party.goto(`${portal.baseUrl}/#/cases/${hearing.caseId}/hearings/${hearing.id}/transcript`);
    await party.locator('[data-testid="own-review"][data-status="notReviewed"]').waitFor({ timeout: 30_000 });
    await party.getByTestId('review-confirm').click({ timeout: 30_000 });
    await party.locator('[data-testid="own-review"][data-status="confirmed"]').waitFor();
    const review = await party.evaluate(async (hearingId) => {
      const { token } = JSON.parse(sessionStorage.getItem('ecourt.session')!) as { token: string };
      const live = (await (await fetch(`/api/v1/hearings/${hearingId}/live`, { headers: { authorization: `Bearer ${token}` } })).json()) as {
        me: { participantId: string };
        hearing: { state: string; participants: { participantId: string; transcriptConfirmed: boolean }[] };
      };
      return { state: live.hearing.state, confirmed: live.hearing.participants.find((p) => p.participantId === live.me.participantId)?.transcriptConfirmed };
    }, hearing.id);
    // The party was the one reviewer: the confirmation archives the hearing.
    expect(review).toEqual({ state: 'archived', confirmed: true });
  }, 180_000);
});
