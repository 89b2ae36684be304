// 传票: summons a party to a hearing; a form (案号, 案由, 被传唤人 … 应到时间, 应到处所) as the court prints it.
import { z } from 'zod';
import type { CourtDocument } from './document-model.ts';
import { courtDocument, formTable, noticeSignature } from './blocks.ts';
import { arabicDateTime } from './chinese-numbers.ts';
import { ALWAYS, caseNumber, cause, courtName, inOrder, isoDate, isoDateTime, party } from './template-data.ts';

export const summonsData = z
  .object({
    courtName,
    caseNumber,
    cause,
    summoned: party,
    /** 传唤事由 */
    reason: z.string().trim().min(2).max(200).default('开庭审理'),
    hearingAt: isoDateTime,
    /** 应到处所 */
    place: z.string().trim().min(2).max(200),
    issuedOn: isoDate,
    notes: z.array(z.string().trim().min(2).max(500)).max(10).default([
      '被传唤人必须准时到达应到处所。',
      '本传票由被传唤人携带来院报到。',
      '被传唤人收到传票后，应在送达回证上签名或者盖章。',
    ]),
  })
  .superRefine((data, context) => {
    inOrder(context, { path: 'issuedOn', value: data.issuedOn }, { path: 'hearingAt', value: data.hearingAt });
  }, ALWAYS);
export type SummonsData = z.infer<typeof summonsData>;

export function summons(data: SummonsData): CourtDocument {
  return courtDocument('summons', '传票', data, [
    formTable([
      ['案由', data.cause],
      ['被传唤人', data.summoned.name],
      [data.summoned.kind === 'organisation' ? '住所地' : '住址', data.summoned.address],
      ['传唤事由', data.reason],
      ['应到时间', arabicDateTime(data.hearingAt)],
      ['应到处所', data.place],
      ['注意事项', data.notes.map((note, index) => `${index + 1}.${note}`).join('')],
    ]),
    noticeSignature(data.courtName, data.issuedOn),
  ]);
}
