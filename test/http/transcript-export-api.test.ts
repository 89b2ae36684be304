// Transcript export over HTTP (issue 5, point 5): WebVTT, SRT and plain text for case members, lined
// up with a recording of the hearing; strangers and bad requests refused. The whole platform
// in-process; the clerk writes the transcript through /yjs as the editor does.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as Y from 'yjs';
import { WebsocketProvider } from 'y-websocket';
import { blobDirOf } from '../../platform/config.ts';
import { LocalBlobStore } from '../../storage/blobs/local-blob-store.ts';
import { getHearingStart } from '../../storage/hearings/get-hearing-start.ts';
import { recordHearingRecordings } from '../../storage/hearings/record-hearing-recordings.ts';
import { appendSegment, segmentsOf } from '../../hub/collab/transcript-model.ts';
import { demoHearing, startDemoPlatform, type DemoPlatform } from '../support/demo-platform.ts';
import { bringToTheRoom } from '../support/hearing-flow.ts';
import { waitFor } from '../support/wait-for.ts';

const WebSocketImpl = createRequire(import.meta.url)('ws') as unknown;
const USERS = ['judge1', 'clerk1', 'party1', 'party2', 'lawyer1'] as const;
type Username = (typeof USERS)[number];

let demo: DemoPlatform;
let base: string;
const tokens: Record<string, string> = {};
const seats: Record<string, string> = {};
let hearingId: string;
let caseId: string;
let provider: WebsocketProvider | undefined;
let clerkDoc: Y.Doc;
let scratch: string;

async function call(path: string, as: Username, init: { method?: string; body?: unknown } = {}) {
  const response = await fetch(base + path, {
    method: init.method ?? 'GET',
    headers: { authorization: `Bearer ${tokens[as]}`, ...(init.body === undefined ? {} : { 'content-type': 'application/json' }) },
    ...(init.body === undefined ? {} : { body: JSON.stringify(init.body) }),
  });
  const bytes = Buffer.from(await response.arrayBuffer());
  return { status: response.status, headers: response.headers, bytes, text: bytes.toString('utf8') };
}
const exportPath = (query: string, id = hearingId) => `/api/v1/hearings/${id}/transcript/export?${query}`;
const command = (as: string, body: Record<string, unknown>) => call(`/api/v1/hearings/${hearingId}/commands`, as as Username, { method: 'POST', body: { v: 1, command: body } });


beforeAll(async () => {
  demo = await startDemoPlatform({ tempPrefix: 'ecourt-transcript-export-' });
  base = demo.base;
  scratch = await mkdtemp(join(tmpdir(), 'ecourt-export-recording-'));
  for (const username of USERS) tokens[username] = (await demo.logIn(username)).token;
  ({ id: hearingId, caseId } = await demoHearing(base, tokens.judge1!));
  await waitFor(async () => (await call(`/api/v1/hearings/${hearingId}/live`, 'judge1')).status === 200, 'the hearing actor');
  for (const username of ['judge1', 'party1'] as const) {
    seats[username] = JSON.parse((await call(`/api/v1/hearings/${hearingId}/live`, username)).text).me.participantId;
  }
}, 120_000);

afterAll(async () => {
  provider?.destroy();
  await demo?.stop();
  if (scratch) await rm(scratch, { recursive: true, force: true });
});

describe('transcript export', () => {
  it('gives a case member WebVTT, SRT and plain text with the speakers, Chinese intact, as named attachments', async () => {
    const doc = (clerkDoc = new Y.Doc());
    provider = new WebsocketProvider(`${base.replace('http', 'ws')}/yjs`, `cases/${caseId}/hearings/${hearingId}/transcript`, doc, {
      params: { token: tokens.clerk1! },
      WebSocketPolyfill: WebSocketImpl as never,
      disableBc: true,
    });
    await waitFor(() => provider!.synced, 'the clerk synced');
    const judge = { participantId: seats.judge1!, role: 'judge', displayName: '审判长' };
    const party = { participantId: seats.party1!, role: 'party', displayName: '原告 陈静' };
    doc.transact(() => {
      appendSegment(doc, { id: '11111111-1111-4111-8111-111111111111', speaker: judge, startMs: 10_000, endMs: 14_000, text: '现在开庭。', source: 'human' });
      appendSegment(doc, { id: '22222222-2222-4222-8222-222222222222', speaker: party, startMs: 14_500, endMs: 20_250, text: '请求被告支付货款。', source: 'asr:pocketsphinx' });
    });
    // The export reads the live room: wait until both segments got there.
    const text = await waitFor(async () => {
      const answer = await call(exportPath('format=txt'), 'party1');
      return answer.status === 200 && answer.text.split('\n').length === 3 ? answer : null;
    }, 'the segments at the server');
    expect(text.headers.get('content-type')).toBe('text/plain; charset=utf-8');
    expect(text.headers.get('content-disposition')).toBe(`attachment; filename="transcript-${hearingId}.txt"`);
    expect(text.text).toBe(
      '[00:00:10.000 – 00:00:14.000] 审判长 (judge): 现在开庭。\n[00:00:14.500 – 00:00:20.250] 原告 陈静 (party): 请求被告支付货款。\n',
    );

    const vtt = await call(exportPath('format=vtt'), 'lawyer1');
    expect(vtt.status).toBe(200);
    expect(vtt.headers.get('content-type')).toBe('text/vtt; charset=utf-8');
    expect(vtt.headers.get('content-disposition')).toBe(`attachment; filename="transcript-${hearingId}.vtt"`);
    expect(vtt.text).toBe(
      'WEBVTT\n\n' +
        '11111111-1111-4111-8111-111111111111\n00:00:10.000 --> 00:00:14.000\n<v 审判长>现在开庭。\n\n' +
        '22222222-2222-4222-8222-222222222222\n00:00:14.500 --> 00:00:20.250\n<v 原告 陈静>请求被告支付货款。\n',
    );

    const srt = await call(exportPath('format=srt'), 'judge1');
    expect(srt.status).toBe(200);
    expect(srt.headers.get('content-type')).toBe('application/x-subrip; charset=utf-8');
    expect([...srt.bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    expect(srt.text).toBe('\uFEFF1\n00:00:10,000 --> 00:00:14,000\n审判长: 现在开庭。\n\n2\n00:00:14,500 --> 00:00:20,250\n原告 陈静: 请求被告支付货款。\n\n');
    expect(segmentsOf(doc)).toHaveLength(2);
  });

  it('answers a stranger exactly like a hearing that does not exist, and refuses bad requests with coded errors', async () => {
    const stranger = await call(exportPath('format=vtt'), 'party2');
    expect(stranger.status).toBe(404);
    expect(JSON.parse(stranger.text).error.code).toBe('NOT_FOUND');
    expect((await call(exportPath('format=vtt', '00000000-0000-4000-8000-000000000000'), 'judge1')).status).toBe(404);

    for (const query of ['format=docx', '', 'format=vtt&recording=not-a-uuid']) {
      const bad = await call(exportPath(query), 'judge1');
      expect(bad.status, query).toBe(422);
      expect(JSON.parse(bad.text).error.code).toBe('VALIDATION_FAILED');
    }
    const noRecording = await call(exportPath('format=vtt&recording=33333333-3333-4333-8333-333333333333'), 'judge1');
    expect(noRecording.status).toBe(404);
    expect(JSON.parse(noRecording.text).error.code).toBe('NOT_FOUND');
  });

  it('lines the cues up with a recording: times from its first packet, what was said before it left out', async () => {
    // The hearing starts (the zero of hearing time), then a recording is filed that began 12 s later.
    expect((await command('clerk1', { type: 'OPEN_LOBBY' })).status).toBe(200);
    await bringToTheRoom(command, { judge: ['judge1', seats.judge1!], party: ['party1', seats.party1!] });
    expect((await command('judge1', { type: 'ADMIT', participantId: seats.party1 })).status).toBe(200);
    const before = Date.now();
    expect((await command('judge1', { type: 'START' })).status).toBe(200);
    const after = Date.now();
    const startedAt = await getHearingStart({ db: demo.platform.database.db, hearingId });
    expect(startedAt!.getTime()).toBeGreaterThanOrEqual(before - 5);
    expect(startedAt!.getTime()).toBeLessThanOrEqual(after + 5);

    const path = join(scratch, 'party.webm');
    const bytes = Buffer.from('not really webm: the export reads only when the recording began');
    await writeFile(path, bytes);
    const [recording] = await recordHearingRecordings({
      db: demo.platform.database.db,
      blobs: new LocalBlobStore(blobDirOf(demo.platform.config)),
      hearingId,
      caseId,
      files: [{ participantId: seats.party1!, kind: 'audio', path, sha256: createHash('sha256').update(bytes).digest('hex'), startedAt: new Date(startedAt!.getTime() + 12_000) }],
    });
    const listed = JSON.parse((await call(`/api/v1/hearings/${hearingId}/recordings`, 'party1')).text).recordings;
    expect(listed).toHaveLength(1);
    expect(listed[0]).toMatchObject({ id: recording!.id, recordedAt: new Date(startedAt!.getTime() + 12_000).toISOString() });

    // Said before the recording began: in the transcript, not in the recording's subtitles.
    appendSegment(clerkDoc, { speaker: { participantId: 'clerk', role: 'clerk', displayName: '书记员' }, startMs: 2_000, endMs: 5_000, text: '请肃静。', source: 'human' });
    await waitFor(async () => (await call(exportPath('format=txt'), 'judge1')).text.startsWith('[00:00:02.000 – 00:00:05.000] 书记员 (clerk): 请肃静。\n'), 'the clerk’s line at the server');

    const aligned = await call(exportPath(`format=vtt&recording=${recording!.id}`), 'party1');
    expect(aligned.status).toBe(200);
    expect(aligned.headers.get('content-disposition')).toBe(`attachment; filename="transcript-${hearingId}-recording-${recording!.id}.vtt"`);
    // 现在开庭 (10–14 s) was still being said when the recording began at 12 s: it starts at 0. The
    // party's words (14.5–20.25 s) land at 2.5–8.25 s.
    expect(aligned.text).toBe(
      'WEBVTT\n\n' +
        '11111111-1111-4111-8111-111111111111\n00:00:00.000 --> 00:00:02.000\n<v 审判长>现在开庭。\n\n' +
        '22222222-2222-4222-8222-222222222222\n00:00:02.500 --> 00:00:08.250\n<v 原告 陈静>请求被告支付货款。\n',
    );
    const srt = await call(exportPath(`format=srt&recording=${recording!.id}`), 'judge1');
    expect(srt.text).toContain('2\n00:00:02,500 --> 00:00:08,250\n原告 陈静: 请求被告支付货款。');

    // Another hearing's recording id, or one that does not exist: 404, like any unknown thing.
    const unknown = await call(exportPath(`format=vtt&recording=44444444-4444-4444-8444-444444444444`), 'judge1');
    expect(unknown.status).toBe(404);
    expect(JSON.parse(unknown.text).error).toMatchObject({ code: 'NOT_FOUND', message: 'Recording not found' });
    expect((await call(exportPath(`format=vtt&recording=${recording!.id}`), 'party2')).status).toBe(404);
  });
});
