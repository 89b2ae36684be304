// 证件识别 over HTTP. During registration (no account yet): one side of the ID card read for the form
// to pre-fill, cross-checked with what the person typed; nothing is kept. Once signed in: the
// account's own card front read again and recorded as an 'id_card_ocr' identity check (the portal
// re-sends the front right after registering), and on request its portrait enrolled as the face. Reading costs ~1 s of a core, so both are limited per
// client address / account, and the hub's OCR queue refuses excess work with SERVICE_BUSY.
import { createHash } from 'node:crypto';
import { z } from 'zod';
import { AppError, NotFoundError } from '../../platform/errors.ts';
import type { TypedIdentity } from '../../models/ocr/idcard-fields.ts';
import type { IdCardReading } from '../../models/ocr/read-idcard.ts';
import { getIdentityClaim } from '../../storage/identity/get-identity-claim.ts';
import { recordIdCardCheck } from '../../storage/identity/record-id-card-check.ts';
import { publicAccess, signedInAs } from '../auth/access.ts';
import type { Session } from '../auth/session-token.ts';
import type { RequestSnapshot } from '../http/exchange.ts';
import { paths } from '../http/paths.ts';
import { defineRoute, rawBodySchema, type AnyRoute, type RawBody } from '../http/route.ts';
import { enrolFace } from '../identity/face-enrolments.ts';
import { idCardPortrait } from '../ocr/id-card-portrait.ts';
import { idCardVerdict } from '../ocr/id-card-verdict.ts';
import type { HubServices } from '../services.ts';
import { PhoneCodeAddressLimit } from './registration-rate-limit.ts';
import { identityCheckSchema } from './registration-routes.ts';

export const ID_CARD_MEDIA_TYPES = ['image/png', 'image/jpeg'] as const;
export const ID_CARD_MAX_BYTES = 10 * 1024 * 1024;
/** What the person typed travels in headers, not the query: URLs end up in access logs. */
export const TYPED_NAME_HEADER = 'x-ecourt-typed-name';
export const TYPED_ID_NUMBER_HEADER = 'x-ecourt-typed-id-number';

const flagSchema = z.object({ code: z.string(), zh: z.string(), en: z.string(), hint: z.string().optional() });
const fieldSchema = z.object({
  value: z.string().nullable(),
  confidence: z.number().nullable().describe('0–1, of the least certain character'),
  needsCorrection: z.boolean(),
  reasons: z.array(flagSchema),
});
export const idCardReadingSchema = z.object({
  side: z.enum(['front', 'back']),
  fields: z.record(z.string(), fieldSchema).describe('Front: name, sex, ethnicity, birthDate, address, idNumber. Back: issuingAuthority, validity'),
  needsCorrection: z.boolean(),
});

const readingAnswer = (reading: IdCardReading): z.input<typeof idCardReadingSchema> => ({ side: reading.side, fields: reading.fields, needsCorrection: reading.needsCorrection });

/** A header's text, percent-decoded (browsers send headers as Latin-1 only), trimmed; undefined when absent or bad. */
function typedHeader(request: RequestSnapshot, name: string, maxLength: number): string | undefined {
  const raw = request.headers[name];
  if (raw === undefined || raw === '') return undefined;
  let value: string;
  try {
    value = decodeURIComponent(raw).trim();
  } catch {
    throw new AppError('VALIDATION_FAILED', `${name} must be percent-encoded UTF-8`, { field: name, zh: '填写的内容编码有误', en: 'The typed details are not encoded correctly' });
  }
  if (value.length > maxLength) throw new AppError('VALIDATION_FAILED', `${name} is too long`, { field: name, zh: '填写的内容过长', en: 'The typed details are too long' });
  return value === '' ? undefined : value;
}

const rawImage = { mediaTypes: ID_CARD_MEDIA_TYPES, limitBytes: () => ID_CARD_MAX_BYTES };

const refusalSchema = z.object({ code: z.string(), message: z.string() });
const faceEnrolmentSchema = z.object({
  enrolled: z.boolean(),
  enrolmentId: z.uuid().nullable(),
  facePx: z.number().int().nullable(),
  refusal: refusalSchema.nullable().describe('Why no face was enrolled from the card (FACE_NONE, FACE_TOO_SMALL, …): then a selfie'),
});

/** Faces that cannot be enrolled from the card are answered, not thrown: the card check itself stands. */
const PORTRAIT_REFUSALS = new Set(['FACE_NONE', 'FACE_MULTIPLE', 'FACE_TOO_SMALL', 'IMAGE_INVALID', 'IMAGE_TOO_LARGE', 'VALIDATION_FAILED', 'UNSUPPORTED_MEDIA_TYPE', 'PAYLOAD_TOO_LARGE']);

/** 人脸采集 from the card's portrait, only from a card that is the account's own. */
async function enrolFromPortrait(services: HubServices, userId: string, bytes: Uint8Array, cardPassed: boolean): Promise<z.input<typeof faceEnrolmentSchema>> {
  if (!cardPassed) {
    return { enrolled: false, enrolmentId: null, facePx: null, refusal: { code: 'VALIDATION_FAILED', message: 'The card is not this account’s: no face taken from it / 证件与账户不符，未采集人脸' } };
  }
  try {
    const enrolled = await enrolFace(services, userId, idCardPortrait(bytes), 'idCardPhoto');
    return { enrolled: true, enrolmentId: enrolled.enrolmentId, facePx: enrolled.facePx, refusal: null };
  } catch (error) {
    if (error instanceof AppError && PORTRAIT_REFUSALS.has(error.code)) {
      return { enrolled: false, enrolmentId: null, facePx: null, refusal: { code: error.code, message: error.message } };
    }
    throw error;
  }
}

/** One budget per hub for each route (the routes list is built per hub). */
export function idCardRoutes(): AnyRoute[] {
  // Generous for honest retakes (a blurred photo, the other side), small against CPU abuse.
  const addressLimit = new PhoneCodeAddressLimit(30, 3600_000, 50_000, Date.now, 'Too many ID-card images read for this address; try again later / 识别次数过多，请稍后再试');
  const accountLimit = new PhoneCodeAddressLimit(10, 3600_000, 50_000, Date.now, 'Too many ID-card images read for this account; try again later / 识别次数过多，请稍后再试');

  const readDuringRegistration = defineRoute({
    method: 'post',
    path: paths.registrationIdCard,
    operationId: 'readRegistrationIdCard',
    summary: `Reads one side of a resident ID card (raw image/png or image/jpeg, ≤ 10 MB) for the registration form: each field with its confidence and what to check. On the front, the name and number typed so far may be given, percent-encoded, in the ${TYPED_NAME_HEADER} and ${TYPED_ID_NUMBER_HEADER} headers to be compared. Nothing is kept. At most 30 images an hour per client address.`,
    tags: ['registration'],
    access: publicAccess,
    query: z.object({ side: z.enum(['front', 'back']).default('front') }),
    body: rawBodySchema,
    rawBody: rawImage,
    response: z.object({ reading: idCardReadingSchema }),
    errors: ['RATE_LIMITED', 'SERVICE_BUSY'],
    async handle({ query, body, request, services }) {
      const typed: TypedIdentity = {};
      const name = typedHeader(request, TYPED_NAME_HEADER, 50);
      const idNumber = typedHeader(request, TYPED_ID_NUMBER_HEADER, 40);
      if (query.side === 'front') {
        if (name !== undefined) typed.name = name;
        if (idNumber !== undefined) typed.idNumber = idNumber;
      }
      addressLimit.take(request.address);
      const reading = await services.idCardOcr.read((body as RawBody).bytes, { side: query.side, typed });
      return { reading: readingAnswer(reading) };
    },
  });

  const recordOwnCard = defineRoute({
    method: 'post',
    path: paths.myIdCard,
    operationId: 'checkMyIdCard',
    summary:
      "Reads the signed-in party's or lawyer's own ID card front (raw image/png or image/jpeg, ≤ 10 MB), compares its name and number with the account's and records an 'id_card_ocr' identity check (confidences, flag codes and the image's SHA-256, never the card's text). A mismatch is a failed check, not a refusal. With ?enrolFace=true and a passed check, the face on the card's portrait is enrolled (refusals such as FACE_TOO_SMALL come back in faceEnrolment.refusal: take a selfie then). At most 10 an hour per account.",
    tags: ['registration'],
    access: signedInAs('party', 'lawyer'),
    query: z.object({
      enrolFace: z
        .enum(['true', 'false'])
        .default('false')
        .transform((value) => value === 'true')
        .describe("true: when the card passed, enrol the account's face from the card's portrait (人脸采集, source idCardPhoto)"),
    }),
    body: rawBodySchema,
    rawBody: rawImage,
    response: z.object({ identityCheck: identityCheckSchema, reading: idCardReadingSchema, faceEnrolment: faceEnrolmentSchema.nullable() }),
    successStatus: 201,
    errors: ['RATE_LIMITED', 'SERVICE_BUSY', 'NOT_FOUND', 'FACE_BUSY'],
    async handle({ body, query, session, services, logger }) {
      const viewer = session as Session;
      accountLimit.take(`user:${viewer.userId}`);
      const claim = await getIdentityClaim({ db: services.database.db, cipher: services.cipher, userId: viewer.userId });
      if (!claim) throw new NotFoundError('Account');
      if (claim.idType !== 'resident' || claim.idNumber === null) {
        throw new AppError('VALIDATION_FAILED', 'Only a resident ID card (居民身份证) can be read; this account was opened with another document', {
          zh: '仅能识别居民身份证，本账户使用的是其他证件',
          en: 'Only a resident ID card can be read; this account was opened with another document',
        });
      }
      const bytes = (body as RawBody).bytes;
      const reading = await services.idCardOcr.read(bytes, { side: 'front', typed: { name: claim.name, idNumber: claim.idNumber } });
      const imageSha256 = createHash('sha256').update(bytes).digest('hex');
      const verdict = idCardVerdict(reading, services.idCardOcr.kind, imageSha256);
      const check = await recordIdCardCheck({ db: services.database.db, userId: viewer.userId, verdict, actor: { userId: viewer.userId, role: viewer.role } });
      logger.info('id card checked', { userId: viewer.userId, outcome: check.outcome, checkId: check.id });
      const faceEnrolment = query.enrolFace ? await enrolFromPortrait(services, viewer.userId, bytes, check.outcome === 'passed') : null;
      return { identityCheck: { ...check, at: check.at.toISOString() }, reading: readingAnswer(reading), faceEnrolment };
    },
  });

  return [readDuringRegistration, recordOwnCard];
}
