// The inbox API (站内信, issue 8 point 3) on the in-process demo platform: a user lists only their
// own messages, newest first, with the unread count and paging; marking read keeps the first time;
// another user's message is not found; bad paging and ids are refused with VALIDATION_FAILED.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomUUID } from 'node:crypto';
import { and, eq } from 'drizzle-orm';
import { logInEach, startDemoPlatform, type DemoPlatform } from '../support/demo-platform.ts';
import { callApi } from '../support/api-call.ts';
import { deliverInboxMessage } from '../../storage/inbox/deliver-inbox-message.ts';
import { inboxMessages } from '../../storage/filings/schema.ts';

let demo: DemoPlatform;
const tokens: Record<string, string> = {};
const userIds: Record<string, string> = {};
const delivered: string[] = [];

const call = (method: string, path: string, who?: string) => callApi(demo.base, method, path, who ? { token: tokens[who]! } : {});

beforeAll(async () => {
  demo = await startDemoPlatform({ tempPrefix: 'ecourt-inbox-api-' });
  await logInEach(demo, ['party1', 'party2'], { tokens, userIds });
  const db = demo.platform.database.db;
  // Five messages for party1 (one transaction each, so each has its own created_at), one for party2.
  for (let i = 0; i < 5; i += 1) {
    const { id } = await deliverInboxMessage(db, {
      userId: userIds.party1!,
      kind: i === 4 ? 'filingReceipt' : 'feeNotice',
      title: `消息${i}`,
      titleEn: `Message ${i}`,
      body: { n: i, fee: '50.00' },
      link: i === 4 ? '/api/v1/cases/x/documents/y/content' : null,
      documentId: i === 4 ? randomUUID() : null,
    });
    delivered.push(id);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  await deliverInboxMessage(db, { userId: userIds.party2!, kind: 'filingReturned', title: '退回补正', titleEn: 'Returned', body: {} });
}, 120_000);

afterAll(async () => demo?.stop());

describe('GET /api/v1/me/inbox', () => {
  it('lists the caller’s own messages newest first with the unread count', async () => {
    const { status, json } = await call('GET', '/api/v1/me/inbox', 'party1');
    expect(status).toBe(200);
    expect(json.total).toBe(5);
    expect(json.unread).toBe(5);
    expect(json.messages.map((m: { id: string }) => m.id)).toEqual([...delivered].reverse());
    expect(json.messages[0]).toEqual({
      id: delivered[4],
      kind: 'filingReceipt',
      title: '消息4',
      titleEn: 'Message 4',
      body: { n: 4, fee: '50.00' },
      link: '/api/v1/cases/x/documents/y/content',
      documentId: expect.any(String),
      createdAt: expect.any(String),
      readAt: null,
    });
    const other = await call('GET', '/api/v1/me/inbox', 'party2');
    expect(other.json.messages.map((m: { kind: string }) => m.kind)).toEqual(['filingReturned']);
  });

  it('pages with limit and offset', async () => {
    const first = await call('GET', '/api/v1/me/inbox?limit=2', 'party1');
    const second = await call('GET', '/api/v1/me/inbox?limit=2&offset=2', 'party1');
    const last = await call('GET', '/api/v1/me/inbox?limit=2&offset=4', 'party1');
    expect([...first.json.messages, ...second.json.messages, ...last.json.messages].map((m: { id: string }) => m.id)).toEqual([...delivered].reverse());
    expect(first.json).toMatchObject({ limit: 2, offset: 0, total: 5 });
    expect(last.json.messages).toHaveLength(1);
  });

  it('refuses bad paging with VALIDATION_FAILED naming the field, and answers 401 without a session', async () => {
    for (const query of ['limit=0', 'limit=101', 'offset=-1', 'limit=abc', 'unread=yes']) {
      const { status, json } = await call('GET', `/api/v1/me/inbox?${query}`, 'party1');
      expect(status, query).toBe(422);
      expect(json.error.code).toBe('VALIDATION_FAILED');
      expect(json.error.details.issues[0].path).toBe(`query.${query.split('=')[0]}`);
    }
    expect((await call('GET', '/api/v1/me/inbox')).status).toBe(401);
  });
});

describe('POST /api/v1/me/inbox/:messageId/read', () => {
  it('marks the caller’s message read, keeps the first time on a second read, and lowers the unread count', async () => {
    const first = await call('POST', `/api/v1/me/inbox/${delivered[0]}/read`, 'party1');
    expect(first.status).toBe(200);
    expect(first.json.message).toMatchObject({ id: delivered[0], readAt: expect.any(String) });
    await new Promise((resolve) => setTimeout(resolve, 10));
    const again = await call('POST', `/api/v1/me/inbox/${delivered[0]}/read`, 'party1');
    expect(again.json.message.readAt).toBe(first.json.message.readAt);
    const listing = await call('GET', '/api/v1/me/inbox', 'party1');
    expect(listing.json.unread).toBe(4);
    const unreadOnly = await call('GET', '/api/v1/me/inbox?unread=true', 'party1');
    expect(unreadOnly.json.total).toBe(4);
    expect(unreadOnly.json.messages.map((m: { id: string }) => m.id)).not.toContain(delivered[0]);
  });

  it('another user’s message, or none, is not found and stays unread', async () => {
    const { status, json } = await call('POST', `/api/v1/me/inbox/${delivered[1]}/read`, 'party2');
    expect(status).toBe(404);
    expect(json.error.code).toBe('NOT_FOUND');
    const [row] = await demo.platform.database.db.select().from(inboxMessages).where(and(eq(inboxMessages.id, delivered[1]!), eq(inboxMessages.userId, userIds.party1!)));
    expect(row!.readAt).toBeNull();
    expect((await call('POST', `/api/v1/me/inbox/${randomUUID()}/read`, 'party1')).status).toBe(404);
    const bad = await call('POST', '/api/v1/me/inbox/not-a-uuid/read', 'party1');
    expect(bad.status).toBe(422);
    expect(bad.json.error.details.issues[0].path).toBe('params.messageId');
  });
});
