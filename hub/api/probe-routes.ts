// Network probes for the pre-hearing device check (设备检测): a tiny ping for round-trip times,
// a download of incompressible bytes and an upload that is counted and dropped, each answered
// uncached. Signed-in accounts only, under a per-account budget (ProbeRateLimit: 429 beyond it).
import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import { anySignedIn } from '../auth/access.ts';
import { ProbeRateLimit } from '../auth/probe-rate-limit.ts';
import type { Session } from '../auth/session-token.ts';
import { paths } from '../http/paths.ts';
import { defineRoute, RawReply, rawBodySchema, rawReplySchema, type AnyRoute } from '../http/route.ts';

/** The most a single download or upload probe moves: enough for a steady figure on a 50 Mbit/s line. */
export const PROBE_MAX_BYTES = 4 * 1024 * 1024;
const PROBE_MEDIA_TYPE = 'application/octet-stream';
const NO_STORE = { 'cache-control': 'no-store', 'x-content-type-options': 'nosniff' };

/**
 * Random bytes, made once per process: a proxy's compression cannot shrink them, so the
 * download measures the line, not the compressor. Served as views, never copied per request.
 */
let incompressible: Buffer | null = null;
const incompressibleBytes = (count: number): Buffer => (incompressible ??= randomBytes(PROBE_MAX_BYTES)).subarray(0, count);

const instant = z.iso.datetime({ offset: true }).describe('ISO 8601 instant');

/** The probe routes, sharing one budget per account (one per hub: the routes list is built per hub). */
export function probeRoutes(limit = new ProbeRateLimit()): AnyRoute[] {
  const take = (session: Session | null, bytes: number) => limit.take((session as Session).userId, bytes);

  const ping = defineRoute({
    method: 'get',
    path: paths.probePing,
    operationId: 'probePing',
    summary: 'Round-trip probe of the device check: answers at once with the server time (uncached)',
    tags: ['device check'],
    access: anySignedIn,
    response: z.object({ serverTime: instant }),
    errors: ['RATE_LIMITED'],
    async handle({ session }) {
      take(session, 0);
      return { serverTime: new Date().toISOString() };
    },
  });

  const download = defineRoute({
    method: 'get',
    path: paths.probeDownload,
    operationId: 'probeDownload',
    summary: `Download probe: \`bytes\` random (incompressible) bytes, at most ${PROBE_MAX_BYTES} (4 MiB), uncached`,
    tags: ['device check'],
    access: anySignedIn,
    query: z.object({ bytes: z.coerce.number().int().min(1).max(PROBE_MAX_BYTES).describe('How many bytes to send (1 … 4 MiB)') }),
    response: rawReplySchema,
    rawResponse: { mediaTypes: [PROBE_MEDIA_TYPE] },
    errors: ['RATE_LIMITED'],
    async handle({ session, query }) {
      take(session, query.bytes);
      return new RawReply(200, { ...NO_STORE, 'content-type': PROBE_MEDIA_TYPE }, incompressibleBytes(query.bytes));
    },
  });

  const upload = defineRoute({
    method: 'post',
    path: paths.probeUpload,
    operationId: 'probeUpload',
    summary: 'Upload probe: send up to 4 MiB as application/octet-stream; answers how many bytes arrived and when (nothing is kept)',
    tags: ['device check'],
    access: anySignedIn,
    body: rawBodySchema,
    rawBody: { mediaTypes: [PROBE_MEDIA_TYPE], limitBytes: () => PROBE_MAX_BYTES },
    response: z.object({ receivedBytes: z.number().int().nonnegative(), receivedAt: instant }),
    errors: ['RATE_LIMITED'],
    async handle({ session, body }) {
      const receivedAt = new Date().toISOString();
      take(session, body.bytes.length);
      return { receivedBytes: body.bytes.length, receivedAt };
    },
  });

  return [ping, download, upload];
}
