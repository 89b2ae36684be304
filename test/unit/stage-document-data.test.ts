// The stage documents' data (documents/issuing): the judgment's parts read from the judge's text, what a
// case without an address or a number leaves out (so the template names it), one notice to respond per
// defendant and one summons per party, a proof of service per party once service is recorded, and the
// download's name.
import { describe, expect, it } from 'vitest';
import { readJudgmentSummary } from '../../documents/issuing/judgment-summary.ts';
import { acceptanceDocuments, caseFieldOf, documentsDue, documentsServedTo, judgmentDocument, proofOfServiceDocument, summonsDocuments } from '../../documents/issuing/case-document-data.ts';
import { buildCourtDocument } from '../../documents/templates/index.ts';
import { contentDisposition } from '../../hub/api/case-document-routes.ts';
import type { CaseIssuingFacts } from '../../storage/documents/case-issuing-facts.ts';
import { AppError } from '../../platform/errors.ts';

const facts = (overrides: Partial<CaseIssuingFacts> = {}): CaseIssuingFacts => ({
  caseId: '00000000-0000-4000-8000-000000000001',
  state: 'accepted',
  courtId: '00000000-0000-4000-8000-000000000002',
  courtName: '北京市朝阳区人民法院',
  caseNumber: '（2026）京0105民初7号',
  cause: '民间借贷纠纷',
  claims: '判令被告还款。',
  claimAmount: '120000.00',
  facts: '',
  closingSummary: null,
  parties: [
    { side: 'plaintiff', ordinal: 0, name: '张三', kind: 'person', address: '北京市朝阳区建国路88号' },
    { side: 'defendant', ordinal: 0, name: '北京某某科技有限公司', kind: 'organisation', address: '北京市海淀区中关村大街1号' },
  ],
  hearings: [],
  // 23:30 UTC is the next day in Beijing.
  filedAt: new Date('2026-11-20T23:30:00Z'),
  acceptedAt: new Date('2026-11-23T02:00:00Z'),
  judgmentAt: null,
  judgmentBy: null,
  servedAt: null,
  servedBy: null,
  issuedDocuments: [],
  filingFee: null,
  judges: ['李明'],
  clerks: ['张华'],
  ...overrides,
});

function fieldsOf(template: string, data: unknown): string[] {
  try {
    buildCourtDocument(template, data);
    return [];
  } catch (error) {
    expect(error).toBeInstanceOf(AppError);
    return ((error as AppError).details as { fields: { field: string }[] }).fields.map((field) => field.field);
  }
}

describe('stage document data', () => {
  it('reads the judgment parts by their headings, drops the judge’s numbering of orders, leaves absent parts out', () => {
    const parts = readJudgmentSummary('本院查明：借款属实。\n另查明利息未付。\n本院认为：应当还款。\n法律依据：《民法典》第六百七十五条\n判决如下：\n一、被告还款五万元；\n2. 驳回其他请求。\n上诉法院：北京市第三中级人民法院');
    expect(parts).toEqual({
      findings: ['借款属实。', '另查明利息未付。'],
      reasoning: ['应当还款。'],
      legalBasis: '《民法典》第六百七十五条',
      orders: ['被告还款五万元；', '驳回其他请求。'],
      appealCourt: '北京市第三中级人民法院',
    });
    expect(readJudgmentSummary('被告应还款。')).toEqual({});
  });

  it('acceptance documents: court days in UTC+8, the fee by the schedule, 15 days for evidence; all valid', () => {
    const [acceptance, respond, evidence] = acceptanceDocuments(facts());
    expect(acceptance!.data).toMatchObject({ filedOn: '2026-11-21', acceptedOn: '2026-11-23', issuedOn: '2026-11-23', caseFee: '2700.00' });
    expect(evidence!.data).toMatchObject({ issuedOn: '2026-11-23', evidenceDeadline: '2026-12-08' });
    for (const document of [acceptance!, respond!, evidence!]) expect(fieldsOf(document.template, document.data)).toEqual([]);
  });

  it('the fee: the online filing’s (its procedure’s) when there is one; a labour dispute 10 yuan per case', () => {
    expect(acceptanceDocuments(facts({ filingFee: '1350.00' }))[0]!.data).toMatchObject({ caseFee: '1350.00' });
    expect(acceptanceDocuments(facts({ cause: '追索劳动报酬纠纷', claimAmount: '80000.00' }))[0]!.data).toMatchObject({ caseFee: '10.00' });
  });

  it('a party without an address and a case without a number: the template names exactly those fields', () => {
    const missing = facts({ caseNumber: null, parties: [facts().parties[0]!, { side: 'defendant', ordinal: 0, name: '李四', kind: 'person', address: null }] });
    const [acceptance] = acceptanceDocuments(missing);
    expect(fieldsOf('acceptanceNotice', acceptance!.data).sort()).toEqual(['caseNumber', 'defendants.0.address']);
    const [toPlaintiff, toDefendant] = summonsDocuments(missing, { id: '00000000-0000-4000-8000-000000000003', startsAt: new Date('2026-12-01T01:30:00Z'), courtroom: '第三法庭', state: 'scheduled', createdAt: new Date('2026-11-24T02:00:00Z') }, new Date('2026-11-24T02:00:00Z'));
    expect(fieldsOf('summons', toPlaintiff!.data)).toEqual(['caseNumber']);
    expect(fieldsOf('summons', toDefendant!.data).sort()).toEqual(['caseNumber', 'summoned.address']);
    // A refusal names the field by the party's place in the case, as the documents listing every party do.
    expect(fieldsOf('summons', toDefendant!.data).map((field) => caseFieldOf(toDefendant!, field)).sort()).toEqual(['caseNumber', 'defendants.0.address']);
    expect(caseFieldOf({}, 'summoned.address')).toBe('summoned.address');
  });

  it('the hearing day of a judgment: the held hearing’s day, never after the judgment’s (a hearing brought forward)', () => {
    // Scheduled for 00:00:30 on 28 November in Beijing, recorded held and judged at 23:59:50 on the 27th.
    const hearing = { id: '00000000-0000-4000-8000-000000000003', startsAt: new Date('2026-11-27T16:00:30Z'), courtroom: '第三法庭', state: 'held', createdAt: new Date('2026-11-24T02:00:00Z') };
    const broughtForward = judgmentDocument(facts({ hearings: [hearing], judgmentAt: new Date('2026-11-27T15:59:50Z') }));
    expect(broughtForward.data).toMatchObject({ hearingOn: '2026-11-27', issuedOn: '2026-11-27' });
    const asScheduled = judgmentDocument(facts({ hearings: [hearing], judgmentAt: new Date('2026-12-02T02:00:00Z') }));
    expect(asScheduled.data).toMatchObject({ hearingOn: '2026-11-28', issuedOn: '2026-12-02' });
  });

  it('what is due follows the stage: nothing before acceptance, a summons per scheduled hearing, the judgment once journalled', () => {
    expect(documentsDue(facts({ acceptedAt: null, caseNumber: null }))).toEqual([]);
    const hearing = { id: '00000000-0000-4000-8000-000000000003', startsAt: new Date('2026-12-01T01:30:00Z'), courtroom: '第三法庭', state: 'scheduled', createdAt: new Date('2026-11-24T02:00:00Z') };
    expect(documentsDue(facts({ hearings: [hearing] })).map((due) => [due.template, due.hearingId, due.addressee ?? null])).toEqual([
      ['acceptanceNotice', null, null],
      ['noticeToRespond', null, 'defendants.0'],
      ['evidenceNotice', null, null],
      ['summons', hearing.id, 'plaintiffs.0'],
      ['summons', hearing.id, 'defendants.0'],
    ]);
    expect(documentsDue(facts({ judgmentAt: new Date('2026-12-10T02:00:00Z') })).at(-1)!.template).toBe('civilJudgment');
  });

  it('two plaintiffs and two defendants: a notice to respond per defendant naming it alone, a summons per party naming it', () => {
    const parties = [
      { side: 'plaintiff', ordinal: 0, name: '张三', kind: 'person' as const, address: '北京市朝阳区建国路88号' },
      { side: 'plaintiff', ordinal: 1, name: '王五', kind: 'person' as const, address: '北京市东城区东四十条12号' },
      { side: 'defendant', ordinal: 0, name: '北京某某科技有限公司', kind: 'organisation' as const, address: '北京市海淀区中关村大街1号' },
      { side: 'defendant', ordinal: 1, name: '李四', kind: 'person' as const, address: '北京市西城区金融街3号' },
    ];
    const many = facts({ parties });
    const responds = acceptanceDocuments(many).filter((document) => document.template === 'noticeToRespond');
    expect(responds.map((document) => [document.addressee, (document.data as { defendants: { name: string }[] }).defendants.map((party) => party.name)])).toEqual([
      ['defendants.0', ['北京某某科技有限公司']],
      ['defendants.1', ['李四']],
    ]);
    for (const document of responds) expect((document.data as { plaintiffs: unknown[] }).plaintiffs).toHaveLength(2);
    const hearing = { id: '00000000-0000-4000-8000-000000000003', startsAt: new Date('2026-12-01T01:30:00Z'), courtroom: '第三法庭', state: 'scheduled', createdAt: new Date('2026-11-24T02:00:00Z') };
    const summonses = summonsDocuments(many, hearing, hearing.createdAt);
    expect(summonses.map((document) => [document.addressee, (document.data as { summoned: { name: string } }).summoned.name])).toEqual([
      ['plaintiffs.0', '张三'],
      ['plaintiffs.1', '王五'],
      ['defendants.0', '北京某某科技有限公司'],
      ['defendants.1', '李四'],
    ]);
    for (const document of [...responds, ...summonses]) expect(fieldsOf(document.template, document.data)).toEqual([]);
  });

  it('service recorded: a proof of service per plaintiff and defendant, electronic, with the documents served to that party', () => {
    const parties = [
      { side: 'plaintiff', ordinal: 0, name: '张三', kind: 'person' as const, address: '北京市朝阳区建国路88号' },
      { side: 'defendant', ordinal: 0, name: '北京某某科技有限公司', kind: 'organisation' as const, address: '北京市海淀区中关村大街1号' },
      { side: 'defendant', ordinal: 1, name: '李四', kind: 'person' as const, address: null },
      { side: 'third_party', ordinal: 0, name: '王五', kind: 'person' as const, address: '北京市东城区东四十条12号' },
    ];
    const at = (iso: string) => new Date(iso);
    const issuedDocuments = [
      { kind: 'filingReceipt', title: '立案回执', addressee: null, issuedAt: at('2026-11-21T02:00:00Z') },
      { kind: 'acceptanceNotice', title: '受理通知书', addressee: null, issuedAt: at('2026-11-23T02:00:00Z') },
      { kind: 'noticeToRespond', title: '应诉通知书', addressee: 'defendants.0', issuedAt: at('2026-11-23T02:00:01Z') },
      { kind: 'noticeToRespond', title: '应诉通知书', addressee: 'defendants.1', issuedAt: at('2026-11-23T02:00:02Z') },
      { kind: 'evidenceNotice', title: '举证通知书', addressee: null, issuedAt: at('2026-11-23T02:00:03Z') },
      { kind: 'summons', title: '传票', addressee: 'plaintiffs.0', issuedAt: at('2026-11-24T02:00:00Z') },
      { kind: 'summons', title: '传票', addressee: 'plaintiffs.0', issuedAt: at('2026-12-02T02:00:00Z') },
      { kind: 'hearingTranscript', title: '庭审笔录', addressee: null, issuedAt: at('2026-12-01T03:00:00Z') },
      // Issued after service was recorded: not part of it.
      { kind: 'summons', title: '传票', addressee: 'defendants.0', issuedAt: at('2026-12-12T02:00:00Z') },
    ];
    // 16:30 UTC on 12-10 is 00:30 on 12-11 in Beijing.
    const served = facts({ state: 'served', parties, issuedDocuments, judgmentAt: at('2026-12-10T02:00:00Z'), servedAt: at('2026-12-10T16:30:00Z'), servedBy: '张华' });
    const proofs = documentsDue(served).filter((document) => document.template === 'proofOfService');
    // Plaintiffs and defendants, one each, as the summonses go (no third party).
    expect(proofs.map((document) => [document.addressee, document.details?.addressedTo])).toEqual([
      ['plaintiffs.0', '张三'],
      ['defendants.0', '北京某某科技有限公司'],
      ['defendants.1', '李四'],
    ]);
    expect(proofs[0]!.data).toMatchObject({
      courtName: '北京市朝阳区人民法院',
      caseNumber: '（2026）京0105民初7号',
      recipient: { name: '张三', address: '北京市朝阳区建国路88号' },
      method: '电子送达',
      issuedOn: '2026-12-11',
      servedAt: '2026-12-11T00:30:00+08:00',
      receivedBy: '张三',
      server: '张华',
    });
    // The judgment always (this pass may be the one issuing it); the acceptance notice to the plaintiff only; each title once.
    expect(proofs.map((document) => (document.data as { documentsServed: string[] }).documentsServed)).toEqual([
      ['受理通知书', '举证通知书', '传票', '民事判决书'],
      ['应诉通知书', '举证通知书', '民事判决书'],
      ['应诉通知书', '举证通知书', '民事判决书'],
    ]);
    expect(documentsServedTo(served, parties[0]!)).toEqual(['受理通知书', '举证通知书', '传票', '民事判决书']);
    expect(fieldsOf('proofOfService', proofs[0]!.data)).toEqual([]);
    expect(fieldsOf('proofOfService', proofs[1]!.data)).toEqual([]);
    // No address: that party's proof alone is refused, its field named by the party's place in the case.
    expect(fieldsOf('proofOfService', proofs[2]!.data).map((field) => caseFieldOf(proofs[2]!, field))).toEqual(['defendants.1.address']);
    // Who recorded it unknown: nothing invented, the template names the server.
    expect(fieldsOf('proofOfService', proofOfServiceDocument({ ...served, servedBy: null }, parties[0]!).data)).toEqual(['server']);
    expect(documentsDue(facts({ judgmentAt: at('2026-12-10T02:00:00Z') })).some((document) => document.template === 'proofOfService')).toBe(false);
  });

  it('names the download after the title and case number (RFC 5987), with an ASCII fallback', () => {
    const header = contentDisposition({ id: 'abc', kind: 'civilJudgment', title: '民事判决书', mimeType: 'application/pdf' }, '（2026）京0105民初7号');
    expect(header).toMatch(/^attachment; filename="civilJudgment-abc\.pdf"; filename\*=UTF-8''/);
    expect(decodeURIComponent(/filename\*=UTF-8''(.+)$/.exec(header)![1]!)).toBe('民事判决书-（2026）京0105民初7号.pdf');
    const transcript = contentDisposition({ id: 'x', kind: 'hearingTranscript', title: '庭审笔录 / Hearing transcript 2026-12-01', mimeType: 'application/pdf' }, null);
    expect(decodeURIComponent(/filename\*=UTF-8''(.+)$/.exec(transcript)![1]!)).toBe('庭审笔录_Hearing transcript 2026-12-01.pdf');
  });
});
