// The life of one hearing (庭审) as an XState v5 machine: scheduled → lobby → in session ⇄
// paused / suspended → adjourned to a new date or concluded → transcript confirmation →
// archived, with each participant's own steps kept as data in the context (hearing-participants.ts).
// Pure over its journalled events: all time comes from their `at`. Side effects — telling the SFU,
// recording, archiving — are named emitting actions that tests and the media node swap through
// `.provide()`; the two timers (lobby opening, reconnect grace) are delayed raises, which only a
// live actor runs (the journal runner defers nothing, so there the server sends those events).
import { assertEvent, assign, cancel, emit, enqueueActions, raise, setup } from 'xstate';
import {
  ATTENDING,
  PRESENT,
  awaitsIdentityCheck,
  isCourtStaff,
  newParticipant,
  participantMayTake,
  stepParticipant,
  type HearingParticipant,
} from './hearing-participants.ts';
import { senderRefusal } from './hearing-permissions.ts';
import { confirmsTranscript, notReviewed, reviewSettled } from './transcript-review.ts';
import {
  DEFAULT_LOBBY_LEAD_MINUTES,
  DEFAULT_RECONNECT_GRACE_SECONDS,
  SYSTEM_SENDER,
  type ArchiveReason,
  type HearingEvent,
  type HearingLanguage,
} from './hearing.protocol.ts';

export type { HearingEvent } from './hearing.protocol.ts';
export type { HearingParticipant } from './hearing-participants.ts';

/** What the hearing asks of the world; the machine never does it itself. */
export type HearingEffect =
  | { type: 'sfu.admit'; participantId: string }
  | { type: 'sfu.stopForwarding'; participantIds: string[] }
  | { type: 'sfu.mute'; participantIds: string[] }
  | { type: 'sfu.unmute'; participantIds: string[] }
  | { type: 'sfu.closeRoom' }
  | { type: 'recording.start' }
  | { type: 'recording.stop' }
  | { type: 'hearing.archive'; transcriptId: string | null };

export interface Adjournment {
  at: string;
  fromStartsAt: string;
  toStartsAt: string;
  reason: string;
}

/** What the hearing actor knows; null until the event that sets it (JSON-friendly, no undefined). */
export interface HearingContext {
  hearingId: string;
  caseId: string | null;
  /** The court holding the hearing (a joint hearing's participants may come from others). */
  courtId: string | null;
  courtroom: string | null;
  /** What live recognition listens for; null (or absent in old snapshots): the hub's default language. */
  language?: HearingLanguage | null;
  startsAt: string | null;
  lobbyOpensAt: string | null;
  lobbyLeadMs: number;
  reconnectGraceMs: number;
  /** Parties need a verified identity to wait (fixed by SCHEDULE); absent or false in hearings from before the gate. */
  identityGate?: boolean;
  participants: Record<string, HearingParticipant>;
  recording: boolean;
  startedAt: string | null;
  endedAt: string | null;
  adjournments: Adjournment[];
  /** Why the hearing is suspended, cancelled or failed. */
  reason: string | null;
  transcriptId: string | null;
  /** The frozen transcript under review: its hash, when it was submitted, until when reviewers may answer. */
  transcriptSha256?: string | null;
  transcriptSubmittedAt?: string | null;
  confirmBy?: string | null;
  /** Participants who had not confirmed the transcript when it was archived (拒绝签名, objected, or absent). */
  unconfirmedAtArchive: string[];
  /** Of those, who had not reviewed it at all (confirmed nor objected), e.g. by the deadline. */
  notReviewedAtArchive?: string[];
  archivedBecause?: ArchiveReason | null;
  historyLength: number;
}

export interface HearingInput {
  id: string;
}

const graceTimerId = (participantId: string): string => `reconnectGrace:${participantId}`;
const LOBBY_TIMER_ID = 'lobbyOpening';
const laterOf = (a: string, b: string): string => (Date.parse(a) >= Date.parse(b) ? a : b);

function lobbyOpening(startsAt: string, lobbyLeadMs: number): string {
  return new Date(Date.parse(startsAt) - lobbyLeadMs).toISOString();
}

/**
 * The room empties: the hearing ends, is cancelled or fails ('left'), or is adjourned, after which
 * everyone who had come through the checks enters the next sitting by the waiting room again.
 */
function emptyRoom(participants: Record<string, HearingParticipant>, to: 'left' | 'identityChecked'): Record<string, HearingParticipant> {
  const next: Record<string, HearingParticipant> = {};
  for (const [id, participant] of Object.entries(participants)) {
    const wasAttending = ATTENDING.includes(participant.status);
    const hadCome = wasAttending || participant.status === 'left' || participant.status === 'dismissed';
    const status = to === 'left' ? (wasAttending ? 'left' : participant.status) : hadCome ? 'identityChecked' : participant.status;
    next[id] = { ...participant, status, muted: false, handRaised: false, graceEndsAt: null };
    // The next sitting is another day: parties verify their identity again (staff were never gated).
    if (to === 'identityChecked' && !isCourtStaff(participant.role)) next[id] = { ...next[id]!, identityCheck: null, identityAlert: null };
  }
  return next;
}

const presentIds = (context: HearingContext): string[] =>
  Object.values(context.participants)
    .filter((participant) => PRESENT.includes(participant.status))
    .map((participant) => participant.participantId);

/** Participants who still have to confirm the transcript. */
const unconfirmed = (context: HearingContext): string[] =>
  Object.values(context.participants)
    .filter((participant) => confirmsTranscript(participant) && participant.transcriptConfirmedAt === null)
    .map((participant) => participant.participantId);

export const hearingMachine = setup({
  types: {
    context: {} as HearingContext,
    events: {} as HearingEvent,
    input: {} as HearingInput,
    emitted: {} as HearingEffect,
  },
  guards: {
    /** Sender, participant and data allow the event; the state node it is declared in did the rest. */
    mayTake: ({ context, event }) => {
      if (senderRefusal(context, event) !== null) return false;
      if (!('participantId' in event)) return true;
      const participant = context.participants[event.participantId];
      return participant !== undefined && participantMayTake(participant, event);
    },
    /** Into the waiting room: as mayTake, and past the identity gate (hearing-refusals.ts names the refusal). */
    mayEnterWaiting: ({ context, event }) => {
      assertEvent(event, 'ENTER_WAITING');
      if (senderRefusal(context, event) !== null) return false;
      const participant = context.participants[event.participantId];
      return participant !== undefined && participantMayTake(participant, event) && !awaitsIdentityCheck(participant, context.identityGate === true);
    },
    /** The server opens the lobby at its time; the judge or a clerk may open it earlier. */
    mayOpenLobby: ({ context, event }) => {
      assertEvent(event, 'OPEN_LOBBY');
      if (senderRefusal(context, event) !== null) return false;
      return event.by.role !== 'system' || (context.lobbyOpensAt !== null && Date.parse(event.at) >= Date.parse(context.lobbyOpensAt));
    },
    /** The review or resolution after which every reviewer has answered and every objection is settled archives the hearing. */
    settlesReview: ({ context, event }) => {
      assertEvent(event, ['CONFIRM_TRANSCRIPT', 'OBJECT_TO_TRANSCRIPT', 'RESOLVE_OBJECTION']);
      const participant = context.participants[event.participantId];
      if (senderRefusal(context, event) !== null || !participant || !participantMayTake(participant, event)) return false;
      return reviewSettled({ ...context.participants, [event.participantId]: stepParticipant(participant, event, context.reconnectGraceMs) });
    },
    /** Only the server says the deadline passed, and only once it has. */
    deadlinePassed: ({ context, event }) => {
      assertEvent(event, 'CONFIRMATION_DEADLINE_PASSED');
      if (senderRefusal(context, event) !== null) return false;
      return typeof context.confirmBy === 'string' && Date.parse(event.at) >= Date.parse(context.confirmBy);
    },
  },
  actions: {
    countEvent: assign({ historyLength: ({ context }) => context.historyLength + 1 }),
    recordSchedule: assign(({ event }) => {
      assertEvent(event, 'SCHEDULE');
      const lobbyLeadMs = (event.lobbyLeadMinutes ?? DEFAULT_LOBBY_LEAD_MINUTES) * 60_000;
      return {
        caseId: event.caseId,
        courtId: event.courtId,
        courtroom: event.courtroom,
        language: event.language ?? null,
        identityGate: event.identityGate ?? false,
        startsAt: event.startsAt,
        lobbyLeadMs,
        lobbyOpensAt: lobbyOpening(event.startsAt, lobbyLeadMs),
        reconnectGraceMs: (event.reconnectGraceSeconds ?? DEFAULT_RECONNECT_GRACE_SECONDS) * 1000,
        participants: Object.fromEntries(event.participants.map((input) => [input.participantId, newParticipant(input)])),
      };
    }),
    recordInvitation: assign(({ context, event }) => {
      assertEvent(event, 'INVITE');
      return { participants: { ...context.participants, [event.participant.participantId]: newParticipant(event.participant) } };
    }),
    stepParticipant: assign(({ context, event }) => {
      if (!('participantId' in event)) return {};
      const participant = context.participants[event.participantId];
      if (!participant) return {};
      return { participants: { ...context.participants, [event.participantId]: stepParticipant(participant, event, context.reconnectGraceMs) } };
    }),
    /** Joined while the hearing sits: a party, lawyer or witness who did so confirms the transcript. */
    markAttended: assign(({ context, event }) => {
      assertEvent(event, 'JOIN_ROOM');
      const participant = context.participants[event.participantId];
      if (!participant) return {};
      return { participants: { ...context.participants, [event.participantId]: { ...participant, attended: true } } };
    }),
    recordStart: assign(({ context, event }) => {
      assertEvent(event, 'START');
      const participants = Object.fromEntries(
        Object.entries(context.participants).map(([id, participant]) => [
          id,
          participant.status === 'inRoom' || participant.status === 'reconnecting' ? { ...participant, attended: true } : participant,
        ]),
      );
      return { participants, startedAt: context.startedAt ?? event.at };
    }),
    muteEveryoneButTheJudges: assign(({ context }) => ({
      participants: Object.fromEntries(
        Object.entries(context.participants).map(([id, participant]) => [
          id,
          presentIds(context).includes(id) && participant.role !== 'judge' ? { ...participant, muted: true } : participant,
        ]),
      ),
    })),
    recordSuspension: assign(({ event }) => {
      assertEvent(event, 'SUSPEND');
      return { reason: event.reason };
    }),
    clearReason: assign({ reason: null }),
    recordingOn: assign({ recording: true }),
    recordingOff: assign({ recording: false }),
    recordEnd: assign(({ context, event }) => {
      assertEvent(event, 'END');
      return { endedAt: event.at, participants: emptyRoom(context.participants, 'left') };
    }),
    recordAdjournment: assign(({ context, event }) => {
      assertEvent(event, 'ADJOURN');
      return {
        adjournments: [...context.adjournments, { at: event.at, fromStartsAt: context.startsAt ?? event.at, toStartsAt: event.newStartsAt, reason: event.reason }],
        startsAt: event.newStartsAt,
        lobbyOpensAt: lobbyOpening(event.newStartsAt, context.lobbyLeadMs),
        participants: emptyRoom(context.participants, 'identityChecked'),
      };
    }),
    recordClosing: assign(({ context, event }) => {
      assertEvent(event, ['CANCEL', 'FAIL']);
      return { reason: event.reason, endedAt: event.at, participants: emptyRoom(context.participants, 'left') };
    }),
    recordTranscript: assign(({ event }) => {
      assertEvent(event, 'SUBMIT_TRANSCRIPT');
      return { transcriptId: event.transcriptId, transcriptSha256: event.sha256 ?? null, transcriptSubmittedAt: event.at, confirmBy: event.confirmBy ?? null };
    }),
    settledByReviews: assign({ archivedBecause: 'allReviewed' as const }),
    settledByDeadline: assign({ archivedBecause: 'deadline' as const }),
    closedByCourt: assign({ archivedBecause: 'closedByCourt' as const }),
    recordArchiving: assign(({ context }) => ({ unconfirmedAtArchive: unconfirmed(context), notReviewedAtArchive: notReviewed(context.participants) })),

    // Effects: emitted for whoever runs the actor (media node, tests); swapped through .provide().
    tellSfuToAdmit: emit(({ event }) => {
      assertEvent(event, 'ADMIT');
      return { type: 'sfu.admit' as const, participantId: event.participantId };
    }),
    tellSfuToStopForwarding: emit(({ event }) => {
      assertEvent(event, ['LEAVE', 'DISMISS', 'RECONNECT_GRACE_ENDED']);
      return { type: 'sfu.stopForwarding' as const, participantIds: [event.participantId] };
    }),
    tellSfuToMute: emit(({ context, event }) => {
      assertEvent(event, ['MUTE', 'MUTE_ALL']);
      const participantIds = event.type === 'MUTE' ? [event.participantId] : presentIds(context).filter((id) => context.participants[id]?.role !== 'judge');
      return { type: 'sfu.mute' as const, participantIds };
    }),
    tellSfuToUnmute: emit(({ event }) => {
      assertEvent(event, 'UNMUTE');
      return { type: 'sfu.unmute' as const, participantIds: [event.participantId] };
    }),
    tellSfuToCloseRoom: emit({ type: 'sfu.closeRoom' }),
    startRecording: emit({ type: 'recording.start' }),
    stopRecording: emit({ type: 'recording.stop' }),
    archiveHearing: emit(({ context }) => ({ type: 'hearing.archive' as const, transcriptId: context.transcriptId })),

    // Timers: only a live actor runs them; each is cancelled when its reason goes away.
    scheduleLobbyOpening: raise(
      ({ context, event }) => ({ type: 'OPEN_LOBBY' as const, by: SYSTEM_SENDER, at: laterOf(context.lobbyOpensAt ?? event.at, event.at) }),
      { id: LOBBY_TIMER_ID, delay: ({ context, event }) => Math.max(0, Date.parse(context.lobbyOpensAt ?? event.at) - Date.parse(event.at)) },
    ),
    cancelLobbyOpening: cancel(LOBBY_TIMER_ID),
    startReconnectGrace: enqueueActions(({ context, event, enqueue }) => {
      assertEvent(event, 'CONNECTION_LOST');
      const { participantId } = event;
      // The raised event carries the instant the grace ends, so the journal reads the same either way.
      const at = context.participants[participantId]?.graceEndsAt ?? event.at;
      enqueue.raise({ type: 'RECONNECT_GRACE_ENDED', by: SYSTEM_SENDER, participantId, at }, { id: graceTimerId(participantId), delay: context.reconnectGraceMs });
    }),
    cancelReconnectGrace: cancel(({ event }) => graceTimerId((event as Extract<HearingEvent, { participantId: string }>).participantId)),
    /** Before the room empties: no grace timer may outlive the sitting. */
    cancelAllReconnectGraces: enqueueActions(({ context, enqueue }) => {
      for (const participant of Object.values(context.participants)) {
        if (participant.status === 'reconnecting') enqueue.cancel(graceTimerId(participant.participantId));
      }
    }),
  },
}).createMachine({
  id: 'hearing',
  initial: 'unscheduled',
  context: ({ input }) => ({
    hearingId: input.id,
    caseId: null,
    courtId: null,
    courtroom: null,
    language: null,
    startsAt: null,
    lobbyOpensAt: null,
    lobbyLeadMs: DEFAULT_LOBBY_LEAD_MINUTES * 60_000,
    reconnectGraceMs: DEFAULT_RECONNECT_GRACE_SECONDS * 1000,
    identityGate: false,
    participants: {},
    recording: false,
    startedAt: null,
    endedAt: null,
    adjournments: [],
    reason: null,
    transcriptId: null,
    transcriptSha256: null,
    transcriptSubmittedAt: null,
    confirmBy: null,
    unconfirmedAtArchive: [],
    notReviewedAtArchive: [],
    archivedBecause: null,
    historyLength: 0,
  }),
  states: {
    unscheduled: {
      on: { SCHEDULE: { target: 'scheduled', guard: 'mayTake', actions: ['recordSchedule', 'countEvent'] } },
    },
    scheduled: {
      entry: 'scheduleLobbyOpening',
      exit: 'cancelLobbyOpening',
      on: {
        ...preparation(),
        OPEN_LOBBY: { target: 'lobbyOpen', guard: 'mayOpenLobby', actions: 'countEvent' },
        CANCEL: { target: 'cancelled', guard: 'mayTake', actions: ['recordClosing', 'countEvent'] },
        FAIL: failure(),
      },
    },
    lobbyOpen: {
      on: {
        ...preparation(),
        ...presence(false),
        START: { target: 'inSession', guard: 'mayTake', actions: ['recordStart', 'countEvent'] },
        CANCEL: { target: 'cancelled', guard: 'mayTake', actions: ['cancelAllReconnectGraces', 'recordClosing', 'tellSfuToCloseRoom', 'countEvent'] },
      },
    },
    inSession: {
      entry: ['recordingOn', 'startRecording'],
      exit: ['recordingOff', 'stopRecording'],
      on: {
        ...preparation(),
        ...presence(true),
        ...closing(),
        PAUSE: { target: 'paused', guard: 'mayTake', actions: 'countEvent' },
        SUSPEND: { target: 'suspended', guard: 'mayTake', actions: ['recordSuspension', 'countEvent'] },
      },
    },
    paused: {
      on: {
        ...preparation(),
        ...presence(true),
        ...closing(),
        RESUME: { target: 'inSession', guard: 'mayTake', actions: 'countEvent' },
      },
    },
    suspended: {
      on: {
        ...preparation(),
        ...presence(true),
        ...closing(),
        RESUME: { target: 'inSession', guard: 'mayTake', actions: ['clearReason', 'countEvent'] },
      },
    },
    concluded: {
      on: {
        SUBMIT_TRANSCRIPT: { target: 'transcriptConfirmation', guard: 'mayTake', actions: ['recordTranscript', 'countEvent'] },
        FAIL: failure(),
      },
    },
    transcriptConfirmation: {
      on: {
        CONFIRM_TRANSCRIPT: review(),
        OBJECT_TO_TRANSCRIPT: review(),
        RESOLVE_OBJECTION: review(),
        CONFIRMATION_DEADLINE_PASSED: { target: 'archived', guard: 'deadlinePassed', actions: ['settledByDeadline', 'countEvent'] },
        ARCHIVE: { target: 'archived', guard: 'mayTake', actions: ['closedByCourt', 'countEvent'] },
        FAIL: failure(),
      },
    },
    archived: { type: 'final', entry: ['recordArchiving', 'archiveHearing'] },
    cancelled: { type: 'final' },
    failed: { type: 'final' },
  },
});

// Transition tables shared by several states (plain objects spread into `on`).

/** Invitations and the pre-hearing checks: any time until the hearing ends. */
function preparation() {
  return {
    INVITE: { guard: 'mayTake', actions: ['recordInvitation', 'countEvent'] },
    DEVICE_CHECKED: { guard: 'mayTake', actions: ['stepParticipant', 'countEvent'] },
    DECLARE_IDENTITY: { guard: 'mayTake', actions: ['stepParticipant', 'countEvent'] },
    IDENTITY_VERIFIED: { guard: 'mayTake', actions: ['stepParticipant', 'countEvent'] },
    APPROVE_MANUAL_IDENTITY: { guard: 'mayTake', actions: ['stepParticipant', 'countEvent'] },
  } as const;
}

/** The waiting room and the room, from the lobby opening until the hearing ends. */
function presence(sitting: boolean) {
  return {
    ENTER_WAITING: { guard: 'mayEnterWaiting', actions: ['stepParticipant', 'countEvent'] },
    IDENTITY_RECHECKED: { guard: 'mayTake', actions: ['stepParticipant', 'countEvent'] },
    ADMIT: { guard: 'mayTake', actions: ['stepParticipant', 'tellSfuToAdmit', 'countEvent'] },
    JOIN_ROOM: {
      guard: 'mayTake',
      actions: sitting
        ? (['cancelReconnectGrace', 'stepParticipant', 'markAttended', 'countEvent'] as const)
        : (['cancelReconnectGrace', 'stepParticipant', 'countEvent'] as const),
    },
    LEAVE: { guard: 'mayTake', actions: ['cancelReconnectGrace', 'stepParticipant', 'tellSfuToStopForwarding', 'countEvent'] },
    DISMISS: { guard: 'mayTake', actions: ['cancelReconnectGrace', 'stepParticipant', 'tellSfuToStopForwarding', 'countEvent'] },
    CONNECTION_LOST: { guard: 'mayTake', actions: ['stepParticipant', 'startReconnectGrace', 'countEvent'] },
    RECONNECT_GRACE_ENDED: { guard: 'mayTake', actions: ['stepParticipant', 'tellSfuToStopForwarding', 'countEvent'] },
    MUTE: { guard: 'mayTake', actions: ['stepParticipant', 'tellSfuToMute', 'countEvent'] },
    UNMUTE: { guard: 'mayTake', actions: ['stepParticipant', 'tellSfuToUnmute', 'countEvent'] },
    MUTE_ALL: { guard: 'mayTake', actions: ['tellSfuToMute', 'muteEveryoneButTheJudges', 'countEvent'] },
    RAISE_HAND: { guard: 'mayTake', actions: ['stepParticipant', 'countEvent'] },
    LOWER_HAND: { guard: 'mayTake', actions: ['stepParticipant', 'countEvent'] },
    FAIL: failure(),
  } as const;
}

/** Ending or adjourning a sitting (from inSession, paused or suspended). */
function closing() {
  return {
    END: { target: 'concluded', guard: 'mayTake', actions: ['cancelAllReconnectGraces', 'recordEnd', 'tellSfuToCloseRoom', 'countEvent'] },
    ADJOURN: { target: 'scheduled', guard: 'mayTake', actions: ['cancelAllReconnectGraces', 'recordAdjournment', 'tellSfuToCloseRoom', 'clearReason', 'countEvent'] },
  } as const;
}

/** A review or the judge's resolution: the one that settles everything archives the hearing. */
function review() {
  return [
    { target: 'archived', guard: 'settlesReview', actions: ['stepParticipant', 'settledByReviews', 'countEvent'] },
    { guard: 'mayTake', actions: ['stepParticipant', 'countEvent'] },
  ] as const;
}

function failure() {
  return { target: '#hearing.failed', guard: 'mayTake', actions: ['cancelAllReconnectGraces', 'recordClosing', 'tellSfuToCloseRoom', 'countEvent'] } as const;
}
