// The transcript API end to end (issue 3, points 5 and 8): the whole platform in-process (PGlite in
// memory, demo data), editors on /yjs through y-websocket's WebsocketProvider, the API over fetch.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHash, randomUUID } from 'node:crypto';
import { createRequire } from 'node:module';
import * as Y from 'yjs';
import { WebsocketProvider } from 'y-websocket';
import type { RunningPlatform } from '../../platform/node.ts';
import { startDemoPlatform, type DemoPlatform } from '../support/demo-platform.ts';
import { appendSegment, confirmSegment, confirmationsOf, editSegmentText, renderTranscriptText, segmentsOf } from '../../hub/collab/transcript-model.ts';
import { transcriptDocName } from '../../hub/collab/doc-names.ts';
import { saveVersion } from '../../storage/collab/save-version.ts';
import { waitFor } from '../support/wait-for.ts';
import { callApi } from '../support/api-call.ts';

const WebSocketImpl = createRequire(import.meta.url)('ws') as unknown;
let demo: DemoPlatform;
let platform: RunningPlatform;
let base: string;
const tokens: Record<string, string> = {};
const users: Record<string, { id: string }> = {};
let hearing: { id: string; caseId: string; transcriptDoc: string };
const providers: WebsocketProvider[] = [];

const sha256 = (text: string) => createHash('sha256').update(text, 'utf8').digest('hex');

const call = (method: string, path: string, options: { token?: string; body?: unknown } = {}) => callApi(base, method, path, options);

const transcriptPath = (suffix = '', hearingId = hearing.id) => `/api/v1/hearings/${hearingId}/transcript${suffix}`;


async function editor(username: string): Promise<{ doc: Y.Doc; provider: WebsocketProvider }> {
  const doc = new Y.Doc();
  const provider = new WebsocketProvider(`${base.replace('http', 'ws')}/yjs`, hearing.transcriptDoc, doc, {
    params: { token: tokens[username]! },
    WebSocketPolyfill: WebSocketImpl as never,
    disableBc: true,
    maxBackoffTime: 200,
  });
  providers.push(provider);
  await waitFor(() => provider.synced, `${username} synced`);
  return { doc, provider };
}

/** The server's text once it satisfies `until` (edits travel over the socket first). */
async function serverText(until: (body: { text: string; segmentCount: number }) => boolean, token = tokens.clerk1!) {
  return waitFor(async () => {
    const response = await call('GET', transcriptPath(), { token });
    expect(response.status, response.text).toBe(200);
    return until(response.json) ? (response.json as { docName: string; text: string; sha256: string; segmentCount: number }) : null;
  }, 'the server transcript');
}

beforeAll(async () => {
  demo = await startDemoPlatform({ tempPrefix: 'ecourt-transcript-api-' });
  platform = demo.platform;
  base = demo.base;
  for (const username of ['judge1', 'clerk1', 'party1', 'party2']) {
    const { token, user } = await demo.logIn(username);
    tokens[username] = token;
    users[username] = user;
  }
  // The demo's scheduled hearing reaches the read model through the case projection.
  hearing = await waitFor(async () => (await call('GET', '/api/v1/hearings', { token: tokens.clerk1 })).json.hearings[0], 'the demo hearing', 15_000);
}, 120_000);

afterAll(async () => {
  for (const provider of providers) provider.destroy();
  await demo?.stop();
});

const speaker = (role: string, displayName: string) => ({ participantId: randomUUID(), role, displayName });

describe('transcript API', () => {
  it('reads text and hash, saves a version, restores it live to connected editors, and audits every change', async () => {
    const empty = await call('GET', transcriptPath(), { token: tokens.party1 });
    expect(empty.status, empty.text).toBe(200);
    expect(empty.json).toEqual({ docName: hearing.transcriptDoc, text: '', sha256: sha256(''), segmentCount: 0 });

    // The clerk records two segments through the standard client.
    const clerk = await editor('clerk1');
    let firstId = '';
    let secondId = '';
    clerk.doc.transact(() => {
      firstId = appendSegment(clerk.doc, { speaker: speaker('judge', '审判长'), startMs: 0, endMs: 4_000, text: '现在开庭。', source: 'human' });
      secondId = appendSegment(clerk.doc, { speaker: speaker('party', '原告'), startMs: 4_000, endMs: 9_500, text: '请求被告支付货款。', source: 'human' });
    });
    const first = await serverText((body) => body.segmentCount === 2);
    expect(first.docName).toBe(hearing.transcriptDoc);
    expect(first.text).toBe(renderTranscriptText(clerk.doc));
    expect(first.text.split('\n')).toHaveLength(2);
    expect(first.sha256).toBe(sha256(first.text));

    const saved = await call('POST', transcriptPath('/versions'), { token: tokens.clerk1, body: { label: '  第一稿 ' } });
    expect(saved.status, saved.text).toBe(201);
    expect(saved.json.version).toMatchObject({ label: '第一稿', createdBy: users.clerk1!.id });
    expect(saved.json.version.size).toBeGreaterThan(0);
    const versionId = saved.json.version.id as string;

    // A party confirms a segment: its own area must survive the restore.
    const party = await editor('party1');
    confirmSegment(party.doc, users.party1!.id, firstId, { status: 'confirmed', at: new Date().toISOString() });

    // More edits after the version, then a second editor (the judge) is connected during the restore.
    editSegmentText(clerk.doc, secondId, '请求被告支付货款八千元。', { userId: users.clerk1!.id, role: 'clerk' });
    const thirdId = appendSegment(clerk.doc, { speaker: speaker('party', '被告'), startMs: 9_500, endMs: 12_000, text: '不同意。', source: 'human' });
    const edited = await serverText((body) => body.segmentCount === 3 && body.text.includes('八千元'));
    expect(edited.sha256).not.toBe(first.sha256);
    const judge = await editor('judge1');
    expect(segmentsOf(judge.doc)).toHaveLength(3);
    await waitFor(() => Object.keys(confirmationsOf(clerk.doc, users.party1!.id)).length === 1, 'the confirmation at the clerk');

    const restored = await call('POST', transcriptPath(`/versions/${versionId}/restore`), { token: tokens.judge1 });
    expect(restored.status, restored.text).toBe(200);
    expect(restored.json).toMatchObject({ docName: hearing.transcriptDoc, text: first.text, sha256: first.sha256 });

    // Connected clients get the restore live.
    await waitFor(() => renderTranscriptText(judge.doc) === first.text, 'the restore at the judge');
    await waitFor(() => renderTranscriptText(clerk.doc) === first.text, 'the restore at the clerk');
    expect(segmentsOf(judge.doc).map((segment) => segment.id)).toEqual([firstId, secondId]);
    expect(confirmationsOf(judge.doc, users.party1!.id)[firstId]).toMatchObject({ status: 'confirmed' });
    expect((await serverText(() => true)).sha256).toBe(first.sha256);

    // The state before the restore was kept as a version: restoring it undoes the restore.
    const versions = await call('GET', transcriptPath('/versions'), { token: tokens.judge1 });
    expect(versions.status, versions.text).toBe(200);
    expect(versions.json.versions.map((version: { label: string }) => version.label)).toEqual(['第一稿', 'before restore of 第一稿']);
    const backup = versions.json.versions[1];
    expect(backup).toMatchObject({ id: restored.json.backupVersionId, createdBy: users.judge1!.id });
    const undone = await call('POST', transcriptPath(`/versions/${backup.id}/restore`), { token: tokens.clerk1 });
    expect(undone.status, undone.text).toBe(200);
    expect(undone.json.sha256).toBe(edited.sha256);
    await waitFor(() => segmentsOf(judge.doc).length === 3, 'the undo at the judge');

    // The audit names the clerk with the segments it touched, the party's confirmation, and the system restores.
    const changes = await call('GET', transcriptPath('/changes'), { token: tokens.clerk1 });
    expect(changes.status, changes.text).toBe(200);
    const list = changes.json.changes as { seq: number; userId: string | null; source: string; reason: string | null; segmentIds: string[] }[];
    expect(list.map((change) => change.seq)).toEqual([...list.map((change) => change.seq)].sort((a, b) => a - b));
    const byClerk = list.filter((change) => change.source === 'session' && change.userId === users.clerk1!.id);
    expect(byClerk.flatMap((change) => change.segmentIds)).toEqual(expect.arrayContaining([firstId, secondId, thirdId]));
    expect(list.some((change) => change.source === 'session' && change.userId === users.party1!.id)).toBe(true);
    const restore = list.find((change) => change.source === 'system' && change.reason === `restore:${versionId}`);
    expect(restore?.userId).toBeNull();
    expect(restore?.segmentIds).toEqual(expect.arrayContaining([firstId, secondId, thirdId]));
    expect(list.some((change) => change.reason === `restore:${backup.id}`)).toBe(true);
  });

  it('reads an unloaded transcript through the registry with the same text', async () => {
    const live = await call('GET', transcriptPath(), { token: tokens.judge1 });
    for (const provider of providers.splice(0)) provider.destroy();
    // Give the room time to unload after its last session left; the answer must not change.
    await new Promise((resolve) => setTimeout(resolve, 200));
    const again = await call('GET', transcriptPath(), { token: tokens.party1 });
    expect(again.status, again.text).toBe(200);
    expect(again.json).toEqual(live.json);
    expect(again.json.segmentCount).toBe(3);
  });

  it('refuses unknown versions and versions of another document with 404', async () => {
    const unknown = await call('POST', transcriptPath(`/versions/${randomUUID()}/restore`), { token: tokens.clerk1 });
    expect(unknown.status).toBe(404);
    expect(unknown.json.error.code).toBe('NOT_FOUND');
    const other = await saveVersion({
      db: platform.database.db,
      docName: transcriptDocName(hearing.caseId, randomUUID()),
      label: 'elsewhere',
      createdBy: null,
      state: Y.encodeStateAsUpdate(new Y.Doc()),
    });
    const foreign = await call('POST', transcriptPath(`/versions/${other.id}/restore`), { token: tokens.clerk1 });
    expect(foreign.status).toBe(404);
    expect((await call('GET', transcriptPath('/versions'), { token: tokens.clerk1 })).json.versions.map((v: { id: string }) => v.id)).not.toContain(other.id);
  });

  it('lets a party read the text but not versions, restores or changes; non-members and unknown hearings get 404', async () => {
    const versions = (await call('GET', transcriptPath('/versions'), { token: tokens.clerk1 })).json.versions as { id: string }[];
    expect((await call('GET', transcriptPath(), { token: tokens.party1 })).status).toBe(200);
    expect((await call('GET', transcriptPath('/versions'), { token: tokens.party1 })).status).toBe(403);
    expect((await call('POST', transcriptPath('/versions'), { token: tokens.party1, body: { label: 'mine' } })).status).toBe(403);
    expect((await call('POST', transcriptPath(`/versions/${versions[0]!.id}/restore`), { token: tokens.party1 })).status).toBe(403);
    expect((await call('GET', transcriptPath('/changes'), { token: tokens.party1 })).status).toBe(403);

    const outsider = await call('GET', transcriptPath(), { token: tokens.party2 });
    expect(outsider.status).toBe(404);
    expect(outsider.json.error.code).toBe('NOT_FOUND');
    const nowhere = await call('GET', transcriptPath('', randomUUID()), { token: tokens.party1 });
    expect(nowhere.status).toBe(404);
    expect((await call('GET', transcriptPath('/changes', randomUUID()), { token: tokens.clerk1 })).status).toBe(404);
    expect((await call('GET', transcriptPath())).status).toBe(401);
    // Nothing was saved by the refused calls.
    expect((await call('GET', transcriptPath('/versions'), { token: tokens.clerk1 })).json.versions).toHaveLength(versions.length);
  });

  it('answers bad input with 422', async () => {
    const noLabel = await call('POST', transcriptPath('/versions'), { token: tokens.clerk1, body: {} });
    expect(noLabel.status).toBe(422);
    expect(noLabel.json.error.details.issues[0].path).toBe('body.label');
    expect((await call('POST', transcriptPath('/versions'), { token: tokens.clerk1, body: { label: '   ' } })).status).toBe(422);
    expect((await call('POST', transcriptPath('/versions'), { token: tokens.clerk1, body: { label: 'x'.repeat(201) } })).status).toBe(422);
    expect((await call('GET', '/api/v1/hearings/not-a-uuid/transcript', { token: tokens.clerk1 })).status).toBe(422);
    expect((await call('POST', transcriptPath('/versions/not-a-uuid/restore'), { token: tokens.clerk1 })).status).toBe(422);
  });
});
