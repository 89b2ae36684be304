// The guided filing form's model without the DOM: amounts and answers checked as typed, electronic-service
// consent blocked until there is somewhere to serve, and the FilingInput built from a draft — which the
// filing schema itself accepts.
import { describe, expect, it } from 'vitest';
import { amountProblem, answerProblem, consentBlocker, filingInputOf, type DraftFiling, type MaterialView } from '../../web-components/src/filing/filing-model.ts';
import { CAUSES } from '../../models/filing-rules/causes.ts';
import { filingInput } from '../../models/filing-rules/filing.ts';

const question = (id: string) => CAUSES.creditCard.questions.find((q) => q.id === id)!;

describe('filing form model', () => {
  it('checks amounts and answers as typed', () => {
    expect(amountProblem('')).toBe(false);
    expect(amountProblem('12000.50')).toBe(false);
    for (const bad of ['12000.505', '1e3', '-5', '012', '12,000']) expect(amountProblem(bad), bad).toBe(true);
    expect(answerProblem(question('outstandingAmount'), '1288.5')).toBeNull();
    expect(answerProblem(question('outstandingAmount'), '1288.505')).toBe('yuan');
    expect(answerProblem(question('overdueSince'), '2025-13-01')).toBe('date');
    expect(answerProblem(question('cardLastDigits'), ' ')).toBe('required');
    expect(answerProblem(question('cardIssuedOn'), undefined)).toBeNull();
  });

  it('blocks electronic-service consent without a plaintiff contact or a service address', () => {
    expect(consentBlocker({ plaintiffs: [{ name: '陈静' }] })).toBe('plaintiffContact');
    expect(consentBlocker({ plaintiffs: [{ name: '陈静', phone: '13800138001' }] })).toBe('serviceAddress');
    expect(consentBlocker({ plaintiffs: [{ name: '陈静', address: '北京市朝阳区建国路88号' }], electronicService: { addresses: [{ kind: 'email', value: ' ' }] } })).toBe('serviceAddress');
    expect(consentBlocker({ plaintiffs: [{ name: '陈静', address: '北京市朝阳区建国路88号' }], electronicService: { addresses: [{ kind: 'phone', value: '13800138001' }] } })).toBeNull();
  });

  it('builds the filing from a draft: empty answers dropped, materials as uploaded, accepted by the filing schema', () => {
    const draft: DraftFiling = {
      courtId: '00000000-0000-4000-8000-000000000001',
      cause: 'creditCard',
      plaintiffs: [{ kind: 'person', name: ' 陈静 ', phone: '13800138001', address: '北京市朝阳区建国路88号', idNumber: '' }],
      defendants: [{ kind: 'organisation', name: '示范银行', address: '北京市朝阳区金融街1号' }],
      claims: [{ text: '判令被告退还年费', amount: '866.00' }, { text: '', amount: '' }, { text: '诉讼费由被告负担', amount: '' }],
      facts: ' 事实与理由 ',
      causeFacts: { cardLastDigits: '4321', cardIssuedOn: '' },
      knewOn: '',
      jurisdiction: { basis: 'defendantDomicile', place: '北京市朝阳区', clause: '' },
      evidence: [{ name: '账单', purpose: '证明年费' }, { name: '', purpose: '' }],
      electronicService: { consent: true, addresses: [{ kind: 'phone', value: '13800138001' }, { kind: 'email', value: '' }] },
    };
    const material: MaterialView = { id: '00000000-0000-4000-8000-000000000101', type: 'complaint', name: '民事起诉状', mimeType: 'application/pdf', sizeBytes: 1000, pages: 2, sha256: 'a'.repeat(64), draftId: null, filingId: null, createdAt: '2026-11-27T00:00:00Z', contentPath: '/x' };
    const filing = filingInputOf(draft, [material]);
    expect(filing.plaintiffs).toEqual([{ kind: 'person', name: '陈静', phone: '13800138001', address: '北京市朝阳区建国路88号' }]);
    expect(filing.claims).toEqual([{ text: '判令被告退还年费', amount: '866.00' }, { text: '诉讼费由被告负担' }]);
    expect(filing.causeFacts).toEqual({ cardLastDigits: '4321' });
    expect(filing).not.toHaveProperty('knewOn');
    expect(filing.jurisdiction).toEqual({ basis: 'defendantDomicile', place: '北京市朝阳区' });
    expect(filing.evidence).toEqual([{ name: '账单', purpose: '证明年费' }]);
    expect(filing.electronicService.addresses).toEqual([{ kind: 'phone', value: '13800138001' }]);
    expect(filing.materials).toEqual([{ id: material.id, type: 'complaint', name: '民事起诉状', pages: 2, mimeType: 'application/pdf' }]);
    expect(filingInput.safeParse(filing).success).toBe(true);
  });
});
