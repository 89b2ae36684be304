// Restoring a transcript version: segments and meta replaced in one transaction (one update, one
// audit entry), the parties' confirmation and comment areas kept, the result equal to the version.
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { replaceTranscriptBody, restoreReason, beforeRestoreLabel } from '../../hub/collab/transcript-service.ts';
import {
  appendSegment,
  commentsMap,
  confirmSegment,
  confirmationsOf,
  editSegmentText,
  metaMap,
  renderTranscriptText,
  segmentsOf,
} from '../../hub/collab/transcript-model.ts';
import { transcriptHash } from '../../hub/collab/transcript-hash.ts';
import { openRoom } from '../support/collab-fixtures.ts';

const judge = { participantId: 'j1', role: 'judge', displayName: '审判长' };
const plaintiff = { participantId: 'p1', role: 'party', displayName: '原告' };

describe('replaceTranscriptBody', () => {
  it('makes segments and meta equal to the version and keeps confirmations and comments', () => {
    const live = new Y.Doc();
    let firstId = '';
    live.transact(() => {
      firstId = appendSegment(live, { speaker: judge, startMs: 0, endMs: 1_000, text: '现在开庭。', source: 'human' });
      appendSegment(live, { speaker: plaintiff, startMs: 1_000, endMs: 2_000, text: '请求判令。', source: 'asr:whisper' });
      metaMap(live).set('hearingId', 'h1');
    });
    const version = new Y.Doc();
    Y.applyUpdate(version, Y.encodeStateAsUpdate(live));
    const versionText = renderTranscriptText(version);

    editSegmentText(live, firstId, '改过的文字', { userId: 'u1', role: 'clerk' });
    appendSegment(live, { speaker: plaintiff, startMs: 2_000, endMs: 3_000, text: '后加的', source: 'human' });
    metaMap(live).set('frozenAt', '2026-01-01T00:00:00.000Z');
    confirmSegment(live, 'party-user', firstId, { status: 'confirmed', at: '2026-01-01T00:00:00.000Z' });
    live.transact(() => {
      const own = new Y.Array<unknown>();
      own.push([{ id: 'c1', segmentId: firstId, text: '异议', at: '2026-01-01T00:00:00.000Z' }]);
      commentsMap(live).set('party-user', own);
    });
    expect(renderTranscriptText(live)).not.toBe(versionText);

    let updates = 0;
    live.on('update', () => updates++);
    live.transact(() => replaceTranscriptBody(live, version));
    expect(updates).toBe(1);
    expect(renderTranscriptText(live)).toBe(versionText);
    expect(transcriptHash(live)).toBe(transcriptHash(version));
    expect(segmentsOf(live)).toEqual(segmentsOf(version));
    expect(metaMap(live).toJSON()).toEqual({ hearingId: 'h1' });
    expect(confirmationsOf(live, 'party-user')[firstId]).toMatchObject({ status: 'confirmed' });
    expect(commentsMap(live).get('party-user')?.toJSON()).toHaveLength(1);

    // The restored segments are live types again: they can be edited after the restore.
    editSegmentText(live, firstId, '再改', { userId: 'u1', role: 'clerk' });
    expect(segmentsOf(live)[0]?.text).toBe('再改');
    expect(segmentsOf(version)[0]?.text).toBe('现在开庭。');
  });

  it('restoring an empty version empties the transcript', () => {
    const live = new Y.Doc();
    appendSegment(live, { speaker: judge, startMs: 0, endMs: 1, text: 'x', source: 'human' });
    live.transact(() => replaceTranscriptBody(live, new Y.Doc()));
    expect(segmentsOf(live)).toEqual([]);
    expect(renderTranscriptText(live)).toBe('');
  });
});

describe('a restore through the room', () => {
  it('is one system update, stored with its reason and every segment it replaced', async () => {
    const { room, persistence } = await openRoom('transcript');
    let keptId = '';
    room.applySystemUpdate((doc) => {
      keptId = appendSegment(doc, { speaker: judge, startMs: 0, endMs: 1, text: 'v1', source: 'human' });
    }, { source: 'system', reason: 'seed' });
    const version = new Y.Doc();
    Y.applyUpdate(version, Y.encodeStateAsUpdate(room.doc));
    let laterId = '';
    room.applySystemUpdate((doc) => {
      laterId = appendSegment(doc, { speaker: judge, startMs: 1, endMs: 2, text: 'later', source: 'human' });
    }, { source: 'system', reason: 'seed' });

    room.applySystemUpdate((doc) => replaceTranscriptBody(doc, version), { source: 'system', reason: restoreReason('v-1') });
    await room.flush();
    const last = persistence.appended.at(-1)!;
    expect(persistence.appended).toHaveLength(3);
    expect(last.origin).toMatchObject({ source: 'system', reason: 'restore:v-1' });
    expect(last.origin.segmentIds).toEqual(expect.arrayContaining([keptId, laterId]));
    expect(segmentsOf(room.doc).map((segment) => segment.id)).toEqual([keptId]);
    expect(beforeRestoreLabel('第一稿')).toBe('before restore of 第一稿');
    room.destroy();
  });
});
