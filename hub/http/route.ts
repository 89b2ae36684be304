// A route is declared once: method, path, schemas, access rule, handler. The router, the request
// validation and the OpenAPI document are all driven by these declarations.
import type { z } from 'zod';
import type { ErrorCode } from '../../platform/errors.ts';
import type { Logger } from '../../platform/logger.ts';
import type { RouteAccess } from '../auth/access.ts';
import type { Session } from '../auth/session-token.ts';
import type { RequestSnapshot } from './exchange.ts';
import type { HubServices } from '../services.ts';

export type HttpMethod = 'get' | 'post';

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
  response: R;
  successStatus?: 200 | 201;
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
  response: z.ZodType;
  successStatus?: 200 | 201;
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
