import { describe, expect, it } from 'vitest';
import { join, resolve } from 'node:path';
import { contentTypeOf, resolveStaticPath } from '../../hub/http/static-files.ts';
import { fillPath, isApiPath, openApiPath, pathParameterNames, paths } from '../../hub/http/paths.ts';
import { routeErrorCodes } from '../../hub/http/openapi.ts';
import { hubRoutes } from '../../hub/api/routes.ts';
import { loadNativeUws } from '../../hub/uws.ts';

describe('route paths', () => {
  it('converts uWS patterns for OpenAPI and fills them for clients', () => {
    expect(pathParameterNames(paths.caseCommands)).toEqual(['caseId']);
    expect(openApiPath(paths.caseCommands)).toBe('/api/v1/cases/{caseId}/commands');
    expect(fillPath(paths.caseDetail, { caseId: 'a b' })).toBe('/api/v1/cases/a%20b');
    expect(() => fillPath(paths.caseDetail, {})).toThrow(/caseId/);
    expect(isApiPath('/api/v1/cases')).toBe(true);
    expect(isApiPath('/api/v1')).toBe(true);
    expect(isApiPath('/api/v10')).toBe(false);
    expect(isApiPath('/components/ecourt.js')).toBe(false);
  });
});

describe('route declarations', () => {
  it('declare every route once with a unique operation id', () => {
    const routes = hubRoutes();
    expect(new Set(routes.map((r) => `${r.method} ${r.path}`)).size).toBe(routes.length);
    expect(new Set(routes.map((r) => r.operationId)).size).toBe(routes.length);
    // Every route addressing a case is guarded by membership.
    for (const route of routes) if (route.path.includes(':caseId')) expect(route.caseMember, route.path).toBe(true);
  });

  it('derive the documented refusals from the declaration', () => {
    const byId = new Map(hubRoutes().map((route) => [route.operationId, route]));
    expect(routeErrorCodes(byId.get('listCourts')!)).toEqual(['INTERNAL']);
    expect(routeErrorCodes(byId.get('fileCase')!)).toEqual(
      expect.arrayContaining(['BAD_REQUEST', 'PAYLOAD_TOO_LARGE', 'UNSUPPORTED_MEDIA_TYPE', 'VALIDATION_FAILED', 'UNAUTHENTICATED', 'FORBIDDEN']),
    );
    expect(routeErrorCodes(byId.get('getCase')!)).toEqual(expect.arrayContaining(['NOT_FOUND', 'UNAUTHENTICATED']));
    expect(routeErrorCodes(byId.get('getCase')!)).not.toContain('FORBIDDEN');
  });
});

describe('static file paths', () => {
  const root = resolve('/srv/site');
  it('maps URL paths inside the site directory', () => {
    expect(resolveStaticPath(root, '/')).toBe(join(root, 'index.html'));
    expect(resolveStaticPath(root, '/components/ecourt.js')).toBe(join(root, 'components/ecourt.js'));
    expect(resolveStaticPath(root, '/assets/%E6%B3%95.png')).toBe(join(root, 'assets/法.png'));
  });

  it.each(['/../etc/passwd', '/..%2f..%2fetc%2fpasswd', '/%2e%2e/secret', '/a/%2e%2e/%2e%2e/b', '/x%00.js', '/..%5c..%5cwin.ini', '/%E0%A4%A'])(
    'refuses %s',
    (url) => {
      expect(resolveStaticPath(root, url)).toBeNull();
    },
  );

  it('knows the content types of the bundle', () => {
    expect(contentTypeOf('index.html')).toBe('text/html; charset=utf-8');
    expect(contentTypeOf('components/ecourt.js')).toBe('text/javascript; charset=utf-8');
    expect(contentTypeOf('font.woff2')).toBe('font/woff2');
    expect(contentTypeOf('blob.unknown')).toBe('application/octet-stream');
  });
});

describe('uWebSockets.js', () => {
  it('is the native addon, not the JavaScript fallback', () => {
    const uws = loadNativeUws();
    expect(typeof uws.getParts).toBe('function');
    expect(typeof uws.App).toBe('function');
  });
});

describe('health route', () => {
  const run = async (databaseOk: boolean, busOk: boolean | 'throws') => {
    const { healthRoute } = await import('../../hub/api/health-route.ts');
    const { silentLogger } = await import('../../platform/logger.ts');
    const services = {
      config: { NATS_URL: 'nats://127.0.0.1:4222' },
      database: { ping: async () => databaseOk },
      bus: {
        health: async () => {
          if (busOk === 'throws') throw new Error('connection closed');
          return { ok: busOk, kind: 'nats' as const };
        },
      },
    };
    const body = (await healthRoute.handle({ services, logger: silentLogger } as never)) as { status: string };
    return { body, status: healthRoute.statusOf!(body) };
  };

  it('is 200 when database and bus are up, 503 when either is down', async () => {
    expect(await run(true, true)).toEqual({ status: 200, body: { status: 'ok', database: { ok: true }, bus: { ok: true, kind: 'nats' } } });
    expect((await run(false, true)).status).toBe(503);
    expect(await run(true, 'throws')).toEqual({ status: 503, body: { status: 'degraded', database: { ok: true }, bus: { ok: false, kind: 'nats' } } });
  });
});
