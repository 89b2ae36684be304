// Reads a request body under a size limit. uWS hands body chunks only to an onData handler set
// synchronously in the route callback, so reading starts there and the caller awaits later.
import { AppError } from '../../platform/errors.ts';
import type { HttpExchange, RequestSnapshot } from './exchange.ts';

export class PayloadTooLargeError extends AppError {
  constructor(limit: number) {
    super('PAYLOAD_TOO_LARGE', `Request body is larger than ${limit} bytes`, { limitBytes: limit });
    this.name = 'PayloadTooLargeError';
  }
}

export class ClientAbortedError extends Error {
  constructor() {
    super('client aborted the request');
    this.name = 'ClientAbortedError';
  }
}

/** Refuses a body without a JSON content type (415) before reading it. */
export function assertJsonContentType(request: RequestSnapshot): void {
  const type = (request.headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
  if (type !== 'application/json' && !/^application\/[a-z0-9.+-]+\+json$/.test(type)) {
    throw new AppError('UNSUPPORTED_MEDIA_TYPE', 'Send the request body as application/json');
  }
}

/** The request's media type, lower-cased, without parameters ('' when absent). */
export const mediaTypeOf = (request: RequestSnapshot): string => (request.headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase() ?? '';

/** Refuses (415) a raw body whose declared media type the route does not take, before reading it. */
export function assertMediaType(request: RequestSnapshot, accepted: readonly string[]): string {
  const type = mediaTypeOf(request);
  if (!accepted.includes(type)) {
    throw new AppError('UNSUPPORTED_MEDIA_TYPE', `Send the file as one of: ${accepted.join(', ')}`, { accepted, received: type || null });
  }
  return type;
}

/**
 * Starts collecting the body. A declared Content-Length over the limit fails at once; a body that
 * grows past the limit fails as soon as it does (the rest is not buffered).
 */
export function startReadingBody(exchange: HttpExchange, request: RequestSnapshot, limit: number): Promise<Buffer> {
  const declared = Number(request.headers['content-length'] ?? '');
  if (Number.isFinite(declared) && declared > limit) return Promise.reject(new PayloadTooLargeError(limit));
  return new Promise<Buffer>((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let settled = false;
    exchange.onAbort(() => {
      if (!settled) {
        settled = true;
        reject(new ClientAbortedError());
      }
    });
    exchange.res.onData((chunk, isLast) => {
      if (settled) return;
      size += chunk.byteLength;
      if (size > limit) {
        settled = true;
        reject(new PayloadTooLargeError(limit));
        return;
      }
      // uWS reuses (neuters) the chunk's memory after this callback returns: copy it.
      chunks.push(Buffer.from(new Uint8Array(chunk.slice(0))));
      if (isLast) {
        settled = true;
        resolve(chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks, size));
      }
    });
  });
}

/** Parses JSON text; anything unparsable is 400 BAD_REQUEST. */
export function parseJsonBody(raw: Buffer): unknown {
  if (raw.length === 0) throw new AppError('BAD_REQUEST', 'Request body is empty; send JSON');
  try {
    return JSON.parse(raw.toString('utf8'));
  } catch {
    throw new AppError('BAD_REQUEST', 'Request body is not valid JSON');
  }
}
