import { randomUUID } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { createInProcessBus } from '../../actors/bus/in-process-bus.ts';
import { createHearingBehaviour, HEARING_KIND } from '../../actors/hearing/hearing-behaviour.ts';
import {
  hearingClientMessage,
  hearingCommand,
  hearingEvent,
  hearingSummary,
  SYSTEM_SENDER,
} from '../../actors/hearing/hearing.protocol.ts';
import { ActorHost } from '../../actors/runtime/actor-host.ts';
import { MemoryJournal } from '../support/memory-journal.ts';
import { CASE_ID, CLERK_A, COURT_A, EVERYONE, JUDGE, PARTY_A, PASSED_CHECK, STRANGER, senderOf } from '../support/hearing-fixtures.ts';

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0)) await cleanup();
});

/** The hearing behaviour in a real ActorHost with an in-memory journal (not the runtime's registry). */
function hostWithHearings() {
  const journal = new MemoryJournal();
  const bus = createInProcessBus();
  const host = new ActorHost({ nodeId: 'n1', journal, bus, behaviours: [createHearingBehaviour({ lobbyLeadMinutes: 15 })], shardCount: 4 });
  cleanups.push(async () => {
    await host.stop();
    await bus.close();
  });
  const ref = { kind: HEARING_KIND, id: randomUUID() };
  return { host, journal, ref };
}

const startsAt = () => new Date(Date.now() + 3 * 86400_000).toISOString();
const schedule = () => ({ type: 'SCHEDULE', by: senderOf(CLERK_A), caseId: CASE_ID, courtId: COURT_A, courtroom: '第三法庭', startsAt: startsAt(), participants: EVERYONE });

describe('hearing behaviour in the actor host', () => {
  it('journals SCHEDULE stamped, with the configured lobby lead and grace fixed in the event', async () => {
    const { host, journal, ref } = hostWithHearings();
    const reply = await host.handle(ref, schedule());
    expect(reply).toMatchObject({ ok: true, seq: 1, state: 'scheduled' });
    const [record] = journal.recordsOf(ref);
    expect(record?.event).toMatchObject({ type: 'SCHEDULE', lobbyLeadMinutes: 15, reconnectGraceSeconds: 60, at: expect.any(String) });
    expect(hearingEvent.safeParse(record?.event).success).toBe(true);
  });

  it('a hearing comes into being only by SCHEDULE', async () => {
    const { host, ref } = hostWithHearings();
    expect(await host.handle(ref, { type: 'START', by: senderOf(JUDGE) })).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
  });

  it('answers refusals with the hearing codes and a plain reason, journalling nothing', async () => {
    const { host, journal, ref } = hostWithHearings();
    await host.handle(ref, schedule());
    const ask = (command: Record<string, unknown>) => host.handle(ref, command);
    expect(await ask({ type: 'START', by: STRANGER })).toMatchObject({ ok: false, error: { code: 'NOT_A_PARTICIPANT', message: 'you are not a participant of this hearing' } });
    expect(await ask({ type: 'START', by: senderOf(PARTY_A) })).toMatchObject({ ok: false, error: { code: 'FORBIDDEN', message: 'only the judge of this hearing may start the hearing' } });
    expect(await ask({ type: 'START', by: senderOf(JUDGE) })).toMatchObject({ ok: false, error: { code: 'INVALID_STATE', message: 'START is not possible while the hearing is scheduled' } });
    expect(await ask({ type: 'MUTE', by: senderOf(JUDGE) })).toMatchObject({ ok: false, error: { code: 'VALIDATION_FAILED' } });
    // Data is checked before state: a past date is wrong whatever the hearing is doing.
    expect(await ask({ type: 'ADJOURN', by: senderOf(JUDGE), newStartsAt: '2020-01-01T00:00:00Z', reason: '改期' })).toMatchObject({ ok: false, error: { code: 'VALIDATION_FAILED' } });
    expect(journal.recordsOf(ref)).toHaveLength(1);
  });

  it('runs a hearing to the room and tells clients a summary without account ids or declarations', async () => {
    const { host, ref } = hostWithHearings();
    await host.handle(ref, schedule());
    const party = { by: senderOf(PARTY_A), participantId: PARTY_A.participantId };
    for (const command of [
      { type: 'OPEN_LOBBY', by: senderOf(CLERK_A) },
      { type: 'DEVICE_CHECKED', ...party, result: PASSED_CHECK },
      { type: 'DECLARE_IDENTITY', ...party, declaration: '本人确认' },
      { type: 'APPROVE_MANUAL_IDENTITY', by: senderOf(JUDGE), participantId: PARTY_A.participantId, note: '核对身份证原件' },
      { type: 'ENTER_WAITING', ...party },
      { type: 'ADMIT', by: senderOf(CLERK_A), participantId: PARTY_A.participantId },
      { type: 'JOIN_ROOM', ...party },
      { type: 'CONNECTION_LOST', by: SYSTEM_SENDER, participantId: PARTY_A.participantId },
    ]) {
      expect(await host.handle(ref, command), command.type).toMatchObject({ ok: true });
    }
    const reply = await host.handle(ref, { type: 'JOIN_ROOM', ...party });
    expect(reply).toMatchObject({ ok: true, state: 'lobbyOpen', seq: 10 });
    if (!reply.ok) throw new Error('refused');
    const summary = hearingSummary.parse(reply.summary);
    expect(summary.participants.find((participant) => participant.participantId === PARTY_A.participantId)).toMatchObject({ status: 'inRoom', deviceCheck: PASSED_CHECK });
    const text = JSON.stringify(reply.summary);
    expect(text).not.toContain(PARTY_A.accountId);
    expect(text).not.toContain('本人确认');
    // How the identity was checked is shown, the judge's note is not.
    expect(summary.participants.find((participant) => participant.participantId === PARTY_A.participantId)?.identityCheck).toMatchObject({ method: 'manual' });
    expect(text).not.toContain('核对身份证原件');
  });
});

describe('the hearing’s language', () => {
  /** A host over the given journal whose hub default language is `defaultLanguage` (none: unset). */
  function host(journal: MemoryJournal, defaultLanguage?: 'zh' | 'en') {
    const bus = createInProcessBus();
    const created = new ActorHost({ nodeId: 'n1', journal, bus, behaviours: [createHearingBehaviour(defaultLanguage ? { defaultLanguage } : {})], shardCount: 4 });
    const stop = async () => {
      await created.stop();
      await bus.close();
    };
    cleanups.push(stop);
    return { host: created, stop };
  }
  const summaryOf = (reply: Awaited<ReturnType<ActorHost['handle']>>) => {
    if (!reply.ok) throw new Error(`refused: ${JSON.stringify(reply)}`);
    return hearingSummary.parse(reply.summary);
  };

  it('is stamped into SCHEDULE from the hub default when the scheduler chose none, and shown in the summary', async () => {
    const journal = new MemoryJournal();
    const { host: hub } = host(journal, 'zh');
    const chosen = { kind: HEARING_KIND, id: randomUUID() };
    const defaulted = { kind: HEARING_KIND, id: randomUUID() };
    expect(summaryOf(await hub.handle(chosen, { ...schedule(), language: 'en' })).language).toBe('en');
    expect(summaryOf(await hub.handle(defaulted, schedule())).language).toBe('zh');
    expect(journal.recordsOf(chosen)[0]?.event).toMatchObject({ type: 'SCHEDULE', language: 'en' });
    expect(journal.recordsOf(defaulted)[0]?.event).toMatchObject({ type: 'SCHEDULE', language: 'zh' });
    expect(await hub.handle({ kind: HEARING_KIND, id: randomUUID() }, { ...schedule(), language: 'fr' })).toMatchObject({ ok: false, error: { code: 'VALIDATION_FAILED' } });
  });

  it('replays as journalled: a SCHEDULE without a language stays without one, whatever today’s default', async () => {
    const journal = new MemoryJournal();
    const ref = { kind: HEARING_KIND, id: randomUUID() };
    const before = host(journal);
    expect(summaryOf(await before.host.handle(ref, schedule())).language).toBeNull();
    expect(journal.recordsOf(ref)[0]?.event).not.toHaveProperty('language');
    await before.stop();
    // Journalled before hearings had a language; the hub now defaults to English: downstream, null means that default.
    const now = host(journal, 'en');
    expect(summaryOf(await now.host.handle(ref, { type: 'OPEN_LOBBY', by: senderOf(CLERK_A) }))).toMatchObject({ language: null, courtroom: '第三法庭' });
  });
});

describe('hearing protocol', () => {
  it('validates commands: unknown types, missing participants, bad device checks and oversize text are refused', () => {
    const by = senderOf(JUDGE);
    expect(hearingCommand.safeParse({ type: 'SHOUT', by }).success).toBe(false);
    expect(hearingCommand.safeParse({ type: 'ADMIT', by }).success).toBe(false);
    expect(hearingCommand.safeParse({ type: 'ADMIT', by, participantId: 'a b' }).success).toBe(false);
    expect(hearingCommand.safeParse({ type: 'DEVICE_CHECKED', by, participantId: 'p', result: { passed: 'yes' } }).success).toBe(false);
    expect(hearingCommand.safeParse({ type: 'SUSPEND', by, reason: 'x'.repeat(2001) }).success).toBe(false);
    expect(hearingCommand.safeParse({ type: 'ADMIT', by, participantId: 'p' }).success).toBe(true);
  });

  it('a client message carries the protocol version', () => {
    const command = { type: 'RAISE_HAND', by: senderOf(PARTY_A), participantId: PARTY_A.participantId };
    expect(hearingClientMessage.safeParse({ v: 1, command }).success).toBe(true);
    expect(hearingClientMessage.safeParse({ v: 2, command }).success).toBe(false);
    expect(hearingClientMessage.safeParse({ command }).success).toBe(false);
  });
});
