// Records the reading of an account's own ID card as an 'id_card_ocr' identity check (with its audit
// row). Only what the check needs later goes in: per field its confidence, flag codes and whether it
// matched the account; the image's SHA-256. Never the card's text.
import type { AuditActor } from '../audit/write-audit.ts';
import type { Db } from '../database.ts';
import { recordIdentityCheck, type IdentityCheckRecord } from './record-identity-check.ts';

export interface IdCardCheckField {
  read: boolean;
  confidence: number | null;
  flags: string[];
}

export interface IdCardCheckVerdict {
  outcome: 'passed' | 'failed';
  /** The recogniser, e.g. 'tesseract.js'. */
  adapter: string;
  fields: Record<string, IdCardCheckField>;
  /** Whether the name and number on the card are the account's. */
  matches: { name: boolean; idNumber: boolean };
  imageSha256: string;
}

export async function recordIdCardCheck({ db, userId, verdict, actor }: { db: Db; userId: string; verdict: IdCardCheckVerdict; actor: AuditActor }): Promise<IdentityCheckRecord> {
  return db.transaction((tx) =>
    recordIdentityCheck({
      tx,
      userId,
      kind: 'id_card_ocr',
      adapter: verdict.adapter,
      outcome: verdict.outcome,
      details: { side: 'front', fields: verdict.fields, matches: verdict.matches, imageSha256: verdict.imageSha256 },
      actor,
    }),
  );
}
