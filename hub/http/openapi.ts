// Builds the OpenAPI 3.1 document from the route declarations (zod v4 → JSON Schema 2020-12,
// the dialect OpenAPI 3.1 uses), so the document and the validation can never disagree.
import { z } from 'zod';
import { ERROR_CODES, type ErrorCode } from '../../platform/errors.ts';
import { openApiPath } from './paths.ts';
import type { AnyRoute } from './route.ts';

type JsonObject = Record<string, unknown>;

function jsonSchema(schema: z.ZodType, io: 'input' | 'output'): JsonObject {
  const generated = z.toJSONSchema(schema, { target: 'draft-2020-12', io, unrepresentable: 'any' }) as JsonObject;
  // The document declares the dialect once; per-schema $schema keys are noise.
  const { $schema: _dialect, ...rest } = generated;
  return rest;
}

function parameters(schema: z.ZodType | undefined, location: 'path' | 'query'): JsonObject[] {
  if (!schema) return [];
  const object = jsonSchema(schema, 'input');
  const properties = (object.properties ?? {}) as Record<string, JsonObject>;
  const required = new Set((object.required ?? []) as string[]);
  return Object.entries(properties).map(([name, property]) => ({
    name,
    in: location,
    required: location === 'path' || required.has(name),
    ...(typeof property.description === 'string' ? { description: property.description } : {}),
    schema: property,
  }));
}

/** The refusals a route can produce, derived from what it declares. */
export function routeErrorCodes(route: AnyRoute): ErrorCode[] {
  const codes = new Set<ErrorCode>(['INTERNAL']);
  if (route.body) ['BAD_REQUEST', 'PAYLOAD_TOO_LARGE', 'UNSUPPORTED_MEDIA_TYPE', 'VALIDATION_FAILED'].forEach((c) => codes.add(c as ErrorCode));
  if (route.params || route.query) codes.add('VALIDATION_FAILED');
  if (route.access.kind === 'signedIn') {
    codes.add('UNAUTHENTICATED');
    if (route.access.roles !== 'any') codes.add('FORBIDDEN');
  }
  if (route.caseMember) codes.add('NOT_FOUND');
  for (const code of route.errors ?? []) codes.add(code);
  return [...codes];
}

const errorSchema: JsonObject = {
  type: 'object',
  required: ['error'],
  properties: {
    error: {
      type: 'object',
      required: ['code', 'message'],
      properties: {
        code: { type: 'string', enum: Object.keys(ERROR_CODES) },
        message: { type: 'string' },
        details: {},
      },
    },
  },
};

export interface OpenApiInfo {
  title: string;
  version: string;
  description?: string;
}

export function buildOpenApiDocument(routes: readonly AnyRoute[], info: OpenApiInfo): JsonObject {
  const pathItems: Record<string, Record<string, JsonObject>> = {};
  for (const route of routes) {
    const binary = { type: 'string', contentMediaType: 'application/octet-stream' };
    const responses: Record<string, JsonObject> = {
      [String(route.successStatus ?? 200)]: {
        description: 'Success',
        content: route.rawResponse
          ? Object.fromEntries(route.rawResponse.mediaTypes.map((type) => [type, { schema: binary }]))
          : { 'application/json': { schema: jsonSchema(route.response, 'output') } },
      },
    };
    // Redirects (OAuth start and callback) answer with a Location, not a body.
    if (route.successStatus === 302) {
      responses['302'] = { description: 'Redirect', headers: { location: { description: 'Where the browser goes next', schema: { type: 'string' } } } };
    }
    if (route.statusOf) {
      // Same body, another status (e.g. health 503): documented with the success schema.
      responses['503'] = {
        description: 'Unavailable (same shape as the success answer)',
        content: { 'application/json': { schema: jsonSchema(route.response, 'output') } },
      };
    }
    const byStatus = new Map<number, ErrorCode[]>();
    for (const code of routeErrorCodes(route)) {
      const status = ERROR_CODES[code].http;
      byStatus.set(status, [...(byStatus.get(status) ?? []), code]);
    }
    for (const [status, codes] of [...byStatus].sort(([a], [b]) => a - b)) {
      if (responses[String(status)]) continue;
      responses[String(status)] = {
        description: codes.join(' or '),
        ...(status === 429 ? { headers: { 'Retry-After': { description: 'Seconds to wait', schema: { type: 'integer' } } } } : {}),
        content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } },
      };
    }
    const operation: JsonObject = {
      operationId: route.operationId,
      summary: route.summary,
      tags: route.tags,
      security: route.access.kind === 'public' ? [] : [{ bearer: [] }],
      responses,
    };
    const parameterList = [...parameters(route.params, 'path'), ...parameters(route.query, 'query')];
    if (parameterList.length > 0) operation.parameters = parameterList;
    if (route.body) {
      operation.requestBody = {
        required: true,
        content: route.rawBody
          ? Object.fromEntries(route.rawBody.mediaTypes.map((type) => [type, { schema: binary }]))
          : { 'application/json': { schema: jsonSchema(route.body, 'input') } },
      };
    }
    const path = openApiPath(route.path);
    pathItems[path] = { ...(pathItems[path] ?? {}), [route.method]: operation };
  }
  return {
    openapi: '3.1.0',
    info,
    jsonSchemaDialect: 'https://json-schema.org/draft/2020-12/schema',
    paths: pathItems,
    components: {
      schemas: { Error: errorSchema },
      securitySchemes: { bearer: { type: 'http', scheme: 'bearer', description: 'Session token from POST /api/v1/auth/login' } },
    },
  };
}
