// 送达回证: the record that a document reached its recipient (who, where, how, when, signed by whom).
import { z } from 'zod';
import type { CourtDocument } from './document-model.ts';
import { courtDocument, formTable, noticeSignature } from './blocks.ts';
import { arabicDateTime } from './chinese-numbers.ts';
import { ALWAYS, caseNumber, cause, courtName, inOrder, isoDate, isoDateTime, party } from './template-data.ts';

export const SERVICE_METHODS = ['直接送达', '留置送达', '委托送达', '邮寄送达', '电子送达', '公告送达'] as const;

export const proofOfServiceData = z
  .object({
    courtName,
    caseNumber,
    cause,
    /** The documents served, e.g. 起诉状副本、应诉通知书、举证通知书、传票. */
    documentsServed: z.array(z.string().trim().min(2).max(100)).min(1).max(50),
    recipient: party,
    method: z.enum(SERVICE_METHODS),
    /** When the document went out (the court's date) and when it reached the recipient. */
    issuedOn: isoDate,
    servedAt: isoDateTime,
    /** Who signed for it (the recipient, or the adult family member who took it). */
    receivedBy: z.string().trim().min(1).max(100),
    server: z.string().trim().min(1).max(100),
    remarks: z.string().trim().max(500).default(''),
  })
  .superRefine((data, context) => {
    inOrder(context, { path: 'issuedOn', value: data.issuedOn }, { path: 'servedAt', value: data.servedAt });
  }, ALWAYS);
export type ProofOfServiceData = z.infer<typeof proofOfServiceData>;

export function proofOfService(data: ProofOfServiceData): CourtDocument {
  return courtDocument('proofOfService', '送达回证', data, [
    formTable([
      ['案由', data.cause],
      ['送达文书', data.documentsServed.join('、')],
      ['受送达人', data.recipient.name],
      ['送达地址', data.recipient.address],
      ['送达方式', data.method],
      ['送达时间', arabicDateTime(data.servedAt)],
      ['签收人', data.receivedBy],
      ['送达人', data.server],
      ['备注', data.remarks],
    ]),
    noticeSignature(data.courtName, data.issuedOn),
  ]);
}
