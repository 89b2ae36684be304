// Serves the built site and component bundle from staticDir: content types, ETag revalidation,
// long caching only for hashed assets, no path may leave the directory. Unknown non-API pages
// that a browser asks for (Accept: text/html) get index.html so client-side routes work.
import { readFile, stat } from 'node:fs/promises';
import { extname, join, posix, resolve, sep } from 'node:path';
import type { TemplatedApp } from 'uWebSockets.js';
import { NotFoundError } from '../../platform/errors.ts';
import type { Logger } from '../../platform/logger.ts';
import { HttpExchange, snapshotRequest } from './exchange.ts';
import { errorResponse } from './error-response.ts';
import { isApiPath } from './paths.ts';

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf',
  '.txt': 'text/plain; charset=utf-8',
  '.wasm': 'application/wasm',
  '.webmanifest': 'application/manifest+json',
};

export const contentTypeOf = (file: string): string => CONTENT_TYPES[extname(file).toLowerCase()] ?? 'application/octet-stream';

/**
 * URL path → absolute file path inside root, or null when the path is malformed or escapes root
 * ("..", encoded "%2e%2e", NUL bytes, backslashes).
 */
export function resolveStaticPath(root: string, urlPath: string): string | null {
  let decoded: string;
  try {
    decoded = decodeURIComponent(urlPath);
  } catch {
    return null;
  }
  if (decoded.includes('\0') || decoded.includes('\\')) return null;
  // Refuse any ".." outright (normalize would quietly clamp "/../x" to "/x": safe, but a probe).
  if (decoded.split('/').includes('..')) return null;
  const normalized = posix.normalize(decoded);
  const absoluteRoot = resolve(root);
  const file = resolve(join(absoluteRoot, normalized === '/' ? 'index.html' : normalized));
  if (file !== absoluteRoot && !file.startsWith(absoluteRoot + sep)) return null;
  return file;
}

/** Vite puts content-hashed files under /assets/: those never change and may be cached for a year. */
const cacheControlFor = (urlPath: string): string =>
  urlPath.startsWith('/assets/') ? 'public, max-age=31536000, immutable' : 'no-cache';

async function readStaticFile(file: string): Promise<{ body: Buffer; etag: string } | null> {
  try {
    const info = await stat(file);
    if (!info.isFile()) return null;
    return { body: await readFile(file), etag: `W/"${info.size.toString(16)}-${Math.floor(info.mtimeMs).toString(16)}"` };
  } catch {
    return null;
  }
}

export function mountStaticFiles(app: TemplatedApp, options: { staticDir: string; logger: Logger }): void {
  const notFound = (exchange: HttpExchange, requestId: string, closeConnection = false) => {
    const response = errorResponse(new NotFoundError('Resource'), { logger: options.logger, requestId });
    exchange.respondJson(response.status, response.body, { 'x-request-id': requestId }, { closeConnection });
  };

  app.get('/*', (res, req) => {
    const exchange = new HttpExchange(res);
    const request = snapshotRequest(req, res, []);
    if (isApiPath(request.url)) {
      notFound(exchange, request.requestId);
      return;
    }
    const wantsHtml = (request.headers['accept'] ?? '').includes('text/html');
    const ifNoneMatch = request.headers['if-none-match'];
    void (async () => {
      const file = resolveStaticPath(options.staticDir, request.url);
      let found = file ? await readStaticFile(file) : null;
      let servedPath = file;
      if (!found && wantsHtml) {
        servedPath = join(resolve(options.staticDir), 'index.html');
        found = await readStaticFile(servedPath);
      }
      if (!found || !servedPath) {
        notFound(exchange, request.requestId);
        return;
      }
      const headers = {
        'cache-control': cacheControlFor(request.url),
        etag: found.etag,
        'x-content-type-options': 'nosniff',
      };
      if (ifNoneMatch && ifNoneMatch === found.etag) {
        exchange.respond(304, headers, '');
        return;
      }
      exchange.respond(200, { 'content-type': contentTypeOf(servedPath), ...headers }, found.body);
    })().catch((error: unknown) => {
      const response = errorResponse(error, { logger: options.logger, requestId: request.requestId });
      exchange.respondJson(response.status, response.body);
    });
  });

  // Whatever no route took (other methods, unknown API paths): the coded 404.
  app.any('/*', (res, req) => {
    const exchange = new HttpExchange(res);
    const request = snapshotRequest(req, res, []);
    // A body we will not read is still on the wire: close rather than parse it as the next request.
    const hasBody = Number(request.headers['content-length'] ?? '0') > 0 || 'transfer-encoding' in request.headers;
    notFound(exchange, request.requestId, hasBody);
  });
}
