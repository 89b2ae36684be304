// 实名注册: a party or lawyer opens an account with their name, identity document and phone. In one
// transaction: the phone's code is taken, the real-name adapter is asked, the account is created
// (ID number and phone sealed; a second account for the same document is refused) and the
// adapter's verdict is recorded as the account's first identity check; a pending external sign-in
// (第三方登录) is linked to it. Any refusal after the code was taken rolls it all back, so the code
// stays usable; a wrong code's attempt is committed.
import { AppError, ConflictError } from '../../platform/errors.ts';
import type { PersonalDataCipher } from '../../platform/personal-data.ts';
import { PHONE_CODE_REFUSALS, type PhoneCodeRefusal } from '../../platform/identity/phone-code.ts';
import type { IdType } from '../../platform/identity/check-id-number.ts';
import type { RealNameVerifier } from '../../platform/identity/real-name-verifier.ts';
import { SYSTEM_ACTOR, writeAudit } from '../audit/write-audit.ts';
import type { Db } from '../database.ts';
import { uniqueViolationOf } from '../database-errors.ts';
import { createUser } from '../users/create-user.ts';
import type { PublicUser } from '../users/public-user.ts';
import { linkExternalIdentity } from '../oauth/link-external-identity.ts';
import { recordIdentityCheck, type IdentityCheckRecord } from './record-identity-check.ts';
import { takePhoneCode } from './take-phone-code.ts';

export interface Registration {
  name: string;
  idType: IdType;
  /** Already validated and normalised (platform/identity/check-id-number.ts). */
  idNumber: string;
  /** Normalised mainland mobile number. */
  phone: string;
  phoneCode: string;
  username: string;
  role: 'party' | 'lawyer';
  /** 律师执业证号, lawyers only. */
  lawyerLicence: string | null;
}

export interface RegisterAccountOptions {
  db: Db;
  cipher: PersonalDataCipher;
  registration: Registration;
  /** Hashed by the caller (the hub owns the password scheme). */
  passwordHash: string;
  verifier: RealNameVerifier;
  /**
   * A first external sign-in that led here (already opened and checked by the caller): linked to the
   * new account in the same transaction, so a refused link leaves no account behind.
   */
  externalIdentity?: { provider: string; subject: string } | null;
  now?: Date;
}

export class PhoneCodeRefusedError extends AppError {
  constructor(readonly reason: PhoneCodeRefusal) {
    super('PHONE_CODE_INVALID', PHONE_CODE_REFUSALS[reason].en, { reason, ...PHONE_CODE_REFUSALS[reason] });
    this.name = 'PhoneCodeRefusedError';
  }
}

export interface RegisteredAccount {
  user: PublicUser;
  check: IdentityCheckRecord;
  /** The external identity linked, when one was given. */
  linked: { provider: string; linkedAt: Date } | null;
}

export async function registerAccount({ db, cipher, registration, passwordHash, verifier, externalIdentity = null, now = new Date() }: RegisterAccountOptions): Promise<RegisteredAccount> {
  let outcome: RegisteredAccount | PhoneCodeRefusal;
  try {
    outcome = await db.transaction(async (tx) => {
      const verdict = await takePhoneCode({ tx, cipher, phone: registration.phone, code: registration.phoneCode, purpose: 'registration', now });
      // Returned, not thrown: the wrong code's attempt must be committed.
      if (verdict !== 'accepted') return verdict;
      const realName = await verifier.verify({ name: registration.name, idType: registration.idType, idNumber: registration.idNumber });
      if (realName.outcome !== 'passed') {
        const failed = realName.checks.filter((step) => !step.passed).map((step) => step.check);
        throw new AppError('REAL_NAME_CHECK_FAILED', 'The name and identity document could not be verified', {
          adapter: realName.adapter,
          failed,
          zh: '姓名与证件未能通过实名核验',
          en: 'The name and identity document could not be verified',
        });
      }
      const user = await createUser({
        db: tx,
        cipher,
        user: {
          username: registration.username,
          displayName: registration.name,
          role: registration.role,
          passwordHash,
          idType: registration.idType,
          idNumber: registration.idNumber,
          phone: registration.phone,
          lawyerLicence: registration.lawyerLicence,
        },
        actor: SYSTEM_ACTOR,
      });
      const self = { userId: user.id, role: user.role };
      await writeAudit(tx, { actor: self, action: 'user.register', subjectKind: 'user', subjectId: user.id, detail: { role: user.role, idType: registration.idType } });
      const check = await recordIdentityCheck({
        tx,
        userId: user.id,
        kind: 'real_name',
        adapter: realName.adapter,
        outcome: realName.outcome,
        details: { checks: realName.checks, ...(realName.limits ? { limits: realName.limits } : {}), idType: registration.idType },
        actor: self,
      });
      const linked = externalIdentity ? { provider: externalIdentity.provider, linkedAt: (await linkExternalIdentity({ db: tx, cipher, userId: user.id, identity: externalIdentity, actor: self })).linkedAt } : null;
      return { user, check, linked };
    });
  } catch (error) {
    if (error instanceof ConflictError && uniqueViolationOf(error.cause)?.constraint === 'users_id_number_index_unique') {
      throw new AppError('IDENTITY_TAKEN', 'An account already exists for this identity document', { zh: '该证件已注册过账户', en: 'An account already exists for this identity document' }, { cause: error });
    }
    throw error;
  }
  if (typeof outcome === 'string') throw new PhoneCodeRefusedError(outcome);
  return outcome;
}
