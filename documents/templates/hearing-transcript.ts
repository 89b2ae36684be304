// 庭审笔录: the hearing's record, one paragraph per segment (time, speaker: words), signed by judge and clerk.
import { z } from 'zod';
import type { CourtDocument } from './document-model.ts';
import { courtDocument } from './blocks.ts';
import { arabicDateTime, chineseDate } from './chinese-numbers.ts';
import { ALWAYS, caseNumber, cause, courtName, inOrder, isoDateTime, signatories } from './template-data.ts';

const segment = z.object({
  speaker: z.string().trim().min(1).max(100),
  /** When the segment starts, as a timestamp with offset. */
  time: isoDateTime,
  text: z.string().trim().min(1).max(20000),
});

export const hearingTranscriptData = z
  .object({
    courtName,
    caseNumber,
    cause,
    startedAt: isoDateTime,
    endedAt: isoDateTime,
    courtroom: z.string().trim().min(1).max(100),
    judge: signatories.judge,
    clerk: signatories.clerk,
    /** 到庭人员 as printed, e.g. 原告张三及其委托诉讼代理人李四. */
    present: z.array(z.string().trim().min(1).max(200)).min(1).max(50),
    segments: z.array(segment).min(1).max(20000),
    /** 笔录确认情况, printed after the record: one line per reviewer (who, confirmed or objected, when). Absent: the usual closing line. */
    confirmations: z.array(z.string().trim().min(1).max(2000)).max(500).optional(),
  })
  .superRefine((data, context) => {
    inOrder(context, { path: 'startedAt', value: data.startedAt }, { path: 'endedAt', value: data.endedAt });
    // Runs on partly bad data too (ALWAYS): segments may be missing or malformed here.
    const segments: unknown[] = Array.isArray(data.segments) ? data.segments : [];
    const timeOf = (item: unknown) => (typeof item === 'object' && item !== null ? (item as { time?: unknown }).time : undefined);
    segments.forEach((item, index) => {
      const previous = index === 0 ? { path: 'startedAt', value: data.startedAt } : { path: `segments.${index - 1}.time`, value: timeOf(segments[index - 1]) };
      inOrder(context, previous, { path: `segments.${index}.time`, value: timeOf(item) });
    });
  }, ALWAYS);
export type HearingTranscriptData = z.infer<typeof hearingTranscriptData>;

/** HH:MM:SS in the court's time (UTC+8). */
function clock(isoDateTime: string): string {
  return new Date(Date.parse(isoDateTime) + 8 * 3600_000).toISOString().slice(11, 19);
}

export function hearingTranscript(data: HearingTranscriptData): CourtDocument {
  const courtDay = new Date(Date.parse(data.endedAt) + 8 * 3600_000).toISOString().slice(0, 10);
  return courtDocument('hearingTranscript', '庭审笔录', { courtName: data.courtName, caseNumber: data.caseNumber, issuedOn: courtDay }, [
    { type: 'paragraph', text: `案由：${data.cause}` },
    { type: 'paragraph', text: `时间：${arabicDateTime(data.startedAt)}至${arabicDateTime(data.endedAt)}` },
    { type: 'paragraph', text: `地点：${data.courtroom}` },
    { type: 'paragraph', text: `${data.judge.title}：${data.judge.name}　书记员：${data.clerk.name}` },
    { type: 'paragraph', text: `到庭人员：${data.present.join('；')}` },
    ...data.segments.map((item) => ({ type: 'paragraph' as const, text: `[${clock(item.time)}] ${item.speaker}：${item.text}` })),
    ...(data.confirmations
      ? [{ type: 'heading' as const, text: '笔录确认情况' }, ...data.confirmations.map((text) => ({ type: 'paragraph' as const, text }))]
      : [{ type: 'paragraph' as const, text: '（以上笔录经当事人阅核无误。）' }]),
    { type: 'signature', block: { panel: [data.judge], date: chineseDate(courtDay), after: [{ title: '书记员', name: data.clerk.name }] } },
  ]);
}
