// The hearing SFU in-process: werift client peers against a hearing router over loopback UDP.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { HearingRouter } from '../../media/sfu/hearing-router.ts';
import { MediaPool } from '../../media/sfu/media-pool.ts';
import { MediaTestClient } from '../support/media-client.ts';
import { pause, sendMediaRounds, untilQuiet } from '../support/media-samples.ts';

const WAIT = { timeout: 15_000, interval: 50 };

let router: HearingRouter | undefined;
const clients: MediaTestClient[] = [];

afterEach(async () => {
  vi.useRealTimers();
  await router?.close();
  router = undefined;
  await Promise.all(clients.splice(0).map((client) => client.close()));
});

function newClients(hearing: HearingRouter, ids: string[]): MediaTestClient[] {
  const created = ids.map((id) => new MediaTestClient(hearing, id));
  clients.push(...created);
  return created;
}

async function connected(all: MediaTestClient[]): Promise<void> {
  await vi.waitFor(() => {
    for (const client of all) expect(client.connected).toBe(true);
  }, WAIT);
}

async function joinAll(hearing: HearingRouter, ids: string[], admit = ids): Promise<MediaTestClient[]> {
  const joined = newClients(hearing, ids);
  for (const client of joined) await client.join();
  for (const id of admit) hearing.admit(id);
  await connected(joined);
  await negotiated(joined.filter((client) => admit.includes(client.participantId)));
  return joined;
}

/** Sends `rounds` rounds of one audio packet from each sender and a video frame every other round. */
const sendMedia = (senders: MediaTestClient[], rounds: number) => sendMediaRounds(senders, rounds, 5);

/** Waits until every client's state names m-lines for every other one. */
async function negotiated(all: MediaTestClient[]): Promise<void> {
  await vi.waitFor(() => {
    for (const client of all) {
      for (const other of all) {
        if (other === client) continue;
        const entry = client.state?.participants.find((p) => p.participantId === other.participantId);
        expect(entry?.audioMid).toBeDefined();
        expect(entry?.videoMid).toBeDefined();
      }
    }
  }, WAIT);
}

function udpHandles(): number {
  return process.getActiveResourcesInfo().filter((name) => name === 'UDPWRAP').length;
}

describe('hearing router forwarding', () => {
  it('forwards audio and video between two admitted participants', async () => {
    router = new HearingRouter({ hearingId: 'h-2', loopbackOnly: true });
    const [judge, party] = await joinAll(router, ['judge', 'party']);
    await sendMedia([judge!, party!], 40);
    await vi.waitFor(() => {
      expect(party!.receivedFrom('judge', 'audio')).toBeGreaterThanOrEqual(35);
      expect(judge!.receivedFrom('party', 'audio')).toBeGreaterThanOrEqual(35);
      expect(party!.receivedFrom('judge', 'video')).toBeGreaterThanOrEqual(35);
      expect(judge!.receivedFrom('party', 'video')).toBeGreaterThanOrEqual(35);
    }, WAIT);
  });

  it('gives each of three participants the other two, including one admitted after the others', async () => {
    router = new HearingRouter({ hearingId: 'h-3', loopbackOnly: true });
    const [judge, party] = await joinAll(router, ['judge', 'party']);
    const [defendant] = newClients(router, ['defendant']);
    await defendant!.join();
    router.admit('defendant');
    await connected([defendant!]);
    await negotiated([judge!, party!, defendant!]);
    const all = [judge!, party!, defendant!];
    await sendMedia(all, 30);
    await vi.waitFor(() => {
      for (const receiver of all) {
        for (const sender of all) {
          if (sender === receiver) continue;
          expect(receiver.receivedFrom(sender.participantId, 'audio')).toBeGreaterThanOrEqual(25);
          expect(receiver.receivedFrom(sender.participantId, 'video')).toBeGreaterThanOrEqual(25);
        }
      }
    }, WAIT);
  });

  it('forwards nothing to or from a participant who is not admitted', async () => {
    router = new HearingRouter({ hearingId: 'h-wait', loopbackOnly: true });
    const [judge, party, waiting] = await joinAll(router, ['judge', 'party', 'waiting'], ['judge', 'party']);
    await sendMedia([judge!, party!, waiting!], 30);
    await vi.waitFor(() => expect(judge!.receivedFrom('party', 'audio')).toBeGreaterThanOrEqual(25), WAIT);
    expect(waiting!.totalReceived()).toBe(0);
    expect(judge!.receivedFrom('waiting', 'audio') + judge!.receivedFrom('waiting', 'video')).toBe(0);
    expect(party!.receivedFrom('waiting', 'audio')).toBe(0);
    // The server holds no senders for the waiting participant, and no one's media flows to them.
    expect(router.transportOf('waiting')!.forwarded.size).toBe(0);
    expect(router.transportOf('judge')!.forwarded.has('waiting:audio')).toBe(false);
    expect(waiting!.state?.self).toEqual({ participantId: 'waiting', admitted: false, muted: false });

    // Dismissal stops forwarding again, both ways.
    router.admit('waiting');
    await negotiated([judge!, party!, waiting!]);
    await sendMedia([judge!, waiting!], 20);
    await vi.waitFor(() => expect(waiting!.receivedFrom('judge', 'audio')).toBeGreaterThanOrEqual(15), WAIT);
    router.dismiss('waiting');
    await untilQuiet(() => waiting!.totalReceived() + judge!.receivedFrom('waiting', 'audio'));
    const before = { toWaiting: waiting!.totalReceived(), fromWaiting: judge!.receivedFrom('waiting', 'audio') };
    const partyBefore = judge!.receivedFrom('party', 'audio');
    await sendMedia([judge!, party!, waiting!], 20);
    await vi.waitFor(() => expect(judge!.receivedFrom('party', 'audio')).toBeGreaterThanOrEqual(partyBefore + 15), WAIT);
    await pause(50);
    expect(waiting!.totalReceived()).toBe(before.toWaiting);
    expect(judge!.receivedFrom('waiting', 'audio')).toBe(before.fromWaiting);
  });

  it("stops forwarding a muted participant's audio on the server while video continues, and resumes on unmute", async () => {
    router = new HearingRouter({ hearingId: 'h-mute', loopbackOnly: true });
    const [judge, party, defendant] = await joinAll(router, ['judge', 'party', 'defendant']);
    await sendMedia([party!], 20);
    await vi.waitFor(() => expect(judge!.receivedFrom('party', 'audio')).toBeGreaterThanOrEqual(15), WAIT);

    router.setMuted('party', true);
    await vi.waitFor(() => expect(defendant!.state?.participants.find((p) => p.participantId === 'party')?.muted).toBe(true), WAIT);
    await untilQuiet(() => judge!.receivedFrom('party', 'audio') + defendant!.receivedFrom('party', 'audio'));
    const audioAtMute = [judge!.receivedFrom('party', 'audio'), defendant!.receivedFrom('party', 'audio')];
    const videoAtMute = judge!.receivedFrom('party', 'video');
    const forwardedAtMute = router.transportOf('judge')!.forwarded.get('party:audio')!.packetsForwarded;
    await sendMedia([party!], 30);
    await vi.waitFor(() => expect(judge!.receivedFrom('party', 'video')).toBeGreaterThanOrEqual(videoAtMute + 40), WAIT);
    await pause(50);
    expect([judge!.receivedFrom('party', 'audio'), defendant!.receivedFrom('party', 'audio')]).toEqual(audioAtMute);
    // Not a flag for browsers: nothing was written to the judge's sender.
    expect(router.transportOf('judge')!.forwarded.get('party:audio')!.packetsForwarded).toBe(forwardedAtMute);

    router.setMuted('party', false);
    await sendMedia([party!], 20);
    await vi.waitFor(() => {
      expect(judge!.receivedFrom('party', 'audio')).toBeGreaterThanOrEqual(audioAtMute[0]! + 15);
      expect(defendant!.receivedFrom('party', 'audio')).toBeGreaterThanOrEqual(audioAtMute[1]! + 15);
    }, WAIT);
  });

  it('mutes everyone but the judge with muteAll', async () => {
    router = new HearingRouter({ hearingId: 'h-mute-all', loopbackOnly: true });
    const [judge, party, defendant] = await joinAll(router, ['judge', 'party', 'defendant']);
    router.muteAll(true, { except: ['judge'] });
    expect([router.isMuted('judge'), router.isMuted('party'), router.isMuted('defendant')]).toEqual([false, true, true]);
    await sendMedia([judge!, party!, defendant!], 30);
    await vi.waitFor(() => expect(party!.receivedFrom('judge', 'audio')).toBeGreaterThanOrEqual(25), WAIT);
    await vi.waitFor(() => expect(judge!.receivedFrom('defendant', 'video')).toBeGreaterThanOrEqual(25), WAIT);
    expect(judge!.receivedFrom('party', 'audio') + judge!.receivedFrom('defendant', 'audio')).toBe(0);
  });
});

describe('hearing router lifecycle', () => {
  it('lets a participant who rejoins (a new connection) carry on without being admitted again', async () => {
    router = new HearingRouter({ hearingId: 'h-rejoin', loopbackOnly: true });
    const [judge, party] = await joinAll(router, ['judge', 'party']);
    await sendMedia([party!], 10);
    await vi.waitFor(() => expect(judge!.receivedFrom('party', 'audio')).toBeGreaterThanOrEqual(8), WAIT);
    const left: string[] = [];
    router.events.on('participantLeft', ({ participantId, reason }) => left.push(`${participantId}:${reason}`));
    // The network drops: a new peer connection joins under the same participant id.
    const [again] = newClients(router, ['party']);
    await again!.join();
    await connected([again!]);
    await negotiated([judge!, again!]);
    expect(left).toEqual(['party:left']);
    expect(router.isAdmitted('party')).toBe(true);
    const before = judge!.receivedFrom('party', 'audio');
    await sendMedia([judge!, again!], 20);
    await vi.waitFor(() => {
      expect(again!.receivedFrom('judge', 'audio')).toBeGreaterThanOrEqual(15);
      expect(judge!.receivedFrom('party', 'audio')).toBeGreaterThanOrEqual(before + 15);
    }, WAIT);
  });

  it('drops a participant who never completes ICE/DTLS without disturbing the others', async () => {
    router = new HearingRouter({ hearingId: 'h-timeout', loopbackOnly: true, connectTimeoutMs: 1_500 });
    const [judge, party] = await joinAll(router, ['judge', 'party']);
    const failed: unknown[] = [];
    router.events.on('transportFailed', (event) => failed.push(event));
    // A "browser" that receives the offer and never answers.
    const silent: unknown[] = [];
    await router.handleSignal('ghost', { v: 1, type: 'media.join', hearingId: 'h-timeout' }, (message) => silent.push(message));
    router.admit('ghost');
    await vi.waitFor(() => expect(failed).toEqual([{ participantId: 'ghost', reason: 'connect-timeout' }]), WAIT);
    expect(silent).toContainEqual(expect.objectContaining({ type: 'media.error', code: 'MEDIA_CONNECT_TIMEOUT' }));
    expect(router.participantIds.sort()).toEqual(['judge', 'party']);
    const before = party!.receivedFrom('judge', 'audio');
    await sendMedia([judge!], 20);
    await vi.waitFor(() => expect(party!.receivedFrom('judge', 'audio')).toBeGreaterThanOrEqual(before + 15), WAIT);
    expect(judge!.connected && party!.connected).toBe(true);
  });

  it('closes every transport on router close, idempotently, leaving no socket open', async () => {
    const baseline = udpHandles();
    const pool = new MediaPool({ loopbackOnly: true });
    const hearing = pool.routerFor('h-close');
    const [judge, party] = await joinAll(hearing, ['judge', 'party']);
    const left: string[] = [];
    hearing.events.on('participantLeft', ({ participantId, reason }) => left.push(`${participantId}:${reason}`));
    const transports = hearing.participantIds.map((id) => hearing.transportOf(id)!);
    await Promise.all([pool.close(), pool.close(), hearing.close()]);
    expect(left.sort()).toEqual(['judge:hearing-closed', 'party:hearing-closed']);
    expect(transports.every((transport) => transport.isClosed)).toBe(true);
    expect(pool.hearingIds).toEqual([]);
    expect(hearing.isClosed).toBe(true);
    await judge!.close();
    await party!.close();
    clients.length = 0;
    await vi.waitFor(() => expect(udpHandles()).toBe(baseline), WAIT);
  });

  it('leaves no timer behind once closed (fake timers)', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval'] });
    router = new HearingRouter({ hearingId: 'h-timers', loopbackOnly: true });
    router.join('judge', () => {});
    router.join('party', () => {});
    expect(vi.getTimerCount()).toBeGreaterThanOrEqual(2); // the connect deadlines
    await router.close();
    await router.close();
    expect(vi.getTimerCount()).toBe(0);
  });
});
