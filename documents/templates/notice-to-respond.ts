// 应诉通知书: tells the defendant a case against it is accepted and what it may and must do.
import { z } from 'zod';
import type { CourtDocument } from './document-model.ts';
import { addressee, courtDocument, names, noticeSignature, paragraphs } from './blocks.ts';
import { arabicDate } from './chinese-numbers.ts';
import { ALWAYS, caseNumber, cause, courtName, inOrder, isoDate, parties } from './template-data.ts';

export const noticeToRespondData = z
  .object({
    courtName,
    caseNumber,
    cause,
    plaintiffs: parties,
    /** The defendant(s) this notice goes to. */
    defendants: parties,
    acceptedOn: isoDate,
    issuedOn: isoDate,
    /** 答辩期 in days from service (15 in civil first instance). */
    answerDays: z.number().int().min(1).max(60).default(15),
  })
  .superRefine((data, context) => {
    inOrder(context, { path: 'acceptedOn', value: data.acceptedOn }, { path: 'issuedOn', value: data.issuedOn });
  }, ALWAYS);
export type NoticeToRespondData = z.infer<typeof noticeToRespondData>;

export function noticeToRespond(data: NoticeToRespondData): CourtDocument {
  return courtDocument('noticeToRespond', '应诉通知书', data, [
    addressee(data.defendants),
    ...paragraphs([
      `本院于${arabicDate(data.acceptedOn)}受理原告${names(data.plaintiffs)}诉你${data.cause}一案，现送达起诉状副本一份。依照《中华人民共和国民事诉讼法》的规定，现将有关事项通知如下：`,
      `一、你应当在收到起诉状副本之日起${data.answerDays}日内向本院提交答辩状一式若干份。逾期不提交的，不影响本院审理。`,
      '二、你应当按照本院的举证通知，在举证期限内向本院提交证据材料。',
      '三、你可以委托一至二人作为诉讼代理人；委托他人代为诉讼的，应当向本院提交由你签名或者盖章的授权委托书。',
      '四、你在诉讼过程中如变更住址、联系方式，应当及时告知本院。',
    ]),
    noticeSignature(data.courtName, data.issuedOn),
  ]);
}
