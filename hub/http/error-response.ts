// Turns anything thrown on the HTTP path into the one error shape `{ error: { code, message, details? } }`
// with its status from platform/errors.ts. Internal errors are logged with the request id; the client
// sees only "Internal error".
import type { z } from 'zod';
import { AppError, ERROR_CODES, toAppError, type ErrorCode } from '../../platform/errors.ts';
import type { Logger } from '../../platform/logger.ts';
import type { CommandReply } from '../../actors/runtime/types.ts';
import { RateLimitedError } from '../auth/login-rate-limit.ts';

export interface ValidationIssue {
  path: string;
  message: string;
  code: string;
}

/** Where a failing value came from, prefixed to each issue's path ("body.filing.cause"). */
export type InputLocation = 'params' | 'query' | 'body';

export function validationIssues(location: InputLocation, error: z.ZodError): ValidationIssue[] {
  return error.issues.map((issue) => ({
    path: [location, ...issue.path.map(String)].join('.'),
    message: issue.message,
    code: issue.code,
  }));
}

export function validationFailed(issues: ValidationIssue[]): AppError {
  return new AppError('VALIDATION_FAILED', 'The request is not valid', { issues });
}

/** An actor's refusal (ok:false) as the AppError the client gets: its code carries the status. */
export function actorRefusal(reply: Extract<CommandReply, { ok: false }>): AppError {
  const code: ErrorCode = reply.error.code in ERROR_CODES ? reply.error.code : 'INTERNAL';
  if (code === 'INTERNAL') return new AppError('INTERNAL', 'Internal error', undefined, { cause: reply.error });
  return new AppError(code, reply.error.message, reply.error.details);
}

export interface ErrorResponse {
  status: number;
  body: ReturnType<AppError['toBody']>;
  headers: Record<string, string>;
}

export function errorResponse(error: unknown, context: { logger: Logger; requestId: string; route?: string }): ErrorResponse {
  const appError = toAppError(error);
  const headers: Record<string, string> = {};
  if (appError.code === 'INTERNAL') {
    context.logger.error('request failed', { requestId: context.requestId, route: context.route, error: appError.cause ?? appError });
    // Never the internal message or details: a fresh AppError carries only the safe text.
    return { status: 500, body: new AppError('INTERNAL', 'Internal error').toBody(), headers };
  }
  if (appError instanceof RateLimitedError) headers['retry-after'] = String(appError.retryAfterSeconds);
  return { status: appError.httpStatus, body: appError.toBody(), headers };
}
