// Cross-origin access, so the components can be embedded in any court's website (`api-base`).
// Sessions are bearer tokens, never cookies, so allowing every origin exposes nothing a foreign
// page could not already ask for without a token.
import type { TemplatedApp } from 'uWebSockets.js';

export const CORS_HEADERS: Readonly<Record<string, string>> = {
  'access-control-allow-origin': '*',
  'access-control-expose-headers': 'retry-after, x-request-id',
};

const PREFLIGHT_HEADERS: Readonly<Record<string, string>> = {
  ...CORS_HEADERS,
  'access-control-allow-methods': 'GET, POST, PUT, DELETE, OPTIONS',
  'access-control-allow-headers': 'authorization, content-type',
  'access-control-max-age': '600',
};

/** Answers every CORS preflight (OPTIONS) with 204, synchronously (so no abort handling is needed). */
export function mountCorsPreflight(app: TemplatedApp): void {
  app.options('/*', (res) => {
    res.writeStatus('204 No Content');
    for (const [key, value] of Object.entries(PREFLIGHT_HEADERS)) res.writeHeader(key, value);
    res.endWithoutBody();
  });
}
