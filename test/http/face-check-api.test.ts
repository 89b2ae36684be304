// 人脸采集 and 活体检测 over HTTP on the embedded platform (demo court, real face models in the hub):
// enrolment (raw image body, its refusals and limits), the enrolment summary, challenges for a purpose
// (members of the hearing's case only), live checks with base64 frames and their refusals, the checks
// in "my identity checks" with readable summaries and no personal data, and 401 for the anonymous.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomUUID } from 'node:crypto';
import { FaceService } from '../../models/face/face-service.ts';
import { demoHearing, startDemoPlatform, type DemoPlatform } from '../support/demo-platform.ts';
import { turningFrames, TURN_SHARES } from '../support/face-checks.ts';
import { fixtureBytes, fixtureRaster } from '../support/face-images.ts';
import { callApi } from '../support/api-call.ts';

let demo: DemoPlatform;
let base: string;
const tokens: Record<string, string> = {};
/** The demo sales case's hearing: filed by lawyer1 for party1; party2 is not in it. */
let hearingId: string;
let turningLeft: Uint8Array[];

const USERS = ['judge1', 'party1', 'party2', 'lawyer1'] as const;
type Username = (typeof USERS)[number];

const call = (method: string, path: string, options: { as?: Username; body?: unknown; raw?: Uint8Array; type?: string } = {}) =>
  callApi(base, method, path, { ...options, token: options.as && tokens[options.as] });

const base64 = (bytes: Uint8Array) => Buffer.from(bytes).toString('base64');
const purposeOf = (id = hearingId) => ({ kind: 'hearing', hearingId: id });

/** A challenge of the wanted kind for the caller (they are random: ask until one comes). */
async function challenge(as: Username, purpose: unknown, wanted?: string): Promise<{ token: string; challenge: string }> {
  for (let attempt = 0; attempt < 100; attempt += 1) {
    const answer = await call('POST', '/api/v1/me/face-checks/challenge', { as, body: { purpose } });
    expect(answer.status, answer.text).toBe(201);
    if (!wanted || answer.json.challenge === wanted) return answer.json;
  }
  throw new Error(`no ${wanted} challenge`);
}

beforeAll(async () => {
  demo = await startDemoPlatform({ tempPrefix: 'ecourt-face-check-api-', env: { ECOURT_FACE_IMAGE_RETENTION_DAYS: '0' } });
  base = demo.base;
  for (const username of USERS) tokens[username] = (await demo.logIn(username)).token;
  ({ id: hearingId } = await demoHearing(base, tokens.judge1!));
  // The frames are made with a service of their own: the hub's is what is under test.
  const frames = new FaceService();
  try {
    turningLeft = await turningFrames(frames, fixtureRaster('astronaut.png'), TURN_SHARES.turnLeft);
  } finally {
    await frames.close();
  }
}, 120_000);

afterAll(async () => {
  await demo?.stop();
});

describe('face enrolment over HTTP', () => {
  it('answers 401 to the anonymous on every face route', async () => {
    expect((await call('GET', '/api/v1/me/face-enrolment')).status).toBe(401);
    expect((await call('POST', '/api/v1/me/face-enrolment', { raw: fixtureBytes('astronaut.png'), type: 'image/png' })).status).toBe(401);
    expect((await call('POST', '/api/v1/me/face-checks/challenge', { body: { purpose: { kind: 'self' } } })).status).toBe(401);
    expect((await call('POST', '/api/v1/me/face-checks', { body: { token: 'x', purpose: { kind: 'self' }, frames: [] } })).status).toBe(401);
  });

  it('refuses bad images with their codes, and a challenge before any enrolment (FACE_NOT_ENROLLED)', async () => {
    const notImage = await call('POST', '/api/v1/me/face-enrolment?source=selfie', { as: 'party1', raw: new TextEncoder().encode('GIF89a, not really'), type: 'image/png' });
    expect(notImage.status).toBe(415);
    expect(notImage.json.error.code).toBe('IMAGE_INVALID');
    const wrongType = await call('POST', '/api/v1/me/face-enrolment', { as: 'party1', raw: fixtureBytes('astronaut.png'), type: 'text/plain' });
    expect(wrongType.status).toBe(415);
    const noFace = await call('POST', '/api/v1/me/face-enrolment', { as: 'party1', raw: fixtureBytes('chelsea.png'), type: 'image/png' });
    expect(noFace.status).toBe(422);
    expect(noFace.json.error.code).toBe('FACE_NONE');
    const badSource = await call('POST', '/api/v1/me/face-enrolment?source=passport', { as: 'party1', raw: fixtureBytes('astronaut.png'), type: 'image/png' });
    expect(badSource.status).toBe(422);
    expect(badSource.json.error.code).toBe('VALIDATION_FAILED');

    expect((await call('GET', '/api/v1/me/face-enrolment', { as: 'party1' })).json).toEqual({ enrolled: false, source: null, at: null });
    const early = await call('POST', '/api/v1/me/face-checks/challenge', { as: 'party1', body: { purpose: { kind: 'self' } } });
    expect(early.status).toBe(409);
    expect(early.json.error.code).toBe('FACE_NOT_ENROLLED');
  });

  it('enrols a selfie and tells the user it is enrolled', async () => {
    const enrolled = await call('POST', '/api/v1/me/face-enrolment?source=selfie', { as: 'party1', raw: fixtureBytes('astronaut.png'), type: 'image/png' });
    expect(enrolled.status, enrolled.text).toBe(201);
    expect(enrolled.json).toMatchObject({ source: 'selfie', imageSha256: expect.stringMatching(/^[0-9a-f]{64}$/) });
    expect(enrolled.json.facePx).toBeGreaterThanOrEqual(100);
    const summary = await call('GET', '/api/v1/me/face-enrolment', { as: 'party1' });
    expect(summary.json).toMatchObject({ enrolled: true, source: 'selfie' });
    expect(Date.parse(summary.json.at)).not.toBeNaN();
  });
});

describe('live face checks over HTTP', () => {
  it('gives a challenge with its instruction; only members of the hearing’s case may ask for one', async () => {
    const issued = await call('POST', '/api/v1/me/face-checks/challenge', { as: 'party1', body: { purpose: purposeOf() } });
    expect(issued.status, issued.text).toBe(201);
    expect(issued.json).toMatchObject({ challenge: expect.any(String), frames: { min: 3, max: 15 }, instruction: { zh: expect.any(String), en: expect.any(String) } });
    expect(Date.parse(issued.json.expiresAt) - Date.now()).toBeLessThanOrEqual(120_000);

    const outsider = await call('POST', '/api/v1/me/face-checks/challenge', { as: 'party2', body: { purpose: purposeOf() } });
    expect(outsider.status).toBe(404);
    const unknown = await call('POST', '/api/v1/me/face-checks/challenge', { as: 'party1', body: { purpose: purposeOf(randomUUID()) } });
    expect(unknown.status).toBe(404);
    const badPurpose = await call('POST', '/api/v1/me/face-checks/challenge', { as: 'party1', body: { purpose: { kind: 'hearing' } } });
    expect(badPurpose.status).toBe(422);
    expect(badPurpose.json.error.code).toBe('VALIDATION_FAILED');
  });

  it('passes the enrolled party turning as challenged (frames as data: URLs); a replay of the token is refused', async () => {
    const { token } = await challenge('party1', purposeOf(), 'turnLeft');
    const frames = turningLeft.map((frame) => `data:image/jpeg;base64,${base64(frame)}`);
    const checked = await call('POST', '/api/v1/me/face-checks', { as: 'party1', body: { token, purpose: purposeOf(), frames } });
    expect(checked.status, checked.text).toBe(200);
    expect(checked.json).toMatchObject({ passed: true, refusal: null, challenge: 'turnLeft' });
    expect(checked.json.distance).toBeLessThan(0.45);

    const replay = await call('POST', '/api/v1/me/face-checks', { as: 'party1', body: { token, purpose: purposeOf(), frames } });
    expect(replay.status).toBe(400);
    expect(replay.json.error.code).toBe('FACE_CHECK_TOKEN_REPLAYED');
  });

  it('answers still frames with passed=false and its refusal in both languages', async () => {
    const { token } = await challenge('party1', { kind: 'self' });
    const still = base64(turningLeft[0]!);
    const checked = await call('POST', '/api/v1/me/face-checks', { as: 'party1', body: { token, purpose: { kind: 'self' }, frames: [still, still, still] } });
    expect(checked.status, checked.text).toBe(200);
    expect(checked.json).toMatchObject({ passed: false, refusal: { code: 'LIVENESS_STILL', message: expect.any(String), messageZh: expect.any(String) } });
  });

  it('refuses bad bodies: not JSON, too few frames, not base64, a token for someone else, an outsider’s hearing', async () => {
    const notJson = await call('POST', '/api/v1/me/face-checks', { as: 'party1', raw: new TextEncoder().encode('{nope'), type: 'application/json' });
    expect(notJson.status).toBe(400);
    const { token } = await challenge('party1', { kind: 'self' });
    const few = await call('POST', '/api/v1/me/face-checks', { as: 'party1', body: { token, purpose: { kind: 'self' }, frames: [base64(turningLeft[0]!)] } });
    expect(few.status).toBe(422);
    expect(few.json.error.code).toBe('VALIDATION_FAILED');
    const garbled = await call('POST', '/api/v1/me/face-checks', { as: 'party1', body: { token, purpose: { kind: 'self' }, frames: ['***', '***', '***'] } });
    expect(garbled.status).toBe(422);
    const notImages = await call('POST', '/api/v1/me/face-checks', { as: 'party1', body: { token, purpose: { kind: 'self' }, frames: [base64(new Uint8Array(10)), base64(new Uint8Array(10)), base64(new Uint8Array(10))] } });
    expect(notImages.status).toBe(415);
    expect(notImages.json.error.code).toBe('IMAGE_INVALID');

    // lawyer1 is in the case but the token is party1's.
    await call('POST', '/api/v1/me/face-enrolment', { as: 'lawyer1', raw: fixtureBytes('grace-hopper.jpg'), type: 'image/jpeg' });
    const frames = turningLeft.map(base64);
    const foreign = await call('POST', '/api/v1/me/face-checks', { as: 'lawyer1', body: { token, purpose: { kind: 'self' }, frames } });
    expect(foreign.status).toBe(400);
    expect(foreign.json.error).toMatchObject({ code: 'FACE_CHECK_TOKEN_INVALID', details: { reason: 'user' } });
    const outsider = await call('POST', '/api/v1/me/face-checks', { as: 'party2', body: { token, purpose: purposeOf(), frames } });
    expect(outsider.status).toBe(404);
  });

  it('lists the enrolment and the live checks among my identity checks, readable and without personal data', async () => {
    const listed = await call('GET', '/api/v1/me/identity-checks', { as: 'party1' });
    expect(listed.status).toBe(200);
    const kinds = listed.json.checks.map((check: { kind: string; outcome: string }) => `${check.kind}:${check.outcome}`);
    expect(kinds).toEqual(expect.arrayContaining(['face_enrolment:passed', 'face_enrolment:failed', 'face_live:passed', 'face_live:failed']));
    for (const check of listed.json.checks.filter((c: { kind: string }) => c.kind.startsWith('face_'))) {
      expect(check.details.summary).toMatchObject({ en: expect.any(String), zh: expect.any(String) });
      expect(JSON.stringify(check.details)).not.toMatch(/descriptor|landmarks|base64|pd1\./);
    }
  });
});
