// Deletes one-time phone codes (phone_codes) that expired more than a day ago. A code is useless five
// minutes after it is sent, and the resend limit looks back one hour only; keeping them longer would just
// pile up blind-indexed phone numbers of people who never finished registering. The day's margin leaves
// recent codes for anyone looking into a failed registration.
import { lt } from 'drizzle-orm';
import type { Db } from '../database.ts';
import { phoneCodes } from './schema.ts';

export const PHONE_CODE_KEEP_AFTER_EXPIRY_MS = 24 * 3600_000;

export async function purgePhoneCodes({ db, now = new Date() }: { db: Db; now?: Date }): Promise<{ purged: number }> {
  const purged = await db
    .delete(phoneCodes)
    .where(lt(phoneCodes.expiresAt, new Date(now.getTime() - PHONE_CODE_KEEP_AFTER_EXPIRY_MS)))
    .returning({ id: phoneCodes.id });
  return { purged: purged.length };
}
