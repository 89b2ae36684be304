// One demo hearing driven the way browsers drive it: each user's commands over HTTP with their own
// token, and werift peers whose signalling goes over that user's own /rt socket. Shared by the
// integration tests that run real media through the in-process platform, so they differ only in
// what they send and check.
import { expect, vi } from 'vitest';
import type { HearingRouter } from '../../media/sfu/hearing-router.ts';
import type { ServerSignal } from '../../media/signalling/protocol.ts';
import { MediaTestClient } from './media-client.ts';
import { connectRt, type RawClient, type RtClient } from './rt-client.ts';

export class HearingOverRt {
  private readonly sockets: RawClient[] = [];
  private readonly peers: MediaTestClient[] = [];

  /** `tokens` maps a username to its bearer token. */
  constructor(
    private readonly base: string,
    readonly hearingId: string,
    private readonly tokens: Record<string, string>,
  ) {}

  /** A hearing command as `as`; throws (naming the command and user) on any answer but 200. */
  readonly command = async (as: string, command: Record<string, unknown>): Promise<any> => {
    const response = await fetch(`${this.base}/api/v1/hearings/${this.hearingId}/commands`, {
      method: 'POST',
      headers: { authorization: `Bearer ${this.tokens[as]}`, 'content-type': 'application/json' },
      body: JSON.stringify({ v: 1, command }),
    });
    const body = (await response.json()) as any;
    if (response.status !== 200) throw new Error(`${command.type} by ${as}: ${JSON.stringify(body)}`);
    return body;
  };

  /** GET `path` as `as`, expecting 200 and JSON. */
  readonly get = async (as: string, path: string): Promise<any> => {
    const response = await fetch(this.base + path, { headers: { authorization: `Bearer ${this.tokens[as]}` } });
    expect(response.status).toBe(200);
    return response.json();
  };

  /**
   * Each user's own seat (`me` of the live hearing), once the hearing is live: the hearing actor starts
   * after the demo hearing is scheduled, so the first users wait for it.
   */
  async seats(usernames: string[], wait: { timeout: number; interval: number }): Promise<Record<string, any>> {
    const live = `/api/v1/hearings/${this.hearingId}/live`;
    const first = usernames[0]!;
    await vi.waitFor(async () => expect((await fetch(this.base + live, { headers: { authorization: `Bearer ${this.tokens[first]}` } })).status).toBe(200), wait);
    const seats: Record<string, any> = {};
    for (const username of usernames) seats[username] = (await this.get(username, live)).me;
    return seats;
  }

  /**
   * A werift peer whose signalling goes over the user's own /rt socket, exactly as a browser's would.
   * With `followCase` the socket also subscribes to the case, so the test sees the case's events on it.
   */
  async mediaPeer(as: string, participantId: string, followCase?: string): Promise<{ peer: MediaTestClient; rt: RtClient }> {
    const rt = await connectRt(this.base, `?token=${encodeURIComponent(this.tokens[as]!)}`, this.sockets);
    await rt.next('ready');
    if (followCase !== undefined) {
      rt.send({ v: 1, type: 'subscribe', caseId: followCase });
      await rt.next('subscribed');
    }
    const overRt = {
      hearingId: this.hearingId,
      handleSignal: async (_participantId: string, message: unknown) => rt.send(typeof message === 'string' ? JSON.parse(message) : message),
    } as unknown as HearingRouter;
    const peer = new MediaTestClient(overRt, participantId);
    this.peers.push(peer);
    rt.ws.on('message', (data) => {
      const message = JSON.parse(String(data)) as ServerSignal;
      if (typeof message.type === 'string' && message.type.startsWith('media.')) peer.deliver(message);
    });
    return { peer, rt };
  }

  /** Closes every peer, then every socket. */
  async close(): Promise<void> {
    await Promise.all(this.peers.map((peer) => peer.close()));
    for (const socket of this.sockets) socket.terminate();
  }
}
