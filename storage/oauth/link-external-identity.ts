// 账号绑定: links an external identity to an account, with its audit row, in one transaction.
// Callable inside a caller's transaction (real-name registration links the new account this way).
import { ConflictError } from '../../platform/errors.ts';
import type { PersonalDataCipher } from '../../platform/personal-data.ts';
import type { Db } from '../database.ts';
import { uniqueViolationOf } from '../database-errors.ts';
import { writeAudit, type AuditActor } from '../audit/write-audit.ts';
import { externalIdentities } from './schema.ts';
import { externalSubjectIndex } from './subject-index.ts';

export interface LinkExternalIdentityOptions {
  db: Db;
  cipher: PersonalDataCipher;
  userId: string;
  identity: { provider: string; subject: string };
  actor: AuditActor;
}

export async function linkExternalIdentity({ db, cipher, userId, identity, actor }: LinkExternalIdentityOptions): Promise<{ id: string; linkedAt: Date }> {
  try {
    return await db.transaction(async (tx) => {
      const [row] = await tx
        .insert(externalIdentities)
        .values({
          provider: identity.provider,
          subjectIndex: externalSubjectIndex(cipher, identity.provider, identity.subject),
          subjectSealed: cipher.seal(identity.subject),
          userId,
        })
        .returning({ id: externalIdentities.id, linkedAt: externalIdentities.linkedAt });
      if (!row) throw new Error('insert into external_identities returned no row');
      // The provider's identifier never goes into the audit row, only which provider.
      await writeAudit(tx, { actor, action: 'user.oauth_link', subjectKind: 'user', subjectId: userId, detail: { provider: identity.provider, externalIdentityId: row.id } });
      return row;
    });
  } catch (error) {
    const violation = uniqueViolationOf(error);
    if (violation?.constraint === 'external_identities_subject_unique') {
      throw new ConflictError('This external account is already linked to a platform account', { cause: error });
    }
    if (violation?.constraint === 'external_identities_user_provider_unique') {
      throw new ConflictError('Your account is already linked to an account of this provider', { cause: error });
    }
    throw error;
  }
}
