// Calls to a provider's endpoints: bounded in time and size, JSON answers only, failures as
// OAuthProviderError. Secrets travel in request bodies/headers but never into errors or logs.
import { OAuthProviderError } from './provider.ts';

const TIMEOUT_MS = 10_000;
const MAX_ANSWER_BYTES = 256 * 1024;

/** The answer's text (for signature checks that need the exact bytes) and its parsed JSON. */
export async function callProvider(url: string, init: RequestInit, what: string): Promise<{ status: number; text: string; json: unknown }> {
  let response: Response;
  try {
    response = await fetch(url, { ...init, redirect: 'error', signal: AbortSignal.timeout(TIMEOUT_MS) });
  } catch (error) {
    throw new OAuthProviderError(`${what}: unreachable (${(error as Error).name})`, undefined, { cause: error });
  }
  const text = await response.text();
  if (text.length > MAX_ANSWER_BYTES) throw new OAuthProviderError(`${what}: answer too large`);
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new OAuthProviderError(`${what}: answered ${response.status} without JSON`);
  }
  return { status: response.status, text, json };
}

export const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

export const textField = (record: Record<string, unknown>, key: string): string | null => {
  const value = record[key];
  return typeof value === 'string' && value !== '' ? value : null;
};
