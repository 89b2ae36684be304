// One of the filer's own drafts with its identifiers opened, or null (missing or someone else's).
import { and, eq } from 'drizzle-orm';
import type { Db } from '../database.ts';
import { isUuid } from '../ids.ts';
import type { PersonalDataCipher } from '../../platform/personal-data.ts';
import { filingDrafts } from '../filings/schema.ts';
import { openDraft, type FilingDraft } from './filing-draft.ts';

export async function getFilingDraft({ db, cipher, draftId, userId }: { db: Db; cipher: PersonalDataCipher; draftId: string; userId: string }): Promise<FilingDraft | null> {
  if (!isUuid(draftId)) return null;
  const [row] = await db
    .select()
    .from(filingDrafts)
    .where(and(eq(filingDrafts.id, draftId.toLowerCase()), eq(filingDrafts.userId, userId)))
    .limit(1);
  if (!row) return null;
  const { filing, step } = openDraft(cipher, row.data);
  return { id: row.id, courtId: row.courtId, cause: row.cause, step, filing, createdAt: row.createdAt, updatedAt: row.updatedAt };
}
