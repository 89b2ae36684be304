// Mounts declared routes on a uWS app. Per request: copy the request, start reading the body,
// then (async) authenticate, check the route's roles, parse and validate params/query/body,
// check case membership, run the handler, validate its answer against the response schema.
import type { TemplatedApp } from 'uWebSockets.js';
import type { z } from 'zod';
import { AppError, toAppError } from '../../platform/errors.ts';
import { assertCaseMember, assertRouteAccess } from '../auth/access.ts';
import { bearerToken, verifySessionToken, type Session } from '../auth/session-token.ts';
import { isCaseMember } from '../../storage/cases/is-case-member.ts';
import type { HubServices } from '../services.ts';
import { HttpExchange, snapshotRequest, type RequestSnapshot } from './exchange.ts';
import { errorResponse, validationFailed, validationIssues, type InputLocation, type ValidationIssue } from './error-response.ts';
import { pathParameterNames } from './paths.ts';
import { assertJsonContentType, assertMediaType, ClientAbortedError, mediaTypeOf, parseJsonBody, startReadingBody } from './request-body.ts';
import { RawReply, type AnyRoute } from './route.ts';

export class ResponseContractError extends Error {
  constructor(route: string, readonly issues: z.core.$ZodIssue[]) {
    super(`response of ${route} does not match its declared schema`);
    this.name = 'ResponseContractError';
  }
}

/** The caller's session from "Authorization: Bearer …", null when absent; a bad token is 401. */
export function sessionFromHeaders(request: RequestSnapshot, secret: Buffer): Session | null {
  const header = request.headers['authorization'];
  if (!header) return null;
  const token = bearerToken(header);
  if (!token) throw new AppError('UNAUTHENTICATED', 'Use "Authorization: Bearer <token>"');
  return verifySessionToken(secret, token);
}

function queryObject(query: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of new URLSearchParams(query)) if (!(key in out)) out[key] = value;
  return out;
}

function validate(location: InputLocation, schema: z.ZodType | undefined, value: unknown, issues: ValidationIssue[]): unknown {
  if (!schema) return value;
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  issues.push(...validationIssues(location, result.error));
  return undefined;
}

async function resolveSession(route: AnyRoute, request: RequestSnapshot, services: HubServices): Promise<Session | null> {
  try {
    return sessionFromHeaders(request, services.sessionSecret);
  } catch (error) {
    // A stale token must not lock anyone out of public routes (e.g. the login itself).
    if (route.access.kind === 'public') return null;
    throw error;
  }
}

async function runRoute(
  route: AnyRoute,
  request: RequestSnapshot,
  bodyPromise: Promise<Buffer> | null,
  services: HubServices,
): Promise<{ status: number; body: unknown } | RawReply> {
  const session = await resolveSession(route, request, services);
  assertRouteAccess(session, route.access);
  // Raw bodies (files) reach the handler as bytes with their media type; all others are JSON.
  const rawBody = bodyPromise ? (route.rawBody ? { mediaType: mediaTypeOf(request), bytes: await bodyPromise } : parseJsonBody(await bodyPromise)) : undefined;

  const issues: ValidationIssue[] = [];
  const params = validate('params', route.params, request.params, issues);
  const query = validate('query', route.query, queryObject(request.query), issues);
  const body = validate('body', route.body, rawBody, issues);
  if (issues.length > 0) throw validationFailed(issues);

  const context = {
    params,
    query,
    body,
    session,
    request,
    services,
    logger: services.logger.child({ requestId: request.requestId }),
  };
  route.authorize?.(context);

  if (route.caseMember) {
    const caseId = (params as { caseId: string }).caseId;
    // Signed-in routes only: assertRouteAccess above guarantees the session.
    const viewer = session as Session;
    assertCaseMember(
      await isCaseMember({ db: services.database.db, caseId, viewer: { userId: viewer.userId, role: viewer.role, courtId: viewer.courtId } }),
    );
  }

  const answer = await route.handle(context);
  if (answer instanceof RawReply) return answer;
  // Through JSON first (Dates become ISO text), then the declared schema: the document never lies.
  const json: unknown = JSON.parse(JSON.stringify(answer));
  const checked = route.response.safeParse(json);
  if (!checked.success) throw new ResponseContractError(`${route.method.toUpperCase()} ${route.path}`, checked.error.issues);
  return { status: route.statusOf?.(checked.data) ?? route.successStatus ?? 200, body: checked.data };
}

export function mountRoute(app: TemplatedApp, route: AnyRoute, services: HubServices): void {
  const parameterNames = pathParameterNames(route.path);
  const limit = route.rawBody ? route.rawBody.limitBytes(services.config) : services.config.ECOURT_MAX_BODY_BYTES;
  // uWS names DELETE `del`.
  app[route.method === 'delete' ? 'del' : route.method](route.path, (res, req) => {
    // Synchronous part: uWS owns req only until we return, and onAborted/onData must be set now.
    const exchange = new HttpExchange(res);
    const request = snapshotRequest(req, res, parameterNames);
    const headers = { 'x-request-id': request.requestId };
    let bodyUnread = route.body !== undefined;
    const fail = (error: unknown, closeConnection = false) => {
      if (error instanceof ClientAbortedError) return;
      const response = errorResponse(error, { logger: services.logger, requestId: request.requestId, route: route.operationId });
      // A refusal sent before the body was read leaves bytes on the wire: close instead of reusing.
      exchange.respondJson(response.status, response.body, { ...headers, ...response.headers }, { closeConnection: closeConnection || bodyUnread });
    };

    let bodyPromise: Promise<Buffer> | null = null;
    if (route.body) {
      try {
        if (route.rawBody) assertMediaType(request, route.rawBody.mediaTypes);
        else assertJsonContentType(request);
        bodyPromise = startReadingBody(exchange, request, limit);
      } catch (error) {
        // The unread body is still on the wire: close rather than parse it as the next request.
        fail(error, true);
        return;
      }
      // Answer an oversized body as soon as it is detected, without waiting for the handler chain.
      bodyPromise.then(
        () => {
          bodyUnread = false;
        },
        (error: unknown) => fail(error, true),
      );
    }

    const started = performance.now();
    runRoute(route, request, bodyPromise, services)
      .then(
        (result) => {
          if (result instanceof RawReply) exchange.respond(result.status, { ...result.headers, ...headers }, result.body);
          else exchange.respondJson(result.status, result.body, headers);
          return result.status;
        },
        (error: unknown) => {
          fail(error);
          return toAppError(error).httpStatus;
        },
      )
      .then((status) => {
        services.logger.debug('http request', {
          requestId: request.requestId,
          operation: route.operationId,
          status,
          ms: Math.round(performance.now() - started),
        });
      });
  });
}

export function mountRoutes(app: TemplatedApp, routes: readonly AnyRoute[], services: HubServices): void {
  const seen = new Set<string>();
  for (const route of routes) {
    const key = `${route.method} ${route.path}`;
    if (seen.has(key)) throw new Error(`route declared twice: ${key}`);
    seen.add(key);
    mountRoute(app, route, services);
  }
}
