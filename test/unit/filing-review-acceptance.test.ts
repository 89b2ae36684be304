// What an accepted filing becomes (pure): the case actor's FILE (cause name from the catalogue, claims
// numbered with amounts, their exact total, parties with identifiers and addresses), the receipt's parties,
// and the case id derived from the filing id (the same on every run, a valid UUID, distinct per filing).
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { caseFiling } from '../../actors/case/case.protocol.ts';
import { caseFilingOf, receiptPartyOf, totalYuan } from '../../hub/filings/case-filing-of.ts';
import { caseIdOfFiling } from '../../hub/filings/filing-acceptor.ts';
import { sampleFiling } from '../../models/filing-rules/samples.ts';

describe('an accepted filing as the case actor files it', () => {
  it('maps cause, claims, total and parties, and the case schema takes it', () => {
    const filing = sampleFiling('privateLending', randomUUID());
    const mapped = caseFilingOf(filing);
    expect(caseFiling.safeParse(mapped).success).toBe(true);
    expect(mapped).toMatchObject({ courtId: filing.courtId, cause: '民间借贷纠纷', claimAmount: '83200.00' });
    expect(mapped.claims).toBe('1. 判令被告归还借款本金80000元（人民币80000元）\n2. 判令被告支付逾期利息3200元（人民币3200.00元）');
    expect(mapped.plaintiffs[0]).toMatchObject({ name: '张伟', idNumber: '110105198503122317', phone: '13800138000', address: '北京市朝阳区建国路88号' });
  });

  it('adds amounts exactly in fen; a claim without an amount adds nothing; no amount at all → no claimAmount', () => {
    expect(totalYuan(['0.10', '0.20', '18650.32', '1'])).toBe('18651.62');
    const filing = sampleFiling('lease', randomUUID());
    filing.claims = [{ text: '判令解除租赁合同' }];
    expect(caseFilingOf(filing).claimAmount).toBeUndefined();
  });

  it('a receipt addresses a party at its address, else its domicile', () => {
    expect(receiptPartyOf({ kind: 'person', name: '王五', domicile: '北京市朝阳区' })).toEqual({ name: '王五', kind: 'person', address: '北京市朝阳区' });
  });

  it('the case id is derived from the filing id: stable, a UUID, distinct', () => {
    const filingId = randomUUID();
    expect(caseIdOfFiling(filingId)).toBe(caseIdOfFiling(filingId));
    expect(caseIdOfFiling(filingId)).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-8[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(caseIdOfFiling(randomUUID())).not.toBe(caseIdOfFiling(filingId));
  });
});
