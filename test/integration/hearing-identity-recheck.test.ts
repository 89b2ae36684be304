// Identity re-checks through the whole platform (issue 6, point 5, last sentence): the party enrolled
// the astronaut's face, but a werift peer standing in for the party's browser sends Grace Hopper's face
// as VP8 video. The hub's re-check (every 5 s here) grabs a key frame, the face models find someone
// else: IDENTITY_RECHECKED raises an alert in the hearing's state, the judge (not the party) is told over
// /rt, and the check is in the party's own list of identity checks. The astronaut back on camera clears it.
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { cameraFrame, encodePng, fixtureRaster } from '../support/face-images.ts';
import { demoHearing, startDemoPlatform, type DemoPlatform } from '../support/demo-platform.ts';
import { bringToTheRoom } from '../support/hearing-flow.ts';
import { HearingOverRt } from '../support/hearing-over-rt.ts';
import type { MediaTestClient } from '../support/media-client.ts';
import { pause } from '../support/media-samples.ts';
import { vp8VideoOf } from '../support/vp8-face-video.ts';

const WAIT = { timeout: 40_000, interval: 200 };

let demo: DemoPlatform;
let room: HearingOverRt;
let hearingId: string;
let caseId: string;
const tokens: Record<string, string> = {};
let seats: Record<string, { participantId: string }> = {};
const command = (as: string, hearingCommand: Record<string, unknown>) => room.command(as, hearingCommand);
const get = (as: string, path: string) => room.get(as, path);
/** A werift peer signalling over the user's own /rt socket, which also follows the case. */
const mediaPeer = (as: string) => room.mediaPeer(as, seats[as]!.participantId, caseId);

/** The party's camera: loops the video (a key frame every 10 frames) until stopped. */
function camera(peer: MediaTestClient) {
  let video: Buffer[][] = [];
  let running = true;
  const loop = (async () => {
    for (let index = 0; running; index += 1) {
      if (video.length > 0) peer.sendVideoFrame(video[index % video.length]!);
      await pause(60);
    }
  })();
  return {
    show(next: Buffer[][]) {
      video = next;
    },
    async stop() {
      running = false;
      await loop;
    },
  };
}

async function partyAlert(viewer = 'judge1'): Promise<any> {
  const live = await get(viewer, `/api/v1/hearings/${hearingId}/live`);
  return live.hearing.participants.find((p: any) => p.participantId === seats.party1!.participantId)?.identityAlert ?? null;
}

beforeAll(async () => {
  demo = await startDemoPlatform({
    tempPrefix: 'ecourt-identity-recheck-',
    env: { ECOURT_MEDIA_LOOPBACK_ONLY: 'true', ECOURT_ASR_ENABLED: 'false', ECOURT_FACE_RECHECK_SECONDS: '5-5' },
  });
  for (const username of ['judge1', 'party1']) tokens[username] = (await demo.logIn(username)).token;
  ({ id: hearingId, caseId } = await demoHearing(demo.base, tokens.judge1!));
  room = new HearingOverRt(demo.base, hearingId, tokens);
  seats = await room.seats(['judge1', 'party1'], WAIT);
  // 人脸采集: the party's reference face is the astronaut.
  const enrolled = await fetch(`${demo.base}/api/v1/me/face-enrolment?source=selfie`, {
    method: 'POST',
    headers: { authorization: `Bearer ${tokens.party1}`, 'content-type': 'image/png' },
    body: Buffer.from(encodePng(cameraFrame(fixtureRaster('astronaut.png')))),
  });
  expect(enrolled.status, await enrolled.clone().text()).toBe(201);
}, 120_000);

afterAll(async () => {
  await room?.close();
  await demo?.stop();
});

describe('identity re-checks during a hearing', () => {
  it('alerts the judge when someone else is on the party’s camera, and clears it when the party is back', async () => {
    await command('judge1', { type: 'OPEN_LOBBY' });
    await bringToTheRoom(command, { judge: ['judge1', seats.judge1!.participantId], party: ['party1', seats.party1!.participantId] });
    await command('judge1', { type: 'ADMIT', participantId: seats.party1!.participantId });
    await command('party1', { type: 'JOIN_ROOM', participantId: seats.party1!.participantId });
    await command('judge1', { type: 'START' });
    const judge = await mediaPeer('judge1');
    const party = await mediaPeer('party1');
    await judge.peer.join();
    await party.peer.join();
    await vi.waitFor(() => expect(judge.peer.connected && party.peer.connected).toBe(true), WAIT);

    const partyCamera = camera(party.peer);
    try {
      partyCamera.show(vp8VideoOf(cameraFrame(fixtureRaster('grace-hopper.jpg'))));
      await vi.waitFor(async () => expect(await partyAlert()).toMatchObject({ outcome: 'mismatch' }), WAIT);
      const alert = await judge.rt.next('hearing.identityAlert', 10_000);
      expect(alert.alert).toMatchObject({ hearingId, caseId, participantId: seats.party1!.participantId, outcome: 'mismatch' });
      expect(alert.alert.checkId).toBe((await partyAlert()).checkId);
      // The party is not told (the alert is for the court), and no face or distance travels with it.
      expect(party.rt.received().some((message) => message.type === 'hearing.identityAlert')).toBe(false);
      // Nor does the hearing's state show it to anyone but court staff, live or over /rt.
      expect(await partyAlert('party1')).toBeNull();
      const partyEvents = party.rt.received().filter((message) => message.type === 'hearing.event');
      expect(partyEvents.length).toBeGreaterThan(0);
      expect(partyEvents.every((message: any) => message.event.summary.participants.every((p: any) => p.identityAlert === null))).toBe(true);
      expect(Object.keys(alert.alert).sort()).toEqual(['at', 'caseId', 'checkId', 'hearingId', 'outcome', 'participantId']);

      // The re-check is in the party's own identity checks: outcome and hash, never the image or descriptor.
      const { checks } = await get('party1', '/api/v1/me/identity-checks');
      const recheck = checks.find((check: any) => check.id === alert.alert.checkId);
      expect(recheck).toMatchObject({ kind: 'face_recheck', outcome: 'failed', details: { hearingId, outcome: 'mismatch' } });
      expect(recheck.details.distance).toBeGreaterThanOrEqual(recheck.details.threshold);
      expect(recheck.details.frameSha256).toMatch(/^[0-9a-f]{64}$/);
      expect(JSON.stringify(recheck)).not.toMatch(/descriptor|base64|png/i);

      // The enrolled face back on camera: the next re-check matches and the alert is cleared.
      partyCamera.show(vp8VideoOf(cameraFrame(fixtureRaster('astronaut.png'))));
      await vi.waitFor(async () => expect(await partyAlert()).toBeNull(), WAIT);
    } finally {
      await partyCamera.stop();
    }
  }, 120_000);
});
