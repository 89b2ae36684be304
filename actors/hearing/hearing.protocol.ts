// The hearing actor's message protocol: the commands it takes (validated at every boundary),
// the journalled events they become, the refusals and the client-safe summary. Shared by the
// hub (which validates requests), the clerk's live screen and the actor.
import { z } from 'zod';

export const HEARING_PROTOCOL_VERSION = 1;

export const HEARING_STATES = [
  'unscheduled', // the actor exists only between its first command and SCHEDULE
  'scheduled', // 已排期 (again after an adjournment, for the new date)
  'lobbyOpen', // 候庭室开放
  'inSession', // 庭审中
  'paused', // 休庭
  'suspended', // 中止（技术故障处理中）
  'concluded', // 庭审结束
  'transcriptConfirmation', // 笔录确认中
  'archived', // 已归档
  'cancelled', // 已取消
  'failed', // 庭审失败（无法继续，需另行排期）
] as const;
export type HearingState = (typeof HEARING_STATES)[number];

export const PARTICIPANT_ROLES = ['judge', 'clerk', 'party', 'lawyer', 'witness', 'observer'] as const;
export type ParticipantRole = (typeof PARTICIPANT_ROLES)[number];

export const PARTICIPANT_STATUSES = [
  'invited',
  'deviceChecked',
  'identityChecked', // declared their identity (the court-discipline text); parties also need a verified identityCheck to wait
  'waiting', // 候庭
  'admitted',
  'inRoom',
  'reconnecting', // dropped while inRoom; rejoins without re-admission until graceEndsAt
  'left',
  'dismissed', // 责令退庭
] as const;
export type ParticipantStatus = (typeof PARTICIPANT_STATUSES)[number];

/** How a command is refused: the code says what kind of refusal, the reason says it plainly. */
export const HEARING_REFUSAL_CODES = ['FORBIDDEN', 'INVALID_STATE', 'NOT_A_PARTICIPANT', 'VALIDATION_FAILED', 'IDENTITY_NOT_VERIFIED'] as const;
export type HearingRefusalCode = (typeof HEARING_REFUSAL_CODES)[number];
export interface HearingRefusal {
  code: HearingRefusalCode;
  reason: string;
}

/**
 * The language a hearing is held in (庭审语言), chosen when it is scheduled: live speech recognition
 * listens for it. Absent in hearings journalled before it existed: those are held in the hub's default.
 */
export const HEARING_LANGUAGES = ['zh', 'en'] as const;
export type HearingLanguage = (typeof HEARING_LANGUAGES)[number];
export const hearingLanguage = z.enum(HEARING_LANGUAGES);

export const DEFAULT_LOBBY_LEAD_MINUTES = 30;
export const DEFAULT_RECONNECT_GRACE_SECONDS = 60;

/** Participant ids become timer ids and map keys: a short safe token (the hub mints uuids). */
const participantId = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'must be a short safe token');
const instant = z.iso.datetime({ offset: true });
const reason = z.string().trim().min(2).max(2000);

export const participantInput = z.object({
  participantId,
  accountId: z.uuid(),
  role: z.enum(PARTICIPANT_ROLES),
  displayName: z.string().trim().min(1).max(100),
  /** The court this participant belongs to: in a joint hearing only that court's clerk admits them. */
  courtId: z.uuid(),
});
export type ParticipantInput = z.infer<typeof participantInput>;

/** What the device and network check found (<ecourt-device-check>), as shown to the clerk. */
export const deviceCheckResult = z.object({
  passed: z.boolean(),
  camera: z.boolean(),
  microphone: z.boolean(),
  speaker: z.boolean(),
  browserSupported: z.boolean(),
  roundTripMs: z.number().int().min(0).max(60_000).nullable(),
  bandwidthKbps: z.number().int().min(0).max(10_000_000).nullable(),
  note: z.string().trim().max(500).optional(),
});
export type DeviceCheckResult = z.infer<typeof deviceCheckResult>;

/**
 * How a party's identity was verified before the waiting room (身份核验): a passed live face check
 * against their enrolment, or the judge's manual check (人工核验, e.g. the ID card held to the camera).
 */
export const IDENTITY_CHECK_METHODS = ['face', 'manual'] as const;
export type IdentityCheckMethod = (typeof IDENTITY_CHECK_METHODS)[number];
/** What a re-check of a present participant's video found (the server samples frames during the hearing). */
export const IDENTITY_RECHECK_OUTCOMES = ['match', 'mismatch', 'noFace', 'severalFaces'] as const;
export type IdentityRecheckOutcome = (typeof IDENTITY_RECHECK_OUTCOMES)[number];

/** Who sent a command; the hub fills it from the session. Role 'system' only ever comes from server code. */
const sender = z.object({ userId: z.string().min(1).max(64), role: z.string().min(1).max(32) });
export type HearingSender = z.infer<typeof sender>;
export const SYSTEM_SENDER: HearingSender = { userId: 'system', role: 'system' };

const onParticipant = { by: sender, participantId };

const sha256 = z.string().regex(/^[0-9a-f]{64}$/, 'must be a sha256 in hex');
const segmentId = z.string().min(1).max(128);
/** How the judge settles an objection: the segment was corrected (a new version), or it stands. */
export const OBJECTION_DECISIONS = ['corrected', 'dismissed'] as const;
export type ObjectionDecision = (typeof OBJECTION_DECISIONS)[number];
/** One objection to a segment of the frozen transcript, as the reviewer marked it. */
export const transcriptObjectionInput = z.object({ segmentId, note: z.string().trim().min(1).max(2000) });

/** Commands as they travel to the actor (the hub adds `by` from the session). */
export const hearingCommand = z.discriminatedUnion('type', [
  // From the case actor when a clerk schedules a hearing (创建庭审).
  z.object({
    type: z.literal('SCHEDULE'),
    by: sender,
    caseId: z.uuid(),
    courtId: z.uuid(),
    courtroom: z.string().trim().min(1).max(100),
    startsAt: instant,
    participants: z.array(participantInput).min(1).max(100),
    lobbyLeadMinutes: z.number().int().min(0).max(24 * 60).optional(),
    reconnectGraceSeconds: z.number().int().min(5).max(3600).optional(),
    language: hearingLanguage.optional(),
    /**
     * Parties enter the waiting room only with a verified identity. The hearing behaviour always
     * stamps true; absent in hearings journalled before the gate existed, which replay without it.
     */
    identityGate: z.boolean().optional(),
  }),
  z.object({ type: z.literal('INVITE'), by: sender, participant: participantInput }),
  z.object({ type: z.literal('OPEN_LOBBY'), by: sender }),
  z.object({ type: z.literal('CANCEL'), by: sender, reason }),
  // Judge commands.
  z.object({ type: z.literal('ADMIT'), ...onParticipant }),
  z.object({ type: z.literal('DISMISS'), ...onParticipant, reason: reason.optional() }),
  z.object({ type: z.literal('START'), by: sender }),
  z.object({ type: z.literal('PAUSE'), by: sender }),
  z.object({ type: z.literal('RESUME'), by: sender }),
  z.object({ type: z.literal('SUSPEND'), by: sender, reason }),
  z.object({ type: z.literal('MUTE'), ...onParticipant }),
  z.object({ type: z.literal('UNMUTE'), ...onParticipant }),
  z.object({ type: z.literal('MUTE_ALL'), by: sender }),
  z.object({ type: z.literal('END'), by: sender }),
  z.object({ type: z.literal('ADJOURN'), by: sender, newStartsAt: instant, reason }),
  // Participant commands (for themselves; a clerk may record a device check for one of their court).
  z.object({ type: z.literal('DEVICE_CHECKED'), ...onParticipant, result: deviceCheckResult }),
  z.object({ type: z.literal('DECLARE_IDENTITY'), ...onParticipant, declaration: z.string().trim().min(2).max(1000) }),
  z.object({ type: z.literal('ENTER_WAITING'), ...onParticipant }),
  // Identity (身份核验): the hub after a passed live face check for this hearing; the judge after checking by other means.
  z.object({ type: z.literal('IDENTITY_VERIFIED'), ...onParticipant, checkId: z.uuid(), method: z.literal('face') }),
  z.object({ type: z.literal('APPROVE_MANUAL_IDENTITY'), ...onParticipant, note: z.string().trim().min(2).max(1000) }),
  // The hub's re-check of a present participant's video: a non-match raises an alert for the judge and clerk.
  z.object({
    type: z.literal('IDENTITY_RECHECKED'),
    ...onParticipant,
    checkId: z.uuid(),
    outcome: z.enum(IDENTITY_RECHECK_OUTCOMES),
    distance: z.number().min(0).max(10).optional(),
  }),
  z.object({ type: z.literal('JOIN_ROOM'), ...onParticipant }),
  z.object({ type: z.literal('LEAVE'), ...onParticipant }),
  z.object({ type: z.literal('RAISE_HAND'), ...onParticipant }),
  z.object({ type: z.literal('LOWER_HAND'), ...onParticipant }),
  // After the hearing (笔录确认): the server (or the judge or clerk) submits the frozen transcript, each
  // reviewer confirms it or objects to segments, the judge resolves objections; the hearing is archived
  // when all is settled, when the deadline passes, or early by the judge or clerk.
  z.object({
    type: z.literal('SUBMIT_TRANSCRIPT'),
    by: sender,
    transcriptId: z.string().min(1).max(128),
    /** The frozen version's transcriptHash (hub/collab/transcript-hash.ts). */
    sha256: sha256.optional(),
    /** Until when reviewers may confirm or object; absent: until the judge or clerk archives. */
    confirmBy: instant.optional(),
  }),
  z.object({ type: z.literal('CONFIRM_TRANSCRIPT'), ...onParticipant }),
  z.object({ type: z.literal('OBJECT_TO_TRANSCRIPT'), ...onParticipant, objections: z.array(transcriptObjectionInput).min(1).max(500) }),
  z.object({
    type: z.literal('RESOLVE_OBJECTION'),
    ...onParticipant,
    segmentId,
    decision: z.enum(OBJECTION_DECISIONS),
    note: z.string().trim().min(1).max(2000),
  }),
  z.object({ type: z.literal('ARCHIVE'), by: sender }),
  z.object({ type: z.literal('CONFIRMATION_DEADLINE_PASSED'), by: sender }),
  // From the server only: the media node saw a connection drop, the grace timer ran out, the hearing cannot go on.
  z.object({ type: z.literal('CONNECTION_LOST'), ...onParticipant }),
  z.object({ type: z.literal('RECONNECT_GRACE_ENDED'), ...onParticipant }),
  z.object({ type: z.literal('FAIL'), by: sender, reason }),
]);
export type HearingCommand = z.infer<typeof hearingCommand>;
export type HearingCommandType = HearingCommand['type'];

/** What a browser sends: a command with the protocol version (the hub replaces `by`). */
export const hearingClientMessage = z.object({ v: z.literal(HEARING_PROTOCOL_VERSION), command: hearingCommand });

/**
 * The journalled (domain) event of an accepted command: the command stamped with the instant it
 * was accepted. All time the machine knows comes from `at`, so replaying the journal is exact.
 */
export const hearingEvent = hearingCommand.and(z.object({ at: instant }));
export type HearingEvent = HearingCommand & { at: string };
export type HearingEventOf<T extends HearingCommandType> = Extract<HearingCommand, { type: T }> & { at: string };

/**
 * Who may send each command. 'judge': a judge of this hearing; 'judgeOrClerk': also any clerk
 * of it; 'judgeOrCourtClerk': also the clerk of the target participant's court (joint hearings);
 * 'self': the participant named, from their own account; 'selfOrCourtClerk': or their court's
 * clerk; 'system': server code only; 'courtStaff': a clerk or judge by account role (the hearing
 * has no participants yet).
 */
export type HearingSenderRule = 'judge' | 'judgeOrClerk' | 'judgeOrClerkOrSystem' | 'judgeOrCourtClerk' | 'self' | 'selfOrCourtClerk' | 'system' | 'courtStaff';

export const HEARING_COMMAND_SENDERS: Record<HearingCommandType, HearingSenderRule> = {
  SCHEDULE: 'courtStaff',
  INVITE: 'judgeOrCourtClerk',
  OPEN_LOBBY: 'judgeOrClerkOrSystem',
  CANCEL: 'judgeOrClerk',
  ADMIT: 'judgeOrCourtClerk',
  DISMISS: 'judge',
  START: 'judge',
  PAUSE: 'judge',
  RESUME: 'judge',
  SUSPEND: 'judge',
  MUTE: 'judge',
  UNMUTE: 'judge',
  MUTE_ALL: 'judge',
  END: 'judge',
  ADJOURN: 'judge',
  DEVICE_CHECKED: 'selfOrCourtClerk',
  DECLARE_IDENTITY: 'self',
  ENTER_WAITING: 'self',
  IDENTITY_VERIFIED: 'system',
  APPROVE_MANUAL_IDENTITY: 'judge',
  IDENTITY_RECHECKED: 'system',
  JOIN_ROOM: 'self',
  LEAVE: 'self',
  RAISE_HAND: 'self',
  LOWER_HAND: 'self',
  SUBMIT_TRANSCRIPT: 'judgeOrClerkOrSystem',
  CONFIRM_TRANSCRIPT: 'self',
  OBJECT_TO_TRANSCRIPT: 'self',
  RESOLVE_OBJECTION: 'judge',
  ARCHIVE: 'judgeOrClerk',
  CONFIRMATION_DEADLINE_PASSED: 'system',
  CONNECTION_LOST: 'system',
  RECONNECT_GRACE_ENDED: 'system',
  FAIL: 'system',
};

/** One participant as clients may see it (no account id). */
export const participantSummary = z.object({
  participantId,
  role: z.enum(PARTICIPANT_ROLES),
  displayName: z.string(),
  courtId: z.string(),
  status: z.enum(PARTICIPANT_STATUSES),
  muted: z.boolean(),
  handRaised: z.boolean(),
  deviceCheck: deviceCheckResult.nullable(),
  /** How and when the identity was verified (the judge's note stays on the server); optional in summaries from before the gate. */
  identityCheck: z.object({ method: z.enum(IDENTITY_CHECK_METHODS), at: z.string() }).nullable().optional(),
  /** The last re-check during the hearing did not match (cleared by a later match): shown to the judge and clerk. */
  identityAlert: z.object({ at: z.string(), outcome: z.enum(IDENTITY_RECHECK_OUTCOMES), checkId: z.string() }).nullable().optional(),
  /** While reconnecting: when the seat is given up (the room shows a countdown; the server's clock acts on it). */
  graceEndsAt: z.string().nullable(),
  transcriptConfirmed: z.boolean(),
  /** Reviewers only: when they confirmed or objected, and their objections with the judge's resolution. */
  transcriptReview: z
    .object({
      reviewedAt: z.string().nullable(),
      objections: z.array(
        transcriptObjectionInput.extend({
          at: z.string(),
          resolution: z.object({ decision: z.enum(OBJECTION_DECISIONS), note: z.string(), at: z.string() }).nullable(),
        }),
      ),
    })
    .nullable()
    .optional(),
});

/** Why the transcript phase ended: all reviewed and settled, the deadline, or the judge or clerk closed it. */
export const ARCHIVE_REASONS = ['allReviewed', 'deadline', 'closedByCourt'] as const;
export type ArchiveReason = (typeof ARCHIVE_REASONS)[number];

/** What a DomainEvent of a hearing carries: enough for the clerk's live screen and the hearings table. */
export const hearingSummary = z.object({
  caseId: z.string().nullable(),
  courtId: z.string().nullable(),
  courtroom: z.string().nullable(),
  startsAt: z.string().nullable(),
  lobbyOpensAt: z.string().nullable(),
  /** The hearing's language; null: scheduled before hearings had one, held in the hub's default. */
  language: hearingLanguage.nullable().optional(),
  recording: z.boolean(),
  /** Parties enter the waiting room only with a verified identity; false (or absent) for hearings from before the gate. */
  identityGate: z.boolean().optional(),
  adjournments: z.number().int(),
  participants: z.array(participantSummary),
  /** From SUBMIT_TRANSCRIPT on: the frozen transcript under review (笔录确认) and how it ended. */
  transcript: z
    .object({
      transcriptId: z.string(),
      sha256: z.string().nullable(),
      submittedAt: z.string(),
      confirmBy: z.string().nullable(),
      archivedBecause: z.enum(ARCHIVE_REASONS).nullable(),
      notReviewedAtArchive: z.array(z.string()),
    })
    .nullable()
    .optional(),
});
export type HearingSummary = z.infer<typeof hearingSummary>;
