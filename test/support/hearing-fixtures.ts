// A joint hearing for the hearing machine tests: a judge and a clerk of court A, a clerk of
// court B, parties and a lawyer from both courts, a witness and an observer; and helpers that
// stamp commands with a test clock and send them the way the behaviour does (refusal first).
import { createActor, type Actor } from 'xstate';
import { hearingMachine, type HearingEffect } from '../../actors/hearing/hearing.machine.ts';
import { refusalOf } from '../../actors/hearing/hearing-refusals.ts';
import {
  HEARING_COMMAND_SENDERS,
  SYSTEM_SENDER,
  type DeviceCheckResult,
  type HearingCommandType,
  type HearingEvent,
  type HearingRefusal,
  type HearingSender,
  type ParticipantInput,
} from '../../actors/hearing/hearing.protocol.ts';

export const HEARING_ID = 'h-7e1c';
export const CASE_ID = '0b7f4a4e-8d0e-4a57-9d0e-7c1f2b3a4d5e';
export const COURT_A = '5a0e2f7c-1d3b-4c5e-8f9a-0b1c2d3e4f50';
export const COURT_B = '6b1f3a8d-2e4c-4d6f-9a0b-1c2d3e4f5061';

const account = (n: number): string => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;

export const JUDGE: ParticipantInput = { participantId: 'judge', accountId: account(1), role: 'judge', displayName: '王法官', courtId: COURT_A };
export const CLERK_A: ParticipantInput = { participantId: 'clerkA', accountId: account(2), role: 'clerk', displayName: '书记员甲', courtId: COURT_A };
export const CLERK_B: ParticipantInput = { participantId: 'clerkB', accountId: account(3), role: 'clerk', displayName: '书记员乙', courtId: COURT_B };
export const PARTY_A: ParticipantInput = { participantId: 'partyA', accountId: account(4), role: 'party', displayName: '张三', courtId: COURT_A };
export const PARTY_B: ParticipantInput = { participantId: 'partyB', accountId: account(5), role: 'party', displayName: '李四', courtId: COURT_B };
export const LAWYER_A: ParticipantInput = { participantId: 'lawyerA', accountId: account(6), role: 'lawyer', displayName: '赵律师', courtId: COURT_A };
export const WITNESS: ParticipantInput = { participantId: 'witness', accountId: account(7), role: 'witness', displayName: '钱证人', courtId: COURT_A };
export const OBSERVER: ParticipantInput = { participantId: 'observer', accountId: account(8), role: 'observer', displayName: '旁听人', courtId: COURT_A };
export const STRANGER: HearingSender = { userId: account(99), role: 'party' };

export const EVERYONE = [JUDGE, CLERK_A, CLERK_B, PARTY_A, PARTY_B, LAWYER_A, WITNESS, OBSERVER];
export const senderOf = (participant: ParticipantInput): HearingSender => ({ userId: participant.accountId, role: participant.role });

/** The test clock: scheduling happens at T0, the hearing starts two hours later. */
export const T0 = Date.parse('2026-12-01T00:00:00.000Z');
export const STARTS_AT = new Date(T0 + 2 * 3600_000).toISOString();
export const LOBBY_OPENS_AT = new Date(T0 + 90 * 60_000).toISOString();

export const PASSED_CHECK: DeviceCheckResult = {
  passed: true,
  camera: true,
  microphone: true,
  speaker: true,
  browserSupported: true,
  roundTripMs: 42,
  bandwidthKbps: 2400,
};

/** A live face check's id, as the hub would send with IDENTITY_VERIFIED / IDENTITY_RECHECKED. */
export const FACE_CHECK_ID = '3c9d2b1a-4e5f-4a6b-8c7d-9e0f1a2b3c4d';
export const MANUAL_CHECK_NOTE = '审判员当庭核对身份证原件';

type Fields = Record<string, unknown>;

/**
 * A hearing actor with a clock: `now` is what commands are stamped with (set it with `at()` or
 * advance it with fake timers, which move Date.now too).
 */
export class TestHearing {
  readonly actor: Actor<typeof hearingMachine>;
  readonly effects: HearingEffect[] = [];
  /** The events taken, as the host would journal them. */
  readonly journal: HearingEvent[] = [];

  constructor(machine: typeof hearingMachine = hearingMachine) {
    this.actor = createActor(machine, { input: { id: HEARING_ID } });
    this.actor.on('*', (effect) => this.effects.push(effect));
    this.actor.subscribe({ error: (error) => { throw error; } });
    this.actor.start();
  }

  get state(): string {
    return String(this.actor.getSnapshot().value);
  }

  get context() {
    return this.actor.getSnapshot().context;
  }

  status(participant: ParticipantInput): string | undefined {
    return this.context.participants[participant.participantId]?.status;
  }

  /** The event `type` with the data it needs, from `by`, stamped now. */
  event(type: HearingCommandType, by: HearingSender, fields: Fields = {}): HearingEvent {
    return { type, by, at: new Date(Date.now()).toISOString(), ...defaults(type), ...fields } as HearingEvent;
  }

  /** What the behaviour does: refuse (the hearing unchanged) or take the event. */
  try(type: HearingCommandType, by: HearingSender, fields: Fields = {}): HearingRefusal | null {
    const event = this.event(type, by, fields);
    const snapshot = this.actor.getSnapshot();
    const refusal = refusalOf({ state: this.state, context: snapshot.context, can: (candidate) => snapshot.status === 'active' && snapshot.can(candidate) }, event);
    if (refusal === null) {
      this.actor.send(event);
      this.journal.push(event);
    }
    return refusal;
  }

  /** Like try, but the command must be taken. */
  send(type: HearingCommandType, by: HearingSender, fields: Fields = {}): this {
    const refusal = this.try(type, by, fields);
    if (refusal) throw new Error(`${type} refused in ${this.state}: ${refusal.code} ${refusal.reason}`);
    return this;
  }

  /** A participant command from the participant themself. */
  as(participant: ParticipantInput, type: HearingCommandType, fields: Fields = {}): this {
    return this.send(type, senderOf(participant), { participantId: participant.participantId, ...fields });
  }

  /** A command about `participant` from whoever may send it (judge, the participant, the server). */
  about(participant: ParticipantInput, type: HearingCommandType, fields: Fields = {}): HearingRefusal | null {
    return this.try(type, permittedSender(type, participant), { participantId: participant.participantId, ...fields });
  }

  stop(): void {
    this.actor.stop();
  }
}

export function permittedSender(type: HearingCommandType, participant: ParticipantInput = PARTY_A): HearingSender {
  switch (HEARING_COMMAND_SENDERS[type]) {
    case 'self':
    case 'selfOrCourtClerk':
      return senderOf(participant);
    case 'system':
      return SYSTEM_SENDER;
    case 'courtStaff':
      return { userId: JUDGE.accountId, role: 'clerk' };
    default:
      return senderOf(JUDGE);
  }
}

function defaults(type: HearingCommandType): Fields {
  switch (type) {
    case 'SCHEDULE':
      // As the behaviour stamps it: every hearing scheduled now gates its waiting room.
      return { caseId: CASE_ID, courtId: COURT_A, courtroom: '第三法庭', startsAt: STARTS_AT, participants: EVERYONE, identityGate: true };
    case 'CANCEL':
    case 'SUSPEND':
    case 'FAIL':
      return { reason: '网络故障' };
    case 'ADJOURN':
      return { newStartsAt: new Date(Date.now() + 7 * 86400_000).toISOString(), reason: '需补充证据' };
    case 'DEVICE_CHECKED':
      return { result: PASSED_CHECK };
    case 'DECLARE_IDENTITY':
      return { declaration: '本人承诺为本案当事人本人' };
    case 'IDENTITY_VERIFIED':
      return { checkId: FACE_CHECK_ID, method: 'face' };
    case 'APPROVE_MANUAL_IDENTITY':
      return { note: MANUAL_CHECK_NOTE };
    case 'IDENTITY_RECHECKED':
      return { checkId: FACE_CHECK_ID, outcome: 'match' };
    case 'SUBMIT_TRANSCRIPT':
      return { transcriptId: 'transcript-1' };
    case 'INVITE':
      return { participant: { ...OBSERVER, participantId: 'observer2' } };
    default:
      return {};
  }
}

/**
 * Takes a participant from invited up to `status` (the hearing must be past the lobby opening for
 * waiting and on); from identityChecked on a party's identity is verified (the judge's manual check).
 */
export function bring(hearing: TestHearing, participant: ParticipantInput, status: string): void {
  const steps: Array<[string, () => void]> = [
    ['deviceChecked', () => hearing.as(participant, 'DEVICE_CHECKED', { result: PASSED_CHECK })],
    [
      'identityChecked',
      () => {
        hearing.as(participant, 'DECLARE_IDENTITY', { declaration: '本人确认身份' });
        // Past the identity gate the way a court without face enrolments does it: the judge's manual check.
        if (participant.role !== 'judge' && participant.role !== 'clerk') approveManually(hearing, participant);
      },
    ],
    ['waiting', () => hearing.as(participant, 'ENTER_WAITING')],
    ['admitted', () => hearing.send('ADMIT', senderOf(JUDGE), { participantId: participant.participantId })],
    ['inRoom', () => hearing.as(participant, 'JOIN_ROOM')],
  ];
  if (status === 'invited') return;
  for (const [reached, step] of steps) {
    step();
    if (reached === status) return;
  }
  if (status === 'reconnecting') hearing.send('CONNECTION_LOST', SYSTEM_SENDER, { participantId: participant.participantId });
  else if (status === 'left') hearing.as(participant, 'LEAVE');
  else if (status === 'dismissed') hearing.send('DISMISS', senderOf(JUDGE), { participantId: participant.participantId });
  else if (status !== 'inRoom') throw new Error(`no way to ${status}`);
}

/** The judge checked the participant's identity by other means (人工核验). */
export function approveManually(hearing: TestHearing, participant: ParticipantInput): void {
  hearing.send('APPROVE_MANUAL_IDENTITY', senderOf(JUDGE), { participantId: participant.participantId, note: MANUAL_CHECK_NOTE });
}

/** The judge (court staff enter without admission) in the room. */
export function seatJudge(hearing: TestHearing): void {
  hearing.as(JUDGE, 'DEVICE_CHECKED', { result: PASSED_CHECK });
  hearing.as(JUDGE, 'DECLARE_IDENTITY', { declaration: '审判员' });
  hearing.as(JUDGE, 'JOIN_ROOM');
}

/** A scheduled hearing with its lobby open and the judge in the room; in session when `sitting`. */
export function openHearing(sitting = true, scheduleFields: Fields = {}): TestHearing {
  const hearing = new TestHearing();
  hearing.send('SCHEDULE', { userId: CLERK_A.accountId, role: 'clerk' }, scheduleFields);
  hearing.send('OPEN_LOBBY', senderOf(CLERK_A));
  seatJudge(hearing);
  if (sitting) hearing.send('START', senderOf(JUDGE));
  return hearing;
}
