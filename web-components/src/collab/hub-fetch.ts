// GET requests to the court's API with an explicit token: the transcript editor may be embedded
// with its own `token` attribute rather than the portal's session, so api.ts's callApi does not fit.
import { ApiError, apiUrl } from '../api.ts';

export async function getWithToken<T>(apiBase: string, path: string, token: string, signal?: AbortSignal): Promise<T> {
  let response: Response;
  try {
    response = await fetch(apiUrl(apiBase, path), { headers: { accept: 'application/json', authorization: `Bearer ${token}` }, signal });
  } catch (error) {
    if ((error as Error).name === 'AbortError') throw error;
    throw new ApiError(0, 'NETWORK', (error as Error).message);
  }
  const payload = (await response.json().catch(() => undefined)) as { error?: { code?: string; message?: string } } | undefined;
  if (!response.ok) throw new ApiError(response.status, payload?.error?.code ?? 'INTERNAL', payload?.error?.message ?? response.statusText);
  return payload as T;
}
