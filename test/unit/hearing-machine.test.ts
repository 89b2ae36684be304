import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createActor } from 'xstate';
import { allowedHearingCommands } from '../../actors/hearing/allowed-hearing-commands.ts';
import { MachineRunner } from '../../actors/runtime/machine-runner.ts';
import { hearingMachine, type HearingEffect } from '../../actors/hearing/hearing.machine.ts';
import { HEARING_STATES, SYSTEM_SENDER, type HearingCommandType, type HearingState } from '../../actors/hearing/hearing.protocol.ts';
import {
  CLERK_A,
  HEARING_ID,
  JUDGE,
  LAWYER_A,
  LOBBY_OPENS_AT,
  OBSERVER,
  PARTY_A,
  STARTS_AT,
  T0,
  TestHearing,
  approveManually,
  bring,
  permittedSender,
  seatJudge,
  senderOf,
} from '../support/hearing-fixtures.ts';

/** How to reach each state from a new actor (party A sits in the room from the lobby on). */
function hearingIn(state: HearingState): TestHearing {
  const hearing = new TestHearing();
  const judge = senderOf(JUDGE);
  const path: Record<HearingState, Array<() => unknown>> = {
    unscheduled: [],
    scheduled: [() => hearing.send('SCHEDULE', { userId: CLERK_A.accountId, role: 'clerk' })],
    lobbyOpen: [() => hearing.send('OPEN_LOBBY', senderOf(CLERK_A)), () => seatJudge(hearing), () => bring(hearing, PARTY_A, 'inRoom')],
    inSession: [() => hearing.send('START', judge)],
    paused: [() => hearing.send('PAUSE', judge)],
    suspended: [() => hearing.send('SUSPEND', judge, { reason: '当事人网络中断' })],
    concluded: [() => hearing.send('END', judge)],
    transcriptConfirmation: [() => hearing.send('SUBMIT_TRANSCRIPT', senderOf(CLERK_A), { transcriptId: 'transcript-1' })],
    archived: [() => hearing.send('ARCHIVE', senderOf(CLERK_A))],
    cancelled: [() => hearing.send('CANCEL', judge, { reason: '原告撤诉' })],
    failed: [() => hearing.send('FAIL', SYSTEM_SENDER, { reason: '媒体节点不可用' })],
  };
  const before: Partial<Record<HearingState, HearingState>> = {
    scheduled: 'unscheduled',
    lobbyOpen: 'scheduled',
    inSession: 'lobbyOpen',
    paused: 'inSession',
    suspended: 'inSession',
    concluded: 'inSession',
    transcriptConfirmation: 'concluded',
    archived: 'transcriptConfirmation',
    cancelled: 'scheduled',
    failed: 'scheduled',
  };
  const chain: HearingState[] = [];
  for (let at: HearingState | undefined = state; at !== undefined; at = before[at]) chain.unshift(at);
  for (const step of chain) for (const run of path[step]) run();
  expect(hearing.state).toBe(state);
  return hearing;
}

/** Commands about the hearing as a whole (participant steps are in hearing-participants.test.ts). */
const HEARING_COMMANDS: HearingCommandType[] = [
  'SCHEDULE', 'INVITE', 'OPEN_LOBBY', 'CANCEL', 'START', 'PAUSE', 'RESUME', 'SUSPEND', 'MUTE_ALL', 'END', 'ADJOURN',
  'SUBMIT_TRANSCRIPT', 'CONFIRM_TRANSCRIPT', 'ARCHIVE', 'FAIL',
];

/** Every legal hearing-level transition (the specification, written out by hand). */
const LEGAL: Array<[HearingState, HearingCommandType, HearingState]> = [
  ['unscheduled', 'SCHEDULE', 'scheduled'],
  ['scheduled', 'INVITE', 'scheduled'],
  ['scheduled', 'OPEN_LOBBY', 'lobbyOpen'],
  ['scheduled', 'CANCEL', 'cancelled'],
  ['scheduled', 'FAIL', 'failed'],
  ['lobbyOpen', 'INVITE', 'lobbyOpen'],
  ['lobbyOpen', 'START', 'inSession'],
  ['lobbyOpen', 'MUTE_ALL', 'lobbyOpen'],
  ['lobbyOpen', 'CANCEL', 'cancelled'],
  ['lobbyOpen', 'FAIL', 'failed'],
  ['inSession', 'INVITE', 'inSession'],
  ['inSession', 'PAUSE', 'paused'],
  ['inSession', 'SUSPEND', 'suspended'],
  ['inSession', 'MUTE_ALL', 'inSession'],
  ['inSession', 'END', 'concluded'],
  ['inSession', 'ADJOURN', 'scheduled'],
  ['inSession', 'FAIL', 'failed'],
  ['paused', 'INVITE', 'paused'],
  ['paused', 'RESUME', 'inSession'],
  ['paused', 'MUTE_ALL', 'paused'],
  ['paused', 'END', 'concluded'],
  ['paused', 'ADJOURN', 'scheduled'],
  ['paused', 'FAIL', 'failed'],
  ['suspended', 'INVITE', 'suspended'],
  ['suspended', 'RESUME', 'inSession'],
  ['suspended', 'MUTE_ALL', 'suspended'],
  ['suspended', 'END', 'concluded'],
  ['suspended', 'ADJOURN', 'scheduled'],
  ['suspended', 'FAIL', 'failed'],
  ['concluded', 'SUBMIT_TRANSCRIPT', 'transcriptConfirmation'],
  ['concluded', 'FAIL', 'failed'],
  ['transcriptConfirmation', 'CONFIRM_TRANSCRIPT', 'archived'],
  ['transcriptConfirmation', 'ARCHIVE', 'archived'],
  ['transcriptConfirmation', 'FAIL', 'failed'],
];

/** Sends `type` from a sender allowed to send it (about party A when it names a participant). */
function attempt(hearing: TestHearing, type: HearingCommandType) {
  return type === 'CONFIRM_TRANSCRIPT' ? hearing.about(PARTY_A, type) : hearing.try(type, permittedSender(type));
}

beforeEach(() => {
  vi.useFakeTimers({ now: T0 });
});
afterEach(() => {
  vi.useRealTimers();
});

describe('hearing machine: the hearing', () => {
  it('has exactly the states of the protocol', () => {
    expect(Object.keys(hearingMachine.states).sort()).toEqual([...HEARING_STATES].sort());
  });

  it.each(LEGAL)('%s —%s→ %s', (from, type, to) => {
    const hearing = hearingIn(from);
    const before = hearing.context.historyLength;
    expect(attempt(hearing, type)).toBeNull();
    expect(hearing.state).toBe(to);
    expect(hearing.context.historyLength).toBe(before + 1);
    hearing.stop();
  });

  it.each(HEARING_STATES)('refuses every hearing command with no transition from %s as INVALID_STATE, the hearing unchanged', (state) => {
    const legalHere = new Set(LEGAL.filter(([from]) => from === state).map(([, type]) => type));
    for (const type of HEARING_COMMANDS.filter((command) => !legalHere.has(command))) {
      const hearing = hearingIn(state);
      const before = hearing.actor.getSnapshot();
      const refusal = attempt(hearing, type);
      // Before SCHEDULE nobody is a participant yet (the host answers NOT_FOUND there anyway).
      const nobodyYet = state === 'unscheduled' && permittedSender(type).role !== 'system';
      expect(refusal?.code, `${type} in ${state}`).toBe(nobodyYet ? 'NOT_A_PARTICIPANT' : 'INVALID_STATE');
      expect(refusal?.reason).toMatch(/\w/);
      expect(hearing.actor.getSnapshot()).toBe(before);
      hearing.stop();
    }
  });

  it('allowedHearingCommands lists the legal hearing commands of every state, and participant steps only while the room can be used', () => {
    for (const state of HEARING_STATES) {
      const allowed = allowedHearingCommands(state);
      const hearingLevel = LEGAL.filter(([from]) => from === state).map(([, type]) => type).sort();
      expect(allowed.filter((type) => HEARING_COMMANDS.includes(type)).sort(), state).toEqual(hearingLevel);
      const roomOpen = ['lobbyOpen', 'inSession', 'paused', 'suspended'].includes(state);
      expect(allowed.includes('JOIN_ROOM'), state).toBe(roomOpen);
      expect(allowed.includes('DEVICE_CHECKED'), state).toBe(roomOpen || state === 'scheduled');
    }
  });

  it.each(['archived', 'cancelled', 'failed'] as const)('%s is final', (state) => {
    const hearing = hearingIn(state);
    expect(hearing.actor.getSnapshot().status).toBe('done');
    hearing.stop();
    expect(vi.getTimerCount()).toBe(0);
  });

  it('schedules with the participants invited and the lobby opening 30 minutes before the start', () => {
    const hearing = hearingIn('scheduled');
    expect(hearing.context).toMatchObject({ caseId: expect.any(String), startsAt: STARTS_AT, lobbyOpensAt: LOBBY_OPENS_AT, reconnectGraceMs: 60_000 });
    expect(Object.values(hearing.context.participants).every((participant) => participant.status === 'invited')).toBe(true);
    hearing.stop();
  });

  it('opens the lobby by itself at its time, and the server cannot open it earlier', () => {
    const hearing = hearingIn('scheduled');
    expect(hearing.try('OPEN_LOBBY', SYSTEM_SENDER)).toEqual({ code: 'INVALID_STATE', reason: `the lobby opens at ${LOBBY_OPENS_AT}` });
    vi.advanceTimersByTime(90 * 60_000 - 1);
    expect(hearing.state).toBe('scheduled');
    vi.advanceTimersByTime(1);
    expect(hearing.state).toBe('lobbyOpen');
    expect(vi.getTimerCount()).toBe(0);
    hearing.stop();
  });

  it('a hearing spawned after its start time opens its lobby at once', () => {
    const hearing = new TestHearing();
    hearing.send('SCHEDULE', { userId: CLERK_A.accountId, role: 'clerk' }, { startsAt: new Date(T0 - 60_000).toISOString() });
    vi.advanceTimersByTime(0);
    expect(hearing.state).toBe('lobbyOpen');
    hearing.stop();
  });

  it('takes the lobby lead from SCHEDULE, and an early manual opening cancels the timer', () => {
    const hearing = new TestHearing();
    hearing.send('SCHEDULE', { userId: CLERK_A.accountId, role: 'clerk' }, { lobbyLeadMinutes: 10 });
    expect(hearing.context.lobbyOpensAt).toBe(new Date(T0 + 110 * 60_000).toISOString());
    expect(vi.getTimerCount()).toBe(1);
    hearing.send('OPEN_LOBBY', senderOf(CLERK_A));
    expect(vi.getTimerCount()).toBe(0);
    hearing.stop();
  });

  it('records while in session only, and says so in the context', () => {
    const hearing = hearingIn('lobbyOpen');
    hearing.send('START', senderOf(JUDGE));
    expect(hearing.context.recording).toBe(true);
    hearing.send('PAUSE', senderOf(JUDGE));
    expect(hearing.context.recording).toBe(false);
    hearing.send('RESUME', senderOf(JUDGE));
    hearing.send('SUSPEND', senderOf(JUDGE), { reason: '法官音频故障' });
    expect(hearing.context.reason).toBe('法官音频故障');
    hearing.send('RESUME', senderOf(JUDGE));
    expect(hearing.context.reason).toBeNull();
    hearing.send('END', senderOf(JUDGE));
    expect(hearing.effects.filter((effect) => effect.type.startsWith('recording.')).map((effect) => effect.type)).toEqual([
      'recording.start', 'recording.stop', 'recording.start', 'recording.stop', 'recording.start', 'recording.stop',
    ]);
    expect(hearing.effects.at(-1)).toEqual({ type: 'sfu.closeRoom' });
    expect(hearing.status(PARTY_A)).toBe('left');
    hearing.stop();
  });

  it('an adjournment reschedules for the new date: the room empties and everyone comes back through the waiting room', () => {
    const hearing = hearingIn('inSession');
    bring(hearing, LAWYER_A, 'waiting');
    const newStartsAt = new Date(T0 + 8 * 86400_000).toISOString();
    hearing.send('ADJOURN', senderOf(JUDGE), { newStartsAt, reason: '需调取证据' });
    expect(hearing.state).toBe('scheduled');
    expect(hearing.context).toMatchObject({
      startsAt: newStartsAt,
      lobbyOpensAt: new Date(T0 + 8 * 86400_000 - 30 * 60_000).toISOString(),
      recording: false,
      adjournments: [{ fromStartsAt: STARTS_AT, toStartsAt: newStartsAt, reason: '需调取证据' }],
    });
    expect([hearing.status(PARTY_A), hearing.status(LAWYER_A), hearing.status(JUDGE), hearing.status(OBSERVER)]).toEqual([
      'identityChecked', 'identityChecked', 'identityChecked', 'invited',
    ]);
    expect(hearing.effects.slice(-2)).toEqual([{ type: 'recording.stop' }, { type: 'sfu.closeRoom' }]);
    // The lobby of the new date opens by itself; party A waits and must be admitted again.
    vi.advanceTimersByTime(8 * 86400_000 - 30 * 60_000 - (Date.now() - T0));
    expect(hearing.state).toBe('lobbyOpen');
    // A new sitting: the party's identity is verified anew before the waiting room.
    expect(hearing.about(PARTY_A, 'ENTER_WAITING')?.code).toBe('IDENTITY_NOT_VERIFIED');
    approveManually(hearing, PARTY_A);
    hearing.as(PARTY_A, 'ENTER_WAITING');
    expect(hearing.about(PARTY_A, 'JOIN_ROOM')?.code).toBe('INVALID_STATE');
    expect(hearing.about(PARTY_A, 'ADMIT')).toBeNull();
    expect(hearing.about(PARTY_A, 'JOIN_ROOM')).toBeNull();
    hearing.stop();
    expect(vi.getTimerCount()).toBe(0);
  });

  it('refuses an adjournment to a past date', () => {
    const hearing = hearingIn('inSession');
    expect(hearing.try('ADJOURN', senderOf(JUDGE), { newStartsAt: new Date(T0 - 1000).toISOString() })?.code).toBe('VALIDATION_FAILED');
    hearing.stop();
  });

  it('archives when the last party, lawyer or witness who attended confirms the transcript', () => {
    const hearing = hearingIn('lobbyOpen');
    bring(hearing, LAWYER_A, 'inRoom');
    bring(hearing, OBSERVER, 'inRoom');
    hearing.send('START', senderOf(JUDGE));
    hearing.send('END', senderOf(JUDGE));
    hearing.send('SUBMIT_TRANSCRIPT', senderOf(CLERK_A), { transcriptId: 'transcript-9' });
    expect(hearing.about(OBSERVER, 'CONFIRM_TRANSCRIPT')?.code).toBe('INVALID_STATE');
    expect(hearing.about(PARTY_A, 'CONFIRM_TRANSCRIPT')).toBeNull();
    expect(hearing.about(PARTY_A, 'CONFIRM_TRANSCRIPT')?.code).toBe('INVALID_STATE');
    expect(hearing.state).toBe('transcriptConfirmation');
    expect(hearing.about(LAWYER_A, 'CONFIRM_TRANSCRIPT')).toBeNull();
    expect(hearing.state).toBe('archived');
    expect(hearing.context.unconfirmedAtArchive).toEqual([]);
    expect(hearing.effects.at(-1)).toEqual({ type: 'hearing.archive', transcriptId: 'transcript-9' });
  });

  it('a clerk may archive with confirmations missing, which are recorded (拒绝签名)', () => {
    const hearing = hearingIn('transcriptConfirmation');
    hearing.send('ARCHIVE', senderOf(CLERK_A));
    expect(hearing.context.unconfirmedAtArchive).toEqual([PARTY_A.participantId]);
  });

  it('cancelling or failing an open lobby empties it', () => {
    for (const [type, by] of [['CANCEL', senderOf(CLERK_A)], ['FAIL', SYSTEM_SENDER]] as const) {
      const hearing = hearingIn('lobbyOpen');
      bring(hearing, LAWYER_A, 'inRoom');
      hearing.send('CONNECTION_LOST', SYSTEM_SENDER, { participantId: LAWYER_A.participantId });
      hearing.send(type, by, { reason: '法院停电' });
      expect([hearing.status(PARTY_A), hearing.status(LAWYER_A)]).toEqual(['left', 'left']);
      expect(hearing.context.reason).toBe('法院停电');
      expect(hearing.effects.at(-1)).toEqual<HearingEffect>({ type: 'sfu.closeRoom' });
      expect(vi.getTimerCount()).toBe(0);
      hearing.stop();
    }
  });

  it('restores from a persisted snapshot (JSON round trip) to the same state and context', () => {
    const hearing = hearingIn('paused');
    const persisted = JSON.parse(JSON.stringify(hearing.actor.getPersistedSnapshot()));
    hearing.stop();
    const restored = createActor(hearingMachine, { snapshot: persisted, input: { id: HEARING_ID } }).start();
    expect(restored.getSnapshot().value).toBe('paused');
    expect(restored.getSnapshot().context).toEqual(hearing.context);
    restored.stop();
  });

  it('runs in the journal runner to the same state, scheduling no timer (replay is pure)', () => {
    const live = hearingIn('inSession');
    live.send('CONNECTION_LOST', SYSTEM_SENDER, { participantId: PARTY_A.participantId });
    live.stop();
    expect(vi.getTimerCount()).toBe(0);
    const runner = new MachineRunner(hearingMachine, { id: HEARING_ID });
    let snapshot = runner.initial({ id: HEARING_ID });
    for (const event of live.journal) snapshot = runner.next(snapshot, event);
    expect(snapshot.value).toBe('inSession');
    expect(snapshot.context).toEqual(live.context);
    expect(vi.getTimerCount()).toBe(0);
  });
});
