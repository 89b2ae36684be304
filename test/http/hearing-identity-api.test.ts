// The hearing's identity gate over HTTP on the embedded platform (demo court, real face models):
// POST /api/v1/hearings/:id/identity-check answers a liveness challenge issued for the hearing; a pass
// records IDENTITY_VERIFIED for the caller's seat and opens the waiting room to them, a refusal (another
// face) records nothing; strangers get 404, staff without a seat 403. Challenges are restricted to
// turnLeft here (ECOURT_LIVENESS_CHALLENGES) so the test's frames always answer them.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FaceService } from '../../models/face/face-service.ts';
import { demoHearing, startDemoPlatform, type DemoPlatform } from '../support/demo-platform.ts';
import { turningFrames, TURN_SHARES } from '../support/face-checks.ts';
import { fixtureBytes, fixtureRaster } from '../support/face-images.ts';

let demo: DemoPlatform;
let base: string;
const tokens: Record<string, string> = {};
let hearingId: string;
const seats: Record<string, string> = {};
let astronautTurning: Uint8Array[];
let hopperTurning: Uint8Array[];

const USERS = ['judge1', 'clerk1', 'party1', 'party2', 'lawyer1', 'admin1'] as const;
type Username = (typeof USERS)[number];

async function call(method: string, path: string, as: Username | null, body?: unknown) {
  const headers: Record<string, string> = {};
  if (as) headers.authorization = `Bearer ${tokens[as]}`;
  if (body !== undefined) headers['content-type'] = 'application/json';
  const response = await fetch(base + path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  const text = await response.text();
  return { status: response.status, json: text ? JSON.parse(text) : null, text };
}

const purpose = () => ({ kind: 'hearing', hearingId });
const checkPath = () => `/api/v1/hearings/${hearingId}/identity-check`;
const asDataUrls = (frames: Uint8Array[]) => frames.map((frame) => `data:image/jpeg;base64,${Buffer.from(frame).toString('base64')}`);
const live = async (as: Username) => (await call('GET', `/api/v1/hearings/${hearingId}/live`, as)).json;
const seatOf = async (as: Username) => (await live('judge1')).hearing.participants.find((p: { participantId: string }) => p.participantId === seats[as]);
const command = (as: Username, command: Record<string, unknown>) => call('POST', `/api/v1/hearings/${hearingId}/commands`, as, { v: 1, command });

async function challengeFor(as: Username, forPurpose: unknown = purpose()): Promise<string> {
  const issued = await call('POST', '/api/v1/me/face-checks/challenge', as, { purpose: forPurpose });
  expect(issued.status, issued.text).toBe(201);
  expect(issued.json.challenge).toBe('turnLeft');
  return issued.json.token;
}

beforeAll(async () => {
  demo = await startDemoPlatform({ tempPrefix: 'ecourt-hearing-identity-api-', env: { ECOURT_FACE_IMAGE_RETENTION_DAYS: '0', ECOURT_LIVENESS_CHALLENGES: 'turnLeft' } });
  base = demo.base;
  for (const username of USERS) tokens[username] = (await demo.logIn(username)).token;
  ({ id: hearingId } = await demoHearing(base, tokens.judge1!));
  for (const username of ['judge1', 'party1', 'lawyer1'] as const) seats[username] = (await live(username)).me.participantId;
  // Frames made with a face service of the test's own: the hub's is what is under test.
  const frames = new FaceService();
  try {
    astronautTurning = await turningFrames(frames, fixtureRaster('astronaut.png'), TURN_SHARES.turnLeft);
    hopperTurning = await turningFrames(frames, fixtureRaster('grace-hopper.jpg'), TURN_SHARES.turnLeft);
  } finally {
    await frames.close();
  }
  for (const username of ['party1', 'lawyer1'] as const) {
    const response = await fetch(`${base}/api/v1/me/face-enrolment?source=selfie`, {
      method: 'POST',
      headers: { authorization: `Bearer ${tokens[username]}`, 'content-type': 'image/png' },
      body: fixtureBytes('astronaut.png') as unknown as BodyInit,
    });
    expect(response.status, await response.text()).toBe(201);
  }
}, 180_000);

afterAll(async () => {
  await demo?.stop();
});

describe('the hearing identity check over HTTP', () => {
  it('is for participants only: 401 anonymous, 404 for an outsider, 403 for court staff without a seat', async () => {
    const body = { token: 'x', purpose: purpose(), frames: asDataUrls(astronautTurning) };
    expect((await call('POST', checkPath(), null, body)).status).toBe(401);
    expect((await call('POST', checkPath(), 'party2', body)).status).toBe(404);
    const staff = await call('POST', checkPath(), 'admin1', body);
    expect(staff.status).toBe(403);
    expect(staff.json.error.code).toBe('NOT_A_PARTICIPANT');
  });

  it('refuses a challenge issued for another purpose', async () => {
    const token = await challengeFor('party1', { kind: 'self' });
    const answer = await call('POST', checkPath(), 'party1', { token, purpose: { kind: 'self' }, frames: asDataUrls(astronautTurning) });
    expect(answer.status).toBe(422);
    expect(answer.json.error.code).toBe('VALIDATION_FAILED');
  });

  it('another person’s face fails the check and tells the hearing nothing: the waiting room stays shut', async () => {
    // lawyer1 is enrolled with the astronaut; Grace Hopper turns her head in front of the camera.
    const token = await challengeFor('lawyer1');
    const answer = await call('POST', checkPath(), 'lawyer1', { token, purpose: purpose(), frames: asDataUrls(hopperTurning) });
    expect(answer.status, answer.text).toBe(200);
    expect(answer.json).toMatchObject({ passed: false, refusal: { code: 'LIVENESS_FACE_CHANGED' } });
    expect(await seatOf('lawyer1')).toMatchObject({ identityCheck: null });
  });

  it('a pass records IDENTITY_VERIFIED for the caller’s seat, and the party may then wait to be admitted', async () => {
    expect((await command('clerk1', { type: 'OPEN_LOBBY' })).status).toBe(200);
    const check = { passed: true, camera: true, microphone: true, speaker: true, browserSupported: true, roundTripMs: 20, bandwidthKbps: 20_000 };
    expect((await command('party1', { type: 'DEVICE_CHECKED', participantId: seats.party1, result: check })).status).toBe(200);
    expect((await command('party1', { type: 'DECLARE_IDENTITY', participantId: seats.party1, declaration: '本人确认身份属实。' })).status).toBe(200);
    expect((await command('party1', { type: 'ENTER_WAITING', participantId: seats.party1 })).json.error.code).toBe('IDENTITY_NOT_VERIFIED');

    const token = await challengeFor('party1');
    const answer = await call('POST', checkPath(), 'party1', { token, purpose: purpose(), frames: asDataUrls(astronautTurning) });
    expect(answer.status, answer.text).toBe(200);
    expect(answer.json).toMatchObject({ passed: true, refusal: null, challenge: 'turnLeft' });
    expect(await seatOf('party1')).toMatchObject({ identityCheck: { method: 'face', at: expect.any(String) } });
    const waiting = await command('party1', { type: 'ENTER_WAITING', participantId: seats.party1 });
    expect(waiting.status, waiting.text).toBe(200);
    expect(await seatOf('party1')).toMatchObject({ status: 'waiting' });
    expect((await command('judge1', { type: 'ADMIT', participantId: seats.party1 })).status).toBe(200);
  });
});
