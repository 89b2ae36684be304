// The device check's network probe against the hub: round trips (one warm-up, then ten pings →
// p50/p95), a 1 MiB download and a 512 KiB upload → Mbit/s. Timed with performance.now() around
// the whole request, as a hearing's media would feel it (headers included).
import { ApiError, apiUrl } from '../api.ts';
import { megabitsPerSecond, percentile } from '../../../storage/hearings/device-check.ts';

export const PING_COUNT = 10;
export const DOWNLOAD_BYTES = 1024 * 1024;
export const UPLOAD_BYTES = 512 * 1024;

export type ProbeStage = { stage: 'ping'; done: number; of: number } | { stage: 'download' } | { stage: 'upload' };

export interface NetworkFigures {
  roundTripP50Ms: number;
  roundTripP95Ms: number;
  downloadMbps: number;
  uploadMbps: number;
}

interface ProbeOptions {
  api: string;
  token: string;
  signal: AbortSignal;
  onProgress: (stage: ProbeStage) => void;
}

async function probeFetch(options: ProbeOptions, path: string, init: RequestInit = {}): Promise<Response> {
  let response: Response;
  try {
    response = await fetch(apiUrl(options.api, path), {
      ...init,
      cache: 'no-store',
      headers: { authorization: `Bearer ${options.token}`, ...(init.headers as Record<string, string> | undefined) },
      signal: options.signal,
    });
  } catch (error) {
    if ((error as Error).name === 'AbortError') throw error;
    throw new ApiError(0, 'NETWORK', (error as Error).message);
  }
  if (!response.ok) {
    const payload = (await response.json().catch(() => undefined)) as { error?: { code?: string; message?: string } } | undefined;
    throw new ApiError(response.status, payload?.error?.code ?? 'INTERNAL', payload?.error?.message ?? response.statusText);
  }
  return response;
}

/** Bytes no compressor on the way can shrink (getRandomValues fills at most 64 KiB per call). */
function randomPayload(size: number): Uint8Array<ArrayBuffer> {
  const bytes = new Uint8Array(size);
  for (let offset = 0; offset < size; offset += 65536) crypto.getRandomValues(bytes.subarray(offset, Math.min(size, offset + 65536)));
  return bytes;
}

export async function probeNetwork(options: ProbeOptions): Promise<NetworkFigures> {
  const round = (value: number) => Math.round(value * 10) / 10;
  // The first request opens the connection: not a round trip a hearing would see.
  await (await probeFetch(options, '/api/v1/probe/ping')).json();
  const samples: number[] = [];
  for (let i = 0; i < PING_COUNT; i += 1) {
    options.onProgress({ stage: 'ping', done: i, of: PING_COUNT });
    const started = performance.now();
    await (await probeFetch(options, '/api/v1/probe/ping')).json();
    samples.push(performance.now() - started);
  }
  options.onProgress({ stage: 'download' });
  const downStarted = performance.now();
  const downloaded = await (await probeFetch(options, `/api/v1/probe/download?bytes=${DOWNLOAD_BYTES}`)).arrayBuffer();
  const downloadMs = performance.now() - downStarted;
  options.onProgress({ stage: 'upload' });
  const payload = randomPayload(UPLOAD_BYTES);
  const upStarted = performance.now();
  const { receivedBytes } = (await (
    await probeFetch(options, '/api/v1/probe/upload', { method: 'POST', body: payload, headers: { 'content-type': 'application/octet-stream' } })
  ).json()) as { receivedBytes: number };
  const uploadMs = performance.now() - upStarted;
  return {
    roundTripP50Ms: round(percentile(samples, 50) ?? 0),
    roundTripP95Ms: round(percentile(samples, 95) ?? 0),
    downloadMbps: round(megabitsPerSecond(downloaded.byteLength, downloadMs)),
    uploadMbps: round(megabitsPerSecond(receivedBytes, uploadMs)),
  };
}
