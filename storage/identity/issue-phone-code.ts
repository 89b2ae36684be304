// Makes a new one-time code for a phone, unless the phone had one less than a minute ago or five
// in the last hour. The count and the insert run under a per-phone lock, so two requests at once
// cannot both slip under the limit. Returns the code in clear for the sender; only its hash is stored.
import { and, desc, eq, gt, sql } from 'drizzle-orm';
import type { PersonalDataCipher } from '../../platform/personal-data.ts';
import { newPhoneCode, PHONE_CODE_TTL_MS, phoneCodeHash, phoneCodeWaitMs } from '../../platform/identity/phone-code.ts';
import type { Db } from '../database.ts';
import { phoneCodes, type PhoneCodePurpose } from './schema.ts';

export interface IssuePhoneCodeOptions {
  db: Db;
  cipher: PersonalDataCipher;
  /** Normalised (platform/identity/phone-code.ts normalisePhone). */
  phone: string;
  purpose: PhoneCodePurpose;
  now?: Date;
}

export type IssuedPhoneCode = { issued: true; code: string; expiresAt: Date } | { issued: false; retryAfterMs: number };

export async function issuePhoneCode({ db, cipher, phone, purpose, now = new Date() }: IssuePhoneCodeOptions): Promise<IssuedPhoneCode> {
  const phoneIndex = cipher.blindIndex(phone);
  return db.transaction(async (tx) => {
    await tx.execute(sql`select pg_advisory_xact_lock(hashtext(${'phone_codes:' + phoneIndex}))`);
    const recent = await tx
      .select({ createdAt: phoneCodes.createdAt })
      .from(phoneCodes)
      .where(and(eq(phoneCodes.phoneIndex, phoneIndex), eq(phoneCodes.purpose, purpose), gt(phoneCodes.createdAt, new Date(now.getTime() - 3600_000))))
      .orderBy(desc(phoneCodes.createdAt));
    const wait = phoneCodeWaitMs(
      recent.map((row) => row.createdAt),
      now,
    );
    if (wait > 0) return { issued: false, retryAfterMs: wait };
    const code = newPhoneCode();
    const expiresAt = new Date(now.getTime() + PHONE_CODE_TTL_MS);
    await tx.insert(phoneCodes).values({ purpose, phoneIndex, codeHash: phoneCodeHash(cipher, phone, code), createdAt: now, expiresAt });
    return { issued: true, code, expiresAt };
  });
}
