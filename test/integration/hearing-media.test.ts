// A hearing's media through the whole platform (issue 4, points 2 and 5): werift peers standing in for
// the judge's and the party's browsers signal over /rt; the hub's media gateway forwards what the
// hearing actor allows (nothing before admission; the party's audio stops when the judge mutes them),
// records while in session, and files the WebM recordings with their sha256 in the audit trail
// when the judge ends the hearing. Loopback WebRTC, in-process platform.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { listAudit } from '../../storage/audit/list-audit.ts';
import { demoHearing, startDemoPlatform, type DemoPlatform } from '../support/demo-platform.ts';
import { bringToTheRoom } from '../support/hearing-flow.ts';
import { HearingOverRt } from '../support/hearing-over-rt.ts';
import type { MediaTestClient } from '../support/media-client.ts';
import { pause, sendMediaRounds } from '../support/media-samples.ts';

const WAIT = { timeout: 20_000, interval: 50 };

let demo: DemoPlatform;
let room: HearingOverRt;
let hearingId: string;
const tokens: Record<string, string> = {};
const seats: Record<string, string> = {};
let scratch: string;
const command = (as: string, hearingCommand: Record<string, unknown>) => room.command(as, hearingCommand);
/** A werift peer whose signalling goes over the user's own /rt socket, exactly as a browser's would. */
const mediaPeer = (as: string) => room.mediaPeer(as, seats[as]!);

async function get(as: string, path: string) {
  const response = await fetch(demo.base + path, { headers: { authorization: `Bearer ${tokens[as]}` } });
  return { status: response.status, bytes: Buffer.from(await response.arrayBuffer()), type: response.headers.get('content-type') };
}

const sendMedia = (senders: MediaTestClient[], rounds: number) => sendMediaRounds(senders, rounds, 10);

beforeAll(async () => {
  scratch = mkdtempSync(join(tmpdir(), 'ecourt-hearing-media-'));
  demo = await startDemoPlatform({ tempPrefix: 'ecourt-hearing-media-', env: { ECOURT_MEDIA_LOOPBACK_ONLY: 'true' } });
  for (const username of ['judge1', 'clerk1', 'party1', 'party2']) tokens[username] = (await demo.logIn(username)).token;
  hearingId = (await demoHearing(demo.base, tokens.judge1!)).id;
  room = new HearingOverRt(demo.base, hearingId, tokens);
  for (const [username, seat] of Object.entries(await room.seats(['judge1', 'party1'], WAIT))) seats[username] = seat.participantId;
}, 120_000);

afterAll(async () => {
  await room?.close();
  await demo?.stop();
  rmSync(scratch, { recursive: true, force: true });
});

describe('hearing media through the hub', () => {
  it('forwards only after admission, stops the party’s audio on the judge’s mute, and files the recordings', async () => {
    await command('clerk1', { type: 'OPEN_LOBBY' });
    await bringToTheRoom(command, { judge: ['judge1', seats.judge1!], party: ['party1', seats.party1!] });

    const judge = await mediaPeer('judge1');
    const party = await mediaPeer('party1');
    await judge.peer.join();
    await party.peer.join();
    await vi.waitFor(() => {
      expect(judge.peer.connected).toBe(true);
      expect(party.peer.connected).toBe(true);
    }, WAIT);

    // Waiting, not admitted: the party's media reaches nobody and nothing reaches the party.
    await sendMedia([judge.peer, party.peer], 20);
    await pause(300);
    expect(party.peer.totalReceived()).toBe(0);
    expect(judge.peer.totalReceived()).toBe(0);

    await command('judge1', { type: 'ADMIT', participantId: seats.party1 });
    await command('party1', { type: 'JOIN_ROOM', participantId: seats.party1 });
    expect((await command('judge1', { type: 'START' })).hearing.recording).toBe(true);
    await vi.waitFor(() => {
      expect(judge.peer.state?.participants.find((p) => p.participantId === seats.party1)?.audioMid).toBeTruthy();
      expect(party.peer.state?.participants.find((p) => p.participantId === seats.judge1)?.audioMid).toBeTruthy();
    }, WAIT);
    await vi.waitFor(async () => {
      await sendMedia([judge.peer, party.peer], 10);
      expect(judge.peer.receivedFrom(seats.party1!, 'audio')).toBeGreaterThan(5);
      expect(judge.peer.receivedFrom(seats.party1!, 'video')).toBeGreaterThan(0);
      expect(party.peer.receivedFrom(seats.judge1!, 'audio')).toBeGreaterThan(5);
    }, WAIT);
    await sendMedia([judge.peer, party.peer], 60);

    // The judge mutes the party: the server stops forwarding the party's audio; video goes on.
    await command('judge1', { type: 'MUTE', participantId: seats.party1 });
    await pause(300);
    const audioAtMute = judge.peer.receivedFrom(seats.party1!, 'audio');
    const videoAtMute = judge.peer.receivedFrom(seats.party1!, 'video');
    await sendMedia([judge.peer, party.peer], 40);
    await pause(300);
    expect(judge.peer.receivedFrom(seats.party1!, 'audio')).toBe(audioAtMute);
    expect(judge.peer.receivedFrom(seats.party1!, 'video')).toBeGreaterThan(videoAtMute);

    // The judge ends the hearing: the recordings are filed, hashed, and in the audit trail.
    await command('judge1', { type: 'END' });
    let recordings: any[] = [];
    await vi.waitFor(async () => {
      const listed = JSON.parse((await get('party1', `/api/v1/hearings/${hearingId}/recordings`)).bytes.toString());
      recordings = listed.recordings;
      expect(recordings.length).toBeGreaterThanOrEqual(2);
    }, WAIT);
    expect(new Set(recordings.map((r) => r.participantId))).toEqual(new Set([seats.judge1, seats.party1]));
    const audit = await listAudit({ db: demo.platform.database.db, subjectKind: 'hearing', subjectId: hearingId });
    const audioOfParty = recordings.find((r) => r.participantId === seats.party1 && r.kind === 'audio');
    expect(audioOfParty).toBeDefined();
    const content = await get('judge1', audioOfParty.contentPath);
    expect(content.status).toBe(200);
    expect(content.type).toBe('audio/webm');
    expect(createHash('sha256').update(content.bytes).digest('hex')).toBe(audioOfParty.sha256);
    expect(audit.some((row: any) => row.action === 'hearing.recording' && row.detail?.sha256 === audioOfParty.sha256)).toBe(true);
    // An independent reader accepts the file: ffprobe finds an Opus audio stream in the WebM.
    const file = join(scratch, 'party-audio.webm');
    writeFileSync(file, content.bytes);
    const probe = JSON.parse(execFileSync('ffprobe', ['-v', 'error', '-show_streams', '-of', 'json', file], { encoding: 'utf8' }));
    expect(probe.streams[0]).toMatchObject({ codec_type: 'audio', codec_name: 'opus' });
    // Someone outside the case sees neither the list nor the bytes.
    expect((await get('party2', `/api/v1/hearings/${hearingId}/recordings`)).status).toBe(404);
    expect((await get('party2', audioOfParty.contentPath)).status).toBe(404);
  }, 120_000);
});
