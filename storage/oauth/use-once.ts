// Marks a key (a hashed OAuth state, code or ticket) as used; false when it already was, on any
// hub node. Expired keys are swept on the way, so the table stays as small as the live logins.
import { createHash } from 'node:crypto';
import { lt } from 'drizzle-orm';
import type { Db } from '../database.ts';
import { oauthUsedKeys } from './schema.ts';

export async function useOnce({ db, kind, value, expiresAt, now = new Date() }: { db: Db; kind: string; value: string; expiresAt: Date; now?: Date }): Promise<boolean> {
  // Hashed: the table never holds a usable code or ticket.
  const key = `${kind}:${createHash('sha256').update(value).digest('base64url')}`;
  await db.delete(oauthUsedKeys).where(lt(oauthUsedKeys.expiresAt, now));
  const inserted = await db
    .insert(oauthUsedKeys)
    .values({ key, expiresAt })
    .onConflictDoNothing({ target: oauthUsedKeys.key })
    .returning({ key: oauthUsedKeys.key });
  return inserted.length === 1;
}
