// Server-side work on a hearing's transcript: plain text + hash, versions (save, list, restore) and the
// change audit. Always goes through the document's live room, so unflushed edits are never bypassed.
import * as Y from 'yjs';
import type { Db } from '../../storage/database.ts';
import { getVersion } from '../../storage/collab/get-version.ts';
import { listTranscriptChanges, type TranscriptChange } from '../../storage/collab/list-transcript-changes.ts';
import { listVersions } from '../../storage/collab/list-versions.ts';
import { saveVersion, type SavedVersion } from '../../storage/collab/save-version.ts';
import type { DocRoom } from './doc-room.ts';
import type { RoomRegistry } from './room-registry.ts';
import { metaMap, renderTranscriptText, segmentsArray, segmentsOf, type TranscriptSegment } from './transcript-model.ts';
import { transcriptHash } from './transcript-hash.ts';

export interface TranscriptText {
  docName: string;
  text: string;
  sha256: string;
  segmentCount: number;
}

/** Who asks for a server-side change (stamped on versions and their audit rows). */
export interface TranscriptActor {
  userId: string;
  role: string;
}

export class TranscriptVersionNotFoundError extends Error {
  constructor(docName: string, versionId: string) {
    super(`the document ${docName} has no version ${versionId}`);
    this.name = 'TranscriptVersionNotFoundError';
  }
}

export const restoreReason = (versionId: string): string => `restore:${versionId}`;
export const beforeRestoreLabel = (label: string): string => `before restore of ${label}`;

function textOf(room: DocRoom): TranscriptText {
  return {
    docName: room.name,
    text: renderTranscriptText(room.doc),
    sha256: transcriptHash(room.doc),
    segmentCount: segmentsArray(room.doc).length,
  };
}

/**
 * Replaces `segments` and `meta` of `target` by those of `source` (deep copies), leaving the parties'
 * confirmation and comment areas alone. Call inside one transaction.
 */
export function replaceTranscriptBody(target: Y.Doc, source: Y.Doc): void {
  const segments = segmentsArray(target);
  if (segments.length > 0) segments.delete(0, segments.length);
  const copies = segmentsArray(source)
    .toArray()
    .map((entry) => (entry instanceof Y.AbstractType ? entry.clone() : entry));
  if (copies.length > 0) segments.insert(0, copies as Y.Map<unknown>[]);

  const meta = metaMap(target);
  for (const key of [...meta.keys()]) meta.delete(key);
  for (const [key, value] of metaMap(source).entries()) meta.set(key, value instanceof Y.AbstractType ? value.clone() : value);
}

export class TranscriptService {
  constructor(private readonly options: { registry: RoomRegistry; db: Db }) {}

  /** The live rooms, for server-side transcript work kept in its own modules (transcript-freeze.ts). */
  get rooms(): RoomRegistry {
    return this.options.registry;
  }

  /** The transcript's plain text and its sha256, from the live room (loaded for the read if needed). */
  read(docName: string): Promise<TranscriptText> {
    return this.options.registry.withRoom(docName, 'transcript', textOf);
  }

  /** The transcript's segments in document order, from the live room (for exports). */
  segments(docName: string): Promise<TranscriptSegment[]> {
    return this.options.registry.withRoom(docName, 'transcript', (room) => segmentsOf(room.doc));
  }

  /** Saves the live document's current state as a named version. */
  saveVersion(docName: string, label: string, by: TranscriptActor): Promise<SavedVersion> {
    return this.options.registry.withRoom(docName, 'transcript', (room) =>
      saveVersion({ db: this.options.db, docName, label, createdBy: by.userId, createdByRole: by.role, state: Y.encodeStateAsUpdate(room.doc) }),
    );
  }

  listVersions(docName: string): Promise<SavedVersion[]> {
    return listVersions({ db: this.options.db, docName });
  }

  /**
   * Puts a version's segments and meta back into the live document in one system transaction (so
   * connected clients see it, and it is stored and audited like any edit), after saving the current
   * state as a version so the restore can itself be undone.
   */
  async restore(docName: string, versionId: string, by: TranscriptActor): Promise<TranscriptText & { backup: SavedVersion }> {
    const version = await getVersion({ db: this.options.db, versionId });
    // A version of another document is as unknown here as one that does not exist.
    if (!version || version.docName !== docName) throw new TranscriptVersionNotFoundError(docName, versionId);
    const source = new Y.Doc();
    try {
      Y.applyUpdate(source, version.state);
      return await this.options.registry.withRoom(docName, 'transcript', async (room) => {
        const backup = await saveVersion({
          db: this.options.db,
          docName,
          label: beforeRestoreLabel(version.label),
          createdBy: by.userId,
          createdByRole: by.role,
          state: Y.encodeStateAsUpdate(room.doc),
        });
        room.applySystemUpdate((doc) => replaceTranscriptBody(doc, source), { source: 'system', reason: restoreReason(versionId) });
        return { ...textOf(room), backup };
      });
    } finally {
      source.destroy();
    }
  }

  /** Who changed which segments when; pending saves of a loaded room are flushed first so nothing acknowledged is missing. */
  async changes(docName: string, hearingId: string): Promise<TranscriptChange[]> {
    await this.options.registry.flushIfLoaded(docName);
    return listTranscriptChanges({ db: this.options.db, hearingId });
  }
}
