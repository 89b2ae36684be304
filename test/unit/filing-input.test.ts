// Bad filing input is refused by the schema with the path of the field to fix: amounts with more than two
// fraction digits, impossible or future dates, cause answers of the wrong kind, and electronic service
// consented to without an address or a party without address or contact.
import { describe, expect, it } from 'vitest';
import { filingInput, type FilingInput } from '../../models/filing-rules/filing.ts';
import { courtToday } from '../../models/filing-rules/values.ts';
import { sampleFiling } from '../../models/filing-rules/samples.ts';

function issuesOf(change: (filing: FilingInput) => void): { path: string; message: string }[] {
  const filing = sampleFiling('creditCard');
  change(filing);
  const parsed = filingInput.safeParse(filing);
  if (parsed.success) return [];
  return parsed.error.issues.map((issue) => ({ path: issue.path.map(String).join('.'), message: issue.message }));
}
const pathsOf = (change: (filing: FilingInput) => void) => issuesOf(change).map((issue) => issue.path);

const tomorrow = () => {
  const date = new Date(`${courtToday()}T00:00:00Z`);
  date.setUTCDate(date.getUTCDate() + 1);
  return date.toISOString().slice(0, 10);
};

describe('bad filing input names the field', () => {
  it('amounts: decimal yuan with at most two fraction digits', () => {
    for (const amount of ['12.345', '-1', '1e5', '１００', '100.', '.5', '01', '1,000']) {
      expect(pathsOf((f) => (f.claims[0]!.amount = amount)), amount).toEqual(['claims.0.amount']);
    }
    expect(issuesOf((f) => (f.claims[0]!.amount = '12.345'))[0]!.message).toContain('at most 2 fraction digits');
    expect(pathsOf((f) => (f.claims[0]!.amount = '12.30'))).toEqual([]);
    expect(pathsOf((f) => (f.causeFacts.outstandingAmount = '18650.321'))).toEqual(['causeFacts.outstandingAmount']);
  });

  it('dates: real calendar dates, not in the future', () => {
    expect(pathsOf((f) => (f.knewOn = '2023-02-29'))).toEqual(['knewOn']);
    expect(pathsOf((f) => (f.knewOn = '2024-02-29'))).toEqual([]);
    expect(pathsOf((f) => (f.knewOn = '2025-6-1'))).toEqual(['knewOn']);
    expect(pathsOf((f) => (f.knewOn = tomorrow()))).toEqual(['knewOn']);
    expect(issuesOf((f) => (f.knewOn = tomorrow()))[0]!.message).toContain('not be in the future');
    expect(pathsOf((f) => (f.knewOn = courtToday()))).toEqual([]);
    expect(pathsOf((f) => (f.causeFacts.overdueSince = '2025-13-01'))).toEqual(['causeFacts.overdueSince']);
    expect(pathsOf((f) => (f.causeFacts.overdueSince = tomorrow()))).toEqual(['causeFacts.overdueSince']);
  });

  it('cause answers of the wrong kind', () => {
    const lending = sampleFiling('privateLending');
    lending.causeFacts.deliveryMethod = 'barter';
    lending.causeFacts.interestRate = '150';
    const parsed = filingInput.safeParse(lending);
    expect(parsed.success).toBe(false);
    expect(parsed.error!.issues.map((issue) => issue.path.join('.'))).toEqual(['causeFacts.deliveryMethod', 'causeFacts.interestRate']);
  });

  it('electronic service: consent needs an address, and each plaintiff an address or phone', () => {
    expect(pathsOf((f) => (f.electronicService.addresses = []))).toEqual(['electronicService.addresses']);
    expect(pathsOf((f) => (delete f.plaintiffs[0]!.address, delete f.plaintiffs[0]!.phone))).toEqual(['plaintiffs.0.address']);
    // Without consent neither is needed by the schema (the completeness rule still asks for a way to reach the plaintiff).
    expect(pathsOf((f) => ((f.electronicService = { consent: false, addresses: [] }), delete f.plaintiffs[0]!.address, delete f.plaintiffs[0]!.phone))).toEqual([]);
    expect(pathsOf((f) => (f.electronicService.addresses = [{ kind: 'email', value: 'not-an-email' }]))).toEqual(['electronicService.addresses.0.value']);
  });

  it('shapes: unknown cause, empty party lists, bad ids and page counts', () => {
    expect(pathsOf((f) => ((f as { cause: string }).cause = 'divorce'))).toEqual(['cause']);
    expect(pathsOf((f) => (f.defendants = []))).toEqual(['defendants']);
    expect(pathsOf((f) => (f.courtId = 'chaoyang'))).toEqual(['courtId']);
    expect(pathsOf((f) => (f.materials[0]!.pages = 0))).toEqual(['materials.0.pages']);
    expect(pathsOf((f) => ((f.jurisdiction as { basis: string }).basis = 'anywhere'))).toEqual(['jurisdiction.basis']);
    expect(pathsOf((f) => (f.plaintiffs[0]!.phone = 'call me'))).toEqual(['plaintiffs.0.phone']);
  });
});
