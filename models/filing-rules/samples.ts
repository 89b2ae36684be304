// Sample filings, one clean filing per cause, for tests, the benchmark and the CLI docs. Each is valid
// input (filingInput parses it) and passes every rule at the sample court (北京市朝阳区, a basic court);
// the credit-card and lending ones are auto-accepted. courtId is a placeholder the caller replaces.
// ID numbers carry correct check characters (GB 11643; GB 32100 with the GB 11714 organisation code inside) but
// belong to no one.
import type { CauseId } from './causes.ts';
import type { CourtFilingContext } from './evaluate.ts';
import type { FilingInput, FilingParty } from './filing.ts';

export const SAMPLE_COURT_ID = '00000000-0000-4000-8000-000000000001';

export const SAMPLE_COURT: CourtFilingContext = { courtId: SAMPLE_COURT_ID, courtName: '北京市朝阳区人民法院', region: '北京市朝阳区', level: 'basic' };

/** The court day the samples were written for (every date in them lies before it, and no limitation period has run out). */
export const SAMPLE_TODAY = '2026-11-20';

const material = (n: number) => `00000000-0000-4000-8000-0000000001${String(n).padStart(2, '0')}`;

const zhangWei: FilingParty = { kind: 'person', name: '张伟', idNumber: '110105198503122317', phone: '13800138000', address: '北京市朝阳区建国路88号', domicile: '北京市朝阳区' };
const liNa: FilingParty = { kind: 'person', name: '李娜', idNumber: '110108199007054523', phone: '13900139000', address: '北京市朝阳区望京街10号', domicile: '北京市朝阳区' };
const wangQiang: FilingParty = { kind: 'person', name: '王强', idNumber: '110101197801011236', address: '北京市朝阳区三里屯路5号', domicile: '北京市朝阳区' };
const bank: FilingParty = {
  kind: 'organisation',
  name: '示范商业银行股份有限公司北京朝阳支行',
  idNumber: '91110105MA01ABCD5F',
  phone: '010-65000000',
  address: '北京市朝阳区金融街1号',
  domicile: '北京市朝阳区',
  legalRepresentative: '赵明',
};
const shop: FilingParty = { kind: 'organisation', name: '北京示范商贸有限公司', idNumber: '91110108MA00XYW11N', address: '北京市朝阳区示范路1号', domicile: '北京市朝阳区', legalRepresentative: '孙丽' };

/** The materials every sample carries (the contract only where the cause needs one is harmless elsewhere). */
const materials = (withContract: boolean): FilingInput['materials'] => [
  { id: material(1), type: 'complaint', name: '起诉状.pdf', pages: 2, mimeType: 'application/pdf' },
  { id: material(2), type: 'identityProof', name: '身份证明.pdf', pages: 1, mimeType: 'application/pdf' },
  { id: material(3), type: 'evidence', name: '证据.pdf', pages: 3, mimeType: 'application/pdf' },
  ...(withContract ? [{ id: material(4), type: 'contract' as const, name: '合同.pdf', pages: 4, mimeType: 'application/pdf' }] : []),
];

const service = (party: FilingParty): FilingInput['electronicService'] => ({ consent: true, addresses: [{ kind: 'phone', value: party.phone ?? '13800138000' }] });

const base = (plaintiff: FilingParty, defendant: FilingParty, withContract: boolean) => ({
  courtId: SAMPLE_COURT_ID,
  plaintiffs: [plaintiff],
  defendants: [defendant],
  evidence: [{ name: '证据', purpose: '证明债权债务关系及欠款事实', materialId: material(3) }],
  electronicService: service(plaintiff),
  materials: materials(withContract),
});

export const SAMPLE_FILINGS: Record<CauseId, FilingInput> = {
  creditCard: {
    ...base(bank, zhangWei, true),
    cause: 'creditCard',
    claims: [{ text: '判令被告偿还信用卡透支本金及利息共计18650.32元', amount: '18650.32' }, { text: '本案诉讼费用由被告承担' }],
    facts: '被告于2022年3月向原告申领信用卡并签署领用合约，自2025年6月起未按期还款，经催收仍未归还。',
    causeFacts: { cardLastDigits: '6789', overdueSince: '2025-06-25', outstandingAmount: '18650.32', cardIssuedOn: '2022-03-10' },
    knewOn: '2025-06-25',
    jurisdiction: { basis: 'defendantDomicile', place: '北京市朝阳区' },
  },
  privateLending: {
    ...base(zhangWei, liNa, false),
    cause: 'privateLending',
    procedure: 'simplified',
    claims: [{ text: '判令被告归还借款本金80000元', amount: '80000' }, { text: '判令被告支付逾期利息3200元', amount: '3200.00' }],
    facts: '2024年5月1日被告向原告借款80000元，约定2025年5月1日归还，原告当日银行转账交付，到期后被告未还。',
    causeFacts: { loanDate: '2024-05-01', principal: '80000', deliveryMethod: 'transfer', interestRate: '3.45', dueDate: '2025-05-01' },
    knewOn: '2025-05-02',
    jurisdiction: { basis: 'defendantDomicile', place: '北京市朝阳区' },
  },
  financialLoan: {
    ...base(bank, wangQiang, true),
    cause: 'financialLoan',
    claims: [{ text: '判令被告偿还借款本金及利息共计356000元', amount: '356000.00' }],
    facts: '原告与被告签订个人借款合同，放款300000元，被告自2025年8月起未按约还本付息，构成违约。',
    causeFacts: { contractNumber: 'JK2023-0815-001', loanDate: '2023-08-15', principal: '300000', outstandingPrincipal: '280000', interestRate: '4.35', signingPlace: '北京市朝阳区' },
    knewOn: '2025-08-16',
    jurisdiction: { basis: 'agreedClause', place: '北京市朝阳区', clause: '因本合同发生的争议，由贷款人住所地人民法院管辖。' },
  },
  salesContract: {
    ...base(shop, wangQiang, true),
    cause: 'salesContract',
    claims: [{ text: '判令被告支付货款120000元', amount: '120000' }],
    facts: '原告与被告于2025年3月签订办公家具买卖合同，原告已交付全部货物，被告仅支付部分货款，余款120000元至今未付。',
    causeFacts: { contractDate: '2025-03-01', goods: '办公家具', price: '200000', paidAmount: '80000', placeOfPerformance: '北京市朝阳区' },
    knewOn: '2025-06-01',
    jurisdiction: { basis: 'placeOfPerformance', place: '北京市朝阳区' },
  },
  lease: {
    ...base(liNa, wangQiang, true),
    cause: 'lease',
    claims: [{ text: '判令被告支付拖欠租金24000元', amount: '24000' }, { text: '判令解除租赁合同' }],
    facts: '原告将其位于北京市朝阳区望京街10号的房屋出租给被告，月租金6000元，被告自2025年7月起拖欠租金四个月。',
    causeFacts: { leasedProperty: '北京市朝阳区望京街10号', rent: '6000', leaseStart: '2024-07-01', arrears: '24000', placeOfPerformance: '北京市朝阳区' },
    knewOn: '2025-07-05',
    jurisdiction: { basis: 'placeOfPerformance', place: '北京市朝阳区' },
  },
  labourRemuneration: {
    ...base(wangQiang, shop, false),
    cause: 'labourRemuneration',
    electronicService: { consent: true, addresses: [{ kind: 'email', value: 'wangqiang@example.com' }] },
    claims: [{ text: '判令被告支付拖欠工资36000元', amount: '36000' }],
    facts: '原告自2023年1月起在被告处工作，被告拖欠2025年3月至8月工资共36000元，经劳动仲裁裁决后被告仍未支付。',
    causeFacts: { workStart: '2023-01-03', unpaidWages: '36000', arbitration: 'award', arbitrationCaseNumber: '京朝劳人仲字〔2025〕第1234号' },
    knewOn: '2025-09-10',
    jurisdiction: { basis: 'defendantDomicile', place: '北京市朝阳区' },
  },
  trafficAccident: {
    ...base(liNa, wangQiang, false),
    cause: 'trafficAccident',
    claims: [{ text: '判令被告赔偿医疗费、误工费、财产损失等共计65000元', amount: '65000' }],
    facts: '2025年9月1日被告驾车在北京市朝阳区东三环路与原告车辆相撞，交管部门认定被告负全部责任，原告受伤住院。',
    causeFacts: { accidentDate: '2025-09-01', accidentPlace: '北京市朝阳区东三环路', liability: 'full', medicalCosts: '30000' },
    knewOn: '2025-09-01',
    jurisdiction: { basis: 'placeOfTort', place: '北京市朝阳区' },
  },
  onlineShopping: {
    ...base(zhangWei, shop, false),
    cause: 'onlineShopping',
    claims: [{ text: '判令被告退还货款2999元', amount: '2999' }, { text: '判令被告三倍赔偿8997元', amount: '8997' }],
    facts: '原告于2025年10月在某购物平台向被告购买手机一部，收货后发现系翻新机，被告拒绝退货退款。',
    causeFacts: { platform: '示范购物平台', orderNumber: 'SO20251011000123', orderDate: '2025-10-11', amountPaid: '2999', placeOfPerformance: '北京市朝阳区' },
    knewOn: '2025-10-15',
    jurisdiction: { basis: 'defendantDomicile', place: '北京市朝阳区' },
  },
};

/** A sample filing for a real court: a deep copy with the court's id in it. */
export function sampleFiling(cause: CauseId, courtId: string = SAMPLE_COURT_ID): FilingInput {
  return { ...structuredClone(SAMPLE_FILINGS[cause]), courtId };
}
