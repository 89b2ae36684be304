// One HTTP request/response pair on uWS, made safe for async handlers: the request is copied
// while uWS still owns it (it is stack-allocated), the response is written at most once, corked,
// and never after the client aborted.
import { randomUUID } from 'node:crypto';
import type { HttpRequest, HttpResponse } from 'uWebSockets.js';
import { CORS_HEADERS } from './cors.ts';

const STATUS_TEXT: Record<number, string> = {
  200: 'OK',
  201: 'Created',
  204: 'No Content',
  302: 'Found',
  304: 'Not Modified',
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  409: 'Conflict',
  413: 'Payload Too Large',
  415: 'Unsupported Media Type',
  422: 'Unprocessable Content',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  502: 'Bad Gateway',
  503: 'Service Unavailable',
};

export const statusLine = (status: number): string => `${status} ${STATUS_TEXT[status] ?? 'Status'}`;

/** What we keep of a request after its uWS callback returned. */
export interface RequestSnapshot {
  requestId: string;
  method: string;
  url: string;
  query: string;
  /** Lower-cased header names; the last value wins. */
  headers: Record<string, string>;
  params: Record<string, string>;
  address: string;
}

export function snapshotRequest(req: HttpRequest, res: HttpResponse, parameterNames: readonly string[]): RequestSnapshot {
  const headers: Record<string, string> = {};
  req.forEach((key, value) => {
    headers[key] = value;
  });
  const params: Record<string, string> = {};
  parameterNames.forEach((name, index) => {
    params[name] = safeDecode(req.getParameter(index));
  });
  return {
    requestId: randomUUID(),
    method: req.getMethod().toUpperCase(),
    url: req.getUrl(),
    query: req.getQuery() ?? '',
    headers,
    params,
    address: Buffer.from(res.getRemoteAddressAsText()).toString('utf8'),
  };
}

function safeDecode(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}

export class HttpExchange {
  private aborted = false;
  private finished = false;
  private readonly abortListeners: (() => void)[] = [];

  /** Must be constructed synchronously inside the uWS handler (it registers onAborted). */
  constructor(readonly res: HttpResponse) {
    res.onAborted(() => {
      this.aborted = true;
      for (const listener of this.abortListeners) listener();
    });
  }

  /** False once the client went away or a response was sent. */
  get open(): boolean {
    return !this.aborted && !this.finished;
  }

  onAbort(listener: () => void): void {
    this.abortListeners.push(listener);
  }

  /** Writes the whole response (with the CORS headers); a no-op (returns false) if the exchange is no longer open. */
  respond(
    status: number,
    headers: Record<string, string>,
    body: string | Uint8Array,
    options: { closeConnection?: boolean } = {},
  ): boolean {
    if (!this.open) return false;
    this.finished = true;
    this.res.cork(() => {
      this.res.writeStatus(statusLine(status));
      for (const [key, value] of Object.entries(CORS_HEADERS)) if (!(key in headers)) this.res.writeHeader(key, value);
      for (const [key, value] of Object.entries(headers)) this.res.writeHeader(key, value);
      this.res.end(body, options.closeConnection ?? false);
    });
    return true;
  }

  respondJson(status: number, value: unknown, headers: Record<string, string> = {}, options: { closeConnection?: boolean } = {}): boolean {
    return this.respond(
      status,
      {
        'content-type': 'application/json; charset=utf-8',
        'cache-control': 'no-store',
        'x-content-type-options': 'nosniff',
        ...headers,
      },
      JSON.stringify(value),
      options,
    );
  }
}
