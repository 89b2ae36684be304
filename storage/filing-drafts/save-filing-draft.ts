// Creates or replaces a filer's own draft under the id the form chose. A draft id that belongs to
// another account is answered as not found (null), never overwritten. No audit row: a draft is the
// filer's private working copy, saved every few seconds; what is filed is audited by the filing actor.
import { and, eq, sql } from 'drizzle-orm';
import type { Db } from '../database.ts';
import type { PersonalDataCipher } from '../../platform/personal-data.ts';
import { filingDrafts } from '../filings/schema.ts';
import { sealDraft, type DraftFiling, type FilingDraft } from './filing-draft.ts';

export interface SaveFilingDraftOptions {
  db: Db;
  cipher: PersonalDataCipher;
  draftId: string;
  userId: string;
  filing: DraftFiling;
  step: string | null;
}

export async function saveFilingDraft({ db, cipher, draftId, userId, filing, step }: SaveFilingDraftOptions): Promise<FilingDraft | null> {
  const id = draftId.toLowerCase();
  const values = { courtId: filing.courtId ?? null, cause: filing.cause ?? null, data: sealDraft(cipher, filing, step) };
  const [row] = await db
    .insert(filingDrafts)
    .values({ id, userId, ...values })
    .onConflictDoUpdate({
      target: filingDrafts.id,
      set: { ...values, updatedAt: sql`now()` },
      // Only the owner's own draft is replaced; another account's id updates nothing.
      setWhere: and(eq(filingDrafts.userId, userId)),
    })
    .returning({ createdAt: filingDrafts.createdAt, updatedAt: filingDrafts.updatedAt });
  if (!row) return null;
  return { id, courtId: values.courtId, cause: values.cause, step, filing, createdAt: row.createdAt, updatedAt: row.updatedAt };
}
