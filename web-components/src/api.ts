// Calls to the court's HTTP API (/api/v1): JSON in and out, bearer token, and every failure
// turned into an ApiError carrying the server's code and message (or NETWORK).
import { currentSession, setSession } from './session.ts';

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

export interface ApiRequest {
  method?: 'GET' | 'POST' | 'PUT' | 'DELETE';
  body?: unknown;
  /** Send the session's token (default true). */
  auth?: boolean;
  signal?: AbortSignal;
}

/** `api-base` attribute value → prefix for API paths ('' = same origin). */
export const apiUrl = (apiBase: string, path: string): string => `${apiBase.replace(/\/+$/, '')}${path}`;

export async function callApi<T>(apiBase: string, path: string, request: ApiRequest = {}): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json' };
  const session = request.auth === false ? null : currentSession();
  if (session) headers.authorization = `Bearer ${session.token}`;
  if (request.body !== undefined) headers['content-type'] = 'application/json';
  let response: Response;
  try {
    response = await fetch(apiUrl(apiBase, path), {
      method: request.method ?? 'GET',
      headers,
      body: request.body === undefined ? undefined : JSON.stringify(request.body),
      signal: request.signal,
    });
  } catch (error) {
    if ((error as Error).name === 'AbortError') throw error;
    throw new ApiError(0, 'NETWORK', (error as Error).message);
  }
  const text = await response.text();
  let payload: unknown = undefined;
  try {
    payload = text === '' ? undefined : JSON.parse(text);
  } catch {
    // A proxy's HTML error page: reported below by status.
  }
  if (!response.ok) {
    const error = (payload as { error?: { code?: string; message?: string; details?: unknown } } | undefined)?.error;
    const apiError = new ApiError(response.status, error?.code ?? 'INTERNAL', error?.message ?? response.statusText, error?.details);
    // An expired or revoked token: forget it so the portal asks for a new login.
    if (response.status === 401 && session && currentSession()?.token === session.token) setSession(null);
    throw apiError;
  }
  return payload as T;
}

/**
 * Posts a file's bytes as they are (evidence, filing materials) under the browser's type for it,
 * with the given token (an embedded element's own); its JSON answer back, or an ApiError.
 */
export async function uploadFile<T>(apiBase: string, path: string, token: string, file: File): Promise<T | undefined> {
  let response: Response;
  try {
    response = await fetch(apiUrl(apiBase, path), {
      method: 'POST',
      // The hub checks the bytes against the type anyway.
      headers: { authorization: `Bearer ${token}`, 'content-type': file.type || 'application/octet-stream' },
      body: file,
    });
  } catch (error) {
    throw new ApiError(0, 'NETWORK', (error as Error).message);
  }
  const payload = (await response.json().catch(() => undefined)) as (T & { error?: { code?: string; message?: string; details?: unknown } }) | undefined;
  if (!response.ok) throw new ApiError(response.status, payload?.error?.code ?? 'INTERNAL', payload?.error?.message ?? response.statusText, payload?.error?.details);
  return payload;
}
