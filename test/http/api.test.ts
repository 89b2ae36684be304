// The HTTP API end to end: the whole platform in-process (PGlite in memory, in-process bus, demo
// data), driven with fetch over a real socket.
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { Validator } from '@seriousme/openapi-schema-validator';
import type { RunningPlatform } from '../../platform/node.ts';
import { DEMO_PASSWORD as PASSWORD, startDemoPlatform, type DemoPlatform } from '../support/demo-platform.ts';
import { hubRoutes } from '../../hub/api/routes.ts';
import { openApiPath } from '../../hub/http/paths.ts';
import { listAudit } from '../../storage/audit/list-audit.ts';

let demo: DemoPlatform;
let platform: RunningPlatform;
let base: string;
const tokens: Record<string, string> = {};
let courtId: string;

async function call(method: string, path: string, options: { token?: string; body?: unknown; raw?: string; headers?: Record<string, string> } = {}) {
  const headers: Record<string, string> = { ...options.headers };
  if (options.token) headers.authorization = `Bearer ${options.token}`;
  let body: string | undefined;
  if (options.raw !== undefined) body = options.raw;
  else if (options.body !== undefined) {
    body = JSON.stringify(options.body);
    headers['content-type'] ??= 'application/json';
  }
  const response = await fetch(base + path, { method, headers, body });
  const text = await response.text();
  let json: any = null;
  try {
    json = JSON.parse(text);
  } catch {
    json = null;
  }
  return { status: response.status, headers: response.headers, json, text };
}

async function login(username: string): Promise<string> {
  const response = await call('POST', '/api/v1/auth/login', { body: { username, password: PASSWORD } });
  expect(response.status, response.text).toBe(200);
  return response.json.token;
}

const filing = (overrides: Record<string, unknown> = {}) => ({
  courtId,
  cause: '买卖合同纠纷',
  claims: '判令被告支付货款人民币8,000元。',
  claimAmount: '8000.00',
  facts: '被告收货后未付款。',
  plaintiffs: [{ name: '陈静', kind: 'person' }],
  defendants: [{ name: '某某商贸有限公司', kind: 'organisation', idNumber: '91110105MA00ABCD1X' }],
  ...overrides,
});

/** A small fake site inside the data dir, with a file beside it that must never be served. */
function fakeSite(dataDir: string): string {
  const staticDir = join(dataDir, 'site');
  mkdirSync(join(staticDir, 'components'), { recursive: true });
  writeFileSync(join(staticDir, 'index.html'), '<!doctype html><title>ecourt</title>');
  writeFileSync(join(staticDir, 'components', 'ecourt.js'), 'export const ecourt = 1;');
  writeFileSync(join(dataDir, 'secret.txt'), 'outside the site');
  return staticDir;
}

beforeAll(async () => {
  demo = await startDemoPlatform({ tempPrefix: 'ecourt-api-', staticDir: fakeSite });
  platform = demo.platform;
  base = demo.base;
  for (const username of ['party1', 'party2', 'clerk1', 'judge1']) tokens[username] = await login(username);
  const courts = await call('GET', '/api/v1/courts');
  courtId = courts.json.courts.find((court: { code: string }) => court.code === '京0105').id;
}, 120_000);

afterAll(async () => {
  await demo?.stop();
});

describe('operations', () => {
  it('GET /healthz reports database and bus', async () => {
    const response = await call('GET', '/healthz');
    expect(response.status).toBe(200);
    expect(response.json).toEqual({ status: 'ok', database: { ok: true }, bus: { ok: true, kind: 'in-process' } });
  });

  it('serves a valid OpenAPI 3.1 document listing every route', async () => {
    const response = await call('GET', '/api/v1/openapi.json');
    expect(response.status).toBe(200);
    const result = await new Validator().validate(response.json);
    expect(result.errors ?? []).toEqual([]);
    expect(result.valid).toBe(true);
    expect(response.json.openapi).toBe('3.1.0');
    for (const route of hubRoutes()) {
      expect(response.json.paths[openApiPath(route.path)]?.[route.method]?.operationId, `${route.method} ${route.path}`).toBe(route.operationId);
    }
    const command = response.json.paths['/api/v1/cases/{caseId}/commands'].post;
    expect(Object.keys(command.responses)).toEqual(expect.arrayContaining(['200', '401', '403', '404', '409', '413', '415', '422']));
    expect(command.parameters).toEqual([expect.objectContaining({ name: 'caseId', in: 'path', required: true })]);
  });

  it('allows cross-origin use by embedding sites (CORS, bearer tokens only)', async () => {
    const preflight = await fetch(`${base}/api/v1/cases`, {
      method: 'OPTIONS',
      headers: { origin: 'https://court.example', 'access-control-request-method': 'POST', 'access-control-request-headers': 'authorization, content-type' },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('access-control-allow-origin')).toBe('*');
    expect(preflight.headers.get('access-control-allow-headers')).toContain('authorization');
    const courts = await fetch(`${base}/api/v1/courts`, { headers: { origin: 'https://court.example' } });
    expect(courts.headers.get('access-control-allow-origin')).toBe('*');
    const bundle = await fetch(`${base}/components/ecourt.js`, { headers: { origin: 'https://court.example' } });
    expect(bundle.headers.get('access-control-allow-origin')).toBe('*');
    const refused = await call('GET', '/api/v1/cases');
    expect(refused.headers.get('access-control-allow-origin')).toBe('*');
    expect(refused.headers.get('access-control-expose-headers')).toContain('retry-after');
  });

  it('answers unknown API paths with the coded 404', async () => {
    const response = await call('GET', '/api/v1/no-such-thing', { headers: { accept: 'text/html' } });
    expect(response.status).toBe(404);
    expect(response.json).toEqual({ error: { code: 'NOT_FOUND', message: expect.any(String) } });
  });
});

describe('static site', () => {
  it('serves index.html and the component bundle with content types and cache headers', async () => {
    const index = await call('GET', '/');
    expect(index.status).toBe(200);
    expect(index.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(index.headers.get('cache-control')).toBe('no-cache');
    const bundle = await fetch(`${base}/components/ecourt.js`);
    expect(bundle.status).toBe(200);
    expect(bundle.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(await bundle.text()).toBe('export const ecourt = 1;');
    const etag = bundle.headers.get('etag')!;
    const again = await fetch(`${base}/components/ecourt.js`, { headers: { 'if-none-match': etag } });
    expect(again.status).toBe(304);
  });

  it('falls back to index.html only for pages a browser asks for', async () => {
    const page = await call('GET', '/cases/some-page', { headers: { accept: 'text/html' } });
    expect(page.status).toBe(200);
    expect(page.text).toContain('<title>ecourt</title>');
    const missingAsset = await call('GET', '/components/missing.js', { headers: { accept: '*/*' } });
    expect(missingAsset.status).toBe(404);
    expect(missingAsset.json.error.code).toBe('NOT_FOUND');
  });

  it('never serves files outside the site directory', async () => {
    for (const path of ['/..%2fsecret.txt', '/%2e%2e/secret.txt', '/components/..%2f..%2fsecret.txt', '/..%5csecret.txt']) {
      const response = await call('GET', path);
      expect(response.status, path).toBe(404);
      expect(response.text).not.toContain('outside the site');
    }
  });
});

describe('authentication', () => {
  it('signs in and tells who I am', async () => {
    const response = await call('POST', '/api/v1/auth/login', { body: { username: 'clerk1', password: PASSWORD } });
    expect(response.status).toBe(200);
    expect(response.json.user).toEqual({ id: expect.any(String), username: 'clerk1', displayName: '张华', role: 'clerk', courtId });
    expect(response.json).not.toHaveProperty('user.passwordHash');
    const me = await call('GET', '/api/v1/me', { token: response.json.token });
    expect(me.status).toBe(200);
    expect(me.json.user.username).toBe('clerk1');
  });

  it('answers a wrong password and an unknown user alike with 401', async () => {
    const wrong = await call('POST', '/api/v1/auth/login', { body: { username: 'judge1', password: 'not-the-password' } });
    const unknown = await call('POST', '/api/v1/auth/login', { body: { username: 'nobody-here', password: 'not-the-password' } });
    expect(wrong.status).toBe(401);
    expect(unknown.status).toBe(401);
    expect(wrong.json).toEqual(unknown.json);
    expect(wrong.json.error.code).toBe('UNAUTHENTICATED');
  });

  it('rate limits failed logins per username with 429 and Retry-After, even for the right password', async () => {
    for (let i = 0; i < 5; i++) {
      const response = await call('POST', '/api/v1/auth/login', { body: { username: 'lawyer1', password: `wrong-${i}` } });
      expect(response.status).toBe(401);
    }
    const limited = await call('POST', '/api/v1/auth/login', { body: { username: 'lawyer1', password: PASSWORD } });
    expect(limited.status).toBe(429);
    expect(limited.json.error.code).toBe('RATE_LIMITED');
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
  });

  it('refuses API calls without a session, or with a forged one (401)', async () => {
    const none = await call('GET', '/api/v1/cases');
    expect(none.status).toBe(401);
    expect(none.json.error.code).toBe('UNAUTHENTICATED');
    const forged = await call('GET', '/api/v1/cases', { token: tokens.party1!.slice(0, -4) + 'AAAA' });
    expect(forged.status).toBe(401);
    const basic = await call('GET', '/api/v1/me', { headers: { authorization: 'Basic cGFydHkxOnB3' } });
    expect(basic.status).toBe(401);
  });

  it('lets the public read the courts list without a session', async () => {
    const response = await call('GET', '/api/v1/courts');
    expect(response.status).toBe(200);
    expect(response.json.courts.map((court: { code: string }) => court.code)).toEqual(['京0105', '京0108']);
  });
});

describe('request validation', () => {
  it('refuses bad JSON with 400', async () => {
    const response = await call('POST', '/api/v1/cases', { token: tokens.party1, raw: '{"courtId": ', headers: { 'content-type': 'application/json' } });
    expect(response.status).toBe(400);
    expect(response.json.error.code).toBe('BAD_REQUEST');
  });

  it('refuses a body that is not JSON by content type with 415', async () => {
    const response = await call('POST', '/api/v1/cases', { token: tokens.party1, raw: 'cause=x', headers: { 'content-type': 'application/x-www-form-urlencoded' } });
    expect(response.status).toBe(415);
    expect(response.json.error.code).toBe('UNSUPPORTED_MEDIA_TYPE');
  });

  it('refuses an oversized body with 413', async () => {
    const huge = JSON.stringify(filing({ facts: 'x'.repeat(platform.config.ECOURT_MAX_BODY_BYTES + 10) }));
    const response = await call('POST', '/api/v1/cases', { token: tokens.party1, raw: huge, headers: { 'content-type': 'application/json' } });
    expect(response.status).toBe(413);
    expect(response.json.error.code).toBe('PAYLOAD_TOO_LARGE');
  });

  it('lists schema failures with 422 VALIDATION_FAILED and their paths', async () => {
    const response = await call('POST', '/api/v1/cases', {
      token: tokens.party1,
      body: filing({ claimAmount: '12.345', plaintiffs: [], courtId: 'not-a-uuid' }),
    });
    expect(response.status).toBe(422);
    expect(response.json.error.code).toBe('VALIDATION_FAILED');
    const paths = response.json.error.details.issues.map((issue: { path: string }) => issue.path);
    expect(paths).toEqual(expect.arrayContaining(['body.claimAmount', 'body.plaintiffs', 'body.courtId']));
  });

  it('validates path parameters and command types', async () => {
    const badId = await call('GET', '/api/v1/cases/not-a-uuid', { token: tokens.clerk1 });
    expect(badId.status).toBe(422);
    expect(badId.json.error.details.issues[0].path).toBe('params.caseId');
    const unknownCommand = await call('POST', `/api/v1/cases/${randomUUID()}/commands`, { token: tokens.clerk1, body: { type: 'DESTROY' } });
    expect(unknownCommand.status).toBe(422);
    const fileViaCommands = await call('POST', `/api/v1/cases/${randomUUID()}/commands`, { token: tokens.party1, body: { type: 'FILE', filing: filing() } });
    expect(fileViaCommands.status).toBe(422);
  });
});

describe('cases', () => {
  let caseId: string;

  it('files a case as party1 (201) and reads it back with masked identifiers', async () => {
    const response = await call('POST', '/api/v1/cases', { token: tokens.party1, body: filing() });
    expect(response.status, response.text).toBe(201);
    const filed = response.json.case;
    caseId = filed.id;
    expect(filed).toMatchObject({ state: 'filed', cause: '买卖合同纠纷', claimAmount: '8000.00', courtId, caseNumber: null });
    expect(filed.allowedCommands).toEqual(['WITHDRAW']);
    const defendant = filed.parties.find((party: { side: string }) => party.side === 'defendant');
    expect(defendant.idNumberMasked).not.toBe('91110105MA00ABCD1X');
    expect(response.text).not.toContain('91110105MA00ABCD1X');
    const list = await call('GET', '/api/v1/cases', { token: tokens.party1 });
    expect(list.json.cases.map((c: { id: string }) => c.id)).toContain(caseId);
  });

  it('refuses filing by court staff (403)', async () => {
    const response = await call('POST', '/api/v1/cases', { token: tokens.clerk1, body: filing() });
    expect(response.status).toBe(403);
    expect(response.json.error.code).toBe('FORBIDDEN');
  });

  it('refuses a party accepting its own case (403)', async () => {
    const response = await call('POST', `/api/v1/cases/${caseId}/commands`, { token: tokens.party1, body: { type: 'ACCEPT' } });
    expect(response.status).toBe(403);
    expect(response.json.error.code).toBe('FORBIDDEN');
  });

  it('hides another party’s case: 404, exactly like a case that does not exist', async () => {
    const other = await call('GET', `/api/v1/cases/${caseId}`, { token: tokens.party2 });
    const missing = await call('GET', `/api/v1/cases/${randomUUID()}`, { token: tokens.party2 });
    expect(other.status).toBe(404);
    expect(other.json).toEqual(missing.json);
    const withdraw = await call('POST', `/api/v1/cases/${caseId}/commands`, { token: tokens.party2, body: { type: 'WITHDRAW', reason: '不想打了' } });
    expect(withdraw.status).toBe(404);
    const list = await call('GET', '/api/v1/cases', { token: tokens.party2 });
    expect(list.json.cases.map((c: { id: string }) => c.id)).not.toContain(caseId);
  });

  it('lets the clerk review and accept it through the commands route; `by` comes from the session', async () => {
    const review = await call('POST', `/api/v1/cases/${caseId}/commands`, {
      token: tokens.clerk1,
      // A forged sender in the body is ignored: the hub fills `by` from the session.
      body: { type: 'BEGIN_REVIEW', by: { userId: randomUUID(), role: 'judge' } },
    });
    expect(review.status, review.text).toBe(200);
    expect(review.json.case.state).toBe('underReview');
    const accept = await call('POST', `/api/v1/cases/${caseId}/commands`, { token: tokens.clerk1, body: { type: 'ACCEPT' } });
    expect(accept.status, accept.text).toBe(200);
    expect(accept.json.case.state).toBe('accepted');
    const clerk = await call('GET', '/api/v1/me', { token: tokens.clerk1 });
    const audit = await listAudit({ db: platform.database.db, subjectKind: 'case', subjectId: caseId });
    expect(audit.find((row) => row.action === 'case.BEGIN_REVIEW')).toMatchObject({ actorUserId: clerk.json.user.id, actorRole: 'clerk' });
    expect(accept.json.case.caseNumber).toMatch(/^\(\d{4}\)京0105民初\d+号$/);
    expect(accept.json.case.allowedCommands).toEqual(expect.arrayContaining(['SCHEDULE_HEARING', 'WITHDRAW']));
    expect(accept.json.case.allowedCommands).not.toContain('SETTLE_BY_MEDIATION'); // judge only

    const asJudge = await call('GET', `/api/v1/cases/${caseId}`, { token: tokens.judge1 });
    expect(asJudge.json.case.allowedCommands).toContain('SETTLE_BY_MEDIATION');
    const asParty = await call('GET', `/api/v1/cases/${caseId}`, { token: tokens.party1 });
    expect(asParty.json.case.allowedCommands).toEqual(['WITHDRAW']);
  });

  it('refuses an illegal transition with 409 CASE_TRANSITION_NOT_ALLOWED', async () => {
    const response = await call('POST', `/api/v1/cases/${caseId}/commands`, { token: tokens.clerk1, body: { type: 'ACCEPT' } });
    expect(response.status).toBe(409);
    expect(response.json.error.code).toBe('CASE_TRANSITION_NOT_ALLOWED');
  });

  it('schedules a hearing that then shows in the hearings list of members only', async () => {
    const hearingId = randomUUID();
    const startsAt = new Date(Date.now() + 7 * 86_400_000).toISOString();
    const bad = await call('POST', `/api/v1/cases/${caseId}/commands`, {
      token: tokens.clerk1,
      body: { type: 'SCHEDULE_HEARING', hearingId, startsAt, courtroom: '第一法庭', language: 'fr' },
    });
    expect(bad.status).toBe(422);
    expect(bad.json.error.code).toBe('VALIDATION_FAILED');
    const response = await call('POST', `/api/v1/cases/${caseId}/commands`, {
      token: tokens.clerk1,
      body: { type: 'SCHEDULE_HEARING', hearingId, startsAt, courtroom: '第一法庭', language: 'zh' },
    });
    expect(response.status, response.text).toBe(200);
    expect(response.json.case.hearings).toEqual([expect.objectContaining({ id: hearingId, courtroom: '第一法庭' })]);
    const forParty1 = await call('GET', '/api/v1/hearings', { token: tokens.party1 });
    expect(forParty1.json.hearings.map((h: { id: string }) => h.id)).toContain(hearingId);
    const forParty2 = await call('GET', '/api/v1/hearings', { token: tokens.party2 });
    expect(forParty2.json.hearings.map((h: { id: string }) => h.id)).not.toContain(hearingId);
    // The chosen language reaches the hearing actor the spawner creates (not the hub's default, en).
    await vi.waitFor(async () => {
      const live = await call('GET', `/api/v1/hearings/${hearingId}/live`, { token: tokens.clerk1 });
      expect(live.status).toBe(200);
      expect(live.json.hearing.language).toBe('zh');
    }, { timeout: 15_000, interval: 50 });
  });
});
