import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { PARTICIPANT_STATUSES, SYSTEM_SENDER, type HearingCommandType, type ParticipantStatus } from '../../actors/hearing/hearing.protocol.ts';
import {
  CLERK_A,
  JUDGE,
  LAWYER_A,
  OBSERVER,
  PARTY_A,
  T0,
  TestHearing,
  bring,
  openHearing,
  senderOf,
} from '../support/hearing-fixtures.ts';

const PARTICIPANT_COMMANDS: HearingCommandType[] = [
  'DEVICE_CHECKED', 'DECLARE_IDENTITY', 'ENTER_WAITING', 'ADMIT', 'JOIN_ROOM', 'LEAVE', 'DISMISS',
  'CONNECTION_LOST', 'RECONNECT_GRACE_ENDED', 'MUTE', 'UNMUTE', 'RAISE_HAND', 'LOWER_HAND',
];

/** Every legal step of a party (unmuted, hand down) while the hearing sits. */
const LEGAL: Array<[ParticipantStatus, HearingCommandType, ParticipantStatus]> = [
  ['invited', 'DEVICE_CHECKED', 'deviceChecked'],
  ['deviceChecked', 'DEVICE_CHECKED', 'deviceChecked'],
  ['deviceChecked', 'DECLARE_IDENTITY', 'identityChecked'],
  ['identityChecked', 'DEVICE_CHECKED', 'identityChecked'],
  ['identityChecked', 'ENTER_WAITING', 'waiting'],
  ['waiting', 'ADMIT', 'admitted'],
  ['waiting', 'LEAVE', 'left'],
  ['waiting', 'DISMISS', 'dismissed'],
  ['admitted', 'JOIN_ROOM', 'inRoom'],
  ['admitted', 'LEAVE', 'left'],
  ['admitted', 'DISMISS', 'dismissed'],
  ['admitted', 'MUTE', 'admitted'],
  ['inRoom', 'LEAVE', 'left'],
  ['inRoom', 'DISMISS', 'dismissed'],
  ['inRoom', 'CONNECTION_LOST', 'reconnecting'],
  ['inRoom', 'MUTE', 'inRoom'],
  ['inRoom', 'RAISE_HAND', 'inRoom'],
  ['reconnecting', 'JOIN_ROOM', 'inRoom'],
  ['reconnecting', 'LEAVE', 'left'],
  ['reconnecting', 'DISMISS', 'dismissed'],
  ['reconnecting', 'RECONNECT_GRACE_ENDED', 'left'],
  ['reconnecting', 'MUTE', 'reconnecting'],
  ['left', 'ENTER_WAITING', 'waiting'],
];

/** The grace timer's event is stamped with the end of the grace period; the table's clock stands still. */
const fieldsFor = (type: HearingCommandType) => (type === 'RECONNECT_GRACE_ENDED' ? { at: new Date(T0 + 61_000).toISOString() } : {});

beforeEach(() => {
  vi.useFakeTimers({ now: T0 });
});
afterEach(() => {
  vi.useRealTimers();
});

describe('hearing machine: participants', () => {
  it.each(LEGAL)('a party %s —%s→ %s', (from, type, to) => {
    const hearing = openHearing();
    bring(hearing, PARTY_A, from);
    const before = hearing.context.historyLength;
    expect(hearing.about(PARTY_A, type, fieldsFor(type))).toBeNull();
    expect(hearing.status(PARTY_A)).toBe(to);
    expect(hearing.context.historyLength).toBe(before + 1);
    hearing.stop();
  });

  it.each(PARTICIPANT_STATUSES)('refuses every step with no transition for a party who is %s as INVALID_STATE', (status) => {
    const legalHere = new Set(LEGAL.filter(([from]) => from === status).map(([, type]) => type));
    for (const type of PARTICIPANT_COMMANDS.filter((command) => !legalHere.has(command))) {
      const hearing = openHearing();
      bring(hearing, PARTY_A, status);
      const before = hearing.actor.getSnapshot();
      const refusal = hearing.about(PARTY_A, type, fieldsFor(type));
      expect(refusal?.code, `${type} when ${status}`).toBe('INVALID_STATE');
      expect(refusal?.reason).toContain(status);
      expect(hearing.actor.getSnapshot()).toBe(before);
      hearing.stop();
    }
  });

  it('participant steps wait for the lobby; checks can be made as soon as the hearing is scheduled', () => {
    const hearing = new TestHearing();
    hearing.send('SCHEDULE', { userId: CLERK_A.accountId, role: 'clerk' });
    bring(hearing, PARTY_A, 'identityChecked');
    expect(hearing.about(PARTY_A, 'ENTER_WAITING')).toMatchObject({ code: 'INVALID_STATE', reason: expect.stringContaining('scheduled') });
    hearing.stop();
  });

  it('court staff enter the room without admission; parties cannot', () => {
    const hearing = openHearing();
    bring(hearing, CLERK_A, 'identityChecked');
    expect(hearing.about(CLERK_A, 'JOIN_ROOM')).toBeNull();
    bring(hearing, PARTY_A, 'waiting');
    expect(hearing.about(PARTY_A, 'JOIN_ROOM')?.code).toBe('INVALID_STATE');
    hearing.stop();
  });

  it('the judge cannot be dismissed', () => {
    const hearing = openHearing();
    expect(hearing.about(JUDGE, 'DISMISS')?.code).toBe('INVALID_STATE');
    hearing.stop();
  });

  it('stores the device check and the identity declaration with their time', () => {
    const hearing = openHearing();
    vi.setSystemTime(T0 + 5_000);
    bring(hearing, PARTY_A, 'identityChecked');
    const party = hearing.context.participants[PARTY_A.participantId];
    expect(party?.deviceCheck).toMatchObject({ passed: true, roundTripMs: 42 });
    expect(party?.identityDeclaration).toEqual({ at: new Date(T0 + 5_000).toISOString(), text: '本人确认身份' });
    hearing.stop();
  });
});

describe('reconnect grace period', () => {
  it('a dropped participant rejoins within the grace period without re-admission; after it they have left', () => {
    const hearing = openHearing();
    bring(hearing, PARTY_A, 'inRoom');
    hearing.send('CONNECTION_LOST', SYSTEM_SENDER, { participantId: PARTY_A.participantId });
    expect(hearing.context.participants[PARTY_A.participantId]?.graceEndsAt).toBe(new Date(T0 + 60_000).toISOString());
    expect(vi.getTimerCount()).toBe(1);
    vi.advanceTimersByTime(59_999);
    expect(hearing.status(PARTY_A)).toBe('reconnecting');
    hearing.as(PARTY_A, 'JOIN_ROOM');
    expect(hearing.status(PARTY_A)).toBe('inRoom');
    expect(vi.getTimerCount()).toBe(0);

    hearing.send('CONNECTION_LOST', SYSTEM_SENDER, { participantId: PARTY_A.participantId });
    vi.advanceTimersByTime(60_000);
    expect(hearing.status(PARTY_A)).toBe('left');
    expect(hearing.effects.at(-1)).toEqual({ type: 'sfu.stopForwarding', participantIds: [PARTY_A.participantId] });
    expect(hearing.about(PARTY_A, 'JOIN_ROOM')?.code).toBe('INVALID_STATE');
    // Back through the waiting room: the judge admits again.
    hearing.as(PARTY_A, 'ENTER_WAITING');
    hearing.send('ADMIT', senderOf(JUDGE), { participantId: PARTY_A.participantId });
    hearing.as(PARTY_A, 'JOIN_ROOM');
    hearing.stop();
    expect(vi.getTimerCount()).toBe(0);
  });

  it('a rejoin stamped after the grace period is refused even before the timer has fired', () => {
    const hearing = openHearing();
    bring(hearing, PARTY_A, 'inRoom');
    hearing.send('CONNECTION_LOST', SYSTEM_SENDER, { participantId: PARTY_A.participantId });
    const late = { at: new Date(T0 + 60_001).toISOString() };
    expect(hearing.about(PARTY_A, 'JOIN_ROOM', late)).toMatchObject({ code: 'INVALID_STATE', reason: expect.stringContaining('grace') });
    // The server cannot end the grace period early either.
    expect(hearing.about(PARTY_A, 'RECONNECT_GRACE_ENDED', { at: new Date(T0 + 30_000).toISOString() })?.code).toBe('INVALID_STATE');
    hearing.stop();
    expect(vi.getTimerCount()).toBe(0);
  });

  it('the grace period is configurable; stopping the actor during it leaves no timer behind', () => {
    const hearing = openHearing(true, { reconnectGraceSeconds: 10 });
    bring(hearing, PARTY_A, 'inRoom');
    hearing.send('CONNECTION_LOST', SYSTEM_SENDER, { participantId: PARTY_A.participantId });
    expect(hearing.context.participants[PARTY_A.participantId]?.graceEndsAt).toBe(new Date(T0 + 10_000).toISOString());
    expect(vi.getTimerCount()).toBe(1);
    hearing.stop();
    expect(vi.getTimerCount()).toBe(0);
  });

  it('ending the hearing during a grace period cancels its timer', () => {
    const hearing = openHearing();
    bring(hearing, PARTY_A, 'inRoom');
    hearing.send('CONNECTION_LOST', SYSTEM_SENDER, { participantId: PARTY_A.participantId });
    hearing.send('END', senderOf(JUDGE));
    expect(vi.getTimerCount()).toBe(0);
    expect(hearing.status(PARTY_A)).toBe('left');
    hearing.stop();
  });
});
