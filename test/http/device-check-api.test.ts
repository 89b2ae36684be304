// The device check over HTTP (issue 4, point 3): the network probes (auth, size limits, uncached
// answers, the per-account budget) and the stored checks of a hearing (who may record and who
// sees whose, the hub's own verdict, audit row, refusals). The whole platform in-process.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomUUID } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { demoHearing, startDemoPlatform, type DemoPlatform } from '../support/demo-platform.ts';
import { hearings } from '../../storage/schema.ts';
import { listAudit } from '../../storage/audit/list-audit.ts';
import { PROBE_RATE_LIMIT_DEFAULTS } from '../../hub/auth/probe-rate-limit.ts';
import { apiRequest } from '../support/api-call.ts';

let demo: DemoPlatform;
let base: string;
const tokens: Record<string, string> = {};
const userIds: Record<string, string> = {};
/** The demo sales case's hearing: filed by lawyer1 for party1; party2 and bank1 are not in it. */
let hearingId: string;
let caseId: string;

const USERS = ['judge1', 'clerk1', 'admin1', 'party1', 'party2', 'lawyer1', 'bank1'] as const;
type Username = (typeof USERS)[number];

async function call(method: string, path: string, options: { as?: Username; body?: unknown; raw?: Uint8Array; type?: string } = {}) {
  const response = await fetch(base + path, apiRequest(method, { ...options, token: options.as && tokens[options.as] }));
  const bytes = Buffer.from(await response.arrayBuffer());
  const isJson = (response.headers.get('content-type') ?? '').startsWith('application/json');
  return { status: response.status, headers: response.headers, bytes, json: isJson && bytes.length > 0 ? JSON.parse(bytes.toString('utf8')) : null };
}

/** What a good laptop on a good line measures. */
const goodCheck = () => ({
  camera: { ok: true, width: 1280, height: 720 },
  microphone: { ok: true, peakLevel: 0.4 },
  speaker: { confirmed: true },
  browser: { webRtc: true, getUserMedia: true, webAudio: true, opus: true, vp8: true },
  network: { roundTripP50Ms: 18, roundTripP95Ms: 40, downloadMbps: 48.2, uploadMbps: 21.5 },
});
const checksPath = (id = hearingId) => `/api/v1/hearings/${id}/device-checks`;

beforeAll(async () => {
  demo = await startDemoPlatform({ tempPrefix: 'ecourt-device-check-api-' });
  base = demo.base;
  for (const username of USERS) {
    const login = await demo.logIn(username);
    tokens[username] = login.token;
    userIds[username] = login.user.id;
  }
  ({ id: hearingId, caseId } = await demoHearing(base, tokens.judge1!));
}, 120_000);

afterAll(async () => {
  await demo?.stop();
});

describe('network probes', () => {
  it('ping answers at once, uncached, to signed-in accounts only', async () => {
    const pong = await call('GET', '/api/v1/probe/ping', { as: 'party1' });
    expect(pong.status).toBe(200);
    expect(pong.headers.get('cache-control')).toBe('no-store');
    expect(Number.isNaN(Date.parse(pong.json.serverTime))).toBe(false);
    expect((await call('GET', '/api/v1/probe/ping')).json.error.code).toBe('UNAUTHENTICATED');
    expect((await call('GET', '/api/v1/probe/download?bytes=10')).status).toBe(401);
    expect((await call('POST', '/api/v1/probe/upload', { raw: new Uint8Array(10) })).status).toBe(401);
  });

  it('download sends exactly the bytes asked for, incompressible and uncached, up to 4 MiB', async () => {
    const mib = await call('GET', '/api/v1/probe/download?bytes=1048576', { as: 'party1' });
    expect(mib.status).toBe(200);
    expect(mib.bytes.length).toBe(1_048_576);
    expect(mib.headers.get('content-type')).toBe('application/octet-stream');
    expect(mib.headers.get('cache-control')).toBe('no-store');
    // Random bytes: every byte value turns up, none dominates (a compressor would find nothing).
    const counts = new Array<number>(256).fill(0);
    for (const byte of mib.bytes) counts[byte]! += 1;
    expect(Math.min(...counts)).toBeGreaterThan(3000);
    expect(Math.max(...counts)).toBeLessThan(5200);
    expect((await call('GET', `/api/v1/probe/download?bytes=${4 * 1024 * 1024}`, { as: 'party1' })).bytes.length).toBe(4 * 1024 * 1024);
    for (const bad of [`${4 * 1024 * 1024 + 1}`, '0', '-5', '1.5', 'lots']) {
      const refused = await call('GET', `/api/v1/probe/download?bytes=${bad}`, { as: 'party1' });
      expect(refused.status, bad).toBe(422);
      expect(refused.json.error.code).toBe('VALIDATION_FAILED');
    }
    expect((await call('GET', '/api/v1/probe/download', { as: 'party1' })).status).toBe(422);
  });

  it('upload counts the bytes that arrived, refuses more than 4 MiB and other media types', async () => {
    const half = await call('POST', '/api/v1/probe/upload', { as: 'lawyer1', raw: new Uint8Array(512 * 1024) });
    expect(half.status).toBe(200);
    expect(half.json.receivedBytes).toBe(512 * 1024);
    expect(Number.isNaN(Date.parse(half.json.receivedAt))).toBe(false);
    expect(half.headers.get('cache-control')).toBe('no-store');
    const tooBig = await call('POST', '/api/v1/probe/upload', { as: 'lawyer1', raw: new Uint8Array(4 * 1024 * 1024 + 1) });
    expect(tooBig.status).toBe(413);
    expect(tooBig.json.error).toMatchObject({ code: 'PAYLOAD_TOO_LARGE', details: { limitBytes: 4 * 1024 * 1024 } });
    const json = await call('POST', '/api/v1/probe/upload', { as: 'lawyer1', body: { bytes: 3 } });
    expect(json.status).toBe(415);
    expect(json.json.error.code).toBe('UNSUPPORTED_MEDIA_TYPE');
  });

  it('are documented: bytes both ways, 429 with Retry-After', async () => {
    const document = (await call('GET', '/api/v1/openapi.json')).json;
    const download = document.paths['/api/v1/probe/download'].get;
    expect(Object.keys(download.responses['200'].content)).toEqual(['application/octet-stream']);
    expect(download.responses['429'].headers['Retry-After']).toBeDefined();
    const upload = document.paths['/api/v1/probe/upload'].post;
    expect(Object.keys(upload.requestBody.content)).toEqual(['application/octet-stream']);
    expect(Object.keys(upload.responses)).toEqual(expect.arrayContaining(['200', '401', '413', '415', '429']));
    const record = document.paths['/api/v1/hearings/{hearingId}/device-checks'].post;
    expect(Object.keys(record.responses)).toEqual(expect.arrayContaining(['201', '401', '403', '404', '409', '422']));
  });

  it('holds each account to its budget with a coded 429 and Retry-After, and no one else', async () => {
    // bank1 has not probed yet: its whole request budget, then the refusal.
    for (let i = 0; i < PROBE_RATE_LIMIT_DEFAULTS.maxRequests; i += 1) {
      const pong = await call('GET', '/api/v1/probe/ping', { as: 'bank1' });
      expect(pong.status, `ping ${i + 1}`).toBe(200);
    }
    for (const path of ['/api/v1/probe/ping', '/api/v1/probe/download?bytes=1024']) {
      const refused = await call('GET', path, { as: 'bank1' });
      expect(refused.status).toBe(429);
      expect(refused.json.error.code).toBe('RATE_LIMITED');
      expect(Number(refused.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
      expect(refused.json.error.details.retryAfterSeconds).toBe(Number(refused.headers.get('retry-after')));
    }
    const upload = await call('POST', '/api/v1/probe/upload', { as: 'bank1', raw: new Uint8Array(1024) });
    expect(upload.status).toBe(429);
    // Others are not held up.
    expect((await call('GET', '/api/v1/probe/ping', { as: 'party2' })).status).toBe(200);
    // The byte budget: 48 MiB a minute is twelve 4 MiB downloads.
    const FOUR_MIB = 4 * 1024 * 1024;
    for (let i = 0; i < PROBE_RATE_LIMIT_DEFAULTS.maxBytes / FOUR_MIB; i += 1) {
      expect((await call('GET', `/api/v1/probe/download?bytes=${FOUR_MIB}`, { as: 'clerk1' })).status).toBe(200);
    }
    expect((await call('GET', `/api/v1/probe/download?bytes=${FOUR_MIB}`, { as: 'clerk1' })).status).toBe(429);
    expect((await call('GET', '/api/v1/probe/ping', { as: 'clerk1' })).status).toBe(200);
  });
});

describe('device checks of a hearing', () => {
  it('a party stores its check: the hub computes the verdict, writes the audit row, and answers it', async () => {
    const stored = await call('POST', checksPath(), { as: 'party1', body: goodCheck() });
    expect(stored.status, stored.bytes.toString()).toBe(201);
    expect(stored.json.deviceCheck).toMatchObject({
      hearingId,
      account: { userId: userIds.party1, displayName: '陈静', role: 'party' },
      ...goodCheck(),
      verdict: 'pass',
      reasons: [],
    });
    const trail = await listAudit({ db: demo.platform.database.db, subjectKind: 'hearing', subjectId: hearingId });
    expect(trail.filter((row) => row.action === 'hearing.deviceCheck').map((row) => [row.actorUserId, row.actorRole, row.detail])).toEqual([
      [userIds.party1, 'party', { deviceCheckId: stored.json.deviceCheck.id, caseId, verdict: 'pass', reasons: [] }],
    ]);
  });

  it('ignores a verdict the client sends: a check without speaker confirmation and a slow line fails', async () => {
    const check = goodCheck();
    const claimed = { ...check, speaker: { confirmed: false }, network: { ...check.network, uploadMbps: 0.3 }, verdict: 'pass', reasons: [] };
    const stored = await call('POST', checksPath(), { as: 'lawyer1', body: claimed });
    expect(stored.status).toBe(201);
    expect(stored.json.deviceCheck.verdict).toBe('fail');
    expect(stored.json.deviceCheck.reasons).toEqual(['speaker.unconfirmed', 'network.uploadTooLow']);
  });

  it('judge and clerk see every participant’s latest check; a litigant only its own', async () => {
    // party1 checks again (a better microphone): only the latest counts.
    const again = { ...goodCheck(), microphone: { ok: true, peakLevel: 0.01 } };
    const second = await call('POST', checksPath(), { as: 'party1', body: again });
    expect(second.json.deviceCheck.verdict).toBe('warn');
    expect(second.json.deviceCheck.reasons).toEqual(['microphone.quiet']);
    const judgeStored = await call('POST', checksPath(), { as: 'judge1', body: goodCheck() });
    expect(judgeStored.status).toBe(201);

    for (const staff of ['judge1', 'clerk1'] as const) {
      const listed = await call('GET', checksPath(), { as: staff });
      expect(listed.status).toBe(200);
      const byAccount = new Map((listed.json.deviceChecks as { account: { userId: string }; id: string; verdict: string }[]).map((c) => [c.account.userId, c]));
      expect([...byAccount.keys()].sort()).toEqual([userIds.party1, userIds.lawyer1, userIds.judge1].sort());
      expect(byAccount.get(userIds.party1!)).toMatchObject({ id: second.json.deviceCheck.id, verdict: 'warn' });
      expect(listed.json.deviceChecks[0].id).toBe(judgeStored.json.deviceCheck.id);
    }
    // The figures come back exactly as measured.
    const judgeListed = (await call('GET', checksPath(), { as: 'judge1' })).json.deviceChecks as { id: string }[];
    expect(judgeListed.find((c) => c.id === judgeStored.json.deviceCheck.id)).toEqual(judgeStored.json.deviceCheck);
    const own = await call('GET', checksPath(), { as: 'party1' });
    expect(own.json.deviceChecks.map((c: { id: string }) => c.id)).toEqual([second.json.deviceCheck.id]);
    const lawyers = await call('GET', checksPath(), { as: 'lawyer1' });
    expect(lawyers.json.deviceChecks.map((c: { account: { userId: string } }) => c.account.userId)).toEqual([userIds.lawyer1]);
  });

  it('outsiders get 404 as for a hearing that does not exist; administrators 403; anonymous 401', async () => {
    for (const outsider of ['party2', 'bank1'] as const) {
      for (const [method, body] of [['POST', goodCheck()], ['GET', undefined]] as const) {
        const refused = await call(method, checksPath(), { as: outsider, body });
        expect(refused.status, `${outsider} ${method}`).toBe(404);
        expect(refused.json.error.code).toBe('NOT_FOUND');
        expect(refused.json).toEqual((await call(method, checksPath(randomUUID()), { as: 'party1', body })).json);
      }
    }
    expect((await call('POST', checksPath(), { as: 'admin1', body: goodCheck() })).json.error.code).toBe('FORBIDDEN');
    expect((await call('GET', checksPath(), { as: 'admin1' })).status).toBe(403);
    expect((await call('GET', checksPath())).status).toBe(401);
    expect((await call('GET', checksPath('not-a-uuid'), { as: 'judge1' })).status).toBe(422);
  });

  it('refuses a cancelled hearing (409) and malformed figures (422)', async () => {
    // A second hearing of the same case, cancelled (written into the read model as the projection would).
    const cancelled = randomUUID();
    const db = demo.platform.database.db;
    await db.insert(hearings).values({ id: cancelled, caseId, startsAt: new Date(Date.now() + 86_400_000), courtroom: '第一法庭', state: 'cancelled' });
    try {
      const refused = await call('POST', checksPath(cancelled), { as: 'party1', body: goodCheck() });
      expect(refused.status).toBe(409);
      expect(refused.json.error.code).toBe('CONFLICT');
      expect((await call('GET', checksPath(cancelled), { as: 'clerk1' })).json.deviceChecks).toEqual([]);
    } finally {
      await db.delete(hearings).where(eq(hearings.id, cancelled));
    }
    const bad = goodCheck() as Record<string, unknown>;
    for (const body of [
      { ...bad, microphone: { ok: true, peakLevel: 1.5 } },
      { ...bad, network: { roundTripP50Ms: -1, roundTripP95Ms: 2, downloadMbps: 1, uploadMbps: 1 } },
      { ...bad, camera: { ok: true, width: 0.5, height: 480 } },
      { ...bad, browser: undefined },
    ]) {
      const refused = await call('POST', checksPath(), { as: 'party1', body });
      expect(refused.status).toBe(422);
      expect(refused.json.error.code).toBe('VALIDATION_FAILED');
    }
  });
});
