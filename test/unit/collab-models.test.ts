// Transcript and annotation model helpers: typed accessors, stable rendering and hash.
import { describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import * as Y from 'yjs';
import {
  appendSegment,
  confirmSegment,
  confirmationsOf,
  editSegmentText,
  formatHearingTime,
  renderTranscriptText,
  segmentsOf,
  changedRange,
} from '../../hub/collab/transcript-model.ts';
import { transcriptHash } from '../../hub/collab/transcript-hash.ts';
import { addAnnotation, annotationsOf, commentOnAnnotation, InvalidAnnotationError, removeAnnotation } from '../../hub/collab/annotation-model.ts';

const judge = { participantId: 'p-judge', role: 'judge', displayName: '审判长 李明' };
const plaintiff = { participantId: 'p-1', role: 'party', displayName: '陈静' };

describe('transcript model', () => {
  it('appends segments in hearing order and renders speaker — time — text lines', () => {
    const doc = new Y.Doc();
    const first = appendSegment(doc, { speaker: judge, startMs: 0, endMs: 4_200, text: '现在开庭。', source: 'human' });
    appendSegment(doc, { speaker: plaintiff, startMs: 3_723_456, endMs: 3_725_000, text: '我方请求\n被告还款。', source: 'asr:pocketsphinx' });
    expect(segmentsOf(doc)).toMatchObject([
      { id: first, speaker: judge, startMs: 0, endMs: 4200, text: '现在开庭。', source: 'human', editedBy: [] },
      { speaker: plaintiff, source: 'asr:pocketsphinx' },
    ]);
    expect(renderTranscriptText(doc)).toBe(
      '审判长 李明 (judge) — 00:00:00.000–00:00:04.200 — 现在开庭。\n' + '陈静 (party) — 01:02:03.456–01:02:05.000 — 我方请求 被告还款。',
    );
    expect(transcriptHash(doc)).toBe(createHash('sha256').update(renderTranscriptText(doc)).digest('hex'));
    expect(formatHearingTime(-5)).toBe('00:00:00.000');
  });

  it('gives the same rendering and hash on every replica, and a different hash after an edit', () => {
    const a = new Y.Doc();
    const id = appendSegment(a, { speaker: judge, startMs: 0, endMs: 1000, text: 'original', source: 'human' });
    const b = new Y.Doc();
    Y.applyUpdate(b, Y.encodeStateAsUpdate(a));
    expect(transcriptHash(b)).toBe(transcriptHash(a));
    const before = transcriptHash(a);
    expect(editSegmentText(a, id, 'corrected', { userId: 'u1', role: 'clerk' }, new Date('2026-11-27T02:00:00Z'))).toBe(true);
    expect(segmentsOf(a)[0]).toMatchObject({ text: 'corrected', editedBy: [{ userId: 'u1', role: 'clerk', at: '2026-11-27T02:00:00.000Z' }] });
    expect(transcriptHash(a)).not.toBe(before);
    expect(editSegmentText(a, 'missing', 'x', { userId: 'u1', role: 'clerk' })).toBe(false);
    // Confirmations live in the user's own area and do not change the rendering.
    const rendered = renderTranscriptText(a);
    confirmSegment(a, 'party-1', id, { status: 'objected', note: '时间不对', at: 'now' });
    expect(confirmationsOf(a, 'party-1')).toEqual({ [id]: { status: 'objected', note: '时间不对', at: 'now' } });
    expect(renderTranscriptText(a)).toBe(rendered);
  });
});

describe('annotation model', () => {
  const author = { userId: 'u-1', role: 'party', displayName: '陈静' };
  it('adds, comments, lists (page, time order) and removes annotations', () => {
    const doc = new Y.Doc();
    const later = addAnnotation(doc, author, { shape: 'note', page: 2, region: { x: 0, y: 0, width: 0.5, height: 0.5 }, text: '见第二页' }, new Date('2026-11-27T02:00:01Z'));
    const earlier = addAnnotation(doc, author, { shape: 'highlight', page: 1, region: { x: 0.1, y: 0.1, width: 0.8, height: 0.05 }, color: '#ff0' }, new Date('2026-11-27T02:00:02Z'));
    expect(commentOnAnnotation(doc, later, { userId: 'u-2', role: 'judge', displayName: '审判长' }, '已阅')).toEqual(expect.any(String));
    expect(commentOnAnnotation(doc, 'missing', author, 'x')).toBeNull();
    const listed = annotationsOf(doc);
    expect(listed.map((annotation) => annotation.id)).toEqual([earlier, later]);
    expect(listed[1]).toMatchObject({ shape: 'note', page: 2, text: '见第二页', author, comments: [{ author: { userId: 'u-2' }, text: '已阅' }] });
    expect(listed[0]).toMatchObject({ color: '#ff0', createdAt: '2026-11-27T02:00:02.000Z' });
    expect(removeAnnotation(doc, earlier)).toBe(true);
    expect(removeAnnotation(doc, earlier)).toBe(false);
    expect(annotationsOf(doc)).toHaveLength(1);
  });

  it('refuses unknown shapes and regions outside the page', () => {
    const doc = new Y.Doc();
    expect(() => addAnnotation(doc, author, { shape: 'circle' as never, page: 1, region: { x: 0, y: 0, width: 0.1, height: 0.1 } })).toThrow(InvalidAnnotationError);
    expect(() => addAnnotation(doc, author, { shape: 'rectangle', page: 0, region: { x: 0, y: 0, width: 0.1, height: 0.1 } })).toThrow(InvalidAnnotationError);
    expect(() => addAnnotation(doc, author, { shape: 'rectangle', page: 1, region: { x: 0.9, y: 0, width: 0.2, height: 0.1 } })).toThrow(InvalidAnnotationError);
    expect(annotationsOf(doc)).toEqual([]);
  });
});

describe('minimal text edits', () => {
  it('finds the one changed range', () => {
    expect(changedRange('原告诉称', '原告当庭诉称')).toEqual({ index: 2, remove: 0, insert: '当庭' });
    expect(changedRange('abcdef', 'abXef')).toEqual({ index: 2, remove: 2, insert: 'X' });
    expect(changedRange('same', 'same')).toEqual({ index: 4, remove: 0, insert: '' });
  });

  it('keeps a concurrent edit elsewhere in the segment', () => {
    const a = new Y.Doc();
    const id = appendSegment(a, { speaker: { participantId: 'p', role: 'judge', displayName: '李明' }, startMs: 0, endMs: 1, text: 'hello world', source: 'human' });
    const b = new Y.Doc();
    Y.applyUpdate(b, Y.encodeStateAsUpdate(a));
    editSegmentText(a, id, 'Hello world', { userId: 'u1', role: 'clerk' });
    editSegmentText(b, id, 'hello world!', { userId: 'u2', role: 'judge' });
    Y.applyUpdate(a, Y.encodeStateAsUpdate(b));
    Y.applyUpdate(b, Y.encodeStateAsUpdate(a));
    expect(segmentsOf(a)[0]!.text).toBe('Hello world!');
    expect(segmentsOf(b)[0]!.text).toBe('Hello world!');
    expect(segmentsOf(a)[0]!.editedBy.map((e) => e.userId).sort()).toEqual(['u1', 'u2']);
  });
});
