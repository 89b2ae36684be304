// The hearing room's browser-side media link (web-components/src/hearing-room/media-link.ts)
// against the real hearing router over loopback UDP, with werift standing in for the browser's
// RTCPeerConnection: it answers the node's offers (and re-offers when someone joins), publishes on
// the m-lines offered to it, trickles ICE both ways and receives the others' media.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { MediaStream, MediaStreamTrack, RTCPeerConnection, RtpHeader, RtpPacket } from 'werift';
import { HearingRouter } from '../../media/sfu/hearing-router.ts';
import type { ClientSignal, ServerSignal } from '../../media/signalling/protocol.ts';
import { MediaLink } from '../../web-components/src/hearing-room/media-link.ts';
import { MediaTestClient } from '../support/media-client.ts';
import { fakeVideoFrame, opusTone, pause } from '../support/media-samples.ts';

const LOOPBACK = '127.0.0.1';
const WAIT = { timeout: 15_000, interval: 50 };
const tone = opusTone(20);

let router: HearingRouter | undefined;
const cleanups: (() => Promise<void> | void)[] = [];

afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  await router?.close();
  router = undefined;
});

/** A MediaLink for `participantId`, wired to the router the way the hub's /rt channel carries signals: in order. */
function browserLink(hearing: HearingRouter, participantId: string) {
  const audio = new MediaStreamTrack({ kind: 'audio' });
  const video = new MediaStreamTrack({ kind: 'video' });
  const states: Extract<ServerSignal, { type: 'media.state' }>[] = [];
  const errors: ServerSignal[] = [];
  let toServer: Promise<void> = Promise.resolve();
  const link: MediaLink = new MediaLink({
    hearingId: hearing.hearingId,
    send: (message: ClientSignal) => {
      toServer = toServer.then(() => hearing.handleSignal(participantId, message, deliver));
    },
    local: new MediaStream([audio, video]) as unknown as globalThis.MediaStream,
    createPeer: () =>
      new RTCPeerConnection({ iceAdditionalHostAddresses: [LOOPBACK], iceUseIpv6: false, iceInterfaceAddresses: { udp4: LOOPBACK } }) as unknown as globalThis.RTCPeerConnection,
  });
  function deliver(signal: ServerSignal): void {
    if (signal.type === 'media.state') states.push(signal);
    else if (signal.type === 'media.error') errors.push(signal);
    else void link.handle(signal);
  }
  cleanups.push(async () => {
    link.close(false);
    await toServer.catch(() => undefined);
    audio.stop();
    video.stop();
  });
  let seq = 1;
  const sendAudio = (payload: Buffer) =>
    audio.writeRtp(new RtpPacket(new RtpHeader({ sequenceNumber: seq++, timestamp: seq * 960, payloadType: 111 }), payload));
  return { link, states, errors, sendAudio, last: () => states.at(-1) };
}

function testClient(hearing: HearingRouter, participantId: string): MediaTestClient {
  const client = new MediaTestClient(hearing, participantId);
  cleanups.push(() => client.close());
  return client;
}

describe('hearing room media link', () => {
  it('connects, publishes, receives, and answers the re-offer when someone joins', async () => {
    router = new HearingRouter({ hearingId: 'h-room', loopbackOnly: true });
    const judge = testClient(router, 'judge');
    await judge.join();
    router.admit('judge');
    const party = browserLink(router, 'partyA');
    party.link.join();
    router.admit('partyA');

    await vi.waitFor(() => {
      expect(party.link.connectionState).toBe('connected');
      expect(judge.connected).toBe(true);
      expect(party.last()?.participants.find((p) => p.participantId === 'judge')?.audioMid).toBeDefined();
      expect(judge.state?.participants.find((p) => p.participantId === 'partyA')?.audioMid).toBeDefined();
    }, WAIT);
    expect(party.errors).toEqual([]);

    // The party's microphone reaches the judge; the judge's audio and video reach the party's m-lines.
    const fromJudge = party.last()!.participants.find((p) => p.participantId === 'judge')!;
    for (let i = 0; i < 30; i++) {
      party.sendAudio(tone[i % tone.length]!);
      judge.sendAudio(tone[i % tone.length]!);
      if (i % 2 === 0) judge.sendVideoFrame(fakeVideoFrame());
      await pause(5);
    }
    await vi.waitFor(() => {
      expect(judge.receivedFrom('partyA', 'audio')).toBeGreaterThan(10);
      expect(party.link.trackOn(fromJudge.audioMid!)?.kind).toBe('audio');
      expect(party.link.trackOn(fromJudge.videoMid!)?.kind).toBe('video');
    }, WAIT);

    // A clerk joins: the node re-offers to the party, who answers; the clerk gets m-lines of their own.
    const revision = party.link.answeredRevision;
    const clerk = testClient(router, 'clerk');
    await clerk.join();
    router.admit('clerk');
    await vi.waitFor(() => {
      expect(party.link.answeredRevision).toBeGreaterThan(revision);
      const entry = party.last()?.participants.find((p) => p.participantId === 'clerk');
      expect(entry?.audioMid).toBeDefined();
      expect(entry?.videoMid).toBeDefined();
    }, WAIT);
    expect(party.link.connectionState).toBe('connected');
    expect(party.errors).toEqual([]);
  }, 40_000);
});
