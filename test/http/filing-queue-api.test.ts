// The clerks' filing queue and override (立案审查, issue 8 point 3) on the in-process demo platform
// with the real filing review actor: filings the rules leave to a clerk are listed for the court's
// staff with the failed or uncertain rules; a clerk or judge accepts, returns (fields, deadline) or
// rejects with a reason through the actor, audited as filing.DECIDE; litigants, another court's staff
// and bad input are refused with codes; the queue and the filer's inbox follow events live over /rt.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomUUID } from 'node:crypto';
import { and, eq } from 'drizzle-orm';
import { logInEach, startDemoPlatform, type DemoPlatform } from '../support/demo-platform.ts';
import { callApi } from '../support/api-call.ts';
import { connectRt, type RawClient } from '../support/rt-client.ts';
import { sampleFiling } from '../../models/filing-rules/samples.ts';
import { courtToday } from '../../models/filing-rules/filing.ts';
import { hashPassword } from '../../hub/auth/password.ts';
import { createUser } from '../../storage/users/create-user.ts';
import { auditLog } from '../../storage/schema.ts';

let demo: DemoPlatform;
const tokens: Record<string, string> = {};
const userIds: Record<string, string> = {};
let chaoyang: string;
let haidian: string;
const sockets: RawClient[] = [];

const call = (method: string, path: string, who?: string, body?: unknown) => callApi(demo.base, method, path, { ...(who ? { token: tokens[who]! } : {}), ...(body === undefined ? {} : { body }) });
const queuePath = (courtId: string, query = '') => `/api/v1/courts/${courtId}/filing-queue${query}`;
const decisionPath = (filingId: string) => `/api/v1/filings/${filingId}/decision`;

let submitted = 0;

/**
 * A labour-remuneration filing (not on the auto-accept list, so it waits for a clerk), submitted by party1
 * through the actor. Each claims another amount: the same claims again would be a duplicate filing.
 */
async function submitForClerk(): Promise<string> {
  const id = randomUUID();
  const filing = sampleFiling('labourRemuneration', chaoyang);
  submitted += 1;
  filing.claims = [{ text: '判令被告支付拖欠工资', amount: `${36000 + submitted}.00` }];
  const reply = await demo.platform.actors.ask({ kind: 'filing', id }, { type: 'SUBMIT', by: { userId: userIds.party1!, role: 'party' }, filing });
  if (!reply.ok) throw new Error(`SUBMIT refused: ${JSON.stringify(reply)}`);
  return id;
}

const idsOf = (json: { filings: { id: string }[] }) => json.filings.map((filing) => filing.id);
const inFuture = (days: number) => new Date(Date.parse(`${courtToday()}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);

let waiting: string[] = [];

beforeAll(async () => {
  demo = await startDemoPlatform({ tempPrefix: 'ecourt-filing-queue-api-' });
  const courts = (await call('GET', '/api/v1/courts')).json.courts as { id: string; code: string }[];
  chaoyang = courts.find((court) => court.code === '京0105')!.id;
  haidian = courts.find((court) => court.code === '京0108')!.id;
  await createUser({
    db: demo.platform.database.db,
    cipher: demo.platform.cipher,
    user: { username: 'haidian-clerk', displayName: '海淀书记员', role: 'clerk', courtId: haidian, passwordHash: await hashPassword('demo-password-1') },
    actor: { userId: null, role: null },
  });
  await logInEach(demo, ['clerk1', 'judge1', 'admin1', 'party1', 'lawyer1', 'haidian-clerk'], { tokens, userIds });
  for (let i = 0; i < 4; i += 1) waiting.push(await submitForClerk());
}, 120_000);

afterAll(async () => {
  for (const ws of sockets) ws.terminate();
  await demo?.stop();
});

describe('GET /api/v1/courts/:courtId/filing-queue', () => {
  it('lists the court’s filings waiting for a clerk, oldest first, with the uncertain rules, parties by name only', async () => {
    for (const who of ['clerk1', 'judge1', 'admin1']) {
      const { status, json } = await call('GET', queuePath(chaoyang), who);
      expect(status, JSON.stringify(json)).toBe(200);
      expect(idsOf(json).filter((id) => waiting.includes(id))).toEqual(waiting);
    }
    const { json } = await call('GET', queuePath(chaoyang, '?status=needsClerk'), 'clerk1');
    expect(json.total).toBeGreaterThanOrEqual(4);
    const item = json.filings.find((filing: { id: string }) => filing.id === waiting[0]);
    expect(item).toMatchObject({
      courtId: chaoyang,
      status: 'needsClerk',
      state: 'needsClerk',
      cause: 'labourRemuneration',
      ruleDecision: 'needsClerk',
      ruleSetVersion: 1,
      filedBy: { userId: userIds.party1, role: 'party', displayName: '陈静' },
      plaintiffs: ['王强'],
      defendants: ['北京示范商贸有限公司'],
      fee: expect.any(String),
    });
    expect(item.trace.length).toBeGreaterThan(5);
    expect(item.concerns.length).toBeGreaterThan(0);
    for (const concern of item.concerns) {
      expect(['fail', 'uncertain']).toContain(concern.outcome);
      expect(concern.reason).toMatchObject({ zh: expect.any(String), en: expect.any(String) });
    }
    // The cause is not on the court's auto-accept list: that is why a clerk looks.
    expect(item.concerns.map((concern: { ruleId: string }) => concern.ruleId)).toContain('autoAcceptCause');
    // Identifiers never reach the queue (the sample's ID numbers and phones).
    const sample = sampleFiling('labourRemuneration', chaoyang);
    const identifiers = [...sample.plaintiffs, ...sample.defendants].flatMap((party) => [party.idNumber, party.phone]).filter((value): value is string => Boolean(value));
    expect(identifiers.length).toBeGreaterThan(1);
    for (const identifier of identifiers) expect(JSON.stringify(json)).not.toContain(identifier);
  });

  it('pages oldest first and filters by status', async () => {
    const first = await call('GET', queuePath(chaoyang, '?status=needsClerk&limit=2'), 'clerk1');
    const rest = await call('GET', queuePath(chaoyang, '?status=needsClerk&limit=2&offset=2'), 'clerk1');
    expect([...idsOf(first.json), ...idsOf(rest.json)].filter((id) => waiting.includes(id))).toEqual(waiting);
    expect(first.json).toMatchObject({ limit: 2, offset: 0 });
    const returned = await call('GET', queuePath(chaoyang, '?status=returned'), 'clerk1');
    expect(returned.json.filings.every((filing: { status: string }) => filing.status === 'returned')).toBe(true);
    const bad = await call('GET', queuePath(chaoyang, '?status=accepted'), 'clerk1');
    expect(bad.status).toBe(422);
    expect(bad.json.error.details.issues[0].path).toBe('query.status');
  });

  it('refuses litigants and another court’s staff (403) and callers without a session (401)', async () => {
    for (const who of ['party1', 'lawyer1', 'haidian-clerk']) {
      const { status, json } = await call('GET', queuePath(chaoyang), who);
      expect(status, who).toBe(403);
      expect(json.error.code).toBe('FORBIDDEN');
    }
    expect((await call('GET', queuePath(chaoyang))).status).toBe(401);
    const own = await call('GET', queuePath(haidian), 'haidian-clerk');
    expect(own.status).toBe(200);
    expect(idsOf(own.json).some((id) => waiting.includes(id))).toBe(false);
  });
});

describe('POST /api/v1/filings/:filingId/decision', () => {
  it('a clerk accepts with a reason: the actor takes it and the decision is audited with the reason', async () => {
    const { status, json } = await call('POST', decisionPath(waiting[0]!), 'clerk1', { decision: 'accept', reason: '劳动争议已经仲裁，材料齐全，准予立案' });
    expect(status, JSON.stringify(json)).toBe(200);
    expect(json.filing.id).toBe(waiting[0]);
    // Accepted by the clerk: 'submitted' until the acceptor has created the case, then 'accepted'.
    expect(['submitted', 'accepted']).toContain(json.filing.status);
    expect(['clerkAccepted', 'accepted']).toContain(json.filing.state);
    const audits = await demo.platform.database.db.select().from(auditLog).where(and(eq(auditLog.subjectKind, 'filing'), eq(auditLog.subjectId, waiting[0]!)));
    const decide = audits.find((row) => row.action === 'filing.DECIDE');
    expect(decide).toMatchObject({ actorUserId: userIds.clerk1, actorRole: 'clerk' });
    expect(decide!.detail).toMatchObject({ decision: 'accept', reason: '劳动争议已经仲裁，材料齐全，准予立案' });
  });

  it('a judge returns for correction with the fields and a deadline; a clerk rejects with reasons', async () => {
    const deadline = inFuture(10);
    const returned = await call('POST', decisionPath(waiting[1]!), 'judge1', { decision: 'return', reason: '请补充劳动仲裁裁决书', fields: ['materials'], deadline });
    expect(returned.status, JSON.stringify(returned.json)).toBe(200);
    expect(returned.json.filing).toMatchObject({ status: 'returned', correction: { fields: ['materials'], deadline } });
    const rejected = await call('POST', decisionPath(waiting[2]!), 'clerk1', { decision: 'reject', reason: '不属于人民法院受理民事诉讼的范围' });
    expect(rejected.json.filing.status).toBe('rejected');
    const queue = await call('GET', queuePath(chaoyang, '?status=needsClerk'), 'clerk1');
    expect(idsOf(queue.json)).not.toContain(waiting[2]);
    expect(idsOf((await call('GET', queuePath(chaoyang, '?status=returned'), 'clerk1')).json)).toContain(waiting[1]);
  });

  it('a filing already decided is refused by the actor with FILING_TRANSITION_NOT_ALLOWED', async () => {
    const { status, json } = await call('POST', decisionPath(waiting[2]!), 'clerk1', { decision: 'accept', reason: '再次决定' });
    expect(status).toBe(409);
    expect(json.error.code).toBe('FILING_TRANSITION_NOT_ALLOWED');
  });

  it('refuses litigants (403); another court’s staff and unknown filings get 404; no session 401', async () => {
    const party = await call('POST', decisionPath(waiting[3]!), 'party1', { decision: 'accept', reason: '我自己同意' });
    expect(party.status).toBe(403);
    expect(party.json.error.code).toBe('FORBIDDEN');
    const other = await call('POST', decisionPath(waiting[3]!), 'haidian-clerk', { decision: 'reject', reason: '不属本院' });
    expect(other.status).toBe(404);
    expect(other.json.error.code).toBe('NOT_FOUND');
    expect((await call('POST', decisionPath(randomUUID()), 'clerk1', { decision: 'accept', reason: '没有这个申请' })).status).toBe(404);
    expect((await call('POST', decisionPath(waiting[3]!), undefined, { decision: 'accept', reason: '匿名' })).status).toBe(401);
    const still = await call('GET', queuePath(chaoyang, '?status=needsClerk'), 'clerk1');
    expect(idsOf(still.json)).toContain(waiting[3]);
  });

  it('refuses bad input with VALIDATION_FAILED naming the field: no reason, fields or deadline without a return, a past deadline', async () => {
    const cases: [unknown, string][] = [
      [{ decision: 'accept', reason: '' }, 'body.reason'],
      [{ decision: 'accept' }, 'body.reason'],
      [{ decision: 'approve', reason: '准予立案' }, 'body.decision'],
      [{ decision: 'accept', reason: '准予立案', fields: ['facts'] }, 'body.fields'],
      [{ decision: 'reject', reason: '不予受理', deadline: inFuture(5) }, 'body.deadline'],
      [{ decision: 'return', reason: '请补正', fields: ['facts'], deadline: '2020-01-01' }, 'body.deadline'],
      [{ decision: 'return', reason: '请补正', fields: ['facts'], deadline: '2026-02-30' }, 'body.deadline'],
      [{ decision: 'return', reason: '请补正', fields: [] }, 'body.fields'],
    ];
    for (const [body, path] of cases) {
      const { status, json } = await call('POST', decisionPath(waiting[3]!), 'clerk1', body);
      expect(status, JSON.stringify(body)).toBe(422);
      expect(json.error.code).toBe('VALIDATION_FAILED');
      expect(json.error.details.issues.map((issue: { path: string }) => issue.path)).toContain(path);
    }
    const bad = await call('POST', decisionPath('x'), 'clerk1', { decision: 'accept', reason: '准予立案' });
    expect(bad.json.error.details.issues[0].path).toBe('params.filingId');
  });
});

describe('live over /rt', () => {
  it('court staff following the queue get the filing events of their court; the filer following the inbox is told to refetch', async () => {
    const clerk = await connectRt(demo.base, `?token=${tokens.clerk1}`, sockets);
    await clerk.next('ready');
    clerk.send({ v: 1, type: 'filingQueue.follow' });
    expect(await clerk.next('filingQueue.following')).toEqual({ v: 1, type: 'filingQueue.following', courtId: chaoyang });
    const otherCourt = await connectRt(demo.base, `?token=${tokens['haidian-clerk']}`, sockets);
    await otherCourt.next('ready');
    otherCourt.send({ v: 1, type: 'filingQueue.follow' });
    await otherCourt.next('filingQueue.following');
    const filer = await connectRt(demo.base, `?token=${tokens.party1}`, sockets);
    await filer.next('ready');
    filer.send({ v: 1, type: 'inbox.follow' });
    await filer.next('inbox.following');
    // A litigant may not follow a court's queue.
    const lawyer = await connectRt(demo.base, `?token=${tokens.lawyer1}`, sockets);
    await lawyer.next('ready');
    lawyer.send({ v: 1, type: 'filingQueue.follow' });
    expect(await lawyer.next('error')).toMatchObject({ code: 'FORBIDDEN' });

    // Other filings' events may come in between (the acceptor finishing an earlier acceptance): wait for this filing's.
    const eventOf = async (id: string, type: string) => {
      for (;;) {
        const message = await clerk.next('filing.event');
        if (message.event.id === id && message.event.type === type) return message;
      }
    };
    const id = await submitForClerk();
    const event = await eventOf(id, 'SUBMIT');
    expect(event.event).toMatchObject({ kind: 'filing', id, type: 'SUBMIT', state: 'needsClerk', summary: { courtId: chaoyang, filedBy: userIds.party1 } });
    let hint = await filer.next('inbox.changed');
    while (hint.filingId !== id) hint = await filer.next('inbox.changed');
    expect(hint).toEqual({ v: 1, type: 'inbox.changed', filingId: id, state: 'needsClerk' });

    await call('POST', decisionPath(id), 'clerk1', { decision: 'reject', reason: '重复起诉' });
    expect((await eventOf(id, 'DECIDE')).event).toMatchObject({ id, type: 'DECIDE', state: 'rejected' });
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(otherCourt.received().filter((message) => message.type === 'filing.event')).toEqual([]);

    clerk.send({ v: 1, type: 'filingQueue.unfollow' });
    await clerk.next('filingQueue.unfollowed');
    const unseen = await submitForClerk();
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(clerk.received().filter((message) => message.type === 'filing.event' && message.event.id === unseen)).toEqual([]);
  });
});
