// What a sign-in answers, whichever way the person signed in (password, an external login's ticket):
// a session token, when it expires, and the account as the portal shows it.
import { z } from 'zod';
import { ROLES } from '../../platform/roles.ts';
import { signSessionToken } from '../auth/session-token.ts';

const roleSchema = z.enum(ROLES);

export interface SigningInAccount {
  id: string;
  username: string;
  displayName: string;
  role: string;
  courtId: string | null;
}

export function signedInAnswer(sessionSecret: Buffer, account: SigningInAccount) {
  const role = roleSchema.parse(account.role);
  const { token, session } = signSessionToken(sessionSecret, { userId: account.id, role, courtId: account.courtId });
  return {
    token,
    expiresAt: new Date(session.expiresAt * 1000).toISOString(),
    user: { id: account.id, username: account.username, displayName: account.displayName, role, courtId: account.courtId },
  };
}
