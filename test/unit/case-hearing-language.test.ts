// The language a clerk or judge chooses when scheduling a hearing (庭审语言) travels with the case's
// SCHEDULE_HEARING: the hub's request schema takes it, the case actor journals it and keeps it in the
// case's hearing record; none chosen stays none (the hearing actor stamps the hub's default).
import { randomBytes, randomUUID } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { createInProcessBus } from '../../actors/bus/in-process-bus.ts';
import { createCaseBehaviour } from '../../actors/case/case-behaviour.ts';
import type { CaseContext } from '../../actors/case/case.machine.ts';
import { ActorHost } from '../../actors/runtime/actor-host.ts';
import type { CommandReply } from '../../actors/runtime/types.ts';
import { caseCommandRequest } from '../../hub/api/case-routes.ts';
import { createPersonalDataCipher } from '../../platform/personal-data.ts';
import { MemoryJournal } from '../support/memory-journal.ts';

const COURT_ID = '5a0e2f7c-1d3b-4c5e-8f9a-0b1c2d3e4f50';
const party = { userId: '9e8d7c6b-5a49-4382-9170-6f5e4d3c2b1a', role: 'party' };
const clerk = { userId: '1e8d7c6b-5a49-4382-9170-6f5e4d3c2b1b', role: 'clerk' };
const filing = {
  courtId: COURT_ID,
  cause: '民间借贷纠纷',
  claims: '判令被告偿还借款12000元',
  plaintiffs: [{ name: '张三', kind: 'person' }],
  defendants: [{ name: '李四', kind: 'person' }],
};
const schedule = (hearingId: string, language?: string) => ({
  type: 'SCHEDULE_HEARING',
  hearingId,
  startsAt: '2026-12-01T09:00:00+08:00',
  courtroom: '第一法庭',
  ...(language ? { language } : {}),
});

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0)) await cleanup();
});

/** An accepted case in a real host; the court, accounts and case numbers it needs are given, not looked up. */
async function acceptedCase() {
  const journal = new MemoryJournal();
  const bus = createInProcessBus();
  let sequence = 0;
  const behaviour = createCaseBehaviour({
    cipher: createPersonalDataCipher(randomBytes(32)),
    checkFilingReferences: async () => ({ courtKnown: true, unknownUserIds: [] }),
    reserveCaseNumbers: async (_courtId, _at, count) => Array.from({ length: count }, () => `(2026)京0105民初${++sequence}号`),
  });
  const host = new ActorHost({ nodeId: 'n1', journal, bus, behaviours: [behaviour], shardCount: 4 });
  cleanups.push(async () => {
    await host.stop();
    await bus.close();
  });
  const ref = { kind: 'case', id: randomUUID() };
  for (const command of [{ type: 'FILE', by: party, filing }, { type: 'BEGIN_REVIEW', by: clerk }, { type: 'ACCEPT', by: clerk }]) {
    expect(await host.handle(ref, command), command.type).toMatchObject({ ok: true });
  }
  return { host, journal, ref };
}

const contextOf = (reply: CommandReply) => {
  if (!reply.ok) throw new Error(`refused: ${JSON.stringify(reply.error)}`);
  return reply.context as unknown as CaseContext;
};

describe('a hearing’s language through the case', () => {
  it('is journalled with SCHEDULE_HEARING and kept in the case’s hearing record; none chosen stays none', async () => {
    const { host, journal, ref } = await acceptedCase();
    const english = randomUUID();
    const unchosen = randomUUID();
    contextOf(await host.handle(ref, { ...schedule(english, 'en'), by: clerk }));
    await host.handle(ref, { type: 'RECORD_HEARING_HELD', by: clerk, hearingId: english });
    const context = contextOf(await host.handle(ref, { ...schedule(unchosen), by: clerk }));
    expect(context.hearings).toEqual([
      { hearingId: english, startsAt: '2026-12-01T09:00:00+08:00', courtroom: '第一法庭', language: 'en', held: true },
      { hearingId: unchosen, startsAt: '2026-12-01T09:00:00+08:00', courtroom: '第一法庭', held: false },
    ]);
    const events = journal.recordsOf(ref).map((record) => record.event).filter((event) => event.type === 'SCHEDULE_HEARING');
    expect(events[0]).toMatchObject({ hearingId: english, language: 'en' });
    expect(events[1]).not.toHaveProperty('language');
  });

  it('takes only zh or en, from the hub’s request as from the actor’s command', async () => {
    expect(caseCommandRequest.safeParse(schedule(randomUUID(), 'zh')).success).toBe(true);
    expect(caseCommandRequest.safeParse(schedule(randomUUID())).success).toBe(true);
    expect(caseCommandRequest.safeParse(schedule(randomUUID(), 'fr')).success).toBe(false);
    const { host, ref } = await acceptedCase();
    expect(await host.handle(ref, { ...schedule(randomUUID(), 'fr'), by: clerk })).toMatchObject({ ok: false, error: { code: 'VALIDATION_FAILED' } });
  });
});
