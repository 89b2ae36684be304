// The face service with the real face-api models on the tfjs wasm backend, in its worker threads:
// same-person variants of the fixtures accepted, different people refused, images with no face, two
// faces, a small face or no image at all refused with their codes; the bounded queue and the time limit;
// liveness passing on a simulated head turn and failing on a replayed still.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FaceService } from '../../models/face/face-service.ts';
import { checkLiveness } from '../../models/face/liveness/check-liveness.ts';
import { AppError } from '../../platform/errors.ts';
import {
  cameraFrame,
  compose,
  darken,
  encodeJpeg,
  encodePng,
  fixtureBytes,
  fixtureRaster,
  mirror,
  recompress,
  rotate,
  scale,
  turnHead,
  type Raster,
} from '../support/face-images.ts';

let service: FaceService;

beforeAll(async () => {
  service = new FaceService({ workers: 2 });
  await service.ready();
});

afterAll(async () => {
  await service?.close();
});

async function refusal(promise: Promise<unknown>): Promise<{ code: string; details: unknown }> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof AppError) return { code: error.code, details: error.details };
    throw error;
  }
  throw new Error('expected a refusal');
}

const astronaut = fixtureRaster('astronaut.png');
const hopper = fixtureRaster('grace-hopper.jpg');

describe('FaceService.describe and compare', () => {
  it('describes the one face in a photo: box, 68 landmarks, 128-number descriptor, image hash', async () => {
    const described = await service.describe(fixtureBytes('grace-hopper.jpg'));
    expect(described.face.landmarks).toHaveLength(68);
    expect(described.face.descriptor).toHaveLength(128);
    expect(described.face.box.width).toBeGreaterThan(200);
    expect(described.image).toMatchObject({ format: 'jpeg', width: 512, height: 512, sha256: expect.stringMatching(/^[0-9a-f]{64}$/) });
  });

  it.each<[string, (raster: Raster) => Raster]>([
    ['mirrored', mirror],
    ['scaled up', (raster) => scale(raster, 1.3)],
    ['darkened', (raster) => darken(raster, 0.4)],
    ['rotated', (raster) => rotate(raster, 10)],
    ['recompressed', (raster) => recompress(raster, 30)],
    ['in a 640 × 480 camera frame', (raster) => cameraFrame(raster)],
  ])('accepts the same person %s', async (_label, variant) => {
    for (const original of [astronaut, hopper]) {
      const comparison = await service.compare(encodePng(original), encodeJpeg(variant(original), 90));
      expect(comparison.samePerson).toBe(true);
      expect(comparison.distance).toBeLessThan(service.threshold);
    }
  });

  it('refuses two different people', async () => {
    const comparison = await service.compare(fixtureBytes('astronaut.png'), fixtureBytes('grace-hopper.jpg'));
    expect(comparison).toMatchObject({ samePerson: false, threshold: service.threshold });
    expect(comparison.distance).toBeGreaterThan(service.threshold + 0.1);
    // Mirrored or darkened does not make a stranger pass either.
    expect((await service.compare(encodePng(mirror(astronaut)), encodePng(darken(hopper, 0.5)))).samePerson).toBe(false);
  });

  it('verifies a live frame against an enrolled descriptor', async () => {
    const enrolled = (await service.describe(fixtureBytes('astronaut.png'))).face.descriptor;
    expect((await service.verify(enrolled, encodeJpeg(cameraFrame(rotate(astronaut, -8))))).samePerson).toBe(true);
    expect((await service.verify(enrolled, encodeJpeg(cameraFrame(hopper)))).samePerson).toBe(false);
  });

  it('refuses an image with no face, two faces, a face too small, and bytes that are no image', async () => {
    expect((await refusal(service.describe(fixtureBytes('chelsea.png')))).code).toBe('FACE_NONE');
    const twoPeople = compose(1024, 512, [
      { raster: astronaut, x: 0, y: 0 },
      { raster: hopper, x: 512, y: 0 },
    ]);
    expect(await refusal(service.describe(encodePng(twoPeople)))).toEqual({ code: 'FACE_MULTIPLE', details: { faces: 2 } });
    const far = await refusal(service.describe(encodePng(scale(astronaut, 0.6))));
    expect(far).toMatchObject({ code: 'FACE_TOO_SMALL', details: { minFacePx: 100 } });
    expect((far.details as { facePx: number }).facePx).toBeLessThan(100);
    expect((await refusal(service.describe(new TextEncoder().encode('just text'))))).toMatchObject({ code: 'IMAGE_INVALID' });
    // A valid JPEG header on broken data: refused by the decoder in the worker, and the worker lives on.
    const broken = encodeJpeg(hopper).slice(0, 600);
    expect((await refusal(service.describe(broken))).code).toBe('IMAGE_INVALID');
    expect((await service.describe(fixtureBytes('astronaut.png'))).face.descriptor).toHaveLength(128);
  });

  it('says which of the two compared images was refused', async () => {
    expect(await refusal(service.compare(fixtureBytes('astronaut.png'), fixtureBytes('chelsea.png')))).toMatchObject({ code: 'FACE_NONE', details: { image: 'b' } });
  });
});

describe('FaceService limits', () => {
  it('refuses work beyond its bounded queue with FACE_BUSY', async () => {
    const small = new FaceService({ workers: 1, maxQueued: 1 });
    try {
      const image = fixtureBytes('astronaut.png');
      const jobs = [small.describe(image), small.describe(image), small.describe(image)];
      const outcomes = await Promise.allSettled(jobs);
      expect(outcomes.map((outcome) => outcome.status)).toEqual(['fulfilled', 'fulfilled', 'rejected']);
      expect(((outcomes[2] as PromiseRejectedResult).reason as AppError).code).toBe('FACE_BUSY');
    } finally {
      await small.close();
    }
  });

  it('refuses a job over its time limit with FACE_BUSY and replaces the worker', async () => {
    // 1 ms is far less than loading the models takes, so the first job always overruns.
    const hasty = new FaceService({ workers: 1, timeoutMs: 1 });
    try {
      expect((await refusal(hasty.describe(fixtureBytes('astronaut.png')))).code).toBe('FACE_BUSY');
      expect((await refusal(hasty.describe(fixtureBytes('astronaut.png')))).code).toBe('FACE_BUSY');
    } finally {
      await hasty.close();
    }
    const closed = await refusal(hasty.describe(fixtureBytes('astronaut.png')));
    expect(closed.code).toBe('FACE_BUSY');
  });
});

describe('checkLiveness', () => {
  /** Frames of a head turning: the face's centre column moves by these shares of the face width. */
  async function turningFrames(raster: Raster, shares: number[]): Promise<Uint8Array[]> {
    const face = (await service.describe(encodePng(raster))).face;
    const band = { left: face.box.x - 0.1 * face.box.width, right: face.box.x + 1.1 * face.box.width, centre: face.landmarks[30]![0] };
    return shares.map((share) => encodeJpeg(cameraFrame(turnHead(raster, band, Math.round(share * face.box.width))), 90));
  }

  it('passes a head turn to the left and to the right, recording the frames’ hashes and scores', async () => {
    const left = await checkLiveness({ service, challenge: 'turnLeft', frames: await turningFrames(astronaut, [0, 0.1, 0.2, 0.25, 0.15]) });
    expect(left.refusal).toBeUndefined();
    expect(left).toMatchObject({ passed: true, challenge: 'turnLeft' });
    expect(left.frames).toHaveLength(5);
    expect(new Set(left.frames.map((frame) => frame.sha256)).size).toBe(5);
    expect(left.scores.yaw.max).toBeGreaterThan(0.6);
    expect(Date.parse(left.finishedAt)).toBeGreaterThanOrEqual(Date.parse(left.startedAt));
    const right = await checkLiveness({ service, challenge: 'turnRight', frames: await turningFrames(hopper, [0, -0.1, -0.2, -0.1]) });
    expect(right.refusal).toBeUndefined();
    expect(right.passed).toBe(true);
  });

  it('refuses a turn the other way as LIVENESS_CHALLENGE_NOT_MET', async () => {
    const result = await checkLiveness({ service, challenge: 'turnRight', frames: await turningFrames(astronaut, [0, 0.1, 0.2, 0.1]) });
    expect(result).toMatchObject({ passed: false, refusal: { code: 'LIVENESS_CHALLENGE_NOT_MET' } });
  });

  it('refuses a replayed photo: the same frame repeated, or re-photographed copies of it', async () => {
    const frame = encodeJpeg(cameraFrame(astronaut), 90);
    const replay = await checkLiveness({ service, challenge: 'turnLeft', frames: [frame, frame, frame, frame, frame] });
    expect(replay).toMatchObject({ passed: false, refusal: { code: 'LIVENESS_STILL' } });
    const copies = [95, 80, 60, 45].map((quality) => encodeJpeg(darken(cameraFrame(astronaut), quality / 100 + 0.05), quality));
    const photo = await checkLiveness({ service, challenge: 'blink', frames: copies });
    expect(photo).toMatchObject({ passed: false, refusal: { code: 'LIVENESS_STILL' } });
    expect(new Set(photo.frames.map((f) => f.sha256)).size).toBe(4);
  });

  it('refuses a sequence where someone else takes over, and frames without one face', async () => {
    const frames = await turningFrames(astronaut, [0, 0.1, 0.2]);
    const swapped = await checkLiveness({ service, challenge: 'turnLeft', frames: [...frames, encodeJpeg(cameraFrame(hopper))] });
    expect(swapped.refusal?.code).toBe('LIVENESS_FACE_CHANGED');
    const enrolled = (await service.describe(fixtureBytes('grace-hopper.jpg'))).face.descriptor;
    const impostor = await checkLiveness({ service, challenge: 'turnLeft', frames: await turningFrames(astronaut, [0, 0.1, 0.2, 0.25]), enrolledDescriptor: enrolled });
    expect(impostor.refusal?.code).toBe('LIVENESS_FACE_CHANGED');
    expect(await refusal(checkLiveness({ service, challenge: 'blink', frames: [frames[0]!, fixtureBytes('chelsea.png'), frames[1]!] }))).toMatchObject({
      code: 'FACE_NONE',
      details: { frame: 1 },
    });
    expect((await refusal(checkLiveness({ service, challenge: 'blink', frames: frames.slice(0, 2) }))).code).toBe('VALIDATION_FAILED');
  });
});
