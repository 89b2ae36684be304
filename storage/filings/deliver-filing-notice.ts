// Delivers one of a filing's inbox messages (立案通知, 缴费通知, 补正通知 …) once: two nodes reacting to the
// same filing event, or an acceptance finished again after a restart, find the first message (same user,
// kind and the facts in `once`, e.g. the filing id and the journal seq of a return) under a lock per filing,
// in one transaction.
import { sql } from 'drizzle-orm';
import type { Db } from '../database.ts';
import { deliverInboxMessage, type InboxMessageInput } from '../inbox/deliver-inbox-message.ts';
import { rowsOf } from '../raw-rows.ts';

export async function deliverFilingNotice({
  db,
  filingId,
  message,
  once = {},
}: {
  db: Db;
  filingId: string;
  message: InboxMessageInput;
  /** More body facts that make the message the same one (default: the filing id alone). */
  once?: Record<string, string | number>;
}): Promise<{ id: string; delivered: boolean }> {
  const key = { ...once, filingId };
  return db.transaction(async (tx) => {
    await tx.execute(sql`select pg_advisory_xact_lock(hashtext(${'filing_notice:' + filingId}))`);
    const existing = rowsOf<{ id: string }>(
      await tx.execute(sql`select id from inbox_messages where user_id = ${message.userId}::uuid and kind = ${message.kind} and body @> ${JSON.stringify(key)}::jsonb limit 1`),
    );
    if (existing[0]) return { id: existing[0].id, delivered: false };
    const delivered = await deliverInboxMessage(tx, { ...message, body: { ...message.body, ...key } });
    return { id: delivered.id, delivered: true };
  });
}
