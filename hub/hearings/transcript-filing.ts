// What is filed with the case when a hearing's transcript phase ends: the 庭审笔录 as a sealed PDF (the
// hearingTranscript template: segments with speaker and time, the present, judge and clerk) followed by the
// list of confirmations (笔录确认情况) — who, in which role, confirmed or objected (with the judge's
// resolution) or had not reviewed, and when; or, when no court seal can be applied or the data is
// incomplete, the same as plain text, so the record is never lost. Pure, from the hearing's client-safe
// summary, so the stored file and its details say the same thing.
import type { HearingSummary } from '../../actors/hearing/hearing.protocol.ts';
import type { CaseIssuingFacts } from '../../storage/documents/case-issuing-facts.ts';
import type { TranscriptSegment } from '../collab/transcript-model.ts';

export interface ConfirmationEntry {
  participantId: string;
  displayName: string;
  role: string;
  status: 'confirmed' | 'objected' | 'notReviewed';
  reviewedAt: string | null;
  objections: { segmentId: string; note: string; at: string; resolution: { decision: string; note: string; at: string } | null }[];
}

export interface TranscriptFilingDetails {
  transcriptVersionId: string | null;
  frozenSha256: string | null;
  /** sha256 of the transcript text as filed (after corrections), hub/collab/transcript-hash.ts. */
  transcriptSha256: string;
  archivedBecause: string | null;
  confirmBy: string | null;
  confirmations: ConfirmationEntry[];
}

const STATUS_TEXT: Record<ConfirmationEntry['status'], string> = {
  confirmed: '已确认 / confirmed',
  objected: '提出异议 / objected',
  notReviewed: '未确认 / not reviewed',
};
const DECISION_TEXT: Record<string, string> = { corrected: '已更正 / corrected', dismissed: '驳回 / dismissed' };
const REASON_TEXT: Record<string, string> = {
  allReviewed: '全部确认完毕 / all reviewed',
  deadline: '确认期限届满 / confirmation deadline passed',
  closedByCourt: '法院提前归档 / archived early by the court',
};

export function confirmationsOf(summary: HearingSummary): ConfirmationEntry[] {
  return summary.participants
    .filter((participant) => participant.transcriptReview)
    .map((participant) => {
      const review = participant.transcriptReview!;
      const status: ConfirmationEntry['status'] = review.reviewedAt === null ? 'notReviewed' : review.objections.length > 0 ? 'objected' : 'confirmed';
      return { participantId: participant.participantId, displayName: participant.displayName, role: participant.role, status, reviewedAt: review.reviewedAt, objections: review.objections };
    });
}

export function filingDetails(summary: HearingSummary, transcriptSha256: string): TranscriptFilingDetails {
  return {
    transcriptVersionId: summary.transcript?.transcriptId ?? null,
    frozenSha256: summary.transcript?.sha256 ?? null,
    transcriptSha256,
    archivedBecause: summary.transcript?.archivedBecause ?? null,
    confirmBy: summary.transcript?.confirmBy ?? null,
    confirmations: confirmationsOf(summary),
  };
}

/** The confirmation list as printed: why the review ended, the frozen hash, one line per reviewer and objection. */
export function confirmationLines(details: TranscriptFilingDetails): string[] {
  const lines: string[] = [];
  if (details.archivedBecause) lines.push(`归档原因 / Archived: ${REASON_TEXT[details.archivedBecause] ?? details.archivedBecause}`);
  if (details.frozenSha256) lines.push(`定稿哈希 / Frozen version sha256: ${details.frozenSha256}`);
  for (const entry of details.confirmations) {
    const deadline = entry.status === 'notReviewed' && details.archivedBecause === 'deadline' ? '（期限内未确认 / not reviewed by the deadline）' : '';
    lines.push(`${entry.displayName} (${entry.role}): ${STATUS_TEXT[entry.status]}${deadline}${entry.reviewedAt ? ` — ${entry.reviewedAt}` : ''}`);
    for (const objection of entry.objections) {
      const resolution = objection.resolution ? ` → ${DECISION_TEXT[objection.resolution.decision] ?? objection.resolution.decision}: ${objection.resolution.note} (${objection.resolution.at})` : ' → 未处理 / unresolved';
      lines.push(`  · ${objection.segmentId}: ${objection.note.replace(/\s*[\r\n]+\s*/g, ' ')}${resolution}`);
    }
  }
  return lines;
}

/** The plain-text filing (no court seal available, or data the template refuses): the transcript text, then the confirmation list. */
export function renderFiledTranscript(transcriptText: string, details: TranscriptFilingDetails): string {
  return `${[transcriptText, '', '—— 笔录确认情况 / Confirmations ——', ...confirmationLines(details)].join('\n')}\n`;
}

const ROLE_TITLE: Record<string, string> = { judge: '审判员', clerk: '书记员', party: '当事人', lawyer: '诉讼代理人', witness: '证人', observer: '旁听人员' };
/** Statuses of someone who was let into the hearing room at some point. */
const WAS_PRESENT = new Set(['admitted', 'inRoom', 'reconnecting', 'left', 'dismissed']);

/** A moment with the court's offset (UTC+8), as the template prints times. */
const courtTime = (ms: number) => `${new Date(ms + 8 * 3_600_000).toISOString().slice(0, 19)}+08:00`;

/**
 * The hearingTranscript template's data: the case header, when it was held (first START to last END),
 * where, the judge and clerk of the hearing, who was present, the segments in time order (hearing time
 * from the start), and the confirmation list. Missing facts are left out for the template to name.
 */
export function transcriptDocumentData(options: {
  facts: CaseIssuingFacts;
  summary: HearingSummary;
  segments: TranscriptSegment[];
  startedAt: Date | null;
  endedAt: Date | null;
  details: TranscriptFilingDetails;
}): Record<string, unknown> {
  const { facts, summary, segments, startedAt, endedAt, details } = options;
  const participants = summary.participants;
  const present = participants.filter((participant) => WAS_PRESENT.has(participant.status));
  const pick = (role: string) => present.find((participant) => participant.role === role) ?? participants.find((participant) => participant.role === role);
  const judge = pick('judge');
  const clerk = pick('clerk');
  const start = startedAt?.getTime();
  const spoken = segments.filter((segment) => segment.text.trim().length > 0).sort((a, b) => a.startMs - b.startMs);
  return {
    courtName: facts.courtName,
    cause: facts.cause,
    ...(facts.caseNumber ? { caseNumber: facts.caseNumber } : {}),
    ...(start !== undefined ? { startedAt: courtTime(start) } : {}),
    ...(endedAt ? { endedAt: courtTime(Math.max(endedAt.getTime(), start ?? 0)) } : {}),
    ...(summary.courtroom ? { courtroom: summary.courtroom } : {}),
    ...(judge ? { judge: { title: '审判员', name: judge.displayName } } : {}),
    ...(clerk ? { clerk: { name: clerk.displayName } } : {}),
    present: present.map((participant) => `${ROLE_TITLE[participant.role] ?? participant.role}${participant.displayName}`),
    segments:
      start === undefined
        ? []
        : spoken.map((segment) => ({ speaker: segment.speaker.displayName, time: courtTime(start + segment.startMs), text: segment.text.trim() })),
    confirmations: confirmationLines(details),
  };
}
