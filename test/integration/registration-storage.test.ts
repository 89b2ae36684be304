// The registration use-cases on real Postgres: a code taken by two registrations at once is spent
// by one only, three simultaneous code requests for one phone issue one code, a refusal by the
// real-name adapter rolls the account back and leaves the code usable, checks are listed per user.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { AppError } from '../../platform/errors.ts';
import { residentIdCheckCharacter } from '../../platform/identity/resident-id.ts';
import { createLocalRealNameVerifier, type RealNameVerifier } from '../../platform/identity/real-name-verifier.ts';
import { issuePhoneCode } from '../../storage/identity/issue-phone-code.ts';
import { listIdentityChecks } from '../../storage/identity/list-identity-checks.ts';
import { registerAccount, type Registration } from '../../storage/identity/register-account.ts';
import { users } from '../../storage/schema.ts';
import { probePostgres } from '../support/services.ts';
import { openMigratedPostgres, testCipher, type OpenedTestDatabase } from '../support/storage.ts';

const postgres = await probePostgres();

describe.skipIf(!postgres.available)(`registration storage on Postgres${postgres.skipReason}`, () => {
  let opened: OpenedTestDatabase;
  const cipher = testCipher();
  const verifier = createLocalRealNameVerifier();
  let serial = 0;
  const idNumber = () => {
    const first17 = `44030519870302${String(100 + serial++).padStart(3, '0')}`;
    return first17 + residentIdCheckCharacter(first17);
  };
  const registration = (phone: string, phoneCode: string): Registration => ({
    name: '郑伟',
    idType: 'resident',
    idNumber: idNumber(),
    phone,
    phoneCode,
    username: `pg${serial++}`,
    role: 'party',
    lawyerLicence: null,
  });
  const issued = async (phone: string) => {
    const result = await issuePhoneCode({ db: opened.database.db, cipher, phone, purpose: 'registration' });
    if (!result.issued) throw new Error('no code issued');
    return result.code;
  };

  beforeAll(async () => {
    opened = await openMigratedPostgres();
  });

  afterAll(async () => {
    await opened?.dispose();
  });

  it('spends a code once when two registrations race for it', async () => {
    const code = await issued('13700000001');
    const results = await Promise.allSettled([
      registerAccount({ db: opened.database.db, cipher, registration: registration('13700000001', code), passwordHash: 'x', verifier }),
      registerAccount({ db: opened.database.db, cipher, registration: registration('13700000001', code), passwordHash: 'x', verifier }),
    ]);
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    const refused = results.find((r) => r.status === 'rejected') as PromiseRejectedResult;
    expect(refused.reason).toBeInstanceOf(AppError);
    expect(refused.reason.code).toBe('PHONE_CODE_INVALID');
    expect(refused.reason.details.reason).toBe('CODE_USED');
  });

  it('issues one code when a phone asks three times at once', async () => {
    const results = await Promise.all(
      [1, 2, 3].map(() => issuePhoneCode({ db: opened.database.db, cipher, phone: '13700000002', purpose: 'registration' })),
    );
    expect(results.filter((r) => r.issued)).toHaveLength(1);
    for (const refused of results.filter((r) => !r.issued)) expect((refused as { retryAfterMs: number }).retryAfterMs).toBeGreaterThan(55_000);
  });

  it('rolls the account back when the real-name adapter refuses, keeping the code', async () => {
    const refusing: RealNameVerifier = {
      name: 'registry',
      verify: async () => ({ adapter: 'registry', outcome: 'failed', checks: [{ check: 'name_matches_document', passed: false }] }),
    };
    const code = await issued('13700000003');
    const attempt = registration('13700000003', code);
    const error = await registerAccount({ db: opened.database.db, cipher, registration: attempt, passwordHash: 'x', verifier: refusing }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AppError);
    expect((error as AppError).code).toBe('REAL_NAME_CHECK_FAILED');
    expect((error as AppError).details).toMatchObject({ adapter: 'registry', failed: ['name_matches_document'] });
    expect(await opened.database.db.select().from(users).where(eq(users.username, attempt.username))).toEqual([]);

    const { user, check } = await registerAccount({ db: opened.database.db, cipher, registration: attempt, passwordHash: 'x', verifier });
    expect(check).toMatchObject({ kind: 'real_name', adapter: 'local', outcome: 'passed' });
    const listed = await listIdentityChecks({ db: opened.database.db, userId: user.id });
    expect(listed.map((c) => c.id)).toEqual([check.id]);
  });
});
