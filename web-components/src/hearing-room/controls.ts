// What a participant of a live hearing may do now: the buttons each role sees in each hearing
// state, and the steps that take a participant from the invitation into the room. Mirrors the
// hearing actor's rules (actors/hearing/) so the browser offers only what the actor would accept;
// the actor still decides.
import type { HearingState, IdentityCheckMethod, IdentityRecheckOutcome, ParticipantRole, ParticipantStatus } from '../../../actors/hearing/hearing.protocol.ts';

/** The participant as the hearing summary shows them (participantSummary). */
export interface RoomParticipant {
  participantId: string;
  role: ParticipantRole;
  displayName: string;
  courtId: string;
  status: ParticipantStatus;
  muted: boolean;
  handRaised: boolean;
  /** How the identity was verified (身份核验); absent in summaries from before the gate. */
  identityCheck?: { method: IdentityCheckMethod; at: string } | null;
  /** A re-check during the hearing that did not match (shown to judge and clerk). */
  identityAlert?: { at: string; outcome: IdentityRecheckOutcome; checkId: string } | null;
}

/** Hearing states with a waiting room and a room (the actor's presence() table). */
const PRESENCE_STATES: ReadonlySet<HearingState> = new Set(['lobbyOpen', 'inSession', 'paused', 'suspended']);
/** Hearing states that accept device checks and identity declarations (preparation()). */
const PREPARATION_STATES: ReadonlySet<HearingState> = new Set(['scheduled', 'lobbyOpen', 'inSession', 'paused', 'suspended']);
/** Statuses whose media the SFU forwards (PRESENT in hearing-participants.ts). */
const PRESENT: ReadonlySet<ParticipantStatus> = new Set(['admitted', 'inRoom', 'reconnecting']);

export const isCourtStaff = (role: ParticipantRole): boolean => role === 'judge' || role === 'clerk';
export const roomIsOpen = (state: HearingState): boolean => PRESENCE_STATES.has(state);

/** The judge's hearing-wide buttons (审判长控制栏) for a hearing state. */
export interface JudgeBar {
  start: boolean;
  pause: boolean;
  resume: boolean;
  end: boolean;
  muteAll: boolean;
}

export function judgeBar(role: ParticipantRole, state: HearingState): JudgeBar | null {
  if (role !== 'judge') return null;
  const sitting = state === 'inSession' || state === 'paused' || state === 'suspended';
  return {
    start: state === 'lobbyOpen',
    pause: state === 'inSession',
    resume: state === 'paused' || state === 'suspended',
    end: sitting,
    muteAll: sitting || state === 'lobbyOpen',
  };
}

/**
 * Who may admit a waiting participant: the judge, or a clerk of the waiting participant's court
 * ('judgeOrCourtClerk': in a joint hearing each court's clerk admits their own people).
 */
export function mayAdmit(me: RoomParticipant, waiting: RoomParticipant, state: HearingState): boolean {
  if (!roomIsOpen(state) || waiting.status !== 'waiting') return false;
  return me.role === 'judge' || (me.role === 'clerk' && me.courtId === waiting.courtId);
}

/** Whether this participant sees the waiting list (候庭名单) at all. */
export const seesWaitingList = (me: RoomParticipant): boolean => isCourtStaff(me.role);

/**
 * Judge and clerk may open the waiting room before its time (the actor opens it by itself
 * lobbyLeadMinutes before the start).
 */
export const mayOpenLobby = (me: RoomParticipant, state: HearingState): boolean => isCourtStaff(me.role) && state === 'scheduled';

/** Connection quality figures are for the people running the hearing. */
export const seesConnectionQuality = (me: RoomParticipant): boolean => isCourtStaff(me.role);

/** The judge's buttons on one participant's tile. */
export interface TileActions {
  mute: boolean;
  unmute: boolean;
  dismiss: boolean;
}

export function tileActions(me: RoomParticipant, other: RoomParticipant, state: HearingState): TileActions {
  const judge = me.role === 'judge' && roomIsOpen(state) && other.participantId !== me.participantId;
  const present = PRESENT.has(other.status);
  return {
    mute: judge && present && !other.muted,
    unmute: judge && present && other.muted,
    // A judge cannot be dismissed (责令退庭 applies to the others).
    dismiss: judge && other.role !== 'judge' && (present || other.status === 'waiting'),
  };
}

/** Raise or lower one's own hand: only in the room, and not for the bench, who give the floor. */
export function handAction(me: RoomParticipant, state: HearingState): 'RAISE_HAND' | 'LOWER_HAND' | null {
  if (!roomIsOpen(state) || me.status !== 'inRoom' || isCourtStaff(me.role)) return null;
  return me.handRaised ? 'LOWER_HAND' : 'RAISE_HAND';
}

/**
 * Whether the identity gate still keeps `me` out of the waiting room (awaitsIdentityCheck in
 * hearing-participants.ts): `gated` is the hearing's identityGate (false for hearings from before it).
 */
export const awaitsIdentityCheck = (me: RoomParticipant, gated: boolean): boolean => gated && !isCourtStaff(me.role) && (me.identityCheck ?? null) === null;

/** What the judge's participant list shows of someone's identity. */
export type IdentityStatus = 'face' | 'manual' | 'notYet' | 'alert' | 'staff';

export function identityStatus(participant: RoomParticipant): IdentityStatus {
  if (participant.identityAlert) return 'alert';
  if (participant.identityCheck) return participant.identityCheck.method;
  return isCourtStaff(participant.role) ? 'staff' : 'notYet';
}

/** The judge may check a party by other means (人工核验) until the party is sent out. */
export const mayApproveManually = (me: RoomParticipant, other: RoomParticipant, state: HearingState): boolean =>
  me.role === 'judge' && !isCourtStaff(other.role) && other.status !== 'dismissed' && (other.identityCheck ?? null) === null && PREPARATION_STATES.has(state);

/** Where a participant stands on the way in, for the waiting-room screen. */
export type EntryStage =
  | 'deviceCheck' // 设备检测 first: the actor takes the identity declaration only after it
  | 'identityCheck' // 身份核验: a live face check (or the judge's manual check) before the waiting room
  | 'acknowledge' // read the court discipline, declare identity, then enter
  | 'notYetOpen' // prepared, but the waiting room opens later
  | 'waiting' // 候庭: the judge or clerk admits
  | 'joining' // admitted, or back within the reconnect grace: JOIN_ROOM now
  | 'inRoom'
  | 'closed' // the hearing is over (or cancelled): nothing to enter
  | 'dismissed';

export function entryStage(me: RoomParticipant, state: HearingState, gated = true): EntryStage {
  if (me.status === 'dismissed') return 'dismissed';
  if (!PREPARATION_STATES.has(state)) return 'closed';
  if (['deviceChecked', 'identityChecked', 'left'].includes(me.status) && awaitsIdentityCheck(me, gated)) return 'identityCheck';
  switch (me.status) {
    case 'invited':
      return 'deviceCheck';
    case 'deviceChecked':
      // The declaration is taken any time before the hearing; entering waits for the lobby.
      return 'acknowledge';
    case 'identityChecked':
    case 'left':
      return roomIsOpen(state) ? 'acknowledge' : 'notYetOpen';
    case 'waiting':
      return roomIsOpen(state) ? 'waiting' : 'notYetOpen';
    case 'admitted':
    case 'reconnecting':
      return roomIsOpen(state) ? 'joining' : 'notYetOpen';
    case 'inRoom':
      return roomIsOpen(state) ? 'inRoom' : 'notYetOpen';
    default:
      return 'closed';
  }
}

export type EntryCommand =
  | { type: 'DECLARE_IDENTITY'; participantId: string; declaration: string }
  | { type: 'ENTER_WAITING'; participantId: string }
  | { type: 'JOIN_ROOM'; participantId: string };

/**
 * The commands "enter" sends, in order, once the discipline is acknowledged: the declaration
 * when not yet recorded, then the waiting room — or, for judge and clerk, who are not admitted
 * by anyone, straight into the room. Before the lobby opens, or while a party's identity is not yet
 * verified, only the declaration can be sent.
 */
export function entryCommands(me: RoomParticipant, state: HearingState, declaration: string, gated = true): EntryCommand[] {
  const commands: EntryCommand[] = [];
  const id = me.participantId;
  if (me.status === 'deviceChecked') commands.push({ type: 'DECLARE_IDENTITY', participantId: id, declaration });
  else if (me.status !== 'identityChecked' && me.status !== 'left') return commands;
  // Without a verified identity the actor would refuse the waiting room (IDENTITY_NOT_VERIFIED).
  if (!roomIsOpen(state) || awaitsIdentityCheck(me, gated)) return commands;
  commands.push(isCourtStaff(me.role) ? { type: 'JOIN_ROOM', participantId: id } : { type: 'ENTER_WAITING', participantId: id });
  return commands;
}
