// A route is declared once: method, path, schemas, access rule, handler. The router, the request
// validation and the OpenAPI document are all driven by these declarations.
import { z } from 'zod';
import type { Config } from '../../platform/config.ts';
import type { ErrorCode } from '../../platform/errors.ts';
import type { Logger } from '../../platform/logger.ts';
import type { RouteAccess } from '../auth/access.ts';
import type { Session } from '../auth/session-token.ts';
import type { RequestSnapshot } from './exchange.ts';
import type { HubServices } from '../services.ts';

/** put and delete: resources the caller names and replaces or removes (e.g. filing drafts). */
export type HttpMethod = 'get' | 'post' | 'put' | 'delete';

/**
 * A request body taken as bytes (an uploaded file), not JSON: the media types accepted (others are
 * refused with 415 before anything is read) and its own size limit (not ECOURT_MAX_BODY_BYTES).
 * The handler's `body` is then a RawBody; declare `body: rawBodySchema` for the types and OpenAPI.
 */
export interface RawBodySpec {
  mediaTypes: readonly string[];
  limitBytes: (config: Config) => number;
}

export interface RawBody {
  /** The request's media type, lower-cased, without parameters; one of the spec's. */
  mediaType: string;
  bytes: Buffer;
}

export const rawBodySchema = z.custom<RawBody>((value) => value !== null && typeof value === 'object' && Buffer.isBuffer((value as RawBody).bytes), {
  message: 'expected the raw request body',
});

/**
 * An answer that is not JSON (a file's bytes), written as it is. Routes returning one declare
 * `rawResponse` (for OpenAPI) and `response: rawReplySchema`.
 */
export class RawReply {
  constructor(
    readonly status: number,
    readonly headers: Record<string, string>,
    readonly body: Uint8Array | string,
  ) {}
}

export const rawReplySchema = z.instanceof(RawReply);

type EmptyObject = z.ZodObject<{}>;

export interface RouteContext<P, Q, B> {
  params: P;
  query: Q;
  body: B;
  /** null only on public routes. */
  session: Session | null;
  request: RequestSnapshot;
  services: HubServices;
  logger: Logger;
}

export interface RouteDefinition<
  P extends z.ZodType = EmptyObject,
  Q extends z.ZodType = EmptyObject,
  B extends z.ZodType = z.ZodUndefined,
  R extends z.ZodType = z.ZodType,
> {
  method: HttpMethod;
  /** A pattern from paths.ts. */
  path: string;
  operationId: string;
  summary: string;
  tags: string[];
  access: RouteAccess;
  /**
   * The route addresses one case through a `caseId` path parameter; the caller must be a member
   * (checked with storage's isCaseMember before the handler runs; non-members get 404).
   */
  caseMember?: boolean;
  params?: P;
  query?: Q;
  body?: B;
  /** The body is bytes of these media types (see RawBodySpec), not JSON. */
  rawBody?: RawBodySpec;
  response: R;
  /** The handler answers with a RawReply of one of these media types (for OpenAPI). */
  rawResponse?: { mediaTypes: readonly string[] };
  /** 302: the handler answers with a RawReply redirect (documented with its Location header). */
  successStatus?: 200 | 201 | 302;
  /** For answers whose status depends on their content (health: 200 or 503, same body shape). */
  statusOf?: (body: z.output<R>) => number;
  /** Refusals the handler itself may produce, beyond those implied by the declaration. */
  errors?: ErrorCode[];
  /** Checks needing only the session and the validated input; run BEFORE case membership. */
  authorize?: (context: RouteContext<z.output<P>, z.output<Q>, z.output<B>>) => void;
  handle(context: RouteContext<z.output<P>, z.output<Q>, z.output<B>>): Promise<z.input<R>>;
}

/** A route with its types erased, as the router and the OpenAPI builder hold them. */
export interface AnyRoute {
  method: HttpMethod;
  path: string;
  operationId: string;
  summary: string;
  tags: string[];
  access: RouteAccess;
  caseMember?: boolean;
  params?: z.ZodType;
  query?: z.ZodType;
  body?: z.ZodType;
  rawBody?: RawBodySpec;
  response: z.ZodType;
  rawResponse?: { mediaTypes: readonly string[] };
  successStatus?: 200 | 201 | 302;
  statusOf?: (body: any) => number;
  errors?: ErrorCode[];
  authorize?: (context: RouteContext<any, any, any>) => void;
  handle(context: RouteContext<any, any, any>): Promise<unknown>;
}

export function defineRoute<
  P extends z.ZodType = EmptyObject,
  Q extends z.ZodType = EmptyObject,
  B extends z.ZodType = z.ZodUndefined,
  R extends z.ZodType = z.ZodType,
>(definition: RouteDefinition<P, Q, B, R>): AnyRoute {
  return definition as unknown as AnyRoute;
}
