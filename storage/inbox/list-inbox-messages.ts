// A user's inbox, newest first, a page at a time, with the count of unread messages (the badge).
import { sql } from 'drizzle-orm';
import type { Db } from '../database.ts';
import { isUuid } from '../ids.ts';
import { rowsOf } from '../raw-rows.ts';

export interface InboxMessage {
  id: string;
  kind: string;
  title: string;
  titleEn: string;
  body: Record<string, unknown>;
  link: string | null;
  documentId: string | null;
  createdAt: string;
  readAt: string | null;
}

export interface InboxPage {
  messages: InboxMessage[];
  unread: number;
  total: number;
}

interface InboxRow {
  id: string;
  kind: string;
  title: string;
  title_en: string;
  body: Record<string, unknown> | string;
  link: string | null;
  document_id: string | null;
  created_at: string | Date;
  read_at: string | Date | null;
}

export function inboxMessageOf(row: InboxRow): InboxMessage {
  return {
    id: row.id,
    kind: row.kind,
    title: row.title,
    titleEn: row.title_en,
    body: typeof row.body === 'string' ? (JSON.parse(row.body) as Record<string, unknown>) : row.body,
    link: row.link,
    documentId: row.document_id,
    createdAt: new Date(row.created_at).toISOString(),
    readAt: row.read_at === null ? null : new Date(row.read_at).toISOString(),
  };
}

export const INBOX_COLUMNS = sql.raw('id, kind, title, title_en, body, link, document_id, created_at, read_at');

export async function listInboxMessages({
  db,
  userId,
  limit,
  offset,
  unreadOnly = false,
}: {
  db: Db;
  userId: string;
  limit: number;
  offset: number;
  unreadOnly?: boolean;
}): Promise<InboxPage> {
  if (!isUuid(userId)) return { messages: [], unread: 0, total: 0 };
  const [page, counts] = await Promise.all([
    db.execute(sql`
      select ${INBOX_COLUMNS} from inbox_messages
      where user_id = ${userId}::uuid ${unreadOnly ? sql`and read_at is null` : sql``}
      order by created_at desc, id desc
      limit ${limit} offset ${offset}`),
    db.execute(sql`
      select count(*) as total, count(*) filter (where read_at is null) as unread
      from inbox_messages where user_id = ${userId}::uuid`),
  ]);
  const count = rowsOf<{ total: string | number; unread: string | number }>(counts)[0];
  const unread = Number(count?.unread ?? 0);
  return {
    messages: rowsOf<InboxRow>(page).map(inboxMessageOf),
    unread,
    total: unreadOnly ? unread : Number(count?.total ?? 0),
  };
}
