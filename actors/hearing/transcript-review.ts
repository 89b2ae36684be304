// The transcript's review (笔录确认) as data of the hearing: each reviewer confirms the frozen
// transcript or objects to segments, the judge settles each objection. Pure over the participants,
// so the machine's guards, its summary and the filing of the transcript read one rule.
import type { HearingParticipant } from './hearing-participants.ts';
import type { ObjectionDecision } from './hearing.protocol.ts';

export interface ObjectionResolution {
  decision: ObjectionDecision;
  note: string;
  at: string;
  /** The judge's account. */
  by: string;
}

export interface TranscriptObjection {
  segmentId: string;
  note: string;
  at: string;
  resolution: ObjectionResolution | null;
}

/** Who signs the transcript (笔录由当事人、诉讼代理人、证人签名确认): attended parties, lawyers and witnesses. */
export const confirmsTranscript = (participant: HearingParticipant): boolean =>
  participant.attended && (participant.role === 'party' || participant.role === 'lawyer' || participant.role === 'witness');

/** Confirmed or objected (snapshots from before reviews existed know only the confirmation). */
export const hasReviewed = (participant: HearingParticipant): boolean =>
  (participant.transcriptReviewedAt ?? participant.transcriptConfirmedAt) !== null;

export const objectionsOf = (participant: HearingParticipant): TranscriptObjection[] => participant.transcriptObjections ?? [];

export const openObjection = (participant: HearingParticipant, segmentId: string): TranscriptObjection | undefined =>
  objectionsOf(participant).find((objection) => objection.segmentId === segmentId && objection.resolution === null);

const reviewersOf = (participants: Record<string, HearingParticipant>): HearingParticipant[] => Object.values(participants).filter(confirmsTranscript);

/** Reviewers who have neither confirmed nor objected. */
export const notReviewed = (participants: Record<string, HearingParticipant>): string[] =>
  reviewersOf(participants)
    .filter((participant) => !hasReviewed(participant))
    .map((participant) => participant.participantId);

/** Every reviewer has reviewed and the judge has settled every objection: the transcript can be filed. */
export const reviewSettled = (participants: Record<string, HearingParticipant>): boolean =>
  reviewersOf(participants).every(
    (participant) => hasReviewed(participant) && objectionsOf(participant).every((objection) => objection.resolution !== null),
  );
