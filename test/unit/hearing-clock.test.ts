import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { AnyMachineSnapshot } from 'xstate';
import { createInProcessBus } from '../../actors/bus/in-process-bus.ts';
import { subjects } from '../../actors/bus/subjects.ts';
import { createHearingBehaviour, hearingSummaryOf, HEARING_KIND } from '../../actors/hearing/hearing-behaviour.ts';
import { startHearingClock, type HearingClock } from '../../actors/hearing/hearing-clock.ts';
import type { HearingContext } from '../../actors/hearing/hearing.machine.ts';
import { SYSTEM_SENDER } from '../../actors/hearing/hearing.protocol.ts';
import { CommandRefusedError } from '../../actors/runtime/actor-behaviour.ts';
import { MachineRunner } from '../../actors/runtime/machine-runner.ts';
import type { ActorClient, CommandReply } from '../../actors/runtime/types.ts';
import { silentLogger } from '../../platform/logger.ts';
import { CASE_ID, CLERK_A, COURT_A, EVERYONE, JUDGE, PARTY_A, PASSED_CHECK, T0, senderOf } from '../support/hearing-fixtures.ts';

const HEARING = '3f2a1b0c-9d8e-4f7a-8b6c-5d4e3f2a1b0c';

/**
 * The hearing as the ActorHost runs it (behaviour + MachineRunner: no timers of its own), with the
 * clock following each accepted event, as it would from the bus.
 */
function journalledHearing() {
  const behaviour = createHearingBehaviour();
  const runner = new MachineRunner(behaviour.machine, { id: HEARING });
  let snapshot: AnyMachineSnapshot = runner.initial({ id: HEARING });
  const asked: string[] = [];
  let clock: HearingClock | null = null;
  const actors: ActorClient = {
    async ask(_ref, raw): Promise<CommandReply> {
      asked.push(raw.type);
      const command = behaviour.commandSchema.parse(raw);
      try {
        const view = { state: String(snapshot.value), context: snapshot.context, seq: 1, can: (event: { type: string }) => snapshot.status === 'active' && snapshot.can(event as never) };
        const event = await behaviour.toEvent(command, view, { ref: { kind: HEARING_KIND, id: HEARING }, now: new Date() });
        snapshot = runner.next(snapshot, event);
      } catch (error) {
        if (error instanceof CommandRefusedError) return { ok: false, error: { code: error.code, message: error.message } };
        throw error;
      }
      const summary = hearingSummaryOf(snapshot.context as HearingContext);
      clock?.follow({ id: HEARING, state: String(snapshot.value), summary });
      return { ok: true, seq: 1, state: String(snapshot.value), summary };
    },
  };
  const useClock = (options: { bus?: ReturnType<typeof createInProcessBus> } = {}) => {
    clock = startHearingClock({ actors, logger: silentLogger, ...options });
    return clock;
  };
  const state = () => String(snapshot.value);
  const status = () => (snapshot.context as HearingContext).participants[PARTY_A.participantId]?.status;
  const send = async (command: Record<string, unknown>) => {
    const reply = await actors.ask({ kind: HEARING_KIND, id: HEARING }, command as { type: string });
    if (!reply.ok) throw new Error(`${String(command.type)}: ${reply.error.message}`);
  };
  return { actors, useClock, state, status, send, asked };
}

const schedule = { type: 'SCHEDULE', by: senderOf(CLERK_A), caseId: CASE_ID, courtId: COURT_A, courtroom: '第三法庭', participants: EVERYONE };
const party = { by: senderOf(PARTY_A), participantId: PARTY_A.participantId };

async function partyInRoom(hearing: ReturnType<typeof journalledHearing>) {
  await hearing.send({ ...schedule, startsAt: new Date(T0 + 2 * 3600_000).toISOString() });
  await hearing.send({ type: 'OPEN_LOBBY', by: senderOf(CLERK_A) });
  await hearing.send({ type: 'DEVICE_CHECKED', ...party, result: PASSED_CHECK });
  await hearing.send({ type: 'DECLARE_IDENTITY', ...party, declaration: '本人确认' });
  await hearing.send({ type: 'APPROVE_MANUAL_IDENTITY', by: senderOf(JUDGE), participantId: PARTY_A.participantId, note: '核对身份证原件' });
  await hearing.send({ type: 'ENTER_WAITING', ...party });
  await hearing.send({ type: 'ADMIT', by: senderOf(JUDGE), participantId: PARTY_A.participantId });
  await hearing.send({ type: 'JOIN_ROOM', ...party });
}

beforeEach(() => {
  vi.useFakeTimers({ now: T0 });
});
afterEach(() => {
  vi.useRealTimers();
});

describe('hearing clock (the timers of a journalled hearing)', () => {
  it('opens the lobby at its time', async () => {
    const hearing = journalledHearing();
    const clock = hearing.useClock();
    await hearing.send({ ...schedule, startsAt: new Date(T0 + 2 * 3600_000).toISOString() });
    expect(clock.armed).toBe(1);
    await vi.advanceTimersByTimeAsync(90 * 60_000 - 1);
    expect(hearing.state()).toBe('scheduled');
    await vi.advanceTimersByTimeAsync(1000);
    expect(hearing.state()).toBe('lobbyOpen');
    expect(clock.armed).toBe(0);
    clock.stop();
    expect(vi.getTimerCount()).toBe(0);
  });

  it('a hearing weeks ahead waits (setTimeout cannot), and an early opening drops the timer', async () => {
    const hearing = journalledHearing();
    const clock = hearing.useClock();
    await hearing.send({ ...schedule, startsAt: new Date(T0 + 40 * 86400_000).toISOString() });
    await vi.advanceTimersByTimeAsync(30 * 86400_000);
    expect(hearing.state()).toBe('scheduled');
    expect(hearing.asked).not.toContain('OPEN_LOBBY');
    await hearing.send({ type: 'OPEN_LOBBY', by: senderOf(CLERK_A) });
    expect(clock.armed).toBe(0);
    clock.stop();
    expect(vi.getTimerCount()).toBe(0);
  });

  it('ends a reconnect grace period that runs out, and not one the participant came back in', async () => {
    const hearing = journalledHearing();
    const clock = hearing.useClock();
    await partyInRoom(hearing);
    await hearing.send({ type: 'CONNECTION_LOST', by: SYSTEM_SENDER, participantId: PARTY_A.participantId });
    expect(clock.armed).toBe(1);
    await vi.advanceTimersByTimeAsync(30_000);
    await hearing.send({ type: 'JOIN_ROOM', ...party });
    expect(clock.armed).toBe(0);
    await vi.advanceTimersByTimeAsync(60_000);
    expect(hearing.status()).toBe('inRoom');

    await hearing.send({ type: 'CONNECTION_LOST', by: SYSTEM_SENDER, participantId: PARTY_A.participantId });
    await vi.advanceTimersByTimeAsync(60_000);
    expect(hearing.status()).toBe('reconnecting');
    await vi.advanceTimersByTimeAsync(1000);
    expect(hearing.status()).toBe('left');
    expect(hearing.asked.filter((type) => type === 'RECONNECT_GRACE_ENDED')).toHaveLength(1);
    clock.stop();
    expect(vi.getTimerCount()).toBe(0);
  });

  it('tries once more when the host’s clock lags, then gives up', async () => {
    const asked: string[] = [];
    const refusing: ActorClient = {
      ask: async (_ref, command) => {
        asked.push(command.type);
        return { ok: false, error: { code: 'INVALID_STATE', message: 'not yet' } };
      },
    };
    const clock = startHearingClock({ actors: refusing, logger: silentLogger, retryMs: 2000 });
    clock.follow({ id: HEARING, state: 'scheduled', summary: { lobbyOpensAt: new Date(T0 + 1000).toISOString(), participants: [] } });
    await vi.advanceTimersByTimeAsync(10_000);
    expect(asked).toEqual(['OPEN_LOBBY', 'OPEN_LOBBY']);
    expect(clock.armed).toBe(0);
    clock.stop();
    expect(vi.getTimerCount()).toBe(0);
  });

  it('sends the transcript’s confirmation deadline, and a clock started after it passed sends it at once', async () => {
    const hearing = journalledHearing();
    const clock = hearing.useClock();
    await partyInRoom(hearing);
    await hearing.send({ type: 'START', by: senderOf(JUDGE) });
    await hearing.send({ type: 'END', by: senderOf(JUDGE) });
    await hearing.send({ type: 'SUBMIT_TRANSCRIPT', by: SYSTEM_SENDER, transcriptId: 'v1', confirmBy: new Date(Date.now() + 3600_000).toISOString() });
    expect(clock.armed).toBe(1);
    await vi.advanceTimersByTimeAsync(3600_000 - 1000);
    expect(hearing.state()).toBe('transcriptConfirmation');
    await vi.advanceTimersByTimeAsync(2000);
    expect(hearing.state()).toBe('archived');
    expect(hearing.asked.filter((type) => type === 'CONFIRMATION_DEADLINE_PASSED')).toHaveLength(1);
    clock.stop();

    // A restart: the server re-arms from hearing_live, where the deadline is already past.
    const asked: string[] = [];
    const later = startHearingClock({ actors: { ask: async (_ref, command) => (asked.push(command.type), { ok: true, seq: 2, state: 'archived', summary: {} }) }, logger: silentLogger });
    later.follow({ id: HEARING, state: 'transcriptConfirmation', summary: { participants: [], transcript: { transcriptId: 'v1', sha256: null, submittedAt: new Date(T0).toISOString(), confirmBy: new Date(T0 + 1000).toISOString(), archivedBecause: null, notReviewedAtArchive: [] } } });
    await vi.advanceTimersByTimeAsync(1000);
    expect(asked).toEqual(['CONFIRMATION_DEADLINE_PASSED']);
    later.stop();
    expect(vi.getTimerCount()).toBe(0);
  });

  it('follows the hearings’ event batches on the bus; stopping leaves no timer', async () => {
    const bus = createInProcessBus();
    const hearing = journalledHearing();
    const clock = startHearingClock({ actors: hearing.actors, logger: silentLogger, bus });
    const summary = { lobbyOpensAt: new Date(T0 + 60_000).toISOString(), participants: [] };
    bus.publish(subjects.actorEventBatch(HEARING_KIND), { kind: HEARING_KIND, events: [{ kind: HEARING_KIND, id: HEARING, seq: 1, type: 'SCHEDULE', state: 'scheduled', at: new Date(T0).toISOString(), summary }] });
    await vi.advanceTimersByTimeAsync(0);
    expect(clock.armed).toBe(1);
    clock.stop();
    expect(vi.getTimerCount()).toBe(0);
    await bus.close();
  });
});
