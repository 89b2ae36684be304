// The transcript at the end of the hearing (笔录定稿): frozen once through its live room (meta.frozenAt,
// a system change every session sees) and saved as the version the parties review; afterwards only
// the judge's corrections, made here as system changes with a new version each, change its segments.
import * as Y from 'yjs';
import type { Db } from '../../storage/database.ts';
import { getVersion } from '../../storage/collab/get-version.ts';
import { uuidNamedBy } from '../../storage/ids.ts';
import { saveVersion, saveVersionOnce } from '../../storage/collab/save-version.ts';
import type { RoomRegistry } from './room-registry.ts';
import { confirmationsOf, editSegmentText, findSegment, metaMap, segmentsOf, type SegmentConfirmation, type TranscriptSegment } from './transcript-model.ts';
import { transcriptHash } from './transcript-hash.ts';

/** The version the review is about (and how a restart recognises an earlier freeze). */
export const FREEZE_LABEL = '庭审结束 / end of hearing';
export const correctionLabel = (segmentId: string): string => `更正 / correction ${segmentId}`;

export const frozenAtOf = (doc: Y.Doc): string | null => {
  const value = metaMap(doc).get('frozenAt');
  return typeof value === 'string' ? value : null;
};

export interface FrozenTranscript {
  versionId: string;
  sha256: string;
  frozenAt: string;
}

export class SegmentNotFoundError extends Error {
  constructor(segmentId: string) {
    super(`the transcript has no segment ${segmentId}`);
    this.name = 'SegmentNotFoundError';
  }
}

/** Freezes in progress in this process: a concurrent caller shares the first one's result. */
const freezing = new Map<string, Promise<FrozenTranscript>>();

/**
 * Freezes the transcript and saves its version, once: a document frozen before (a restart between
 * the two steps, a second caller) keeps its first freeze and its system-saved version is reused.
 */
export function freezeTranscript(options: { registry: RoomRegistry; db: Db; docName: string; at?: Date }): Promise<FrozenTranscript> {
  const running = freezing.get(options.docName);
  if (running) return running;
  const run = freezeOnce(options).finally(() => freezing.delete(options.docName));
  freezing.set(options.docName, run);
  return run;
}

async function freezeOnce({ registry, db, docName, at = new Date() }: { registry: RoomRegistry; db: Db; docName: string; at?: Date }): Promise<FrozenTranscript> {
  return registry.withRoom(docName, 'transcript', async (room) => {
    if (frozenAtOf(room.doc) === null) {
      room.applySystemUpdate((doc) => metaMap(doc).set('frozenAt', at.toISOString()), { source: 'system', reason: 'freeze' });
    }
    const frozenAt = frozenAtOf(room.doc)!;
    // One fixed version id per document: a restart, or another hub node freezing at the same moment,
    // finds the first freeze's version instead of saving a second one.
    const versionId = uuidNamedBy(`${docName}#${FREEZE_LABEL}`);
    const earlier = await storedFreeze(db, versionId, frozenAt);
    if (earlier) return earlier;
    // State and hash are taken together, before any await: they describe the same document.
    const state = Y.encodeStateAsUpdate(room.doc);
    const sha256 = transcriptHash(room.doc);
    const saved = await saveVersionOnce({ db, docName, label: FREEZE_LABEL, createdBy: null, createdByRole: 'system', state, id: versionId });
    return saved ? { versionId, sha256, frozenAt } : (await storedFreeze(db, versionId, frozenAt))!;
  });
}

/** The freeze version saved before (by this node earlier or by another), with the hash of what it holds. */
async function storedFreeze(db: Db, versionId: string, frozenAt: string): Promise<FrozenTranscript | null> {
  const stored = await getVersion({ db, versionId });
  if (!stored) return null;
  const doc = new Y.Doc();
  try {
    Y.applyUpdate(doc, stored.state);
    return { versionId, sha256: transcriptHash(doc), frozenAt };
  } finally {
    doc.destroy();
  }
}

/** What a reviewer marked in their own area of the frozen transcript, for segments it holds (server truth). */
export async function reviewMarksOf({ registry, docName, userId }: { registry: RoomRegistry; docName: string; userId: string }): Promise<{
  frozenAt: string | null;
  segments: TranscriptSegment[];
  marks: Record<string, SegmentConfirmation>;
}> {
  return registry.withRoom(docName, 'transcript', (room) => {
    const segments = segmentsOf(room.doc);
    const known = new Set(segments.map((segment) => segment.id));
    const marks = Object.fromEntries(Object.entries(confirmationsOf(room.doc, userId)).filter(([segmentId]) => known.has(segmentId)));
    return { frozenAt: frozenAtOf(room.doc), segments, marks };
  });
}

/**
 * The judge's correction of a segment of the frozen transcript (sessions may no longer change it):
 * a system change recording the judge as editor, then a version of the corrected transcript.
 */
export async function correctFrozenSegment({
  registry,
  db,
  docName,
  segmentId,
  text,
  judge,
}: {
  registry: RoomRegistry;
  db: Db;
  docName: string;
  segmentId: string;
  text: string;
  judge: { userId: string; role: string };
}): Promise<{ versionId: string; sha256: string; changed: boolean }> {
  return registry.withRoom(docName, 'transcript', async (room) => {
    if (!findSegment(room.doc, segmentId)) throw new SegmentNotFoundError(segmentId);
    let changed = false;
    room.applySystemUpdate((doc) => {
      changed = editSegmentText(doc, segmentId, text, judge);
    }, { source: 'system', reason: `correction:${segmentId}` });
    const state = Y.encodeStateAsUpdate(room.doc);
    const sha256 = transcriptHash(room.doc);
    const version = await saveVersion({ db, docName, label: correctionLabel(segmentId), createdBy: judge.userId, createdByRole: judge.role, state });
    return { versionId: version.id, sha256, changed };
  });
}
