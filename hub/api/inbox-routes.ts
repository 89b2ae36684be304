// 站内信: the signed-in user's own inbox (filing accepted / returned / rejected, fee notices, filing
// receipts), newest first with the unread count, and marking a message read. Nobody reads another's
// inbox: the user is always the session's, and another's message id answers 404 like a missing one.
import { z } from 'zod';
import { NotFoundError } from '../../platform/errors.ts';
import { listInboxMessages } from '../../storage/inbox/list-inbox-messages.ts';
import { markInboxMessageRead } from '../../storage/inbox/mark-inbox-message-read.ts';
import { anySignedIn } from '../auth/access.ts';
import type { Session } from '../auth/session-token.ts';
import { defineRoute, type AnyRoute } from '../http/route.ts';
import { paths } from '../http/paths.ts';

export const inboxMessageSchema = z.object({
  id: z.uuid(),
  kind: z.string().describe("filingAccepted, filingReturned, filingRejected, feeNotice, filingReceipt …"),
  title: z.string(),
  titleEn: z.string(),
  body: z.record(z.string(), z.unknown()),
  link: z.string().nullable().describe('Where the message points: a filing, or a receipt’s content path'),
  documentId: z.uuid().nullable(),
  createdAt: z.string(),
  readAt: z.string().nullable(),
});

const INBOX_PAGE_MAX = 100;

export const listInboxRoute = defineRoute({
  method: 'get',
  path: paths.myInbox,
  operationId: 'listMyInbox',
  summary: 'The caller’s inbox (站内信), newest first, with the unread count',
  tags: ['inbox'],
  access: anySignedIn,
  query: z.object({
    limit: z.coerce.number().int().min(1).max(INBOX_PAGE_MAX).default(20),
    offset: z.coerce.number().int().min(0).max(1_000_000).default(0),
    unread: z.enum(['true', 'false']).default('false').describe('true: only unread messages'),
  }),
  response: z.object({
    messages: z.array(inboxMessageSchema),
    unread: z.number().int(),
    total: z.number().int().describe('Messages matching the query (all, or unread only)'),
    limit: z.number().int(),
    offset: z.number().int(),
  }),
  async handle({ session, query, services }) {
    const page = await listInboxMessages({
      db: services.database.db,
      userId: (session as Session).userId,
      limit: query.limit,
      offset: query.offset,
      unreadOnly: query.unread === 'true',
    });
    return { ...page, limit: query.limit, offset: query.offset };
  },
});

export const readInboxMessageRoute = defineRoute({
  method: 'post',
  path: paths.myInboxRead,
  operationId: 'readMyInboxMessage',
  summary: 'Marks one of the caller’s inbox messages read (again: keeps the first time)',
  tags: ['inbox'],
  access: anySignedIn,
  params: z.object({ messageId: z.uuid() }),
  response: z.object({ message: inboxMessageSchema }),
  async handle({ session, params, services }) {
    const message = await markInboxMessageRead({ db: services.database.db, userId: (session as Session).userId, messageId: params.messageId });
    if (!message) throw new NotFoundError('Inbox message');
    return { message };
  },
});

export const inboxRoutes: AnyRoute[] = [listInboxRoute, readInboxMessageRoute];
