// One saved version with its state (to show or restore it); null when there is no such version.
import { eq } from 'drizzle-orm';
import type { Db } from '../database.ts';
import { isUuid } from '../ids.ts';
import { toUint8Array } from './load-document.ts';
import type { SavedVersion } from './save-version.ts';
import { collabVersions } from './schema.ts';

export interface StoredVersion extends SavedVersion {
  state: Uint8Array;
}

export async function getVersion({ db, versionId }: { db: Db; versionId: string }): Promise<StoredVersion | null> {
  if (!isUuid(versionId)) return null;
  const [row] = await db.select().from(collabVersions).where(eq(collabVersions.id, versionId)).limit(1);
  if (!row) return null;
  const state = toUint8Array(row.state);
  return {
    id: row.id,
    docName: row.docName,
    label: row.label,
    createdBy: row.createdBy,
    createdAt: row.createdAt.toISOString(),
    size: state.byteLength,
    state,
  };
}
