// 民事起诉状: the complaint a party (or their lawyer) files, generated from the guided filing form's
// answers and shown for signature. It is the filer's document, not the court's: no court title line,
// 此致 the court, 具状人 and the date at the foot. Identity numbers and phones are printed masked
// (the stored PDF must not carry identifiers in clear; the filing itself carries them sealed).
import { z } from 'zod';
import type { CourtDocument, DocumentBlock } from './document-model.ts';
import { chineseDate, formatYuan, yuanToCents, arabicDateTime } from './chinese-numbers.ts';
import { cause, courtName, isoDate, isoDateTime, yuan } from './template-data.ts';

const text = (max: number) => z.string().trim().min(1).max(max);

/** A party as a complaint states it: who, how to identify and reach them, where service goes. */
export const complaintParty = z.object({
  name: text(100),
  kind: z.enum(['person', 'organisation']).default('person'),
  /** Already masked (maskIdentifier): 110105********1234. */
  idNumberMasked: z.string().trim().max(40).optional(),
  phoneMasked: z.string().trim().max(30).optional(),
  address: z.string().trim().min(2, 'the party address is required (service goes there)').max(300),
});

export const complaintData = z.object({
  /** The court the complaint is addressed to (此致). */
  courtName,
  /** 案由, e.g. 信用卡纠纷. */
  cause,
  plaintiffs: z.array(complaintParty).min(1).max(50),
  defendants: z.array(complaintParty).min(1).max(50),
  /** A lawyer filing for the client (委托诉讼代理人). */
  agent: z.object({ name: text(100), licenceNumber: text(40) }).optional(),
  claims: z
    .array(z.object({ text: z.string().trim().min(2, 'a claim needs at least 2 characters').max(2000), amount: yuan.optional() }))
    .min(1, 'at least one claim (诉讼请求)')
    .max(50),
  /** The cause's own questions with their answers (借款日期：2025-03-01). */
  causeFacts: z.array(z.object({ label: text(100), value: text(2000) })).max(50).default([]),
  facts: z.string().trim().min(1, 'the facts and reasons are required (事实与理由)').max(20000),
  /** 管辖: the basis and the place, as the filer states them. */
  jurisdiction: z.string().trim().max(300).optional(),
  evidence: z.array(z.object({ name: text(200), purpose: z.string().trim().max(1000).default('') })).max(200).default([]),
  /** Addresses the filer agreed to be served at electronically (already masked where they are phones). */
  electronicService: z.array(text(200)).max(10).optional(),
  /** 具状人: who signs (the plaintiff, or the agent for them). */
  signedBy: text(100),
  filedOn: isoDate,
  /** Set once the filer confirmed the complaint (the signed copy). */
  signedAt: isoDateTime.optional(),
});
export type ComplaintData = z.infer<typeof complaintData>;
export type ComplaintParty = z.infer<typeof complaintParty>;

function partyLine(label: string, party: ComplaintParty): DocumentBlock {
  const parts = [party.name];
  if (party.idNumberMasked) parts.push(`${party.kind === 'organisation' ? '统一社会信用代码' : '公民身份号码'}：${party.idNumberMasked}`);
  parts.push(`${party.kind === 'organisation' ? '住所地' : '住'}${party.address}`);
  if (party.phoneMasked) parts.push(`联系电话：${party.phoneMasked}`);
  return { type: 'paragraph', indent: true, text: `${label}：${parts.join('，')}。` };
}

/** "1.判令被告偿还借款本金120000元；（金额：120000.00元）" — the amount stated once, exactly. */
function claimLine(claim: { text: string; amount?: string | undefined }, index: number): string {
  const amount = claim.amount === undefined ? '' : `（金额：${formatYuan(yuanToCents(claim.amount))}元）`;
  return `${index + 1}.${claim.text}${amount}`;
}

export function complaint(data: ComplaintData): CourtDocument {
  const total = data.claims.reduce((sum, claim) => sum + (claim.amount === undefined ? 0n : yuanToCents(claim.amount)), 0n);
  const withAmounts = data.claims.some((claim) => claim.amount !== undefined);
  const bold = (line: string): DocumentBlock => ({ type: 'paragraph', text: line, bold: true });
  const plain = (line: string): DocumentBlock => ({ type: 'paragraph', indent: true, text: line });
  const blocks: DocumentBlock[] = [
    { type: 'heading', text: '民事起诉状' },
    ...data.plaintiffs.map((party) => partyLine('原告', party)),
    ...(data.agent ? [plain(`委托诉讼代理人：${data.agent.name}，律师，执业证号：${data.agent.licenceNumber}。`)] : []),
    ...data.defendants.map((party) => partyLine('被告', party)),
    plain(`案由：${data.cause}`),
    bold('诉讼请求：'),
    ...data.claims.map((claim, index) => plain(claimLine(claim, index))),
    ...(withAmounts ? [plain(`以上诉讼请求金额合计：${formatYuan(total)}元。`)] : []),
    bold('事实与理由：'),
    ...data.causeFacts.map((fact) => plain(`${fact.label}：${fact.value}`)),
    ...data.facts
      .split(/\n+/)
      .map((line) => line.trim())
      .filter((line) => line.length > 0)
      .map(plain),
    ...(data.jurisdiction ? [plain(`管辖依据：${data.jurisdiction}。`)] : []),
  ];
  if (data.evidence.length > 0) {
    blocks.push(bold('证据清单：'), {
      type: 'table',
      columns: [
        { title: '序号', width: 0.12, align: 'center' },
        { title: '证据名称', width: 0.4 },
        { title: '证明目的', width: 0.48 },
      ],
      rows: data.evidence.map((item, index) => [String(index + 1), item.name, item.purpose]),
    });
  }
  if (data.electronicService && data.electronicService.length > 0) {
    blocks.push(plain(`具状人同意人民法院以电子方式送达诉讼文书，送达地址：${data.electronicService.join('；')}。`));
  }
  blocks.push(
    { type: 'paragraph', text: '此致' },
    { type: 'paragraph', text: data.courtName },
    { type: 'signature', block: { panel: [{ title: '具状人', name: data.signedBy }], date: chineseDate(data.filedOn), after: [] } },
  );
  if (data.signedAt) blocks.push(plain(`本起诉状已由具状人于${arabicDateTime(data.signedAt)}在线确认签名。`));
  return { template: 'complaint', title: '民事起诉状', courtName: data.courtName, issuedOn: data.filedOn, blocks };
}
