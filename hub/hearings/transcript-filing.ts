// What is filed with the case when a hearing's transcript phase ends: the transcript's plain text
// (as frozen and corrected) followed by the list of confirmations (笔录确认情况) — who, in which role,
// confirmed or objected (with the judge's resolution) or had not reviewed, and when. Pure, from the
// hearing's client-safe summary, so the stored file and its details say the same thing.
import type { HearingSummary } from '../../actors/hearing/hearing.protocol.ts';

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

/** The stored rendering: the transcript text, then the confirmation list. */
export function renderFiledTranscript(transcriptText: string, details: TranscriptFilingDetails): string {
  const lines = [transcriptText, '', '—— 笔录确认情况 / Confirmations ——'];
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
  return `${lines.join('\n')}\n`;
}
