// 实名注册 over HTTP: a one-time code to a phone (POST /registrations/phone-code), the account
// itself (POST /registrations, optionally linking a first external sign-in), the embedded node's
// demo SMS inbox, a user's own identity checks (GET /me/identity-checks) and the ID-card reading
// routes (id-card-routes.ts). Handlers validate and call storage/identity use-cases.
import { z } from 'zod';
import { isEmbedded } from '../../platform/config.ts';
import { AppError, NotFoundError } from '../../platform/errors.ts';
import { checkIdNumber, ID_TYPES } from '../../platform/identity/check-id-number.ts';
import { normalisePhone, PHONE_CODE_RESEND_MS } from '../../platform/identity/phone-code.ts';
import { createLocalRealNameVerifier, type RealNameVerifier } from '../../platform/identity/real-name-verifier.ts';
import { createEmbeddedSms, type DemoInbox, type SmsSender } from '../../platform/identity/sms-sender.ts';
import { issuePhoneCode } from '../../storage/identity/issue-phone-code.ts';
import { listIdentityChecks } from '../../storage/identity/list-identity-checks.ts';
import { registerAccount } from '../../storage/identity/register-account.ts';
import { anySignedIn, publicAccess } from '../auth/access.ts';
import { openPendingExternalIdentity } from '../auth/oauth/external-identity-token.ts';
import { oauthProvidersOf } from '../auth/oauth/provider-registry.ts';
import { RateLimitedError } from '../auth/login-rate-limit.ts';
import { hashPassword } from '../auth/password.ts';
import { signSessionToken, type Session } from '../auth/session-token.ts';
import { paths } from '../http/paths.ts';
import { defineRoute, type AnyRoute } from '../http/route.ts';
import type { HubServices } from '../services.ts';
import { idCardRoutes } from './id-card-routes.ts';
import { PhoneCodeAddressLimit } from './registration-rate-limit.ts';
import { publicUserSchema } from './schemas.ts';

const instant = z.iso.datetime({ offset: true });
const bilingual = (zh: string, en: string) => ({ zh, en });

export const identityCheckSchema = z.object({
  id: z.uuid(),
  kind: z.string().describe("What was checked: 'real_name', 'id_card_ocr' (the account's own card read by OCR), and the face kinds of hub/identity"),
  adapter: z.string().describe("Who checked it, e.g. 'local' (the number's own rules only, no registry)"),
  outcome: z.enum(['passed', 'failed']),
  details: z.record(z.string(), z.unknown()).describe('Rule names, scores, hashes: never personal data'),
  at: instant,
});

const phoneOf = (raw: string): string => {
  const phone = normalisePhone(raw);
  if (!phone) throw new AppError('VALIDATION_FAILED', 'A mainland mobile number (11 digits starting with 1) is needed', { field: 'phone', ...bilingual('请填写11位手机号码', 'Enter an 11-digit mainland mobile number') });
  return phone;
};

interface SmsChannel {
  sender: SmsSender;
  inbox: DemoInbox | null;
}

/** The routes, sharing one SMS channel and one per-address budget (one per hub: the routes list is built per hub). */
export function registrationRoutes(options: { verifier?: RealNameVerifier } = {}): AnyRoute[] {
  const addressLimit = new PhoneCodeAddressLimit();
  const verifier = options.verifier ?? createLocalRealNameVerifier();
  let channel: SmsChannel | null | undefined;
  /** No SMS gateway is wired yet: only the embedded (demo) node can deliver codes, through its log and inbox. */
  const smsChannel = (services: HubServices): SmsChannel | null => {
    if (channel === undefined) channel = isEmbedded(services.config) ? createEmbeddedSms(services.logger.child({ component: 'sms' })) : null;
    return channel;
  };

  const requestPhoneCode = defineRoute({
    method: 'post',
    path: paths.registrationPhoneCode,
    operationId: 'requestRegistrationPhoneCode',
    summary: 'Send a six-digit one-time code to a mainland mobile phone (valid 5 minutes, 5 tries; at most one a minute and five an hour per phone)',
    tags: ['registration'],
    access: publicAccess,
    body: z.object({ phone: z.string().max(32) }),
    response: z.object({ expiresAt: instant, resendAfterSeconds: z.number().int() }),
    successStatus: 201,
    errors: ['RATE_LIMITED', 'SMS_UNAVAILABLE'],
    async handle({ body, request, services }) {
      const phone = phoneOf(body.phone);
      const sms = smsChannel(services);
      if (!sms) throw new AppError('SMS_UNAVAILABLE', 'No SMS gateway is configured on this node', bilingual('本节点未配置短信通道', 'No SMS gateway is configured on this node'));
      addressLimit.take(request.address);
      const issued = await issuePhoneCode({ db: services.database.db, cipher: services.cipher, phone, purpose: 'registration' });
      if (!issued.issued) throw new RateLimitedError(Math.max(1, Math.ceil(issued.retryAfterMs / 1000)), 'A code was sent to this phone moments ago or too often this hour; try again later');
      await sms.sender.sendCode(phone, issued.code, issued.expiresAt);
      return { expiresAt: issued.expiresAt.toISOString(), resendAfterSeconds: PHONE_CODE_RESEND_MS / 1000 };
    },
  });

  const demoInbox = defineRoute({
    method: 'get',
    path: paths.registrationDemoInbox,
    operationId: 'readRegistrationDemoInbox',
    summary: 'Embedded (demo) node only: the unexpired codes "sent" to a phone, newest first (404 elsewhere)',
    tags: ['registration'],
    access: publicAccess,
    query: z.object({ phone: z.string().max(32) }),
    response: z.object({ messages: z.array(z.object({ code: z.string(), sentAt: instant, expiresAt: instant })) }),
    errors: ['NOT_FOUND'],
    async handle({ query, services }) {
      const inbox = smsChannel(services)?.inbox;
      if (!inbox) throw new AppError('NOT_FOUND', 'There is no demo inbox on this node');
      return { messages: inbox.read(phoneOf(query.phone)) };
    },
  });

  const register = defineRoute({
    method: 'post',
    path: paths.registrations,
    operationId: 'register',
    summary: 'Open a party or lawyer account with name, identity document, phone and its one-time code; returns a session like login',
    tags: ['registration'],
    access: publicAccess,
    body: z.object({
      name: z.string().trim().min(1).max(50),
      idType: z.enum(ID_TYPES),
      idNumber: z.string().max(40),
      phone: z.string().max(32),
      phoneCode: z.string().regex(/^\d{6}$/, 'six digits'),
      username: z.string().trim().regex(/^[A-Za-z0-9_.-]{3,32}$/, '3–32 letters, digits, _ . -'),
      password: z.string().min(8).max(1024),
      role: z.enum(['party', 'lawyer']),
      lawyerLicence: z.string().regex(/^\d{17}$/, '17 digits').optional(),
      pendingExternalIdentity: z
        .string()
        .min(1)
        .max(4096)
        .optional()
        .describe('The sealed pending identity of a first external sign-in (#/oauth?pending=…): linked to the new account, or nothing is created'),
    }),
    response: z.object({
      token: z.string(),
      expiresAt: instant,
      user: publicUserSchema,
      identityCheck: identityCheckSchema,
      linkedExternalIdentity: z.object({ provider: z.string(), linkedAt: instant }).nullable(),
    }),
    successStatus: 201,
    errors: ['ID_NUMBER_INVALID', 'PHONE_CODE_INVALID', 'IDENTITY_TAKEN', 'CONFLICT', 'REAL_NAME_CHECK_FAILED', 'OAUTH_STATE_EXPIRED', 'OAUTH_STATE_MISMATCH', 'NOT_FOUND'],
    async handle({ body, services, logger }) {
      // Checked first: an expired or forged sign-in refuses the registration before any code is spent.
      const externalIdentity = body.pendingExternalIdentity === undefined ? null : openPendingExternalIdentity(services.sessionSecret, body.pendingExternalIdentity);
      if (externalIdentity && !oauthProvidersOf(services.config).get(externalIdentity.provider)) throw new NotFoundError('Sign-in provider');
      const id = checkIdNumber(body.idType, body.idNumber);
      if (!id.valid) {
        throw new AppError('ID_NUMBER_INVALID', id.reasons.map((reason) => reason.en).join('; '), { reasons: id.reasons });
      }
      if (body.role === 'lawyer' && !body.lawyerLicence) {
        throw new AppError('VALIDATION_FAILED', 'A lawyer needs the 17-digit practising certificate number', { field: 'lawyerLicence', ...bilingual('律师须填写17位执业证号', 'A lawyer needs the 17-digit practising certificate number') });
      }
      if (body.role !== 'lawyer' && body.lawyerLicence) {
        throw new AppError('VALIDATION_FAILED', 'Only lawyers give a practising certificate number', { field: 'lawyerLicence', ...bilingual('仅律师填写执业证号', 'Only lawyers give a practising certificate number') });
      }
      const phone = phoneOf(body.phone);
      const { user, check, linked } = await registerAccount({
        db: services.database.db,
        cipher: services.cipher,
        registration: {
          name: body.name,
          idType: body.idType,
          idNumber: id.normalised,
          phone,
          phoneCode: body.phoneCode,
          username: body.username,
          role: body.role,
          lawyerLicence: body.lawyerLicence ?? null,
        },
        passwordHash: await hashPassword(body.password),
        verifier,
        externalIdentity: externalIdentity && { provider: externalIdentity.provider, subject: externalIdentity.subject },
      });
      logger.info('account registered', { userId: user.id, role: user.role, idType: body.idType, realName: check.adapter, ...(linked ? { externalProvider: linked.provider } : {}) });
      const { token, session } = signSessionToken(services.sessionSecret, { userId: user.id, role: body.role, courtId: null });
      return {
        token,
        expiresAt: new Date(session.expiresAt * 1000).toISOString(),
        user: { ...user, role: body.role },
        identityCheck: { ...check, at: check.at.toISOString() },
        linkedExternalIdentity: linked && { provider: linked.provider, linkedAt: linked.linkedAt.toISOString() },
      };
    },
  });

  const myChecks = defineRoute({
    method: 'get',
    path: paths.myIdentityChecks,
    operationId: 'listMyIdentityChecks',
    summary: "The signed-in user's own identity checks, newest first",
    tags: ['registration'],
    access: anySignedIn,
    response: z.object({ checks: z.array(identityCheckSchema) }),
    async handle({ session, services }) {
      const checks = await listIdentityChecks({ db: services.database.db, userId: (session as Session).userId });
      return { checks: checks.map((check) => ({ ...check, at: check.at.toISOString() })) };
    },
  });

  return [requestPhoneCode, demoInbox, register, myChecks, ...idCardRoutes()];
}
