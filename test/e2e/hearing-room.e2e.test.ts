// The live hearing room end to end in headless Chromium with the fake camera (a test pattern) and
// microphone: judge1, party1 (plaintiff) and party3 (defendant) in three browser contexts. The party runs the real device check in the room (the others report one),
// acknowledges the court discipline; the judge opens the waiting room and enters; the others wait
// and are admitted; everyone sees the others' video; the judge starts (recording shows), mutes the
// party, sees the raised hand, the chat and the connection figures, and ends the hearing; the
// recording is filed (one WebM per track), plays in ffprobe, and its hash is in the audit trail.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { listAudit } from '../../storage/audit/list-audit.ts';
import { arriveAtRoom, demoHearingOf, hearingRoom, roomStage } from '../support/hearing-room-page.ts';
import { chromiumSkipReason as skipReason, FAKE_MEDIA_ARGS, hasChromium, screenshot, startPortalBrowser, type PortalBrowser } from '../support/portal-browser.ts';

describe.skipIf(!hasChromium)(`hearing room in headless Chromium${skipReason}`, () => {
  let portal: PortalBrowser;
  let baseUrl: string;

  beforeAll(async () => {
    // The fake microphones beep: live recognition would only spend the two cores' time on beeps here
    // (hearing-transcript.e2e.test.ts is where it is tested).
    portal = await startPortalBrowser('ecourt-e2e-hearing-room-', { chromiumArgs: FAKE_MEDIA_ARGS, env: { ECOURT_ASR_ENABLED: 'false' } });
    ({ baseUrl } = portal);
  });

  afterAll(async () => {
    await portal?.close();
  });

  const demoHearing = demoHearingOf;
  const room = hearingRoom;
  const stage = roomStage;

  /** Logs in and waits for the portal to land on the case list (it navigates there after the login). */
  async function logIn(page: Page, username: string) {
    await portal.logIn(page, username);
    await page.getByTestId('case-list').waitFor();
  }

  const arrive = (page: Page, hearing: { id: string; caseId: string }, options: { realCheck?: boolean; judge?: Page } = {}) => arriveAtRoom(page, baseUrl, hearing, options);

  /**
   * A tile per other participant, each playing a live audio and video track with RTP arriving
   * (an unmuted track); with `frames`, every video also decodes (videoWidth > 0).
   */
  async function seesEveryone(page: Page, others: number, { frames }: { frames: boolean }) {
    await expect.poll(() => page.getByTestId('hearing-tile').count(), { timeout: 20_000 }).toBe(others);
    const tiles = () =>
      page.locator('[data-testid="hearing-tile"] video').evaluateAll((videos) =>
        videos.map((element) => {
          const video = element as HTMLVideoElement;
          const tracks = (video.srcObject as MediaStream | null)?.getTracks() ?? [];
          return {
            receiving: tracks.map((track) => `${track.kind}:${track.readyState === 'live' && !track.muted}`).sort(),
            decoding: video.videoWidth > 0,
          };
        }),
      );
    const receiving = { receiving: ['audio:true', 'video:true'], decoding: frames ? true : expect.any(Boolean) };
    await expect.poll(tiles, { timeout: 30_000 }).toEqual(Array.from({ length: others }, () => receiving));
  }

  it('runs a hearing: waiting room, admission, video, start, mute, hand, chat, quality, end', async () => {
    const judge = await portal.openPage();
    await logIn(judge, 'judge1');
    const hearing = await demoHearing(judge);

    // The judge declares before the lobby opens, opens it early, and enters without admission.
    await arrive(judge, hearing);
    expect(await room(judge).getAttribute('data-state')).toBe('scheduled');
    await judge.getByTestId('hearing-enter').click();
    await stage(judge, 'notYetOpen');
    await judge.getByTestId('hearing-open-lobby').click();
    await stage(judge, 'acknowledge');
    await judge.getByTestId('hearing-enter').click();
    await stage(judge, 'inRoom');

    // Party and defendant (on a phone) wait; the judge sees them and admits both.
    const party = await portal.openPage();
    // Keeps the page's WebSockets reachable, to cut the /rt socket as a network drop would.
    await party.addInitScript(() => {
      const sockets: WebSocket[] = [];
      (window as unknown as { ecourtSockets: WebSocket[] }).ecourtSockets = sockets;
      window.WebSocket = class extends WebSocket {
        constructor(...args: ConstructorParameters<typeof WebSocket>) {
          super(...args);
          sockets.push(this);
        }
      };
    });
    await logIn(party, 'party1');
    await arrive(party, hearing, { realCheck: true, judge });
    await party.getByTestId('hearing-enter').click();
    await stage(party, 'waiting');
    const defendant = await portal.openPage({ width: 390, height: 844 });
    // The defendant's page keeps its peer connections where the test can read their RTP statistics.
    await defendant.addInitScript(() => {
      const Original = window.RTCPeerConnection;
      const created: RTCPeerConnection[] = [];
      (window as unknown as { ecourtPeerConnections: RTCPeerConnection[] }).ecourtPeerConnections = created;
      window.RTCPeerConnection = class extends Original {
        constructor(...args: ConstructorParameters<typeof RTCPeerConnection>) {
          super(...args);
          created.push(this);
        }
      } as typeof RTCPeerConnection;
    });
    await logIn(defendant, 'party3');
    await arrive(defendant, hearing, { judge });
    await defendant.getByTestId('hearing-enter').click();
    await stage(defendant, 'waiting');
    await expect.poll(() => judge.getByTestId('hearing-admit').count()).toBe(2);
    await judge.getByTestId('hearing-admit').first().click();
    await expect.poll(() => judge.getByTestId('hearing-admit').count()).toBe(1);
    await judge.getByTestId('hearing-admit').click();
    await stage(party, 'inRoom');
    await stage(defendant, 'inRoom');

    // Everyone decodes everyone's video (videoWidth > 0): the media node asks the publishers for a key
    // frame whenever a receiver connects or takes a new offer.
    await seesEveryone(judge, 2, { frames: true });
    await seesEveryone(party, 2, { frames: true });
    await seesEveryone(defendant, 2, { frames: true });
    // The phone shows one column and no sideways scrolling.
    expect(await defendant.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);

    // Start: everyone sees the recording indicator.
    await judge.getByTestId('hearing-start').click();
    for (const page of [judge, party, defendant]) await page.getByTestId('hearing-recording').waitFor();
    expect(await party.getByTestId('hearing-recording').textContent()).toContain('录音录像中');

    // The judge mutes the party: the defendant's tile of the party says so.
    const partyId = await party.getByTestId('hearing-self').getAttribute('data-participant-id');
    await judge.locator(`[data-testid="hearing-tile"][data-participant-id="${partyId}"] [data-testid="tile-mute"]`).click();
    await defendant.locator(`[data-testid="hearing-tile"][data-participant-id="${partyId}"][data-muted="true"]`).waitFor();
    // …and the media node stopped forwarding the party's audio: the RTP packets the defendant receives on
    // the party's audio track stop rising, while the party's video keeps coming.
    const partyPackets = async (kind: 'audio' | 'video') => {
      const trackId = await defendant
        .locator(`[data-testid="hearing-tile"][data-participant-id="${partyId}"] video`)
        .evaluate((element, wanted) => ((element as HTMLVideoElement).srcObject as MediaStream | null)?.getTracks().find((track) => track.kind === wanted)?.id ?? '', kind);
      return defendant.evaluate(async (id) => {
        let packets = 0;
        for (const pc of (window as unknown as { ecourtPeerConnections: RTCPeerConnection[] }).ecourtPeerConnections) {
          if (pc.connectionState === 'closed') continue;
          (await pc.getStats()).forEach((stat: { type: string; trackIdentifier?: string; packetsReceived?: number }) => {
            if (stat.type === 'inbound-rtp' && stat.trackIdentifier === id) packets += stat.packetsReceived ?? 0;
          });
        }
        return packets;
      }, trackId);
    };
    await new Promise((resolve) => setTimeout(resolve, 1000));
    const [audioAtMute, videoAtMute] = [await partyPackets('audio'), await partyPackets('video')];
    // (It had flowed before the mute.)
    expect(audioAtMute).toBeGreaterThan(0);
    await new Promise((resolve) => setTimeout(resolve, 2500));
    expect(await partyPackets('audio')).toBe(audioAtMute);
    expect(await partyPackets('video')).toBeGreaterThan(videoAtMute);

    // The party raises a hand and writes to the clerk; the judge sees both.
    await party.getByTestId('hearing-hand').click();
    await judge.locator(`[data-testid="hearing-tile"][data-participant-id="${partyId}"] [data-testid="tile-hand"]`).waitFor();
    await party.getByTestId('hearing-tab-chat').click();
    await judge.getByTestId('hearing-tab-chat').click();
    await party.getByTestId('hearing-chat-input').fill('审判长，我申请出示补充证据。');
    await party.getByTestId('hearing-chat-send').click();
    await expect.poll(() => judge.getByTestId('hearing-chat').textContent()).toContain('我申请出示补充证据');

    // Connection figures for the judge: every tile has a bitrate.
    await expect
      .poll(async () => (await judge.getByTestId('tile-quality').allTextContents()).filter((text) => /\d+ kbit\/s/.test(text)).length, { timeout: 15_000 })
      .toBe(2);
    await screenshot(judge, 'hearing-room.png');

    // The party's /rt socket drops: "reconnecting", then back in the room without a new admission.
    await party.evaluate(() => {
      for (const socket of (window as unknown as { ecourtSockets: WebSocket[] }).ecourtSockets) if (socket.url.includes('/rt')) socket.close();
    });
    await party.getByTestId('hearing-reconnecting').waitFor();
    await party.locator('[data-testid="hearing-room"][data-stage="inRoom"][data-peer="connected"]').waitFor({ timeout: 30_000 });
    await party.getByTestId('hearing-reconnecting').waitFor({ state: 'detached' });
    await seesEveryone(party, 2, { frames: false });
    await judge.locator(`[data-testid="hearing-tile"][data-participant-id="${partyId}"]`).waitFor();

    await judge.getByTestId('hearing-end').click();
    // Concluded, and at once under transcript confirmation (the hub freezes the transcript and submits it).
    const over = '[data-testid="hearing-room"][data-state="concluded"], [data-testid="hearing-room"][data-state="transcriptConfirmation"]';
    for (const page of [judge, party, defendant]) await page.locator(over).first().waitFor();
    await stage(party, 'closed');

    // The recording: a WebM file per participant track, filed when the hearing ended; it plays in
    // ffprobe and its sha256 is in the audit trail.
    const token = await judge.evaluate(() => (JSON.parse(sessionStorage.getItem('ecourt.session')!) as { token: string }).token);
    const headers = { authorization: `Bearer ${token}` };
    let recordings: { participantId: string; kind: string; sha256: string; sizeBytes: number; contentPath: string }[] = [];
    await expect
      .poll(async () => {
        recordings = ((await (await fetch(`${baseUrl}/api/v1/hearings/${hearing.id}/recordings`, { headers })).json()) as { recordings: typeof recordings }).recordings;
        return new Set(recordings.map((recording) => recording.participantId)).size;
      }, { timeout: 20_000 })
      .toBe(3);
    // (The party's video may be in two files: its reconnect brought a new stream.)
    const video = recordings.filter((recording) => recording.kind === 'video' && recording.participantId === partyId).sort((a, b) => b.sizeBytes - a.sizeBytes)[0]!;
    const bytes = Buffer.from(await (await fetch(baseUrl + video.contentPath, { headers })).arrayBuffer());
    expect(createHash('sha256').update(bytes).digest('hex')).toBe(video.sha256);
    const file = join(mkdtempSync(join(tmpdir(), 'ecourt-e2e-recording-')), 'party-video.webm');
    writeFileSync(file, bytes);
    const probe = JSON.parse(execFileSync('ffprobe', ['-v', 'error', '-show_streams', '-show_format', '-of', 'json', file], { encoding: 'utf8' }));
    expect(probe.streams[0]).toMatchObject({ codec_type: 'video', codec_name: 'vp8' });
    expect(probe.streams[0].width).toBeGreaterThan(0);
    const audit = await listAudit({ db: portal.platform.database.db, subjectKind: 'hearing', subjectId: hearing.id });
    expect(audit.some((row) => row.action === 'hearing.recording' && (row.detail as { sha256?: string } | null)?.sha256 === video.sha256)).toBe(true);
    expect(portal.pageErrors).toEqual([]);
  }, 150_000);
});
