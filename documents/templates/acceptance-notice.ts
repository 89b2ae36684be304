// 受理通知书: tells the plaintiff the case is accepted, its case number, and the fee to prepay.
import { z } from 'zod';
import type { CourtDocument } from './document-model.ts';
import { addressee, courtDocument, names, noticeSignature, paragraphs } from './blocks.ts';
import { arabicDate, formatYuan, yuanToCents } from './chinese-numbers.ts';
import { ALWAYS, caseNumber, cause, courtName, inOrder, isoDate, parties, yuan } from './template-data.ts';

export const acceptanceNoticeData = z
  .object({
    courtName,
    caseNumber,
    cause,
    plaintiffs: parties,
    defendants: parties,
    filedOn: isoDate,
    acceptedOn: isoDate,
    issuedOn: isoDate,
    /** 案件受理费 to prepay */
    caseFee: yuan,
    feeDueDays: z.number().int().min(1).max(30).default(7),
  })
  .superRefine((data, context) => {
    inOrder(context, { path: 'filedOn', value: data.filedOn }, { path: 'acceptedOn', value: data.acceptedOn });
    inOrder(context, { path: 'acceptedOn', value: data.acceptedOn }, { path: 'issuedOn', value: data.issuedOn });
  }, ALWAYS);
export type AcceptanceNoticeData = z.infer<typeof acceptanceNoticeData>;

export function acceptanceNotice(data: AcceptanceNoticeData): CourtDocument {
  return courtDocument('acceptanceNotice', '受理通知书', data, [
    addressee(data.plaintiffs),
    ...paragraphs([
      `你于${arabicDate(data.filedOn)}提交的起诉状收悉。你诉${names(data.defendants)}${data.cause}一案，经审查，起诉符合法定受理条件，本院决定立案审理，于${arabicDate(data.acceptedOn)}受理。现将有关事项通知如下：`,
      `一、应预交案件受理费${formatYuan(yuanToCents(data.caseFee))}元，请于接到本通知之日起${data.feeDueDays}日内向本院预交。期满未预交的，按撤诉处理。`,
      '二、你应当按照本院的举证通知，在举证期限内向本院提交证据材料。',
      '三、你在诉讼过程中如变更住址、联系方式，应当及时告知本院。',
    ]),
    noticeSignature(data.courtName, data.issuedOn),
  ]);
}
