// The court's catalogue of causes of action (案由, per 《民事案件案由规定》) that can be filed online:
// for each, the facts it needs (the guided form asks only these), the materials, and the jurisdiction
// bases the law allows for it. Data, so the form, the complaint template and the rules read one list.
import type { FeeCategory } from './fee-schedule.ts';
import type { JurisdictionBasis, MaterialType } from './filing.ts';

export const CAUSE_IDS = ['privateLending', 'financialLoan', 'creditCard', 'salesContract', 'lease', 'labourRemuneration', 'trafficAccident', 'onlineShopping'] as const;
export type CauseId = (typeof CAUSE_IDS)[number];

export interface CauseQuestion {
  id: string;
  label: { zh: string; en: string };
  kind: 'date' | 'yuan' | 'text' | 'percent' | 'choice';
  required: boolean;
  choices?: { value: string; zh: string; en: string }[];
}

export interface CauseDefinition {
  id: CauseId;
  /** The cause's name as 《民事案件案由规定》 writes it, e.g. 民间借贷纠纷. */
  name: string;
  nameEn: string;
  /** Cause-specific facts; the answers go in filing.causeFacts[question.id]. */
  questions: CauseQuestion[];
  requiredMaterials: MaterialType[];
  jurisdictionBases: JurisdictionBasis[];
  /** A money claim is the point of the case: at least one claim must carry an amount. */
  claimAmountRequired: boolean;
  /** Simple enough for small claims when the amount allows (民事诉讼法第一百六十五条、第一百六十六条). */
  smallClaimsSuitable: boolean;
  /** How its acceptance fee is counted (fee-schedule.ts); absent: by the amount claimed. */
  feeCategory?: FeeCategory;
}

const q = (id: string, zh: string, en: string, kind: CauseQuestion['kind'], required: boolean, choices?: CauseQuestion['choices']): CauseQuestion => ({
  id,
  label: { zh, en },
  kind,
  required,
  ...(choices ? { choices } : {}),
});

const CONTRACT_BASES: JurisdictionBasis[] = ['defendantDomicile', 'placeOfPerformance', 'agreedClause', 'placeOfContractSigning'];

export const CAUSES: Record<CauseId, CauseDefinition> = {
  privateLending: {
    id: 'privateLending',
    name: '民间借贷纠纷',
    nameEn: 'Private lending dispute',
    questions: [
      q('loanDate', '出借日期', 'Date the money was lent', 'date', true),
      q('principal', '借款本金（元）', 'Principal lent (yuan)', 'yuan', true),
      q('deliveryMethod', '交付方式', 'How the money was handed over', 'choice', true, [
        { value: 'transfer', zh: '银行转账', en: 'Bank transfer' },
        { value: 'cash', zh: '现金', en: 'Cash' },
        { value: 'other', zh: '其他', en: 'Other' },
      ]),
      q('interestRate', '约定年利率（%）', 'Agreed annual interest rate (%)', 'percent', false),
      q('dueDate', '约定还款日期', 'Agreed repayment date', 'date', false),
      q('repaidAmount', '已归还金额（元）', 'Amount repaid (yuan)', 'yuan', false),
    ],
    requiredMaterials: ['complaint', 'identityProof', 'evidence'],
    jurisdictionBases: ['defendantDomicile', 'placeOfPerformance', 'agreedClause'],
    claimAmountRequired: true,
    smallClaimsSuitable: true,
  },
  financialLoan: {
    id: 'financialLoan',
    name: '金融借款合同纠纷',
    nameEn: 'Financial loan contract dispute',
    questions: [
      q('contractNumber', '借款合同编号', 'Loan contract number', 'text', true),
      q('loanDate', '放款日期', 'Date the loan was paid out', 'date', true),
      q('principal', '借款本金（元）', 'Principal (yuan)', 'yuan', true),
      q('outstandingPrincipal', '尚欠本金（元）', 'Principal outstanding (yuan)', 'yuan', true),
      q('interestRate', '合同年利率（%）', 'Contract annual interest rate (%)', 'percent', false),
      q('dueDate', '到期日', 'Maturity date', 'date', false),
      q('signingPlace', '合同签订地', 'Where the contract was signed', 'text', false),
    ],
    requiredMaterials: ['complaint', 'identityProof', 'contract', 'evidence'],
    jurisdictionBases: CONTRACT_BASES,
    claimAmountRequired: true,
    smallClaimsSuitable: true,
  },
  creditCard: {
    id: 'creditCard',
    name: '信用卡纠纷',
    nameEn: 'Credit card dispute',
    questions: [
      q('cardLastDigits', '卡号后四位', 'Last four digits of the card', 'text', true),
      q('overdueSince', '逾期起始日', 'Overdue since', 'date', true),
      q('outstandingAmount', '欠款总额（元）', 'Total outstanding (yuan)', 'yuan', true),
      q('cardIssuedOn', '领卡日期', 'Card issued on', 'date', false),
    ],
    requiredMaterials: ['complaint', 'identityProof', 'contract', 'evidence'],
    jurisdictionBases: ['defendantDomicile', 'placeOfPerformance', 'agreedClause'],
    claimAmountRequired: true,
    smallClaimsSuitable: true,
  },
  salesContract: {
    id: 'salesContract',
    name: '买卖合同纠纷',
    nameEn: 'Sales contract dispute',
    questions: [
      q('contractDate', '合同签订日期', 'Date the contract was signed', 'date', true),
      q('goods', '标的物', 'Goods sold', 'text', true),
      q('price', '合同价款（元）', 'Contract price (yuan)', 'yuan', true),
      q('paidAmount', '已付价款（元）', 'Amount paid (yuan)', 'yuan', false),
      q('placeOfPerformance', '约定履行地点', 'Agreed place of performance', 'text', false),
      q('signingPlace', '合同签订地', 'Where the contract was signed', 'text', false),
    ],
    requiredMaterials: ['complaint', 'identityProof', 'contract', 'evidence'],
    jurisdictionBases: CONTRACT_BASES,
    claimAmountRequired: false,
    smallClaimsSuitable: true,
  },
  lease: {
    id: 'lease',
    name: '租赁合同纠纷',
    nameEn: 'Lease contract dispute',
    questions: [
      q('leasedProperty', '租赁物（房屋地址）', 'What was leased (the address for premises)', 'text', true),
      q('rent', '租金（元/月）', 'Rent (yuan per month)', 'yuan', true),
      q('leaseStart', '租期起始日', 'Lease start date', 'date', true),
      q('leaseEnd', '租期届满日', 'Lease end date', 'date', false),
      q('arrears', '拖欠租金（元）', 'Rent in arrears (yuan)', 'yuan', false),
      q('placeOfPerformance', '租赁物所在地', 'Where the leased property is', 'text', false),
    ],
    requiredMaterials: ['complaint', 'identityProof', 'contract', 'evidence'],
    jurisdictionBases: ['defendantDomicile', 'placeOfPerformance', 'agreedClause'],
    claimAmountRequired: false,
    smallClaimsSuitable: true,
  },
  labourRemuneration: {
    id: 'labourRemuneration',
    name: '追索劳动报酬纠纷',
    nameEn: 'Claim for unpaid wages',
    feeCategory: 'labourDispute',
    questions: [
      q('workStart', '入职日期', 'Employment start date', 'date', true),
      q('unpaidWages', '拖欠工资（元）', 'Unpaid wages (yuan)', 'yuan', true),
      q('arbitration', '劳动仲裁情况', 'Labour arbitration', 'choice', true, [
        { value: 'award', zh: '已作出仲裁裁决', en: 'An arbitral award was made' },
        { value: 'notAccepted', zh: '仲裁委不予受理', en: 'The arbitration commission refused the case' },
        { value: 'overdue', zh: '仲裁委逾期未作出裁决', en: 'The commission did not decide in time' },
        { value: 'none', zh: '未申请仲裁', en: 'No arbitration applied for' },
      ]),
      q('arbitrationCaseNumber', '仲裁案号', 'Arbitration case number', 'text', false),
      q('workEnd', '离职日期', 'Employment end date', 'date', false),
    ],
    requiredMaterials: ['complaint', 'identityProof', 'evidence'],
    jurisdictionBases: ['defendantDomicile', 'placeOfPerformance'],
    claimAmountRequired: true,
    smallClaimsSuitable: true,
  },
  trafficAccident: {
    id: 'trafficAccident',
    name: '机动车交通事故责任纠纷',
    nameEn: 'Motor vehicle traffic accident liability dispute',
    questions: [
      q('accidentDate', '事故发生日期', 'Date of the accident', 'date', true),
      q('accidentPlace', '事故发生地', 'Where the accident happened', 'text', true),
      q('liability', '事故责任认定', 'Liability as determined by the police', 'choice', true, [
        { value: 'full', zh: '对方全部责任', en: 'The other side fully liable' },
        { value: 'main', zh: '对方主要责任', en: 'The other side mainly liable' },
        { value: 'equal', zh: '同等责任', en: 'Equal liability' },
        { value: 'minor', zh: '对方次要责任', en: 'The other side partly liable' },
        { value: 'undetermined', zh: '未认定', en: 'Not determined' },
      ]),
      q('insurer', '对方保险公司', "The other side's insurer", 'text', false),
      q('medicalCosts', '医疗费（元）', 'Medical costs (yuan)', 'yuan', false),
    ],
    requiredMaterials: ['complaint', 'identityProof', 'evidence'],
    jurisdictionBases: ['placeOfTort', 'defendantDomicile'],
    claimAmountRequired: true,
    // Only when liability is clear and just the amount is disputed; the rules leave that to the clerk.
    smallClaimsSuitable: false,
  },
  onlineShopping: {
    id: 'onlineShopping',
    name: '网络购物合同纠纷',
    nameEn: 'Online shopping contract dispute',
    questions: [
      q('platform', '购物平台', 'Shopping platform', 'text', true),
      q('orderNumber', '订单号', 'Order number', 'text', true),
      q('orderDate', '下单日期', 'Order date', 'date', true),
      q('amountPaid', '支付金额（元）', 'Amount paid (yuan)', 'yuan', true),
      q('placeOfPerformance', '收货地', 'Delivery address region', 'text', false),
    ],
    requiredMaterials: ['complaint', 'identityProof', 'evidence'],
    jurisdictionBases: ['defendantDomicile', 'placeOfPerformance', 'agreedClause'],
    claimAmountRequired: true,
    smallClaimsSuitable: true,
  },
};
