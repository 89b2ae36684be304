import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { hearingMachine } from '../../actors/hearing/hearing.machine.ts';
import { SYSTEM_SENDER, type HearingCommandType, type HearingRefusalCode, type HearingSender } from '../../actors/hearing/hearing.protocol.ts';
import {
  CLERK_A,
  CLERK_B,
  COURT_A,
  COURT_B,
  JUDGE,
  LAWYER_A,
  OBSERVER,
  PARTY_A,
  PARTY_B,
  PASSED_CHECK,
  STRANGER,
  T0,
  TestHearing,
  bring,
  openHearing,
  senderOf,
} from '../support/hearing-fixtures.ts';

beforeEach(() => {
  vi.useFakeTimers({ now: T0 });
});
afterEach(() => {
  vi.useRealTimers();
});

describe('judge controls and their effects', () => {
  it('admitting tells the SFU to forward; leaving and dismissal tell it to stop', () => {
    const hearing = openHearing();
    bring(hearing, PARTY_A, 'waiting');
    bring(hearing, LAWYER_A, 'inRoom');
    hearing.send('ADMIT', senderOf(JUDGE), { participantId: PARTY_A.participantId });
    hearing.as(PARTY_A, 'JOIN_ROOM');
    hearing.as(PARTY_A, 'LEAVE');
    hearing.send('DISMISS', senderOf(JUDGE), { participantId: LAWYER_A.participantId, reason: '扰乱法庭秩序' });
    expect(hearing.effects.filter((effect) => effect.type.startsWith('sfu.'))).toEqual([
      { type: 'sfu.admit', participantId: LAWYER_A.participantId },
      { type: 'sfu.admit', participantId: PARTY_A.participantId },
      { type: 'sfu.stopForwarding', participantIds: [PARTY_A.participantId] },
      { type: 'sfu.stopForwarding', participantIds: [LAWYER_A.participantId] },
    ]);
    hearing.stop();
  });

  it('mute and unmute are enforced by the SFU, one participant at a time', () => {
    const hearing = openHearing();
    bring(hearing, PARTY_A, 'inRoom');
    hearing.send('MUTE', senderOf(JUDGE), { participantId: PARTY_A.participantId });
    expect(hearing.context.participants[PARTY_A.participantId]?.muted).toBe(true);
    expect(hearing.effects.at(-1)).toEqual({ type: 'sfu.mute', participantIds: [PARTY_A.participantId] });
    expect(hearing.about(PARTY_A, 'MUTE')?.code).toBe('INVALID_STATE');
    hearing.send('UNMUTE', senderOf(JUDGE), { participantId: PARTY_A.participantId });
    expect(hearing.effects.at(-1)).toEqual({ type: 'sfu.unmute', participantIds: [PARTY_A.participantId] });
    expect(hearing.context.participants[PARTY_A.participantId]?.muted).toBe(false);
    hearing.stop();
  });

  it('MUTE_ALL mutes everyone present but the judge (not those still waiting)', () => {
    const hearing = openHearing();
    bring(hearing, PARTY_A, 'inRoom');
    bring(hearing, LAWYER_A, 'admitted');
    bring(hearing, OBSERVER, 'waiting');
    hearing.send('MUTE_ALL', senderOf(JUDGE));
    expect(hearing.effects.at(-1)).toEqual({ type: 'sfu.mute', participantIds: [PARTY_A.participantId, LAWYER_A.participantId] });
    const muted = Object.values(hearing.context.participants).filter((participant) => participant.muted).map((participant) => participant.participantId);
    expect(muted).toEqual([PARTY_A.participantId, LAWYER_A.participantId]);
    hearing.stop();
  });

  it('raising and lowering a hand is the participant’s own', () => {
    const hearing = openHearing();
    bring(hearing, PARTY_A, 'inRoom');
    hearing.as(PARTY_A, 'RAISE_HAND');
    expect(hearing.context.participants[PARTY_A.participantId]?.handRaised).toBe(true);
    expect(hearing.try('LOWER_HAND', senderOf(JUDGE), { participantId: PARTY_A.participantId })?.code).toBe('FORBIDDEN');
    hearing.as(PARTY_A, 'LOWER_HAND');
    expect(hearing.context.participants[PARTY_A.participantId]?.handRaised).toBe(false);
    hearing.stop();
  });

  it('effects are actions the runner of the actor swaps through .provide()', () => {
    const told: string[][] = [];
    const machine = hearingMachine.provide({
      actions: {
        tellSfuToMute: ({ event }) => {
          if (event.type === 'MUTE') told.push([event.participantId]);
        },
      },
    });
    const hearing = new TestHearing(machine);
    hearing.send('SCHEDULE', { userId: CLERK_A.accountId, role: 'clerk' });
    hearing.send('OPEN_LOBBY', senderOf(CLERK_A));
    bring(hearing, PARTY_A, 'inRoom');
    hearing.send('MUTE', senderOf(JUDGE), { participantId: PARTY_A.participantId });
    expect(told).toEqual([[PARTY_A.participantId]]);
    expect(hearing.effects.some((effect) => effect.type === 'sfu.mute')).toBe(false);
    hearing.stop();
  });
});

describe('who may send what', () => {
  const judge = senderOf(JUDGE);
  const party = senderOf(PARTY_A);
  const clerk = senderOf(CLERK_A);
  const cases: Array<[string, HearingCommandType, HearingSender, Record<string, unknown>, HearingRefusalCode]> = [
    ['an account not in the hearing starts it', 'START', STRANGER, {}, 'NOT_A_PARTICIPANT'],
    ['an account not in the hearing joins the room', 'JOIN_ROOM', STRANGER, { participantId: PARTY_A.participantId }, 'NOT_A_PARTICIPANT'],
    ['the judge admits someone not invited', 'ADMIT', judge, { participantId: 'nobody' }, 'NOT_A_PARTICIPANT'],
    ['the server drops someone not invited', 'CONNECTION_LOST', SYSTEM_SENDER, { participantId: 'nobody' }, 'NOT_A_PARTICIPANT'],
    ['a party pauses the hearing', 'PAUSE', party, {}, 'FORBIDDEN'],
    ['a party mutes another', 'MUTE', party, { participantId: LAWYER_A.participantId }, 'FORBIDDEN'],
    ['a party mutes everyone', 'MUTE_ALL', party, {}, 'FORBIDDEN'],
    ['a party ends the hearing', 'END', party, {}, 'FORBIDDEN'],
    ['a clerk ends the hearing', 'END', clerk, {}, 'FORBIDDEN'],
    ['a clerk dismisses', 'DISMISS', clerk, { participantId: LAWYER_A.participantId }, 'FORBIDDEN'],
    ['a clerk mutes', 'MUTE', clerk, { participantId: LAWYER_A.participantId }, 'FORBIDDEN'],
    ['a party leaves for another', 'LEAVE', party, { participantId: LAWYER_A.participantId }, 'FORBIDDEN'],
    ['a party reports a dropped connection', 'CONNECTION_LOST', party, { participantId: PARTY_A.participantId }, 'FORBIDDEN'],
    ['a party ends a grace period', 'RECONNECT_GRACE_ENDED', party, { participantId: PARTY_A.participantId }, 'FORBIDDEN'],
    ['the server pauses the hearing', 'PAUSE', SYSTEM_SENDER, {}, 'FORBIDDEN'],
    ['a party fails the hearing', 'FAIL', party, { reason: '不想开了' }, 'FORBIDDEN'],
    ['a party invites someone', 'INVITE', party, {}, 'FORBIDDEN'],
    ['the judge invites an existing participant again', 'INVITE', judge, { participant: LAWYER_A }, 'VALIDATION_FAILED'],
  ];
  it.each(cases)('refuses when %s', (_what, type, by, fields, code) => {
    const hearing = openHearing();
    bring(hearing, PARTY_A, 'inRoom');
    bring(hearing, LAWYER_A, 'inRoom');
    const before = hearing.actor.getSnapshot();
    expect(hearing.try(type, by, fields)?.code).toBe(code);
    expect(hearing.actor.getSnapshot()).toBe(before);
    hearing.stop();
  });

  it('only court staff schedule, and a schedule needs a judge and distinct participant ids', () => {
    const schedule = (by: HearingSender, fields: Record<string, unknown> = {}) => {
      const hearing = new TestHearing();
      const refusal = hearing.try('SCHEDULE', by, fields);
      hearing.stop();
      return refusal?.code ?? null;
    };
    expect(schedule({ userId: PARTY_A.accountId, role: 'party' })).toBe('FORBIDDEN');
    expect(schedule({ userId: CLERK_A.accountId, role: 'clerk' }, { participants: [PARTY_A] })).toBe('VALIDATION_FAILED');
    expect(schedule({ userId: CLERK_A.accountId, role: 'clerk' }, { participants: [JUDGE, PARTY_A, PARTY_A] })).toBe('VALIDATION_FAILED');
    expect(schedule(SYSTEM_SENDER)).toBeNull();
  });
});

describe('joint hearings: each court’s clerk acts for that court’s participants', () => {
  it('admits only the participants of their own court; the judge admits anyone', () => {
    const hearing = openHearing();
    bring(hearing, PARTY_A, 'waiting');
    bring(hearing, PARTY_B, 'waiting');
    expect(hearing.try('ADMIT', senderOf(CLERK_A), { participantId: PARTY_B.participantId })).toEqual({
      code: 'FORBIDDEN',
      reason: 'a clerk acts only for the participants of their own court',
    });
    expect(hearing.try('ADMIT', senderOf(CLERK_B), { participantId: PARTY_A.participantId })?.code).toBe('FORBIDDEN');
    expect(hearing.try('ADMIT', senderOf(CLERK_B), { participantId: PARTY_B.participantId })).toBeNull();
    expect(hearing.try('ADMIT', senderOf(JUDGE), { participantId: PARTY_A.participantId })).toBeNull();
    expect([hearing.status(PARTY_A), hearing.status(PARTY_B)]).toEqual(['admitted', 'admitted']);
    hearing.stop();
  });

  it('records device checks and invites only for their own court', () => {
    const hearing = openHearing();
    const check = { participantId: PARTY_B.participantId, result: PASSED_CHECK };
    expect(hearing.try('DEVICE_CHECKED', senderOf(CLERK_A), check)?.code).toBe('FORBIDDEN');
    expect(hearing.try('DEVICE_CHECKED', senderOf(CLERK_B), check)).toBeNull();
    const witnessOf = (courtId: string) => ({ participantId: `w-${courtId.slice(0, 4)}`, accountId: STRANGER.userId, role: 'witness', displayName: '孙证人', courtId });
    expect(hearing.try('INVITE', senderOf(CLERK_B), { participant: witnessOf(COURT_A) })?.code).toBe('FORBIDDEN');
    expect(hearing.try('INVITE', senderOf(CLERK_B), { participant: witnessOf(COURT_B) })).toBeNull();
    expect(hearing.status({ ...PARTY_B, participantId: `w-${COURT_B.slice(0, 4)}` })).toBe('invited');
    hearing.stop();
  });

  it('any clerk of the hearing may open the lobby early', () => {
    const hearing = new TestHearing();
    hearing.send('SCHEDULE', { userId: CLERK_A.accountId, role: 'clerk' });
    expect(hearing.try('OPEN_LOBBY', senderOf(PARTY_A))?.code).toBe('FORBIDDEN');
    expect(hearing.try('OPEN_LOBBY', senderOf(CLERK_B))).toBeNull();
    hearing.stop();
  });
});
