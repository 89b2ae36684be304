// Ties the uploaded materials a filing lists to that filing (filing_materials.filing_id), once it is
// accepted: they are then the case's filing materials, no longer a draft's. Only the uploader's own
// materials not bound to another filing are taken.
import { and, inArray, isNull, or, eq } from 'drizzle-orm';
import type { Db } from '../database.ts';
import { filingMaterials } from './schema.ts';

export async function bindFilingMaterials({ db, filingId, materialIds, ownerIds }: { db: Db; filingId: string; materialIds: string[]; ownerIds: string[] }): Promise<number> {
  if (materialIds.length === 0 || ownerIds.length === 0) return 0;
  const bound = await db
    .update(filingMaterials)
    .set({ filingId })
    .where(and(inArray(filingMaterials.id, materialIds), inArray(filingMaterials.userId, ownerIds), or(isNull(filingMaterials.filingId), eq(filingMaterials.filingId, filingId))))
    .returning({ id: filingMaterials.id });
  return bound.length;
}
