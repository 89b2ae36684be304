// Sign-in (POST /api/v1/auth/login) and "who am I" (GET /api/v1/me). Unknown user and wrong
// password get the same answer in the same time; failures are rate limited per username and address.
import { z } from 'zod';
import { AppError, NotFoundError } from '../../platform/errors.ts';
import { ROLES } from '../../platform/roles.ts';
import { findUserByUsername } from '../../storage/users/find-user-by-username.ts';
import { getUser } from '../../storage/users/get-user.ts';
import { anySignedIn, publicAccess } from '../auth/access.ts';
import { UNKNOWN_USER_HASH, verifyPassword } from '../auth/password.ts';
import type { Session } from '../auth/session-token.ts';
import { defineRoute } from '../http/route.ts';
import { paths } from '../http/paths.ts';
import { publicUserSchema } from './schemas.ts';
import { signedInAnswer } from './signed-in.ts';

const loginBody = z.object({
  username: z.string().trim().min(1).max(100),
  password: z.string().min(1).max(1024),
});

const roleSchema = z.enum(ROLES);

export const loginRoute = defineRoute({
  method: 'post',
  path: paths.login,
  operationId: 'login',
  summary: 'Sign in with username and password; returns a bearer token valid for 12 hours',
  tags: ['auth'],
  access: publicAccess,
  body: loginBody,
  response: z.object({ token: z.string(), expiresAt: z.iso.datetime(), user: publicUserSchema }),
  errors: ['UNAUTHENTICATED', 'RATE_LIMITED'],
  async handle({ body, request, services, logger }) {
    const { loginRateLimit } = services;
    loginRateLimit.check(body.username, request.address);
    const user = await findUserByUsername({ db: services.database.db, username: body.username });
    const usable = user !== null && !user.disabled;
    // Always one scrypt, so an unknown or disabled account answers as slowly as a wrong password.
    const matches = await verifyPassword(body.password, usable ? user.passwordHash : UNKNOWN_USER_HASH);
    if (!usable || !matches) {
      loginRateLimit.recordFailure(body.username, request.address);
      logger.info('login refused', { username: body.username, address: request.address });
      throw new AppError('UNAUTHENTICATED', 'Wrong username or password');
    }
    loginRateLimit.recordSuccess(body.username);
    return signedInAnswer(services.sessionSecret, user);
  },
});

export const meRoute = defineRoute({
  method: 'get',
  path: paths.me,
  operationId: 'getMe',
  summary: 'The signed-in account',
  tags: ['auth'],
  access: anySignedIn,
  response: z.object({ user: publicUserSchema }),
  errors: ['NOT_FOUND'],
  async handle({ session, services }) {
    const user = await getUser({ db: services.database.db, userId: (session as Session).userId });
    if (!user) throw new NotFoundError('Account');
    return { user: { ...user, role: roleSchema.parse(user.role) } };
  },
});
