// 立案回执: what the court received with a filing and when; issued before a case number exists,
// so it names the filing's reference instead (and the case number once there is one).
import { z } from 'zod';
import type { CourtDocument } from './document-model.ts';
import { addressee, courtDocument, names, noticeSignature, paragraphs } from './blocks.ts';
import { arabicDateTime } from './chinese-numbers.ts';
import { ALWAYS, caseNumber, cause, courtName, inOrder, isoDate, isoDateTime, parties } from './template-data.ts';

export const filingReceiptData = z
  .object({
    courtName,
    /** The filing's reference (the case id before acceptance). */
    filingReference: z.string().trim().min(4).max(64),
    caseNumber: caseNumber.optional(),
    cause,
    plaintiffs: parties,
    defendants: parties,
    submittedAt: isoDateTime,
    issuedOn: isoDate,
    materials: z
      .array(z.object({ name: z.string().trim().min(1).max(200), copies: z.number().int().min(1).max(100), pages: z.number().int().min(1).max(100000) }))
      .min(1)
      .max(500),
  })
  .superRefine((data, context) => {
    inOrder(context, { path: 'submittedAt', value: data.submittedAt }, { path: 'issuedOn', value: data.issuedOn });
  }, ALWAYS);
export type FilingReceiptData = z.infer<typeof filingReceiptData>;

export function filingReceipt(data: FilingReceiptData): CourtDocument {
  return courtDocument('filingReceipt', '立案回执', data, [
    addressee(data.plaintiffs),
    ...paragraphs([
      `本院于${arabicDateTime(data.submittedAt)}收到你诉${names(data.defendants)}${data.cause}一案的立案材料（登记号：${data.filingReference}），材料如下：`,
    ]),
    {
      type: 'table',
      columns: [
        { title: '序号', width: 0.12, align: 'center' },
        { title: '材料名称', width: 0.56 },
        { title: '份数', width: 0.16, align: 'center' },
        { title: '页数', width: 0.16, align: 'center' },
      ],
      rows: data.materials.map((item, index) => [String(index + 1), item.name, String(item.copies), String(item.pages)]),
    },
    ...paragraphs(['本院将依法进行审查，并在法定期限内决定是否立案。本回执仅证明本院已收到上述材料。']),
    noticeSignature(data.courtName, data.issuedOn),
  ]);
}
