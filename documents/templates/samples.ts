// Sample data for every template (a fictitious case): for tests, the benchmark and `ecourt document render`
// trials. `sampleJudgment(rows)` grows the annex table to make long judgments.
import type { TemplateName } from './index.ts';

const court = '北京市朝阳区人民法院';
const caseNumber = '（2026）京0105民初123号';
const plaintiff = { name: '张三', kind: 'person', description: '男，1980年1月1日出生，汉族', address: '北京市朝阳区建国路88号3单元502室' };
const defendant = { name: '北京某某科技有限公司', kind: 'organisation', description: '法定代表人李四，总经理', address: '北京市海淀区中关村大街1号' };

/** The case every sample belongs to, as the templates that name both sides take it. */
const theCase = { courtName: court, caseNumber, cause: '民间借贷纠纷', plaintiffs: [plaintiff], defendants: [defendant] };

export function sampleJudgment(annexRows = 12): Record<string, unknown> {
  return {
    ...theCase,
    acceptedOn: '2026-09-01',
    hearingOn: '2026-10-20',
    issuedOn: '2026-11-27',
    claims: ['1.判令被告偿还借款本金120000元及利息；', '2.本案诉讼费用由被告负担。'],
    defence: ['借款属实，但已部分归还，请求法院依法核减。'],
    findings: [
      '2025年3月1日，原告与被告签订《借款合同》，约定被告向原告借款120000元，借期一年，年利率3.65%。同日，原告通过银行转账向被告支付了借款120000元。借款到期后，被告归还了部分款项，余款经原告多次催要未果。',
      '上述事实，有借款合同、银行转账凭证、还款记录及当事人陈述等证据在案佐证，本院予以确认。',
    ],
    reasoning: ['合法的借贷关系受法律保护。原告与被告之间的借贷关系系双方真实意思表示，内容不违反法律、行政法规的强制性规定，应属合法有效。被告未按约定归还借款，应承担相应的民事责任。被告已归还的款项，应从借款本金中予以扣除，具体金额见附表。'],
    legalBasis: '《中华人民共和国民法典》第六百六十七条、第六百七十四条、第六百七十六条',
    orders: ['被告北京某某科技有限公司于本判决生效之日起十日内偿还原告张三借款本金及利息（具体金额见附表）；', '驳回原告张三的其他诉讼请求。'],
    caseFee: '2700.00',
    feeBorneBy: '由被告北京某某科技有限公司负担',
    appealCourt: '北京市第三中级人民法院',
    panel: [
      { title: '审判长', name: '王五' },
      { title: '审判员', name: '赵六' },
      { title: '人民陪审员', name: '钱七' },
    ],
    clerk: { name: '孙八' },
    annexes: [
      {
        title: '借款本金及利息计算表',
        rows: Array.from({ length: annexRows }, (_, index) => ({
          item: `第${index + 1}期还款（2025年${(index % 12) + 1}月）应付本金及利息`,
          amount: `${10000 + index * 13}.${String(index % 100).padStart(2, '0')}`,
          note: index % 5 === 0 ? '已部分归还，余额计入下期' : '',
        })),
      },
    ],
  };
}

export const SAMPLE_DATA: Record<TemplateName, Record<string, unknown>> = {
  acceptanceNotice: {
    ...theCase,
    filedOn: '2026-08-28',
    acceptedOn: '2026-09-01',
    issuedOn: '2026-09-01',
    caseFee: '2700.00',
  },
  noticeToRespond: {
    ...theCase,
    acceptedOn: '2026-09-01',
    issuedOn: '2026-09-02',
  },
  evidenceNotice: {
    courtName: court,
    caseNumber,
    cause: '民间借贷纠纷',
    recipients: [plaintiff, defendant],
    issuedOn: '2026-09-02',
    evidenceDeadline: '2026-10-08',
  },
  summons: {
    courtName: court,
    caseNumber,
    cause: '民间借贷纠纷',
    summoned: defendant,
    hearingAt: '2026-10-20T09:30:00+08:00',
    place: '本院第三法庭（在线庭审）',
    issuedOn: '2026-09-15',
  },
  hearingTranscript: {
    courtName: court,
    caseNumber,
    cause: '民间借贷纠纷',
    startedAt: '2026-10-20T09:30:00+08:00',
    endedAt: '2026-10-20T10:45:00+08:00',
    courtroom: '第三法庭（在线庭审）',
    judge: { title: '审判长', name: '王五' },
    clerk: { name: '孙八' },
    present: ['原告张三', '被告北京某某科技有限公司的委托诉讼代理人周九'],
    segments: [
      { speaker: '审判长', time: '2026-10-20T09:30:05+08:00', text: '现在开庭。核对当事人身份。' },
      { speaker: '原告', time: '2026-10-20T09:31:40+08:00', text: '请求判令被告偿还借款本金120000元及利息。' },
      { speaker: '被告代理人', time: '2026-10-20T09:33:12+08:00', text: '借款属实，但被告已部分归还，请求法院依法核减。' },
    ],
  },
  civilJudgment: sampleJudgment(),
  filingReceipt: {
    courtName: court,
    filingReference: 'F2026-0828-0017',
    cause: '民间借贷纠纷',
    plaintiffs: [plaintiff],
    defendants: [defendant],
    submittedAt: '2026-08-28T14:05:00+08:00',
    issuedOn: '2026-08-28',
    materials: [
      { name: '民事起诉状', copies: 2, pages: 3 },
      { name: '原告身份证明', copies: 1, pages: 1 },
      { name: '借款合同及转账凭证', copies: 2, pages: 6 },
    ],
  },
  proofOfService: {
    courtName: court,
    caseNumber,
    cause: '民间借贷纠纷',
    documentsServed: ['起诉状副本', '应诉通知书', '举证通知书', '传票'],
    recipient: defendant,
    method: '电子送达',
    issuedOn: '2026-09-15',
    servedAt: '2026-09-15T16:20:00+08:00',
    receivedBy: '北京某某科技有限公司',
    server: '孙八',
  },
  complaint: {
    courtName: court,
    cause: '民间借贷纠纷',
    plaintiffs: [{ name: '张三', kind: 'person', idNumberMasked: '110105********0018', phoneMasked: '138****5678', address: '北京市朝阳区建国路88号3单元502室' }],
    defendants: [{ name: '北京某某科技有限公司', kind: 'organisation', address: '北京市海淀区中关村大街1号' }],
    claims: [
      { text: '判令被告偿还借款本金120000元', amount: '120000' },
      { text: '判令被告支付逾期利息（以120000元为基数，自2026年3月2日起按年利率3.65%计算至实际清偿之日止）', amount: '2190.50' },
      { text: '本案诉讼费用由被告负担' },
    ],
    causeFacts: [
      { label: '借款日期', value: '2025-03-01' },
      { label: '约定年利率', value: '3.65%' },
    ],
    facts: '2025年3月1日，被告向原告借款120000元，约定借期一年。原告当日通过银行转账交付借款。\n借款到期后，被告未予归还，经原告多次催要未果，故诉至法院。',
    jurisdiction: '被告住所地（北京市海淀区）',
    evidence: [
      { name: '借款合同', purpose: '证明双方存在借贷关系及约定' },
      { name: '银行转账凭证', purpose: '证明原告已交付借款' },
    ],
    electronicService: ['手机 138****5678'],
    signedBy: '张三',
    filedOn: '2026-08-28',
  },
};
