// 站内信: puts one message into a user's inbox (a filing accepted, returned or rejected, a fee
// notice, a filing receipt). Runs inside the caller's transaction when given one, so a message is
// delivered exactly when the decision it reports commits.
import { sql } from 'drizzle-orm';
import type { Db, Tx } from '../database.ts';
import { rowsOf } from '../raw-rows.ts';

export interface InboxMessageInput {
  userId: string;
  /** 'filingAccepted' | 'filingReturned' | 'filingRejected' | 'feeNotice' | 'filingReceipt' | … */
  kind: string;
  title: string;
  titleEn: string;
  /** Kind-specific facts the inbox shows (never personal identifiers in clear). */
  body: Record<string, unknown>;
  /** Where the message points in the portal or API (a filing, a receipt's content path). */
  link?: string | null;
  documentId?: string | null;
}

export async function deliverInboxMessage(db: Db | Tx, message: InboxMessageInput): Promise<{ id: string }> {
  // Raw SQL on purpose: the table is declared by the filings migration (0013) owned by another module,
  // and its columns are fixed by the filing contract.
  const result = await db.execute(sql`
    insert into inbox_messages (user_id, kind, title, title_en, body, link, document_id)
    values (${message.userId}::uuid, ${message.kind}, ${message.title}, ${message.titleEn}, ${JSON.stringify(message.body)}::jsonb,
            ${message.link ?? null}, ${message.documentId ?? null}::uuid)
    returning id`);
  const [row] = rowsOf<{ id: string }>(result);
  if (!row) throw new Error('inbox message insert returned no row');
  return { id: row.id };
}
