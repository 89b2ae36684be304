// Removes one of the filer's own drafts; false when there was none of theirs. Materials uploaded for
// it stay (a filing may already list them) and are no longer tied to the draft.
import { and, eq } from 'drizzle-orm';
import type { Db } from '../database.ts';
import { isUuid } from '../ids.ts';
import { filingDrafts, filingMaterials } from '../filings/schema.ts';

export async function deleteFilingDraft({ db, draftId, userId }: { db: Db; draftId: string; userId: string }): Promise<boolean> {
  if (!isUuid(draftId)) return false;
  const id = draftId.toLowerCase();
  return db.transaction(async (tx) => {
    const deleted = await tx
      .delete(filingDrafts)
      .where(and(eq(filingDrafts.id, id), eq(filingDrafts.userId, userId)))
      .returning({ id: filingDrafts.id });
    if (deleted.length === 0) return false;
    await tx.update(filingMaterials).set({ draftId: null }).where(and(eq(filingMaterials.draftId, id), eq(filingMaterials.userId, userId)));
    return true;
  });
}
