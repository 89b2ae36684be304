// The local real-name adapter (what it checks, and that it says what it did not), the embedded SMS
// sender (log with the phone masked, demo inbox) and the per-address code budget.
import { describe, expect, it } from 'vitest';
import { createLogger } from '../../platform/logger.ts';
import { createLocalRealNameVerifier } from '../../platform/identity/real-name-verifier.ts';
import { createEmbeddedSms } from '../../platform/identity/sms-sender.ts';
import { PhoneCodeAddressLimit } from '../../hub/api/registration-rate-limit.ts';
import { AppError } from '../../platform/errors.ts';

describe('local real-name verifier', () => {
  const verifier = createLocalRealNameVerifier(() => '2026-11-27');

  it('passes a well-formed name with a valid number, recording its checks and its limits', async () => {
    const verdict = await verifier.verify({ name: '陈静', idType: 'resident', idNumber: '11010519491231002X' });
    expect(verdict).toMatchObject({ adapter: 'local', outcome: 'passed' });
    expect(verdict.checks).toEqual([
      { check: 'id_number_rules', passed: true },
      { check: 'name_form', passed: true },
    ]);
    expect(verdict.limits).toContain('no public-security');
  });

  it('accepts transliterated and Latin names', async () => {
    for (const name of ['阿依古丽·买买提', 'Anna-Maria O’Neil'.replace('’', "'"), 'LI Ming']) {
      expect((await verifier.verify({ name, idType: 'passport', idNumber: 'E12345678' })).outcome, name).toBe('passed');
    }
  });

  it('fails a bad number or a name that is no name', async () => {
    const badNumber = await verifier.verify({ name: '陈静', idType: 'resident', idNumber: '110105194912310021' });
    expect(badNumber.outcome).toBe('failed');
    expect(badNumber.checks[0]).toEqual({ check: 'id_number_rules', passed: false });
    for (const name of ['1234', '陈', '<script>', '陈静!']) {
      const verdict = await verifier.verify({ name, idType: 'resident', idNumber: '11010519491231002X' });
      expect(verdict.outcome, name).toBe('failed');
    }
  });
});

describe('embedded SMS', () => {
  it('logs the code with the phone masked and keeps it in the demo inbox until it expires', async () => {
    const lines: string[] = [];
    const { sender, inbox } = createEmbeddedSms(createLogger({ write: (line) => lines.push(line) }));
    const expiresAt = new Date(Date.now() + 300_000);
    await sender.sendCode('13800138000', '042042', expiresAt);
    await sender.sendCode('13800138000', '777777', expiresAt);
    expect(lines).toHaveLength(2);
    expect(lines[0]).toContain('042042');
    expect(lines[0]).toContain('138****8000');
    expect(lines.join('\n')).not.toContain('13800138000');
    expect(inbox.read('13800138000').map((m) => m.code)).toEqual(['777777', '042042']);
    expect(inbox.read('13800138001')).toEqual([]);
    expect(inbox.read('13800138000', new Date(expiresAt.getTime() + 1))).toEqual([]);
  });
});

describe('PhoneCodeAddressLimit', () => {
  it('allows the budget per address per hour, then refuses with the wait', () => {
    let now = 0;
    const limit = new PhoneCodeAddressLimit(3, 3600_000, 100, () => now);
    for (let i = 0; i < 3; i++) limit.take('10.0.0.1');
    limit.take('10.0.0.2');
    now = 600_000;
    let refusal: unknown;
    try {
      limit.take('10.0.0.1');
    } catch (error) {
      refusal = error;
    }
    expect(refusal).toBeInstanceOf(AppError);
    expect((refusal as AppError).code).toBe('RATE_LIMITED');
    expect((refusal as AppError).details).toEqual({ retryAfterSeconds: 3000 });
    now = 3600_001;
    expect(() => limit.take('10.0.0.1')).not.toThrow();
  });
});
