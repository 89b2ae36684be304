// Which materials a filing lists that the filer may not use: not uploaded, uploaded by someone else
// (neither the filer nor the agent), or already part of another filing. The filing route refuses those.
import { inArray } from 'drizzle-orm';
import type { Db } from '../database.ts';
import { filingMaterials } from './schema.ts';

export async function findUnusableMaterials({ db, materialIds, ownerIds, filingId }: { db: Db; materialIds: string[]; ownerIds: string[]; filingId?: string }): Promise<string[]> {
  if (materialIds.length === 0) return [];
  const rows = await db
    .select({ id: filingMaterials.id, userId: filingMaterials.userId, filingId: filingMaterials.filingId })
    .from(filingMaterials)
    .where(inArray(filingMaterials.id, materialIds));
  const usable = new Set(rows.filter((row) => ownerIds.includes(row.userId) && (row.filingId === null || row.filingId === filingId)).map((row) => row.id));
  return materialIds.filter((id) => !usable.has(id));
}
