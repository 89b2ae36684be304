import { randomBytes, randomUUID } from 'node:crypto';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { assign, setup } from 'xstate';
import { z } from 'zod';
import { createInProcessBus } from '../../actors/bus/in-process-bus.ts';
import type { Bus } from '../../actors/bus/bus.ts';
import { subjects } from '../../actors/bus/subjects.ts';
import { createCaseBehaviour } from '../../actors/case/case-behaviour.ts';
import type { ActorBehaviour } from '../../actors/runtime/actor-behaviour.ts';
import { ActorHost, type ActorHostOptions } from '../../actors/runtime/actor-host.ts';
import { createBusActorClient } from '../../actors/runtime/bus-actor-client.ts';
import { shardOf } from '../../actors/runtime/shards.ts';
import type { CommandReply, DomainEvent, DomainEventBatch, InspectionBatch, InspectionEvent } from '../../actors/runtime/types.ts';
import { createPersonalDataCipher } from '../../platform/personal-data.ts';
import { MemoryJournal } from '../support/memory-journal.ts';

const COURT_ID = '5a0e2f7c-1d3b-4c5e-8f9a-0b1c2d3e4f50';
const party = { userId: '9e8d7c6b-5a49-4382-9170-6f5e4d3c2b1a', role: 'party' };
const judge = { userId: '1e8d7c6b-5a49-4382-9170-6f5e4d3c2b1b', role: 'judge' };
const ID_NUMBER = '110105199001011234';
const PHONE = '13800138000';

const fileCommand = () => ({
  type: 'FILE',
  by: party,
  filing: {
    courtId: COURT_ID,
    cause: '民间借贷纠纷',
    claims: '判令被告偿还借款12000元',
    claimAmount: '12000.00',
    plaintiffs: [{ name: '张三', kind: 'person', idNumber: ID_NUMBER, phone: PHONE }],
    defendants: [{ name: '李四', kind: 'person' }],
  },
});
const simple = (type: string) => ({ type, by: judge });
const schedule = (hearingId: string) => ({ type: 'SCHEDULE_HEARING', by: judge, hearingId, startsAt: '2026-12-01T09:00:00+08:00', courtroom: '第一法庭' });
const held = (hearingId: string) => ({ type: 'RECORD_HEARING_HELD', by: judge, hearingId });

/** Ten legal commands in a row for one case. */
function lifeOfACase() {
  const [h1, h2, h3] = [randomUUID(), randomUUID(), randomUUID()];
  return [fileCommand(), simple('BEGIN_REVIEW'), simple('ACCEPT'), schedule(h1), held(h1), schedule(h2), held(h2), schedule(h3), held(h3), { type: 'ISSUE_JUDGMENT', by: judge, summary: '判决被告偿还' }];
}

function expectOk(reply: CommandReply): Extract<CommandReply, { ok: true }> {
  if (!reply.ok) throw new Error(`expected ok, got ${JSON.stringify(reply.error)}`);
  return reply;
}

describe('ActorHost with the case actor', () => {
  const cleanups: Array<() => Promise<void>> = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
    vi.useRealTimers();
  });

  function makeHost(overrides: Partial<ActorHostOptions> & { journal?: MemoryJournal; bus?: Bus } = {}) {
    const journal = overrides.journal ?? new MemoryJournal();
    const bus = overrides.bus ?? createInProcessBus();
    const cipher = createPersonalDataCipher(randomBytes(32));
    let sequence = 0;
    const numbersDrawn: string[] = [];
    // The court and the accounts this file's commands name; anything else is unknown.
    const knownIds = new Set([COURT_ID, party.userId, judge.userId]);
    const behaviour = createCaseBehaviour({
      cipher,
      checkFilingReferences: async ({ courtId, userIds }) => ({ courtKnown: knownIds.has(courtId), unknownUserIds: userIds.filter((id) => !knownIds.has(id)) }),
      reserveCaseNumbers: async (_courtId, _at, count) =>
        Array.from({ length: count }, () => {
          const number = `(2026)京0105民初${++sequence}号`;
          numbersDrawn.push(number);
          return number;
        }),
    });
    const host = new ActorHost({
      nodeId: 'n1',
      journal,
      bus,
      behaviours: [behaviour],
      shardCount: 8,
      groupCommit: { maxBatch: 512, maxDelayMs: 2 },
      ...overrides,
    });
    cleanups.push(async () => {
      await host.stop();
      if (!overrides.bus) await bus.close();
    });
    return { host, journal, bus, cipher, numbersDrawn };
  }

  it('files a case: seals identifiers, journals the event and answers with the new state', async () => {
    const { host, journal, cipher } = makeHost();
    const id = randomUUID();
    const reply = expectOk(await host.handle({ kind: 'case', id }, fileCommand()));
    expect(reply).toMatchObject({ seq: 1, state: 'filed', context: { caseId: id, cause: '民间借贷纠纷', courtId: COURT_ID } });
    const [record] = journal.recordsOf({ kind: 'case', id });
    expect(record).toMatchObject({ kind: 'case', id, seq: 1, state: 'filed', event: { type: 'FILE', by: party } });
    const stored = JSON.stringify(journal.recordsOf({ kind: 'case', id }));
    expect(stored).not.toContain(ID_NUMBER);
    expect(stored).not.toContain(PHONE);
    const plaintiff = (record!.event as unknown as { filing: { plaintiffs: Array<{ idNumberSealed: string; phoneSealed: string }> } }).filing.plaintiffs[0]!;
    expect(cipher.open(plaintiff.idNumberSealed)).toBe(ID_NUMBER);
    expect(cipher.open(plaintiff.phoneSealed)).toBe(PHONE);
    expect(plaintiff).not.toHaveProperty('idNumber');
  });

  it('refuses invalid commands with VALIDATION_FAILED and journals nothing', async () => {
    const { host, journal } = makeHost();
    const id = randomUUID();
    const bad = await host.handle({ kind: 'case', id }, { ...fileCommand(), filing: { ...fileCommand().filing, claimAmount: 12.5 } });
    expect(bad).toMatchObject({ ok: false, error: { code: 'VALIDATION_FAILED' } });
    expect((bad as { error: { details: Array<{ path: string }> } }).error.details.some((d) => d.path.includes('claimAmount'))).toBe(true);
    expect(await host.handle({ kind: 'case', id }, { type: 'SELF_DESTRUCT', by: judge })).toMatchObject({ ok: false, error: { code: 'VALIDATION_FAILED' } });
    expect(await host.handle({ kind: 'nothing', id }, simple('CLOSE'))).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
    expect(await host.handle({ kind: 'case', id: 'a.b' }, fileCommand())).toMatchObject({ ok: false, error: { code: 'VALIDATION_FAILED' } });
    expect(journal.totalRecords).toBe(0);
  });

  it('refuses a filing naming an unknown court or account with VALIDATION_FAILED (the read tables have no foreign keys)', async () => {
    const { host, journal } = makeHost();
    const unknownCourt = await host.handle({ kind: 'case', id: randomUUID() }, { ...fileCommand(), filing: { ...fileCommand().filing, courtId: randomUUID() } });
    expect(unknownCourt).toMatchObject({ ok: false, error: { code: 'VALIDATION_FAILED', details: [{ path: 'filing.courtId' }] } });
    const stranger = { name: '王五', kind: 'person', userId: randomUUID() };
    const unknownParty = await host.handle({ kind: 'case', id: randomUUID() }, { ...fileCommand(), filing: { ...fileCommand().filing, defendants: [stranger] } });
    expect(unknownParty).toMatchObject({ ok: false, error: { code: 'VALIDATION_FAILED', details: [{ path: 'filing.userId' }] } });
    expect(JSON.stringify(unknownParty)).not.toContain(stranger.userId);
    expect(journal.totalRecords).toBe(0);
    // A filing with known references in the same host still goes through.
    expectOk(await host.handle({ kind: 'case', id: randomUUID() }, { ...fileCommand(), filing: { ...fileCommand().filing, defendants: [{ name: '李四', kind: 'person', userId: judge.userId }] } }));
  });

  it('a case that was never filed is not found, and is not kept in memory', async () => {
    const { host, journal } = makeHost();
    const reply = await host.handle({ kind: 'case', id: randomUUID() }, simple('BEGIN_REVIEW'));
    expect(reply).toEqual({ ok: false, error: { code: 'NOT_FOUND', message: 'case not found' } });
    expect(host.stats().liveActors).toBe(0);
    expect(journal.totalRecords).toBe(0);
  });

  it('refuses an illegal transition with CASE_TRANSITION_NOT_ALLOWED; an illegal ACCEPT draws no case number', async () => {
    const { host, journal, numbersDrawn } = makeHost();
    const ref = { kind: 'case', id: randomUUID() };
    expectOk(await host.handle(ref, fileCommand()));
    expect(await host.handle(ref, simple('ACCEPT'))).toMatchObject({ ok: false, error: { code: 'CASE_TRANSITION_NOT_ALLOWED', details: { state: 'filed' } } });
    expect(await host.handle(ref, simple('ARCHIVE'))).toMatchObject({ ok: false, error: { code: 'CASE_TRANSITION_NOT_ALLOWED' } });
    expect(await host.handle(ref, fileCommand())).toMatchObject({ ok: false, error: { code: 'CASE_TRANSITION_NOT_ALLOWED' } });
    expect(numbersDrawn).toEqual([]);
    expectOk(await host.handle(ref, simple('BEGIN_REVIEW')));
    const accepted = expectOk(await host.handle(ref, simple('ACCEPT')));
    expect(accepted.context).toMatchObject({ caseNumber: '(2026)京0105民初1号', courtCode: '京0105' });
    expect(journal.recordsOf(ref).map((r) => r.seq)).toEqual([1, 2, 3]);
    expect(journal.recordsOf(ref)[2]?.event).toEqual({ type: 'ACCEPT', by: judge, caseNumber: '(2026)京0105民初1号' });
  });

  it('a new case is filed without reading the journal; filing an existing id again is still refused', async () => {
    const journal = new MemoryJournal();
    const first = makeHost({ journal });
    const ref = { kind: 'case', id: randomUUID() };
    expectOk(await first.host.handle(ref, fileCommand()));
    expect(journal.loads).toBe(0);
    await first.host.stop();
    // Another host has never seen this id: its optimistic #1 conflicts, it reads the case and refuses.
    const second = makeHost({ journal });
    expect(await second.host.handle(ref, fileCommand())).toMatchObject({ ok: false, error: { code: 'CASE_TRANSITION_NOT_ALLOWED', details: { state: 'filed' } } });
    expect(journal.loads).toBe(1);
    expect(journal.recordsOf(ref)).toHaveLength(1);
    expect(expectOk(await second.host.handle(ref, simple('BEGIN_REVIEW')))).toMatchObject({ seq: 2, state: 'underReview' });
  });

  it('replies only after the group commit succeeded', async () => {
    const { host, journal } = makeHost();
    const release = journal.hold();
    let replied = false;
    const pending = host.handle({ kind: 'case', id: randomUUID() }, fileCommand()).then((reply) => {
      replied = true;
      return reply;
    });
    await new Promise((resolve) => setTimeout(resolve, 30));
    expect(replied).toBe(false);
    expect(journal.totalRecords).toBe(0);
    release();
    expect(expectOk(await pending).seq).toBe(1);
    expect(journal.totalRecords).toBe(1);
  });

  it('group commit: 1,000 concurrent commands to 100 actors take far fewer commits than records', async () => {
    const { host, journal } = makeHost();
    const ids = Array.from({ length: 100 }, () => randomUUID());
    const replies = await Promise.all(ids.flatMap((id) => lifeOfACase().map((command) => host.handle({ kind: 'case', id }, command))));
    expect(replies.every((reply) => reply.ok)).toBe(true);
    expect(journal.totalRecords).toBe(1000);
    expect(journal.commitSizes.reduce((a, b) => a + b, 0)).toBe(1000);
    expect(journal.commitSizes.length).toBeLessThanOrEqual(60);
    expect(host.stats()).toMatchObject({ records: 1000, commits: journal.commitSizes.length, pendingRecords: 0, liveActors: 100 });
    for (const id of ids) {
      const records = journal.recordsOf({ kind: 'case', id });
      expect(records.map((r) => r.seq)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
      expect(records.at(-1)?.state).toBe('judgmentIssued');
    }
  });

  it('snapshots every N events; a new host rebuilds the same case from snapshot + tail', async () => {
    const journal = new MemoryJournal();
    const first = makeHost({ journal, snapshotEvery: 4 });
    const ref = { kind: 'case', id: randomUUID() };
    const commands = lifeOfACase();
    let last: Extract<CommandReply, { ok: true }> | undefined;
    for (const command of commands.slice(0, 9)) last = expectOk(await first.host.handle(ref, command));
    await first.host.stop();
    expect(journal.snapshots.get(`case/${ref.id}`)?.seq).toBe(8);

    const second = makeHost({ journal });
    const tailOnly = expectOk(await second.host.handle(ref, commands[9]!));
    expect(tailOnly.seq).toBe(10);
    expect(tailOnly.state).toBe('judgmentIssued');

    // The same journal without the snapshot (replay from #1) must give the very same case.
    const replayJournal = new MemoryJournal();
    for (const record of journal.recordsOf(ref).slice(0, 9)) replayJournal.injectForeign(record);
    const third = makeHost({ journal: replayJournal });
    const replayed = expectOk(await third.host.handle(ref, commands[9]!));
    expect(replayed.context).toEqual(tailOnly.context);
    expect(last?.context?.historyLength).toBe(9);
    expect((tailOnly.context as { historyLength: number }).historyLength).toBe(10);
  });

  it('passivates idle actors with one coarse sweep and leaves no timer after stop()', async () => {
    vi.useFakeTimers();
    const { host, journal } = makeHost({ idleMs: 1000 });
    const ref = { kind: 'case', id: randomUUID() };
    const filing = host.handle(ref, fileCommand());
    await vi.advanceTimersByTimeAsync(5);
    expectOk(await filing);
    expect(host.stats().liveActors).toBe(1);
    await vi.advanceTimersByTimeAsync(600);
    expect(host.stats().liveActors).toBe(1);
    await vi.advanceTimersByTimeAsync(700);
    expect(host.stats().liveActors).toBe(0);
    expect(vi.getTimerCount()).toBe(0); // no sweep while nothing lives

    const review = host.handle(ref, simple('BEGIN_REVIEW'));
    await vi.advanceTimersByTimeAsync(5);
    expect(expectOk(await review)).toMatchObject({ seq: 2, state: 'underReview' });
    expect(journal.loads).toBe(1); // FILE started blank; after passivation the case is read back
    expect(host.stats().liveActors).toBe(1);
    await host.stop();
    expect(host.stats().liveActors).toBe(0);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('stop() commits commands in flight before it returns', async () => {
    const { host, journal } = makeHost({ groupCommit: { maxDelayMs: 10_000, maxBatch: 512 } });
    const replies = Array.from({ length: 5 }, () => host.handle({ kind: 'case', id: randomUUID() }, fileCommand()));
    await host.stop();
    expect((await Promise.all(replies)).every((reply) => reply.ok)).toBe(true);
    expect(journal.totalRecords).toBe(5);
    expect(await host.handle({ kind: 'case', id: randomUUID() }, fileCommand())).toMatchObject({ ok: false, error: { code: 'ACTOR_UNAVAILABLE' } });
  });

  it('a failed commit drops the actor; it rehydrates from what is durable', async () => {
    const { host, journal } = makeHost();
    const ref = { kind: 'case', id: randomUUID() };
    expectOk(await host.handle(ref, fileCommand()));
    journal.failNextCommit(() => new Error('database down'));
    expect(await host.handle(ref, simple('BEGIN_REVIEW'))).toMatchObject({ ok: false, error: { code: 'INTERNAL' } });
    expect(journal.recordsOf(ref)).toHaveLength(1);
    // In memory the review began, but it was never stored: the rehydrated case is still 'filed'.
    expect(await host.handle(ref, simple('ACCEPT'))).toMatchObject({ ok: false, error: { code: 'CASE_TRANSITION_NOT_ALLOWED', details: { state: 'filed' } } });
    expect(journal.loads).toBe(1);
    expect(expectOk(await host.handle(ref, simple('BEGIN_REVIEW')))).toMatchObject({ seq: 2, state: 'underReview' });
  });

  it('a journal conflict (another node wrote the actor) answers CONFLICT, spares the batch, and rehydrates', async () => {
    const { host, journal } = makeHost();
    const ref = { kind: 'case', id: randomUUID() };
    const other = { kind: 'case', id: randomUUID() };
    const filed = expectOk(await host.handle(ref, fileCommand()));
    expectOk(await host.handle(other, fileCommand()));
    // Another node took this case over and recorded #2 meanwhile.
    journal.injectForeign({ kind: 'case', id: ref.id, seq: 2, event: simple('BEGIN_REVIEW'), state: 'underReview', context: { ...filed.context, historyLength: 2 }, at: new Date().toISOString() });
    const [conflicted, innocent] = await Promise.all([host.handle(ref, { type: 'WITHDRAW', by: party, reason: '已与被告和解' }), host.handle(other, simple('BEGIN_REVIEW'))]);
    expect(conflicted).toMatchObject({ ok: false, error: { code: 'CONFLICT' } });
    expect(innocent).toMatchObject({ ok: true, seq: 2, state: 'underReview' });
    expect(journal.recordsOf(ref).map((r) => r.event.type)).toEqual(['FILE', 'BEGIN_REVIEW']);
    expect(expectOk(await host.handle(ref, simple('ACCEPT')))).toMatchObject({ seq: 3, state: 'accepted' });
  });

  it('serves shards over the bus, publishes domain and inspection events, and refuses shards it does not serve', async () => {
    const bus = createInProcessBus();
    cleanups.push(() => bus.close());
    const { host } = makeHost({ bus });
    const client = createBusActorClient({ bus, shardCount: 8, defaultTimeoutMs: 2000 });
    const domain: DomainEvent[] = [];
    const inspection: InspectionEvent[] = [];
    bus.subscribe(subjects.actorEventBatch('case'), (payload) => domain.push(...(payload as DomainEventBatch).events));
    // One message per group commit and kind, holding its transitions.
    bus.subscribe(subjects.allInspection(), (payload) => inspection.push(...(payload as InspectionBatch).events));
    host.serveAllShards();
    const id = randomUUID();
    const filed = expectOk(await client.ask({ kind: 'case', id }, fileCommand()));
    // Over the bus: the summary, never the full context (it holds the parties).
    expect(filed).toEqual({ ok: true, seq: 1, state: 'filed', summary: { cause: '民间借贷纠纷', courtId: COURT_ID, claimAmount: '12000.00', caseNumber: null } });
    await vi.waitFor(() => expect(domain).toHaveLength(1));
    expect(domain[0]).toMatchObject({ kind: 'case', id, seq: 1, type: 'FILE', state: 'filed', summary: { cause: '民间借贷纠纷', courtId: COURT_ID, claimAmount: '12000.00', caseNumber: null } });
    expect(JSON.stringify(domain[0])).not.toContain('张三');
    await vi.waitFor(() => expect(inspection).toHaveLength(1));
    expect(inspection[0]).toMatchObject({ actor: { kind: 'case', id }, eventType: 'FILE', seq: 1, node: 'n1' });

    const shard = shardOf(id, 8);
    await host.releaseShard('case', shard);
    expect(host.isServing('case', shard)).toBe(false);
    expect(host.stats().liveActors).toBe(0);
    const unserved = await client.ask({ kind: 'case', id }, simple('BEGIN_REVIEW'), { timeoutMs: 150 });
    expect(unserved).toMatchObject({ ok: false, error: { code: 'ACTOR_UNAVAILABLE' } });
    // A node whose shard count differs sends to the wrong shard subject: refused, not misapplied.
    const wrongShard = (shard + 1) % 8;
    const misrouted = await bus.request(subjects.actorCommand('case', wrongShard), { v: 1, id, command: simple('BEGIN_REVIEW') });
    expect(misrouted).toMatchObject({ ok: false, error: { code: 'ACTOR_UNAVAILABLE' } });

    // A batch: one reply per command, in order; a malformed entry is refused on its own.
    // (on a shard still served: not the one released above)
    let other = randomUUID();
    while (shardOf(other, 8) === shard) other = randomUUID();
    const otherShard = shardOf(other, 8);
    const batch = await bus.request(subjects.actorCommand('case', otherShard), {
      v: 2,
      commands: [{ id: other, command: fileCommand() }, { id: other }, { id: other, command: simple('BEGIN_REVIEW') }],
    });
    expect(batch).toMatchObject({
      v: 2,
      replies: [
        { ok: true, seq: 1, state: 'filed' },
        { ok: false, error: { code: 'PROTOCOL_ERROR' } },
        { ok: true, seq: 2, state: 'underReview' },
      ],
    });
    expect((batch as { replies: object[] }).replies[0]).not.toHaveProperty('context');

    // The shard comes back (e.g. its lease returned): the case rehydrates and goes on.
    setTimeout(() => host.serveShard('case', shard), 50);
    expect(await client.ask({ kind: 'case', id }, simple('BEGIN_REVIEW'))).toMatchObject({ ok: true, seq: 2, state: 'underReview' });
  });

  it('answers batches on its node subject for the shards it serves; a stale route falls back to the shard subject', async () => {
    const bus = createInProcessBus();
    cleanups.push(() => bus.close());
    const { host } = makeHost({ bus });
    host.serveAllShards();
    const served = randomUUID();
    let released = randomUUID();
    while (shardOf(released, 8) === shardOf(served, 8)) released = randomUUID();
    await host.releaseShard('case', shardOf(released, 8));
    const batch = await bus.request(subjects.actorNodeCommand('n1'), {
      v: 2,
      commands: [{ kind: 'case', id: served, command: fileCommand() }, { kind: 'case', id: released, command: fileCommand() }, { id: served, command: simple('BEGIN_REVIEW') }],
    });
    expect(batch).toMatchObject({
      v: 2,
      replies: [{ ok: true, seq: 1, state: 'filed' }, { ok: false, error: { code: 'ACTOR_UNAVAILABLE' } }, { ok: false, error: { code: 'PROTOCOL_ERROR' } }],
    });

    // A client whose view says n1 holds every shard, though it released one: that command is sent
    // to n1, refused, and sent again on its shard's subject (served again by then).
    const distrusted: number[] = [];
    const routes = { nodeOf: (_kind: string, shard: number) => (distrusted.includes(shard) ? undefined : 'n1'), distrust: (_kind: string, shard: number) => void distrusted.push(shard), stop: async () => undefined };
    const client = createBusActorClient({ bus, shardCount: 8, defaultTimeoutMs: 2000, routes });
    setTimeout(() => host.serveShard('case', shardOf(released, 8)), 30);
    expect(await client.ask({ kind: 'case', id: released }, fileCommand())).toMatchObject({ ok: true, seq: 1, state: 'filed' });
    expect(distrusted).toEqual([shardOf(released, 8)]);
    expect(await client.ask({ kind: 'case', id: served }, simple('BEGIN_REVIEW'))).toMatchObject({ ok: true, seq: 2, state: 'underReview' });
    expect(distrusted).toHaveLength(1);
  });
});

describe('ActorHost with a failing machine', () => {
  type Cmd = { type: 'ADD'; n: number } | { type: 'BOOM' };
  const counterMachine = setup({
    types: { context: {} as { total: number }, events: {} as Cmd, input: {} as { id: string } },
    actions: {
      add: assign({ total: ({ context, event }) => context.total + (event.type === 'ADD' ? event.n : 0) }),
      explode: () => {
        throw new Error('a bug in an action');
      },
    },
  }).createMachine({
    context: { total: 0 },
    initial: 'counting',
    states: { counting: { on: { ADD: { actions: 'add' }, BOOM: { actions: 'explode' } } } },
  });
  const counter: ActorBehaviour<Cmd, Cmd> = {
    kind: 'counter',
    machine: counterMachine,
    input: (ref) => ({ id: ref.id }),
    commandSchema: z.discriminatedUnion('type', [z.object({ type: z.literal('ADD'), n: z.number().int() }), z.object({ type: z.literal('BOOM') })]),
    creationCommands: ['ADD', 'BOOM'],
    notFoundName: 'counter',
    refusalCode: 'CONFLICT',
    toEvent: async (command) => command,
    summary: (context) => ({ total: (context as { total: number }).total }),
  };

  it('an error inside the machine fails that actor only: it is dropped and rehydrated, the process lives on', async () => {
    const journal = new MemoryJournal();
    const bus = createInProcessBus();
    const host = new ActorHost({ nodeId: 'n2', journal, bus, behaviours: [counter], shardCount: 4 });
    try {
      const ref = { kind: 'counter', id: 'c1' };
      expect(await host.handle(ref, { type: 'ADD', n: 2 })).toMatchObject({ ok: true, seq: 1, context: { total: 2 } });
      expect(await host.handle(ref, { type: 'BOOM' })).toMatchObject({ ok: false, error: { code: 'INTERNAL' } });
      expect(journal.recordsOf(ref)).toHaveLength(1);
      expect(await host.handle(ref, { type: 'ADD', n: 3 })).toMatchObject({ ok: true, seq: 2, context: { total: 5 } });
      expect(journal.loads).toBe(1);
    } finally {
      await host.stop();
      await bus.close();
    }
  });
});
