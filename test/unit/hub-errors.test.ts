import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { AppError, ConflictError, ERROR_CODES, ForbiddenError, NotFoundError, toAppError, type ErrorCode } from '../../platform/errors.ts';
import { createLogger } from '../../platform/logger.ts';
import { actorRefusal, errorResponse, validationFailed, validationIssues } from '../../hub/http/error-response.ts';
import { RateLimitedError } from '../../hub/auth/login-rate-limit.ts';
import { PayloadTooLargeError, assertJsonContentType, parseJsonBody } from '../../hub/http/request-body.ts';
import type { RequestSnapshot } from '../../hub/http/exchange.ts';

function capturingLogger() {
  const lines: Record<string, unknown>[] = [];
  return { lines, logger: createLogger({ level: 'debug', write: (line) => lines.push(JSON.parse(line)) }) };
}

const request = (headers: Record<string, string>): RequestSnapshot => ({
  requestId: 'r1',
  method: 'POST',
  url: '/api/v1/cases',
  query: '',
  headers,
  params: {},
  address: '127.0.0.1',
});

describe('error mapping table', () => {
  const expected: Record<ErrorCode, number> = {
    BAD_REQUEST: 400,
    VALIDATION_FAILED: 422,
    UNAUTHENTICATED: 401,
    FORBIDDEN: 403,
    NOT_FOUND: 404,
    CONFLICT: 409,
    PAYLOAD_TOO_LARGE: 413,
    UNSUPPORTED_MEDIA_TYPE: 415,
    RATE_LIMITED: 429,
    CASE_TRANSITION_NOT_ALLOWED: 409,
    FILING_TRANSITION_NOT_ALLOWED: 409,
    FILING_CORRECTION_OVERDUE: 409,
    INVALID_STATE: 409,
    NOT_A_PARTICIPANT: 403,
    FACE_CHECK_REQUIRED: 403,
    ACTOR_UNAVAILABLE: 503,
    PROTOCOL_ERROR: 400,
    EVIDENCE_CONTENT_MISMATCH: 422,
    FILING_MATERIAL_TOO_MANY_PAGES: 422,
    BLOB_MISSING: 500,
    SERVICE_BUSY: 503,
    FACE_NONE: 422,
    FACE_MULTIPLE: 422,
    FACE_TOO_SMALL: 422,
    FACE_BUSY: 503,
    IMAGE_INVALID: 415,
    IMAGE_TOO_LARGE: 413,
    LIVENESS_STILL: 422,
    LIVENESS_CHALLENGE_NOT_MET: 422,
    LIVENESS_FACE_CHANGED: 422,
    OAUTH_STATE_MISMATCH: 400,
    OAUTH_STATE_EXPIRED: 400,
    OAUTH_NONCE_MISMATCH: 400,
    OAUTH_CODE_REPLAYED: 400,
    OAUTH_PROVIDER_ERROR: 502,
    ID_NUMBER_INVALID: 422,
    IDENTITY_TAKEN: 409,
    IDENTITY_NOT_VERIFIED: 403,
    PHONE_CODE_INVALID: 422,
    REAL_NAME_CHECK_FAILED: 422,
    SMS_UNAVAILABLE: 503,
    FACE_NOT_ENROLLED: 409,
    FACE_CHECK_TOKEN_INVALID: 400,
    FACE_CHECK_TOKEN_EXPIRED: 400,
    FACE_CHECK_TOKEN_REPLAYED: 400,
    DOCUMENT_ENCRYPTED: 422,
    DOCUMENT_MALFORMED: 422,
    DOCUMENT_SIGNATURE_CONFLICT: 409,
    CA_NOT_INITIALISED: 503,
    CERTIFICATE_REVOKED: 409,
    CERTIFICATE_EXPIRED: 409,
    DOCUMENT_DATA_INVALID: 422,
    TSA_UNAVAILABLE: 503,
    SEAL_KEYWORD_NOT_FOUND: 422,
    SEAL_NOT_FOUND: 422,
    SEAL_ROLE_NOT_ALLOWED: 403,
    SIGNATURE_NOT_YOURS: 403,
    DOCUMENT_NOT_PDF: 415,
    SEAL_APPLICATION_DECIDED: 409,
    DOCUMENT_CHANGED: 409,
    VERIFICATION_CODE_UNKNOWN: 404,
    INTERNAL: 500,
  };

  it.each(Object.keys(ERROR_CODES) as ErrorCode[])('%s answers with its HTTP status and the one error shape', (code) => {
    const { logger } = capturingLogger();
    const response = errorResponse(new AppError(code, `message for ${code}`, code === 'INTERNAL' ? { secret: 1 } : { hint: 1 }), {
      logger,
      requestId: 'req-1',
    });
    expect(response.status).toBe(expected[code]);
    expect(response.body.error.code).toBe(code);
    if (code === 'INTERNAL') {
      expect(response.body).toEqual({ error: { code: 'INTERNAL', message: 'Internal error' } });
    } else {
      expect(response.body).toEqual({ error: { code, message: `message for ${code}`, details: { hint: 1 } } });
    }
  });

  it('uses 4000–4999 WebSocket close codes for every error', () => {
    for (const { ws } of Object.values(ERROR_CODES)) {
      expect(ws).toBeGreaterThanOrEqual(4000);
      expect(ws).toBeLessThan(5000);
    }
  });

  it('keeps the named error classes’ codes', () => {
    expect(errorResponse(new NotFoundError('Case'), { logger: capturingLogger().logger, requestId: 'x' })).toMatchObject({
      status: 404,
      body: { error: { code: 'NOT_FOUND', message: 'Case not found' } },
    });
    expect(toAppError(new ForbiddenError()).httpStatus).toBe(403);
    expect(toAppError(new ConflictError('taken')).httpStatus).toBe(409);
  });
});

describe('toAppError and internal errors', () => {
  it('turns unknown errors into INTERNAL, logs them with the request id, and never shows their text', () => {
    const { lines, logger } = capturingLogger();
    const thrown = new TypeError('cannot read properties of undefined (db password=hunter2)');
    expect(toAppError(thrown).code).toBe('INTERNAL');
    expect(toAppError(thrown).cause).toBe(thrown);
    const response = errorResponse(thrown, { logger, requestId: 'req-42', route: 'getCase' });
    expect(response.status).toBe(500);
    expect(JSON.stringify(response.body)).not.toContain('hunter2');
    expect(JSON.stringify(response.body)).not.toContain('TypeError');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({ level: 'error', requestId: 'req-42', route: 'getCase' });
    expect(JSON.stringify(lines[0])).toContain('cannot read properties');
  });

  it('also hides the details of an explicit INTERNAL AppError', () => {
    const response = errorResponse(new AppError('INTERNAL', 'pool exhausted at 10.1.2.3'), { logger: capturingLogger().logger, requestId: 'r' });
    expect(response.body).toEqual({ error: { code: 'INTERNAL', message: 'Internal error' } });
  });

  it('adds Retry-After for rate limits', () => {
    const response = errorResponse(new RateLimitedError(37), { logger: capturingLogger().logger, requestId: 'r' });
    expect(response.status).toBe(429);
    expect(response.headers['retry-after']).toBe('37');
    expect(response.body.error.details).toEqual({ retryAfterSeconds: 37 });
  });
});

describe('actor refusals', () => {
  it.each([
    ['CASE_TRANSITION_NOT_ALLOWED', 409],
    ['VALIDATION_FAILED', 422],
    ['NOT_FOUND', 404],
    ['ACTOR_UNAVAILABLE', 503],
    ['CONFLICT', 409],
  ] as const)('%s maps to HTTP %i with the actor’s message', (code, status) => {
    const error = actorRefusal({ ok: false, error: { code, message: `refused: ${code}`, details: { state: 'filed' } } });
    expect(error.httpStatus).toBe(status);
    expect(error.message).toBe(`refused: ${code}`);
    expect(error.details).toEqual({ state: 'filed' });
  });

  it('does not pass an INTERNAL refusal’s text on', () => {
    const error = actorRefusal({ ok: false, error: { code: 'INTERNAL', message: 'journal write failed: relation missing' } });
    expect(error.code).toBe('INTERNAL');
    expect(errorResponse(error, { logger: capturingLogger().logger, requestId: 'r' }).body.error.message).toBe('Internal error');
  });
});

describe('request validation errors', () => {
  it('lists zod issues with their location-prefixed path', () => {
    const schema = z.object({ filing: z.object({ cause: z.string().min(2) }) });
    const result = schema.safeParse({ filing: { cause: 'x' } });
    expect(result.success).toBe(false);
    const issues = validationIssues('body', (result as { error: z.ZodError }).error);
    expect(issues).toEqual([{ path: 'body.filing.cause', message: expect.any(String), code: 'too_small' }]);
    const error = validationFailed(issues);
    expect(error.httpStatus).toBe(422);
    expect(error.toBody().error.details).toEqual({ issues });
  });

  it('refuses non-JSON content types (415), bad JSON (400) and names the body limit (413)', () => {
    expect(() => assertJsonContentType(request({ 'content-type': 'text/plain' }))).toThrowError(
      expect.objectContaining({ code: 'UNSUPPORTED_MEDIA_TYPE' }),
    );
    expect(() => assertJsonContentType(request({}))).toThrowError(expect.objectContaining({ code: 'UNSUPPORTED_MEDIA_TYPE' }));
    expect(() => assertJsonContentType(request({ 'content-type': 'application/json; charset=utf-8' }))).not.toThrow();
    expect(() => assertJsonContentType(request({ 'content-type': 'application/merge-patch+json' }))).not.toThrow();
    expect(() => parseJsonBody(Buffer.from('{"a":'))).toThrowError(expect.objectContaining({ code: 'BAD_REQUEST' }));
    expect(() => parseJsonBody(Buffer.alloc(0))).toThrowError(expect.objectContaining({ code: 'BAD_REQUEST' }));
    expect(parseJsonBody(Buffer.from('{"a":1}'))).toEqual({ a: 1 });
    expect(new PayloadTooLargeError(1024).httpStatus).toBe(413);
  });
});
