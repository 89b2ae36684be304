// The saved versions of a document, oldest first, without their states.
import { asc, eq, sql } from 'drizzle-orm';
import type { Db } from '../database.ts';
import type { SavedVersion } from './save-version.ts';
import { collabVersions } from './schema.ts';

export async function listVersions({ db, docName }: { db: Db; docName: string }): Promise<SavedVersion[]> {
  const rows = await db
    .select({
      id: collabVersions.id,
      docName: collabVersions.docName,
      label: collabVersions.label,
      createdBy: collabVersions.createdBy,
      createdAt: collabVersions.createdAt,
      size: sql<number>`octet_length(${collabVersions.state})::int`,
    })
    .from(collabVersions)
    .where(eq(collabVersions.docName, docName))
    .orderBy(asc(collabVersions.createdAt), asc(collabVersions.id));
  return rows.map((row) => ({ ...row, size: Number(row.size), createdAt: row.createdAt.toISOString() }));
}
