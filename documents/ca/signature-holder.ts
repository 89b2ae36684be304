// Whose signature a `person` certificate is (签名人): the account named when it is issued or bound,
// looked up by id or username. Only a judge holds one: a judge's signature certificate signs
// judgments and rulings in the judge's own name, the sealing rules let only judges apply it
// (judgeSignature), and it is never applied through someone else's approval — so a clerk's (or an
// administrator's) certificate could never be used by its holder and is refused at issue.
import { AppError, NotFoundError } from '../../platform/errors.ts';
import type { Db } from '../../storage/database.ts';
import { isUuid } from '../../storage/ids.ts';
import { findUserByUsername } from '../../storage/users/find-user-by-username.ts';
import { getUser } from '../../storage/users/get-user.ts';
import type { SignatureHolder } from './court-ca.ts';

export interface SignatureAccount {
  holder: SignatureHolder;
  /** The account's name: the certificate's subject name unless the issuer gives another. */
  displayName: string;
}

export async function signatureAccountOf({ db, user }: { db: Db; user: string }): Promise<SignatureAccount> {
  const account = isUuid(user) ? await getUser({ db, userId: user }) : await findUserByUsername({ db, username: user });
  if (!account) throw new NotFoundError(`Account "${user}" / 账户不存在`);
  if (account.role !== 'judge') {
    throw new AppError('VALIDATION_FAILED', `Only a judge holds a signature certificate; "${account.username}" is a ${account.role} / 仅法官可持有个人签名证书`, {
      fields: ['user'],
      role: account.role,
    });
  }
  return { holder: { userId: account.id, username: account.username }, displayName: account.displayName };
}
