// GET /api/v1/openapi.json: the API's OpenAPI 3.1 document, built once from the route declarations.
import { z } from 'zod';
import { publicAccess } from '../auth/access.ts';
import { defineRoute, type AnyRoute } from '../http/route.ts';
import { paths } from '../http/paths.ts';

export function createOpenApiRoute(document: () => Record<string, unknown>): AnyRoute {
  return defineRoute({
    method: 'get',
    path: paths.openapi,
    operationId: 'getOpenApiDocument',
    summary: 'This OpenAPI 3.1 document',
    tags: ['operations'],
    access: publicAccess,
    response: z.record(z.string(), z.unknown()),
    async handle() {
      return document();
    },
  });
}
