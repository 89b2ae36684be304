// The hearing room's buttons (web-components/src/hearing-room/controls.ts) against the hearing
// actor itself: what the browser offers a role in a state is what the machine would take, and the
// entry steps it sends walk a participant from the invitation into the room.
import { describe, expect, it } from 'vitest';
import { refusalOf } from '../../actors/hearing/hearing-refusals.ts';
import type { HearingCommandType, HearingSender, HearingState } from '../../actors/hearing/hearing.protocol.ts';
import {
  entryCommands,
  entryStage,
  handAction,
  judgeBar,
  mayAdmit,
  mayOpenLobby,
  tileActions,
  type RoomParticipant,
} from '../../web-components/src/hearing-room/controls.ts';
import { CLERK_A, CLERK_B, JUDGE, PARTY_A, PARTY_B, TestHearing, bring, openHearing, senderOf } from '../support/hearing-fixtures.ts';
import type { ParticipantInput } from '../../actors/hearing/hearing.protocol.ts';

/** Would the machine take this command now? Asked without sending it. */
function takes(hearing: TestHearing, type: HearingCommandType, by: HearingSender, fields: Record<string, unknown> = {}): boolean {
  const event = hearing.event(type, by, fields);
  const snapshot = hearing.actor.getSnapshot();
  return refusalOf({ state: hearing.state, context: snapshot.context, can: (candidate) => snapshot.status === 'active' && snapshot.can(candidate) }, event) === null;
}

const seat = (hearing: TestHearing, participant: ParticipantInput): RoomParticipant => {
  const record = hearing.context.participants[participant.participantId];
  if (!record) throw new Error(`${participant.participantId} is not in the hearing`);
  return record;
};

const state = (hearing: TestHearing): HearingState => hearing.state as HearingState;

/** A hearing in each state the judge's bar has something to say about. */
function hearingIn(target: HearingState): TestHearing {
  if (target === 'scheduled') {
    const hearing = new TestHearing();
    hearing.send('SCHEDULE', { userId: CLERK_A.accountId, role: 'clerk' });
    return hearing;
  }
  const hearing = openHearing(target !== 'lobbyOpen');
  const judge = senderOf(JUDGE);
  if (target === 'paused') hearing.send('PAUSE', judge);
  if (target === 'suspended') hearing.send('SUSPEND', judge, { reason: '当事人网络中断' });
  if (target === 'concluded') hearing.send('END', judge);
  expect(hearing.state).toBe(target);
  return hearing;
}

describe('judge bar', () => {
  const BAR: [keyof NonNullable<ReturnType<typeof judgeBar>>, HearingCommandType][] = [
    ['start', 'START'],
    ['pause', 'PAUSE'],
    ['resume', 'RESUME'],
    ['end', 'END'],
    ['muteAll', 'MUTE_ALL'],
  ];

  for (const target of ['scheduled', 'lobbyOpen', 'inSession', 'paused', 'suspended', 'concluded'] as const) {
    it(`offers the judge exactly what the machine takes when ${target}`, () => {
      const hearing = hearingIn(target);
      const bar = judgeBar('judge', state(hearing));
      expect(bar).not.toBeNull();
      for (const [button, type] of BAR) expect({ type, offered: bar![button] }).toEqual({ type, offered: takes(hearing, type, senderOf(JUDGE)) });
      hearing.stop();
    });
  }

  it('lets judge and clerk open the waiting room early, as the machine does', () => {
    const hearing = hearingIn('scheduled');
    for (const participant of [JUDGE, CLERK_A, PARTY_A]) {
      expect({ who: participant.participantId, offered: mayOpenLobby(seat(hearing, participant), state(hearing)) }).toEqual({
        who: participant.participantId,
        offered: takes(hearing, 'OPEN_LOBBY', senderOf(participant)),
      });
    }
    hearing.send('OPEN_LOBBY', senderOf(CLERK_A));
    expect(mayOpenLobby(seat(hearing, JUDGE), state(hearing))).toBe(false);
    hearing.stop();
  });

  it('is the judge’s alone', () => {
    for (const role of ['clerk', 'party', 'lawyer', 'witness', 'observer'] as const) expect(judgeBar(role, 'inSession')).toBeNull();
  });
});

describe('entering a hearing', () => {
  it('walks a party from the invitation to the waiting room, then into the room once admitted', () => {
    const hearing = openHearing();
    expect(entryStage(seat(hearing, PARTY_A), state(hearing))).toBe('deviceCheck');
    expect(entryCommands(seat(hearing, PARTY_A), state(hearing), '本人确认身份')).toEqual([]);
    hearing.as(PARTY_A, 'DEVICE_CHECKED');
    // The identity gate: a live face check first; until then "enter" would only declare.
    expect(entryStage(seat(hearing, PARTY_A), state(hearing))).toBe('identityCheck');
    expect(entryCommands(seat(hearing, PARTY_A), state(hearing), '本人确认').map((command) => command.type)).toEqual(['DECLARE_IDENTITY']);
    hearing.about(PARTY_A, 'IDENTITY_VERIFIED');
    expect(entryStage(seat(hearing, PARTY_A), state(hearing))).toBe('acknowledge');
    const commands = entryCommands(seat(hearing, PARTY_A), state(hearing), '本人张三确认以真实身份参加庭审');
    expect(commands.map((command) => command.type)).toEqual(['DECLARE_IDENTITY', 'ENTER_WAITING']);
    for (const { type, ...fields } of commands) hearing.send(type, senderOf(PARTY_A), fields);
    expect(entryStage(seat(hearing, PARTY_A), state(hearing))).toBe('waiting');
    hearing.send('ADMIT', senderOf(JUDGE), { participantId: PARTY_A.participantId });
    expect(entryStage(seat(hearing, PARTY_A), state(hearing))).toBe('joining');
    hearing.as(PARTY_A, 'JOIN_ROOM');
    expect(entryStage(seat(hearing, PARTY_A), state(hearing))).toBe('inRoom');
    hearing.stop();
  });

  it('takes judge and clerk straight into the room, without admission', () => {
    const hearing = openHearing(false);
    hearing.as(CLERK_A, 'DEVICE_CHECKED');
    const commands = entryCommands(seat(hearing, CLERK_A), state(hearing), '书记员');
    expect(commands.map((command) => command.type)).toEqual(['DECLARE_IDENTITY', 'JOIN_ROOM']);
    for (const { type, ...fields } of commands) hearing.send(type, senderOf(CLERK_A), fields);
    expect(hearing.status(CLERK_A)).toBe('inRoom');
    hearing.stop();
  });

  it('takes only the declaration before the lobby opens, then waits for it', () => {
    const hearing = hearingIn('scheduled');
    hearing.as(PARTY_A, 'DEVICE_CHECKED');
    const commands = entryCommands(seat(hearing, PARTY_A), state(hearing), '本人确认身份');
    expect(commands.map((command) => command.type)).toEqual(['DECLARE_IDENTITY']);
    for (const { type, ...fields } of commands) hearing.send(type, senderOf(PARTY_A), fields);
    // The identity check can be made before the lobby opens, too.
    expect(entryStage(seat(hearing, PARTY_A), state(hearing))).toBe('identityCheck');
    hearing.about(PARTY_A, 'IDENTITY_VERIFIED');
    expect(entryStage(seat(hearing, PARTY_A), state(hearing))).toBe('notYetOpen');
    hearing.stop();
  });

  it('lets a participant who left come back through the waiting room, and says when it is over', () => {
    const hearing = openHearing();
    bring(hearing, PARTY_A, 'left');
    expect(entryCommands(seat(hearing, PARTY_A), state(hearing), 'x').map((command) => command.type)).toEqual(['ENTER_WAITING']);
    expect(takes(hearing, 'ENTER_WAITING', senderOf(PARTY_A), { participantId: PARTY_A.participantId })).toBe(true);
    bring(hearing, PARTY_B, 'dismissed');
    expect(entryStage(seat(hearing, PARTY_B), state(hearing))).toBe('dismissed');
    hearing.send('END', senderOf(JUDGE));
    expect(entryStage(seat(hearing, PARTY_A), state(hearing))).toBe('closed');
    hearing.stop();
  });

  it('rejoins within the grace period without a new admission', () => {
    const hearing = openHearing();
    bring(hearing, PARTY_A, 'reconnecting');
    expect(entryStage(seat(hearing, PARTY_A), state(hearing))).toBe('joining');
    expect(takes(hearing, 'JOIN_ROOM', senderOf(PARTY_A), { participantId: PARTY_A.participantId })).toBe(true);
    hearing.stop();
  });
});

describe('waiting list and tiles', () => {
  it('lets the judge admit anyone and each clerk only their own court’s people, as the machine does', () => {
    const hearing = openHearing();
    for (const participant of [CLERK_A, CLERK_B]) {
      hearing.as(participant, 'DEVICE_CHECKED');
      hearing.as(participant, 'DECLARE_IDENTITY', { declaration: '书记员' });
      hearing.as(participant, 'JOIN_ROOM');
    }
    bring(hearing, PARTY_A, 'waiting');
    bring(hearing, PARTY_B, 'waiting');
    for (const admitter of [JUDGE, CLERK_A, CLERK_B]) {
      for (const waiting of [PARTY_A, PARTY_B]) {
        const offered = mayAdmit(seat(hearing, admitter), seat(hearing, waiting), state(hearing));
        const taken = takes(hearing, 'ADMIT', senderOf(admitter), { participantId: waiting.participantId });
        expect({ admitter: admitter.participantId, waiting: waiting.participantId, offered }).toEqual({ admitter: admitter.participantId, waiting: waiting.participantId, offered: taken });
      }
    }
    expect(mayAdmit(seat(hearing, CLERK_B), seat(hearing, PARTY_B), state(hearing))).toBe(true);
    expect(mayAdmit(seat(hearing, CLERK_B), seat(hearing, PARTY_A), state(hearing))).toBe(false);
    hearing.stop();
  });

  it('gives the judge mute, unmute and dismiss on tiles exactly when the machine takes them', () => {
    const hearing = openHearing();
    bring(hearing, PARTY_A, 'inRoom');
    const check = () => {
      const actions = tileActions(seat(hearing, JUDGE), seat(hearing, PARTY_A), state(hearing));
      const about = { participantId: PARTY_A.participantId };
      expect(actions).toEqual({
        mute: takes(hearing, 'MUTE', senderOf(JUDGE), about),
        unmute: takes(hearing, 'UNMUTE', senderOf(JUDGE), about),
        dismiss: takes(hearing, 'DISMISS', senderOf(JUDGE), about),
      });
    };
    check();
    hearing.send('MUTE', senderOf(JUDGE), { participantId: PARTY_A.participantId });
    check();
    expect(tileActions(seat(hearing, PARTY_B), seat(hearing, PARTY_A), state(hearing))).toEqual({ mute: false, unmute: false, dismiss: false });
    expect(tileActions(seat(hearing, JUDGE), seat(hearing, JUDGE), state(hearing)).dismiss).toBe(false);
    hearing.stop();
  });

  it('raises and lowers one’s own hand only in the room, and not from the bench', () => {
    const hearing = openHearing();
    bring(hearing, PARTY_A, 'waiting');
    expect(handAction(seat(hearing, PARTY_A), state(hearing))).toBeNull();
    hearing.send('ADMIT', senderOf(JUDGE), { participantId: PARTY_A.participantId });
    hearing.as(PARTY_A, 'JOIN_ROOM');
    expect(handAction(seat(hearing, PARTY_A), state(hearing))).toBe('RAISE_HAND');
    hearing.as(PARTY_A, 'RAISE_HAND');
    expect(handAction(seat(hearing, PARTY_A), state(hearing))).toBe('LOWER_HAND');
    expect(takes(hearing, 'LOWER_HAND', senderOf(PARTY_A), { participantId: PARTY_A.participantId })).toBe(true);
    expect(handAction(seat(hearing, JUDGE), state(hearing))).toBeNull();
    hearing.stop();
  });
});
