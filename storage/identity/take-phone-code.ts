// Checks a typed code against the phone's latest code inside the caller's transaction: a right
// code is marked used (once: the row is locked, so a replay in parallel finds it used), a wrong
// one counts an attempt. The caller commits the attempt even when it refuses the request.
import { timingSafeEqual } from 'node:crypto';
import { and, desc, eq, sql } from 'drizzle-orm';
import type { PersonalDataCipher } from '../../platform/personal-data.ts';
import { judgePhoneCode, phoneCodeHash, type PhoneCodeRefusal } from '../../platform/identity/phone-code.ts';
import type { Db } from '../database.ts';
import { phoneCodes, type PhoneCodePurpose } from './schema.ts';

export interface TakePhoneCodeOptions {
  tx: Db;
  cipher: PersonalDataCipher;
  phone: string;
  code: string;
  purpose: PhoneCodePurpose;
  now?: Date;
}

export async function takePhoneCode({ tx, cipher, phone, code, purpose, now = new Date() }: TakePhoneCodeOptions): Promise<'accepted' | PhoneCodeRefusal> {
  const [latest] = await tx
    .select()
    .from(phoneCodes)
    .where(and(eq(phoneCodes.phoneIndex, cipher.blindIndex(phone)), eq(phoneCodes.purpose, purpose)))
    .orderBy(desc(phoneCodes.createdAt))
    .limit(1)
    .for('update');
  const typed = Buffer.from(phoneCodeHash(cipher, phone, code));
  const matches = latest !== undefined && typed.length === latest.codeHash.length && timingSafeEqual(typed, Buffer.from(latest.codeHash));
  const verdict = judgePhoneCode(latest ?? null, matches, now);
  if (!latest) return verdict;
  if (verdict === 'CODE_WRONG') {
    await tx.update(phoneCodes).set({ attempts: sql`${phoneCodes.attempts} + 1` }).where(eq(phoneCodes.id, latest.id));
  } else if (verdict === 'accepted') {
    await tx.update(phoneCodes).set({ usedAt: now }).where(eq(phoneCodes.id, latest.id));
  }
  return verdict;
}
