// One material with its owner, its filing's court and where its bytes are, or null; who may see it is
// the caller's decision (the owner; once filed, that court's staff).
import { eq } from 'drizzle-orm';
import type { Db } from '../database.ts';
import { isUuid } from '../ids.ts';
import { filingMaterials, filings } from '../filings/schema.ts';
import { toFilingMaterialFile, type StoredFilingMaterial } from './filing-material.ts';

export async function getFilingMaterial({ db, materialId }: { db: Db; materialId: string }): Promise<(StoredFilingMaterial & { filingCourtId: string | null }) | null> {
  if (!isUuid(materialId)) return null;
  const [row] = await db
    .select({ material: filingMaterials, filingCourtId: filings.courtId })
    .from(filingMaterials)
    .leftJoin(filings, eq(filings.id, filingMaterials.filingId))
    .where(eq(filingMaterials.id, materialId.toLowerCase()))
    .limit(1);
  if (!row) return null;
  return { ...toFilingMaterialFile(row.material), userId: row.material.userId, blobKey: row.material.blobKey, filingCourtId: row.filingCourtId ?? null };
}
