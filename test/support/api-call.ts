// One JSON API request as a signed-in user (or nobody): the bearer token, a JSON body or raw bytes
// with their content type. Shared by the HTTP tests, which differ only in what they read back.

export interface ApiRequestOptions {
  token?: string | undefined;
  /** Sent as JSON. */
  body?: unknown;
  /** Sent as is, with `type` (application/octet-stream unless given); wins over `body`. */
  raw?: Uint8Array;
  type?: string;
}

/** The fetch init for `method` with the options' token and body. */
export function apiRequest(method: string, options: ApiRequestOptions = {}): RequestInit {
  const headers: Record<string, string> = {};
  if (options.token) headers.authorization = `Bearer ${options.token}`;
  let body: BodyInit | undefined;
  if (options.raw) {
    body = options.raw as unknown as BodyInit;
    headers['content-type'] = options.type ?? 'application/octet-stream';
  } else if (options.body !== undefined) {
    body = JSON.stringify(options.body);
    headers['content-type'] = 'application/json';
  }
  return { method, headers, body };
}

/** Calls the API at `base`; `json` is the parsed answer, null when it is empty. */
export async function callApi(base: string, method: string, path: string, options: ApiRequestOptions = {}) {
  const response = await fetch(base + path, apiRequest(method, options));
  const text = await response.text();
  return { status: response.status, json: text ? JSON.parse(text) : null, text };
}
