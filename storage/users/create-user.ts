// Creates a platform account. The ID number and phone are sealed before they reach the table;
// the ID number's blind index refuses a second account for the same identity.
import { AppError, ConflictError, NotFoundError } from '../../platform/errors.ts';
import type { PersonalDataCipher } from '../../platform/personal-data.ts';
import type { Role } from '../../platform/roles.ts';
import type { Db } from '../database.ts';
import { postgresErrorOf, uniqueViolationOf } from '../database-errors.ts';
import { users } from '../schema.ts';
import { writeAudit, type AuditActor } from '../audit/write-audit.ts';
import type { PublicUser } from './public-user.ts';

export interface NewUser {
  username: string;
  displayName: string;
  role: Role;
  /** Court staff belong to a court. */
  courtId?: string | null;
  /** Already hashed by the caller (the hub owns the password scheme). */
  passwordHash: string;
  idType?: string | null;
  idNumber?: string | null;
  phone?: string | null;
  lawyerLicence?: string | null;
}

export interface CreateUserOptions {
  db: Db;
  cipher: PersonalDataCipher;
  user: NewUser;
  actor: AuditActor;
}

export async function createUser({ db, cipher, user, actor }: CreateUserOptions): Promise<PublicUser> {
  const idNumber = user.idNumber ?? null;
  const phone = user.phone ?? null;
  try {
    return await db.transaction(async (tx) => {
      const [row] = await tx
        .insert(users)
        .values({
          username: user.username,
          displayName: user.displayName,
          role: user.role,
          courtId: user.courtId ?? null,
          passwordHash: user.passwordHash,
          idType: user.idType ?? null,
          idNumberSealed: idNumber === null ? null : cipher.seal(idNumber),
          idNumberIndex: idNumber === null ? null : cipher.blindIndex(idNumber),
          phoneSealed: phone === null ? null : cipher.seal(phone),
          lawyerLicence: user.lawyerLicence ?? null,
        })
        .returning({ id: users.id, username: users.username, displayName: users.displayName, role: users.role, courtId: users.courtId });
      if (!row) throw new Error('insert into users returned no row');
      await writeAudit(tx, {
        actor,
        action: 'user.create',
        subjectKind: 'user',
        subjectId: row.id,
        detail: { username: row.username, role: row.role, courtId: row.courtId, withIdentity: idNumber !== null },
      });
      return row;
    });
  } catch (error) {
    const violation = uniqueViolationOf(error);
    if (violation?.constraint === 'users_username_unique') {
      throw new ConflictError(`The username ${user.username} is already taken`, { cause: error });
    }
    if (violation?.constraint === 'users_id_number_index_unique') {
      throw new ConflictError('An account already exists for this identity document', { cause: error });
    }
    if (violation) throw new ConflictError('This account conflicts with an existing one', { cause: error });
    const failure = postgresErrorOf(error);
    if (failure?.constraint === 'users_court_id_courts_id_fk') throw new NotFoundError('Court', { cause: error });
    if (failure?.constraint === 'users_staff_court_check') {
      throw new AppError('VALIDATION_FAILED', 'Court staff (judge, clerk, court administrator) must belong to a court', undefined, { cause: error });
    }
    if (failure?.constraint === 'users_role_check') throw new AppError('VALIDATION_FAILED', `Unknown role ${user.role}`, undefined, { cause: error });
    throw error;
  }
}
