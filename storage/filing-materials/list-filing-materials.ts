// The materials a filer uploaded for one of their drafts, oldest first (what the form lists).
import { and, asc, eq } from 'drizzle-orm';
import type { Db } from '../database.ts';
import { filingMaterials } from '../filings/schema.ts';
import { toFilingMaterialFile, type FilingMaterialFile } from './filing-material.ts';

export async function listFilingMaterials({ db, userId, draftId }: { db: Db; userId: string; draftId: string }): Promise<FilingMaterialFile[]> {
  const rows = await db
    .select()
    .from(filingMaterials)
    .where(and(eq(filingMaterials.userId, userId), eq(filingMaterials.draftId, draftId.toLowerCase())))
    .orderBy(asc(filingMaterials.createdAt));
  return rows.map(toFilingMaterialFile);
}
