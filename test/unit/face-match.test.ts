// Which faces an image may have, and the same-person decision on descriptor distances.
import { describe, expect, it } from 'vitest';
import { descriptorDistance, matchDescriptors, MATCH_THRESHOLD, MIN_FACE_PX, singleFace, type DetectedFace } from '../../models/face/face-match.ts';
import { AppError } from '../../platform/errors.ts';

const face = (size: number, descriptor = new Array(128).fill(0)): DetectedFace => ({
  box: { x: 10, y: 10, width: size, height: size + 5 },
  score: 0.9,
  landmarks: [],
  descriptor,
});

function codeOf(run: () => unknown): { code: string; details: unknown } | undefined {
  try {
    run();
  } catch (error) {
    if (error instanceof AppError) return { code: error.code, details: error.details };
    throw error;
  }
  return undefined;
}

describe('singleFace', () => {
  it('returns the one face big enough to compare', () => {
    const only = face(MIN_FACE_PX);
    expect(singleFace({ width: 640, height: 480, faces: [only] })).toBe(only);
  });

  it('refuses no face, several faces and a face smaller than the minimum, with the reason', () => {
    expect(codeOf(() => singleFace({ width: 640, height: 480, faces: [] }))?.code).toBe('FACE_NONE');
    expect(codeOf(() => singleFace({ width: 640, height: 480, faces: [face(150), face(120)] }))).toEqual({ code: 'FACE_MULTIPLE', details: { faces: 2 } });
    expect(codeOf(() => singleFace({ width: 640, height: 480, faces: [face(MIN_FACE_PX - 1)] }))).toEqual({
      code: 'FACE_TOO_SMALL',
      details: { facePx: MIN_FACE_PX - 1, minFacePx: MIN_FACE_PX },
    });
  });
});

describe('matchDescriptors', () => {
  it('measures the Euclidean distance and decides against the threshold', () => {
    const a = new Array(128).fill(0);
    const b = [...a];
    b[0] = 0.3;
    b[1] = 0.4;
    expect(descriptorDistance(a, b)).toBeCloseTo(0.5, 10);
    expect(matchDescriptors(a, b)).toEqual({ distance: expect.closeTo(0.5, 10), threshold: MATCH_THRESHOLD, samePerson: false });
    b[1] = 0.2;
    expect(matchDescriptors(a, b).samePerson).toBe(true);
    expect(matchDescriptors(a, b, 0.3).samePerson).toBe(false);
  });

  it('keeps the measured threshold, stricter than face-api’s default 0.6', () => {
    expect(MATCH_THRESHOLD).toBeLessThan(0.5);
    expect(MATCH_THRESHOLD).toBeGreaterThan(0.31);
  });

  it('refuses descriptors of different lengths', () => {
    expect(codeOf(() => descriptorDistance([1, 2], [1]))?.code).toBe('VALIDATION_FAILED');
  });
});
