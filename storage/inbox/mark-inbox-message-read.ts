// Marks one of the user's own messages read; reading it again keeps the first time. Another
// user's message (or none) answers null, so the route can say "not found" without telling which.
import { sql } from 'drizzle-orm';
import type { Db } from '../database.ts';
import { isUuid } from '../ids.ts';
import { rowsOf } from '../raw-rows.ts';
import { INBOX_COLUMNS, inboxMessageOf, type InboxMessage } from './list-inbox-messages.ts';

export async function markInboxMessageRead({ db, userId, messageId }: { db: Db; userId: string; messageId: string }): Promise<InboxMessage | null> {
  if (!isUuid(userId) || !isUuid(messageId)) return null;
  const result = await db.execute(sql`
    update inbox_messages set read_at = coalesce(read_at, now())
    where id = ${messageId}::uuid and user_id = ${userId}::uuid
    returning ${INBOX_COLUMNS}`);
  const [row] = rowsOf<Parameters<typeof inboxMessageOf>[0]>(result);
  return row ? inboxMessageOf(row) : null;
}
