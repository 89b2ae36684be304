// 民事判决书: parties, procedure, claims, defence, findings, reasoning, orders, costs, appeal, panel;
// annexes are tables of amounts (序号, 项目, 金额, 备注) with an exact total.
import { z } from 'zod';
import type { CourtDocument, DocumentBlock } from './document-model.ts';
import { courtDocument, names, paragraphs, partyParagraphs } from './blocks.ts';
import { arabicDate, chineseDate, formatYuan, yuanToCents } from './chinese-numbers.ts';
import { ALWAYS, caseNumber, cause, courtName, inOrder, isoDate, parties, signatories, yuan } from './template-data.ts';

const text = z.string().trim().min(2).max(20000);

const annex = z.object({
  title: z.string().trim().min(2).max(100),
  rows: z
    .array(z.object({ item: z.string().trim().min(1).max(500), amount: yuan, note: z.string().trim().max(500).default('') }))
    .min(1)
    .max(10000),
});

export const civilJudgmentData = z
  .object({
    courtName,
    caseNumber,
    cause,
    plaintiffs: parties,
    defendants: parties,
    acceptedOn: isoDate,
    hearingOn: isoDate,
    issuedOn: isoDate,
    procedure: z.enum(['普通程序', '简易程序']).default('普通程序'),
    claims: z.array(text).min(1).max(50),
    defence: z.array(text).max(50).default([]),
    findings: z.array(text).min(1).max(500),
    reasoning: z.array(text).min(1).max(500),
    legalBasis: text,
    orders: z.array(text).min(1).max(50),
    caseFee: yuan,
    /** Who bears the fee, e.g. 由被告负担. */
    feeBorneBy: z.string().trim().min(2).max(200),
    appealCourt: z.string().trim().min(2).max(60),
    panel: z.array(signatories.judge).min(1).max(7),
    clerk: signatories.clerk,
    annexes: z.array(annex).max(20).default([]),
  })
  .superRefine((data, context) => {
    inOrder(context, { path: 'acceptedOn', value: data.acceptedOn }, { path: 'hearingOn', value: data.hearingOn });
    inOrder(context, { path: 'hearingOn', value: data.hearingOn }, { path: 'issuedOn', value: data.issuedOn });
  }, ALWAYS);
export type CivilJudgmentData = z.infer<typeof civilJudgmentData>;

function annexBlocks(data: CivilJudgmentData): DocumentBlock[] {
  return data.annexes.flatMap((item, index): DocumentBlock[] => {
    const total = item.rows.reduce((sum, row) => sum + yuanToCents(row.amount), 0n);
    return [
      { type: 'heading', text: `附表${data.annexes.length > 1 ? index + 1 : ''}：${item.title}` },
      {
        type: 'table',
        columns: [
          { title: '序号', width: 0.12, align: 'center' },
          { title: '项目', width: 0.43 },
          { title: '金额（元）', width: 0.22, align: 'right' },
          { title: '备注', width: 0.23 },
        ],
        rows: item.rows.map((row, rowIndex) => [String(rowIndex + 1), row.item, formatYuan(yuanToCents(row.amount)), row.note]),
        footer: ['', '合计', formatYuan(total), ''],
      },
    ];
  });
}

export function civilJudgment(data: CivilJudgmentData): CourtDocument {
  const plaintiffs = names(data.plaintiffs);
  const defendants = names(data.defendants);
  return courtDocument('civilJudgment', '民事判决书', data, [
    ...partyParagraphs('原告', data.plaintiffs),
    ...partyParagraphs('被告', data.defendants),
    ...paragraphs([
      `原告${plaintiffs}与被告${defendants}${data.cause}一案，本院于${arabicDate(data.acceptedOn)}立案后，依法适用${data.procedure}，于${arabicDate(data.hearingOn)}公开开庭进行了审理。本案现已审理终结。`,
      `${plaintiffs}向本院提出诉讼请求：`,
      ...data.claims,
      ...(data.defence.length ? [`${defendants}辩称：`, ...data.defence] : []),
      '本院经审理认定事实如下：',
      ...data.findings,
      '本院认为，',
      ...data.reasoning,
      `综上所述，依照${data.legalBasis}之规定，判决如下：`,
      ...data.orders.map((order, index) => `${['一', '二', '三', '四', '五', '六', '七', '八', '九', '十'][index] ?? String(index + 1)}、${order}`),
      '如果未按本判决指定的期间履行给付金钱义务，应当依照《中华人民共和国民事诉讼法》第二百六十四条之规定，加倍支付迟延履行期间的债务利息。',
      `案件受理费${formatYuan(yuanToCents(data.caseFee))}元，${data.feeBorneBy}。`,
      `如不服本判决，可以在判决书送达之日起十五日内，向本院递交上诉状，并按对方当事人的人数提出副本，上诉于${data.appealCourt}。`,
    ]),
    { type: 'signature', block: { panel: data.panel, date: chineseDate(data.issuedOn), after: [{ title: '书记员', name: data.clerk.name }] } },
    ...annexBlocks(data),
  ]);
}
