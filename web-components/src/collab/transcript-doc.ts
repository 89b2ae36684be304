// The transcript Y.Doc as the browser shows it: the model itself is hub/collab/transcript-model.ts
// (shared with the hub); here are only what the editor adds: marks by segment, caret shifting, clocks.
import * as Y from 'yjs';
import { confirmationsMap, type SegmentConfirmation } from '../../../hub/collab/transcript-model.ts';

export {
  appendSegment,
  changedRange,
  confirmSegment,
  editSegmentText,
  findSegment,
  segmentsArray,
  segmentsOf,
  type SegmentConfirmation,
  type TranscriptSegment,
  type TranscriptSpeaker,
} from '../../../hub/collab/transcript-model.ts';

/** segmentId → [userId, mark] for every user's marks. */
export function marksBySegment(doc: Y.Doc): Map<string, [string, SegmentConfirmation][]> {
  const result = new Map<string, [string, SegmentConfirmation][]>();
  for (const [userId, own] of confirmationsMap(doc).entries()) {
    if (!(own instanceof Y.Map)) continue;
    for (const [segmentId, mark] of own.entries()) {
      const list = result.get(segmentId) ?? [];
      list.push([userId, mark as SegmentConfirmation]);
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
