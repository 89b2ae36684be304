// 举证通知书: the burden of proof, the time limit for evidence, and what happens after it.
import { z } from 'zod';
import type { CourtDocument } from './document-model.ts';
import { addressee, courtDocument, noticeSignature, paragraphs } from './blocks.ts';
import { arabicDate } from './chinese-numbers.ts';
import { ALWAYS, caseNumber, cause, courtName, inOrder, isoDate, parties } from './template-data.ts';

export const evidenceNoticeData = z
  .object({
    courtName,
    caseNumber,
    cause,
    /** The parties the notice goes to. */
    recipients: parties,
    issuedOn: isoDate,
    /** 举证期限 ends on this day. */
    evidenceDeadline: isoDate,
  })
  .superRefine((data, context) => {
    inOrder(context, { path: 'issuedOn', value: data.issuedOn }, { path: 'evidenceDeadline', value: data.evidenceDeadline });
  }, ALWAYS);
export type EvidenceNoticeData = z.infer<typeof evidenceNoticeData>;

export function evidenceNotice(data: EvidenceNoticeData): CourtDocument {
  return courtDocument('evidenceNotice', '举证通知书', data, [
    addressee(data.recipients),
    ...paragraphs([
      `本院受理的${data.cause}一案，依照《中华人民共和国民事诉讼法》及《最高人民法院关于民事诉讼证据的若干规定》，现将有关举证事项通知如下：`,
      '一、当事人对自己提出的主张，有责任提供证据。没有证据或者证据不足以证明当事人的事实主张的，由负有举证证明责任的当事人承担不利后果。',
      `二、举证期限至${arabicDate(data.evidenceDeadline)}届满。当事人应当在举证期限内向本院提交证据材料，逾期提供的，本院将依法处理。`,
      '三、当事人因客观原因不能自行收集的证据，可以在举证期限届满前书面申请本院调查收集。',
      '四、当事人提交证据应当附证据清单，写明证据名称、来源、证明对象和内容，并按对方当事人人数提交副本。',
    ]),
    noticeSignature(data.courtName, data.issuedOn),
  ]);
}
