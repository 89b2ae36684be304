// Errors: named classes inside, one coded AppError at the edges, one table from code to
// HTTP status and WebSocket close code. Messages here are safe to show to a client.

export const ERROR_CODES = {
  BAD_REQUEST: { http: 400, ws: 4400 },
  VALIDATION_FAILED: { http: 422, ws: 4422 },
  UNAUTHENTICATED: { http: 401, ws: 4401 },
  FORBIDDEN: { http: 403, ws: 4403 },
  NOT_FOUND: { http: 404, ws: 4404 },
  CONFLICT: { http: 409, ws: 4409 },
  PAYLOAD_TOO_LARGE: { http: 413, ws: 4413 },
  UNSUPPORTED_MEDIA_TYPE: { http: 415, ws: 4415 },
  RATE_LIMITED: { http: 429, ws: 4429 },
  CASE_TRANSITION_NOT_ALLOWED: { http: 409, ws: 4409 },
  /** The hearing (or the participant concerned) is not in a state that takes this command. */
  INVALID_STATE: { http: 409, ws: 4409 },
  /** The sender, or the participant a command names, is not a participant of the hearing. */
  NOT_A_PARTICIPANT: { http: 403, ws: 4403 },
  /** Confirming a transcript (or signing) needs a passed live face check of the last few minutes: run one first. */
  FACE_CHECK_REQUIRED: { http: 403, ws: 4403 },
  ACTOR_UNAVAILABLE: { http: 503, ws: 4503 },
  PROTOCOL_ERROR: { http: 400, ws: 4002 },
  /** An uploaded evidence file whose bytes are not a readable file of its declared type (magic bytes, PDF structure). */
  EVIDENCE_CONTENT_MISMATCH: { http: 422, ws: 4422 },
  /** A filing material (立案材料) with more pages than its type allows (an ID proof of 30 pages is the wrong file); details: type, pages, maxPages. */
  FILING_MATERIAL_TOO_MANY_PAGES: { http: 422, ws: 4422 },
  /** A stored file's content is missing from the blob store (a server-side fault, reported with its own code). */
  BLOB_MISSING: { http: 500, ws: 4500 },
  /** A bounded queue of server work is full (e.g. uploaded PDFs being checked): try again shortly. */
  SERVICE_BUSY: { http: 503, ws: 4503 },
  /** Face verification (models/face): an image with no face, several faces, or a face too small to compare. */
  FACE_NONE: { http: 422, ws: 4422 },
  FACE_MULTIPLE: { http: 422, ws: 4422 },
  FACE_TOO_SMALL: { http: 422, ws: 4422 },
  /** The face service's queue is full, or a job overran its time: try again shortly. */
  FACE_BUSY: { http: 503, ws: 4503 },
  /** Bytes that are not a PNG or JPEG image, or one that cannot be decoded; an image over the size limits. */
  IMAGE_INVALID: { http: 415, ws: 4415 },
  IMAGE_TOO_LARGE: { http: 413, ws: 4413 },
  /** Liveness: the frames do not move (a replayed photo), the challenged movement did not happen, the face changed. */
  LIVENESS_STILL: { http: 422, ws: 4422 },
  LIVENESS_CHALLENGE_NOT_MET: { http: 422, ws: 4422 },
  LIVENESS_FACE_CHANGED: { http: 422, ws: 4422 },
  /** OAuth login (hub/auth/oauth): the callback's state is not the one this browser was given. */
  OAUTH_STATE_MISMATCH: { http: 400, ws: 4400 },
  /** OAuth login: the sign-in attempt took too long (its state expired); start again. */
  OAUTH_STATE_EXPIRED: { http: 400, ws: 4400 },
  /** OAuth login: the ID token's nonce is not the one sent with this sign-in attempt. */
  OAUTH_NONCE_MISMATCH: { http: 400, ws: 4400 },
  /** OAuth login: this authorisation code (or this callback) was already used. */
  OAUTH_CODE_REPLAYED: { http: 400, ws: 4400 },
  /** OAuth login: the provider refused, failed or answered with an ID token that does not verify. */
  OAUTH_PROVIDER_ERROR: { http: 502, ws: 4502 },
  /** Registration (platform/identity): an identity document number that breaks its type's rules; details.reasons say which. */
  ID_NUMBER_INVALID: { http: 422, ws: 4422 },
  /** Registration: an account already exists for this identity document. */
  IDENTITY_TAKEN: { http: 409, ws: 4409 },
  /** Registration: the phone's one-time code is wrong, expired, already used or out of attempts (details.reason). */
  PHONE_CODE_INVALID: { http: 422, ws: 4422 },
  /** Registration: the real-name verification adapter did not confirm the name and document. */
  REAL_NAME_CHECK_FAILED: { http: 422, ws: 4422 },
  /** Filing (立案): a party or lawyer without a passed real-name check (ECOURT_FILING_REQUIRES_REAL_NAME); the hearing's identity gate: a party without a passed face check or the judge's manual check. */
  IDENTITY_NOT_VERIFIED: { http: 403, ws: 4403 },
  /** No SMS gateway is configured on this node, so no one-time code can be sent. */
  SMS_UNAVAILABLE: { http: 503, ws: 4503 },
  /** A live face check for a user who has no face enrolment (人脸采集) to compare with. */
  FACE_NOT_ENROLLED: { http: 409, ws: 4409 },
  /** A live face check's challenge token that is malformed, forged, another user's or for another purpose. */
  FACE_CHECK_TOKEN_INVALID: { http: 400, ws: 4400 },
  /** A live face check's challenge token past its expiry (2 minutes): ask for a new challenge. */
  FACE_CHECK_TOKEN_EXPIRED: { http: 400, ws: 4400 },
  /** A live face check's challenge token already used: each challenge is answered once. */
  FACE_CHECK_TOKEN_REPLAYED: { http: 400, ws: 4400 },
  /** Documents (documents/): a PDF that is encrypted, or one that cannot be parsed, is refused for sealing. */
  DOCUMENT_ENCRYPTED: { http: 422, ws: 4422 },
  DOCUMENT_MALFORMED: { http: 422, ws: 4422 },
  /** The PDF's existing signatures forbid further changes (a DocMDP certification with no changes allowed). */
  DOCUMENT_SIGNATURE_CONFLICT: { http: 409, ws: 4409 },
  /** Court CA (documents/ca): not set up yet on this node; a revoked or out-of-date certificate cannot sign. */
  CA_NOT_INITIALISED: { http: 503, ws: 4503 },
  CERTIFICATE_REVOKED: { http: 409, ws: 4409 },
  CERTIFICATE_EXPIRED: { http: 409, ws: 4409 },
  /** Keyword sealing (documents/seal): the text to seal over is not in the PDF's text layer, so no seal is placed. */
  SEAL_KEYWORD_NOT_FOUND: { http: 422, ws: 4422 },
  /** Sealing through the API (documents/sealing): no seal (certificate) of that id in the court CA. */
  SEAL_NOT_FOUND: { http: 422, ws: 4422 },
  /** The caller's role may not apply (nor request) that seal (ECOURT_SEAL_ROLES, ECOURT_SEAL_NEEDS_APPROVAL), or may not approve it. */
  SEAL_ROLE_NOT_ALLOWED: { http: 403, ws: 4403 },
  /** A judge's signature certificate is applied only by the judge it belongs to (and never through approval). */
  SIGNATURE_NOT_YOURS: { http: 403, ws: 4403 },
  /** Only a PDF document can be sealed (a hearing transcript is stored as text). */
  DOCUMENT_NOT_PDF: { http: 415, ws: 4415 },
  /** A seal application that was already applied or refused cannot be decided again. */
  SEAL_APPLICATION_DECIDED: { http: 409, ws: 4409 },
  /** The document changed since the seal was requested (or while sealing): look at it again and request anew. */
  DOCUMENT_CHANGED: { http: 409, ws: 4409 },
  /** Signature timestamps (ECOURT_TSA = an external RFC 3161 TSA's URL): it did not answer with a token for this request. */
  TSA_UNAVAILABLE: { http: 503, ws: 4503 },
  /** Document templates (documents/templates): data that does not fit the template; details.fields lists every bad field. */
  DOCUMENT_DATA_INVALID: { http: 422, ws: 4422 },
  /** 验证码: no document the court issued carries this verification code (a malformed code is VALIDATION_FAILED). */
  VERIFICATION_CODE_UNKNOWN: { http: 404, ws: 4404 },
  /** 网上立案 (actors/filing): the filing is not in a state that takes this command (a decided filing, a second submission). */
  FILING_TRANSITION_NOT_ALLOWED: { http: 409, ws: 4409 },
  /** Correcting a returned filing after its correction deadline (补正期限) passed: file anew. */
  FILING_CORRECTION_OVERDUE: { http: 409, ws: 4409 },
  INTERNAL: { http: 500, ws: 4500 },
} as const satisfies Record<string, { http: number; ws: number }>;

export type ErrorCode = keyof typeof ERROR_CODES;

export class AppError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details?: unknown,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'AppError';
  }
  get httpStatus(): number {
    return ERROR_CODES[this.code].http;
  }
  get wsCloseCode(): number {
    return ERROR_CODES[this.code].ws;
  }
  toBody(): { error: { code: ErrorCode; message: string; details?: unknown } } {
    return {
      error: {
        code: this.code,
        message: this.message,
        ...(this.details === undefined ? {} : { details: this.details }),
      },
    };
  }
}

export class NotFoundError extends AppError {
  constructor(what: string, options?: { cause?: unknown }) {
    super('NOT_FOUND', `${what} not found`, undefined, options);
    this.name = 'NotFoundError';
  }
}

export class ForbiddenError extends AppError {
  constructor(message = 'You may not do this', options?: { cause?: unknown }) {
    super('FORBIDDEN', message, undefined, options);
    this.name = 'ForbiddenError';
  }
}

export class ConflictError extends AppError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('CONFLICT', message, undefined, options);
    this.name = 'ConflictError';
  }
}

/** Any thrown value → an AppError fit for a client; unknown errors become INTERNAL without details. */
export function toAppError(error: unknown): AppError {
  if (error instanceof AppError) return error;
  return new AppError('INTERNAL', 'Internal error', undefined, { cause: error });
}
