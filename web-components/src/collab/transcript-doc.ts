// The transcript Y.Doc as the browser edits it (same model as hub/collab/transcript-model.ts, which
// uses node:crypto and so cannot enter the bundle): read segments, minimal text edits, own marks.
import * as Y from 'yjs';
import { newUuid } from '../format.ts';

export interface Speaker {
  participantId: string;
  role: string;
  displayName: string;
}

export interface SegmentEdit {
  userId: string;
  role: string;
  at: string;
}

export interface SegmentView {
  id: string;
  speaker: Speaker;
  startMs: number;
  endMs: number;
  text: string;
  source: string;
  editedBy: SegmentEdit[];
}

export type MarkStatus = 'confirmed' | 'objected';
export interface ConfirmationMark {
  status: MarkStatus;
  note?: string;
  at: string;
}

export interface Editor {
  userId: string;
  role: string;
}

export const segmentsOf = (doc: Y.Doc): Y.Array<Y.Map<unknown>> => doc.getArray<Y.Map<unknown>>('segments');
export const confirmationsOf = (doc: Y.Doc): Y.Map<Y.Map<ConfirmationMark>> => doc.getMap<Y.Map<ConfirmationMark>>('confirmations');

function readSegment(map: Y.Map<unknown>): SegmentView {
  const text = map.get('text');
  const editedBy = map.get('editedBy');
  const speaker = (map.get('speaker') ?? {}) as Partial<Speaker>;
  return {
    id: String(map.get('id') ?? ''),
    speaker: { participantId: String(speaker.participantId ?? ''), role: String(speaker.role ?? ''), displayName: String(speaker.displayName ?? '') },
    startMs: Number(map.get('startMs') ?? 0),
    endMs: Number(map.get('endMs') ?? 0),
    text: text instanceof Y.Text ? text.toString() : '',
    source: String(map.get('source') ?? ''),
    editedBy: editedBy instanceof Y.Array ? (editedBy.toArray() as SegmentEdit[]) : [],
  };
}

/** The segments in hearing order (entries that are not segment maps are skipped). */
export function readSegments(doc: Y.Doc): SegmentView[] {
  return segmentsOf(doc)
    .toArray()
    .filter((entry): entry is Y.Map<unknown> => entry instanceof Y.Map)
    .map(readSegment);
}

export function findSegment(doc: Y.Doc, segmentId: string): Y.Map<unknown> | undefined {
  return segmentsOf(doc)
    .toArray()
    .find((entry) => entry instanceof Y.Map && entry.get('id') === segmentId);
}

/** The one changed range between two strings: common prefix and suffix removed. */
export function changedRange(before: string, after: string): { index: number; remove: number; insert: string } {
  let start = 0;
  const shorter = Math.min(before.length, after.length);
  while (start < shorter && before.charCodeAt(start) === after.charCodeAt(start)) start++;
  let end = 0;
  while (end < shorter - start && before.charCodeAt(before.length - 1 - end) === after.charCodeAt(after.length - 1 - end)) end++;
  return { index: start, remove: before.length - start - end, insert: after.slice(start, after.length - end) };
}

/**
 * Brings the segment's Y.Text to `next` by deleting and inserting only the changed range (so a
 * concurrent edit elsewhere in the segment survives), recording the edit, in one transaction.
 */
export function editSegmentText(doc: Y.Doc, segmentId: string, next: string, by: Editor, at = new Date()): boolean {
  const segment = findSegment(doc, segmentId);
  const yText = segment?.get('text');
  const editedBy = segment?.get('editedBy');
  if (!(yText instanceof Y.Text) || !(editedBy instanceof Y.Array)) return false;
  const change = changedRange(yText.toString(), next);
  if (change.remove === 0 && change.insert === '') return false;
  doc.transact(() => {
    if (change.remove > 0) yText.delete(change.index, change.remove);
    if (change.insert !== '') yText.insert(change.index, change.insert);
    editedBy.push([{ userId: by.userId, role: by.role, at: at.toISOString() }]);
  });
  return true;
}

/** Appends a human segment at the end (hearing order); returns its id. */
export function addSegment(doc: Y.Doc, segment: { speaker: Speaker; startMs: number; endMs: number; text: string }, by: Editor, at = new Date()): string {
  const id = newUuid();
  doc.transact(() => {
    const map = new Y.Map<unknown>();
    map.set('id', id);
    map.set('speaker', { ...segment.speaker });
    map.set('startMs', segment.startMs);
    map.set('endMs', Math.max(segment.startMs, segment.endMs));
    map.set('text', new Y.Text(segment.text));
    map.set('source', 'human');
    const editedBy = new Y.Array<SegmentEdit>();
    editedBy.push([{ userId: by.userId, role: by.role, at: at.toISOString() }]);
    map.set('editedBy', editedBy);
    segmentsOf(doc).push([map]);
  });
  return id;
}

/** Sets the user's own mark on a segment: only `confirmations/<userId>` is written (the server's rule). */
export function markSegment(doc: Y.Doc, userId: string, segmentId: string, mark: ConfirmationMark): void {
  const confirmations = confirmationsOf(doc);
  doc.transact(() => {
    let own = confirmations.get(userId);
    if (!(own instanceof Y.Map)) {
      own = new Y.Map<ConfirmationMark>();
      confirmations.set(userId, own);
    }
    own.set(segmentId, { ...mark });
  });
}

/** segmentId → [userId, mark] for every user's marks. */
export function marksBySegment(doc: Y.Doc): Map<string, [string, ConfirmationMark][]> {
  const result = new Map<string, [string, ConfirmationMark][]>();
  for (const [userId, own] of confirmationsOf(doc).entries()) {
    if (!(own instanceof Y.Map)) continue;
    for (const [segmentId, mark] of own.entries()) {
      const list = result.get(segmentId) ?? [];
      list.push([userId, mark as ConfirmationMark]);
      result.set(segmentId, list);
    }
  }
  return result;
}

/** A caret index moved by a remote Y.Text delta (inserts before it push it on, deletes pull it back). */
export function shiftIndex(index: number, delta: { retain?: number; insert?: unknown; delete?: number }[]): number {
  // retain and delete walk the old text; inserts add new text at the walked position.
  let oldPosition = 0;
  let shift = 0;
  for (const op of delta) {
    if (oldPosition > index) break;
    if (op.retain !== undefined) oldPosition += op.retain;
    else if (op.insert !== undefined) {
      if (oldPosition <= index) shift += typeof op.insert === 'string' ? op.insert.length : 1;
    } else if (op.delete !== undefined) {
      if (oldPosition < index) shift -= Math.min(op.delete, index - oldPosition);
      oldPosition += op.delete;
    }
  }
  return index + shift;
}

/** mm:ss of milliseconds since the hearing started (hours fold into minutes: 75:02). */
export function formatClock(ms: number): string {
  const seconds = Math.max(0, Math.floor(ms / 1000));
  return `${String(Math.floor(seconds / 60)).padStart(2, '0')}:${String(seconds % 60).padStart(2, '0')}`;
}

/** "mm:ss" or "m:ss" → milliseconds, or null. */
export function parseClock(text: string): number | null {
  const match = /^\s*(\d{1,3}):([0-5]\d)\s*$/.exec(text);
  return match ? (Number(match[1]) * 60 + Number(match[2])) * 1000 : null;
}
