// The transcript (笔录) document model: typed accessors over the Y.Doc described in
// document-model.md and its stable plain-text rendering. Shared by the hub and the browser
// bundle (so nothing here may import Node modules; the archive hash is in transcript-hash.ts).
import * as Y from 'yjs';
import { newUuid } from './new-id.ts';

export interface TranscriptSpeaker {
  participantId: string;
  role: string;
  displayName: string;
}

export interface SegmentEdit {
  userId: string;
  role: string;
  at: string;
}

export interface TranscriptSegment {
  id: string;
  speaker: TranscriptSpeaker;
  startMs: number;
  endMs: number;
  text: string;
  /** 'human' or 'asr:<engine>'. */
  source: string;
  editedBy: SegmentEdit[];
  /** True while live recognition is still working on it (shown greyed); absent once final (and in older documents). */
  partial?: boolean;
  /** What recognition heard, kept when a person's edit of the segment won over the late final result. */
  asrText?: string;
}

export interface NewSegment {
  /** A uuid; generated when absent (browsers outside a secure context must pass one). */
  id?: string;
  speaker: TranscriptSpeaker;
  startMs: number;
  endMs: number;
  text: string;
  source: string;
}

export type ConfirmationStatus = 'confirmed' | 'objected';
export interface SegmentConfirmation {
  status: ConfirmationStatus;
  note?: string;
  at: string;
}

export const segmentsArray = (doc: Y.Doc): Y.Array<Y.Map<unknown>> => doc.getArray<Y.Map<unknown>>('segments');
export const confirmationsMap = (doc: Y.Doc): Y.Map<Y.Map<SegmentConfirmation>> => doc.getMap<Y.Map<SegmentConfirmation>>('confirmations');
export const commentsMap = (doc: Y.Doc): Y.Map<Y.Array<unknown>> => doc.getMap<Y.Array<unknown>>('comments');
export const metaMap = (doc: Y.Doc): Y.Map<unknown> => doc.getMap('meta');

/**
 * Appends a segment at the end (hearing order), in one transaction; returns its id. A human
 * segment names its author (`by`), who becomes the first entry of its edit history.
 */
export function appendSegment(doc: Y.Doc, segment: NewSegment, by?: { userId: string; role: string }, at = new Date()): string {
  const id = segment.id ?? newUuid();
  doc.transact(() => {
    const map = new Y.Map<unknown>();
    map.set('id', id);
    map.set('speaker', { ...segment.speaker });
    map.set('startMs', segment.startMs);
    map.set('endMs', Math.max(segment.startMs, segment.endMs));
    map.set('text', new Y.Text(segment.text));
    map.set('source', segment.source);
    const editedBy = new Y.Array<SegmentEdit>();
    if (by) editedBy.push([{ userId: by.userId, role: by.role, at: at.toISOString() }]);
    map.set('editedBy', editedBy);
    segmentsArray(doc).push([map]);
  });
  return id;
}

function readSegment(map: Y.Map<unknown>): TranscriptSegment {
  const text = map.get('text');
  const editedBy = map.get('editedBy');
  const speaker = (map.get('speaker') ?? {}) as Partial<TranscriptSpeaker>;
  return {
    id: String(map.get('id') ?? ''),
    speaker: { participantId: String(speaker.participantId ?? ''), role: String(speaker.role ?? ''), displayName: String(speaker.displayName ?? '') },
    startMs: Number(map.get('startMs') ?? 0),
    endMs: Number(map.get('endMs') ?? 0),
    text: text instanceof Y.Text ? text.toString() : '',
    source: String(map.get('source') ?? ''),
    editedBy: editedBy instanceof Y.Array ? (editedBy.toArray() as SegmentEdit[]) : [],
    ...(map.get('partial') === true ? { partial: true } : {}),
    ...(typeof map.get('asrText') === 'string' ? { asrText: map.get('asrText') as string } : {}),
  };
}

export function segmentsOf(doc: Y.Doc): TranscriptSegment[] {
  return segmentsArray(doc)
    .toArray()
    .filter((entry): entry is Y.Map<unknown> => entry instanceof Y.Map)
    .map(readSegment);
}

/** The segment's map by id, or undefined. */
export function findSegment(doc: Y.Doc, segmentId: string): Y.Map<unknown> | undefined {
  return segmentsArray(doc)
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
 * Brings a segment's text to `text` as a human edit by deleting and inserting only the changed
 * range (so a concurrent edit elsewhere in the segment survives), recording who edited it, in one
 * transaction. False when the segment is unknown or nothing changed.
 */
export function editSegmentText(doc: Y.Doc, segmentId: string, text: string, by: { userId: string; role: string }, at = new Date()): boolean {
  const segment = findSegment(doc, segmentId);
  const yText = segment?.get('text');
  const editedBy = segment?.get('editedBy');
  if (!(yText instanceof Y.Text) || !(editedBy instanceof Y.Array)) return false;
  const change = changedRange(yText.toString(), text);
  if (change.remove === 0 && change.insert === '') return false;
  doc.transact(() => {
    if (change.remove > 0) yText.delete(change.index, change.remove);
    if (change.insert !== '') yText.insert(change.index, change.insert);
    editedBy.push([{ userId: by.userId, role: by.role, at: at.toISOString() }]);
  });
  return true;
}

/** Sets the user's own confirmation mark on a segment (in `confirmations/<userId>`). */
export function confirmSegment(doc: Y.Doc, userId: string, segmentId: string, mark: SegmentConfirmation): void {
  const confirmations = confirmationsMap(doc);
  doc.transact(() => {
    let own = confirmations.get(userId);
    if (!(own instanceof Y.Map)) {
      own = new Y.Map<SegmentConfirmation>();
      confirmations.set(userId, own);
    }
    own.set(segmentId, { ...mark });
  });
}

export function confirmationsOf(doc: Y.Doc, userId: string): Record<string, SegmentConfirmation> {
  const own = confirmationsMap(doc).get(userId);
  return own instanceof Y.Map ? (own.toJSON() as Record<string, SegmentConfirmation>) : {};
}

/** hh:mm:ss.mmm from milliseconds since the hearing started. */
export function formatHearingTime(ms: number): string {
  const safe = Math.max(0, Math.floor(ms));
  const pad = (value: number, width = 2) => String(value).padStart(width, '0');
  const hours = Math.floor(safe / 3_600_000);
  const minutes = Math.floor((safe % 3_600_000) / 60_000);
  const seconds = Math.floor((safe % 60_000) / 1000);
  return `${pad(hours)}:${pad(minutes)}:${pad(seconds)}.${pad(safe % 1000, 3)}`;
}

/**
 * One line per segment in hearing order: "<speaker> (<role>) — <start>–<end> — <text>". Line breaks
 * inside a text become spaces so one segment stays one line; the same document always renders the same.
 */
export function renderTranscriptText(doc: Y.Doc): string {
  return segmentsOf(doc)
    .map(
      (segment) =>
        `${segment.speaker.displayName} (${segment.speaker.role}) — ${formatHearingTime(segment.startMs)}–${formatHearingTime(segment.endMs)} — ${segment.text.replace(/\s*[\r\n]+\s*/g, ' ')}`,
    )
    .join('\n');
}
