// Saves a named version of a document (its full state as one update) with its audit row.
import type { Db } from '../database.ts';
import { writeAudit } from '../audit/write-audit.ts';
import { isUuid } from '../ids.ts';
import { InvalidCollabUpdateError } from './update-origin.ts';
import { collabVersions } from './schema.ts';

export interface SaveVersionOptions {
  db: Db;
  docName: string;
  label: string;
  /** The user who saved it (judge or clerk); null for the system (e.g. on archiving). */
  createdBy: string | null;
  /** The creator's role, for the audit row. */
  createdByRole?: string | null;
  /** The document's state as one update (Y.encodeStateAsUpdate, or the store's load()). */
  state: Uint8Array;
}

export interface SavedVersion {
  id: string;
  docName: string;
  label: string;
  createdBy: string | null;
  createdAt: string;
  size: number;
}

export async function saveVersion(options: SaveVersionOptions): Promise<SavedVersion> {
  return (await insertVersion(options))!;
}

/**
 * A version meant to exist once, under a fixed id (storage/ids.ts uuidNamedBy): when a version with
 * that id exists already, nothing is written and null is returned (the caller reads the first).
 */
export function saveVersionOnce(options: SaveVersionOptions & { id: string }): Promise<SavedVersion | null> {
  return insertVersion(options);
}

async function insertVersion({ db, docName, label, createdBy, createdByRole = null, state, id }: SaveVersionOptions & { id?: string }): Promise<SavedVersion | null> {
  if (label.trim().length === 0) throw new InvalidCollabUpdateError('a version needs a label');
  if (createdBy !== null && !isUuid(createdBy)) throw new InvalidCollabUpdateError('createdBy must be a user id');
  if (state.byteLength === 0) throw new InvalidCollabUpdateError('a version needs a state');
  if (id !== undefined && !isUuid(id)) throw new InvalidCollabUpdateError('a version id must be a uuid');
  return db.transaction(async (tx) => {
    const [row] = await tx
      .insert(collabVersions)
      .values({ ...(id === undefined ? {} : { id }), docName, label: label.trim(), state, createdBy })
      .onConflictDoNothing({ target: collabVersions.id })
      .returning({ id: collabVersions.id, createdAt: collabVersions.createdAt });
    if (!row) return null;
    await writeAudit(tx, {
      actor: { userId: createdBy, role: createdByRole },
      action: 'collabDocument.saveVersion',
      subjectKind: 'collabDocument',
      subjectId: docName,
      detail: { versionId: row.id, size: state.byteLength },
    });
    return { id: row.id, docName, label: label.trim(), createdBy, createdAt: row.createdAt.toISOString(), size: state.byteLength };
  });
}
