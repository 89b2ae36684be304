// The liveness measures on landmark arrays built here (a frontal face, eyes closing, mouth opening,
// nose moving between the jaw edges), and the challenge judgement on sequences of them. Blinks and
// open mouths cannot be synthesised from the photo fixtures, so these geometry tests stand in for them.
import { describe, expect, it } from 'vitest';
import type { Point } from '../../models/face/face-match.ts';
import { eyeAspectRatio, headYaw, landmarkMovement, mouthAspectRatio } from '../../models/face/liveness/landmark-geometry.ts';
import { judgeLiveness, LIVENESS_CHALLENGES, randomChallenge, type FrameFace } from '../../models/face/liveness/liveness-challenge.ts';

interface Pose {
  /** Nose tip x between the jaw edges at x = 0 and x = 100. */
  nose?: number;
  /** Half the lid gap of each eye (eye width 12). */
  eyeGap?: number;
  /** Inner-lip gap (mouth width 20). */
  mouthGap?: number;
  /** Head tilt in degrees (roll), about (50, 50). */
  roll?: number;
  /** Small shift of the whole face (jitter of a hand-held phone). */
  shift?: number;
}

function landmarks({ nose = 50, eyeGap = 1.5, mouthGap = 0, roll = 0, shift = 0 }: Pose = {}): Point[] {
  const points: [number, number][] = Array.from({ length: 68 }, (_, index) => [50, 50 + index / 10]);
  for (let index = 0; index <= 16; index += 1) {
    const angle = Math.PI * (index / 16);
    points[index] = [50 - 50 * Math.cos(angle), 40 + 50 * Math.sin(angle)];
  }
  points[30] = [nose, 55];
  for (const [left, y] of [
    [28, 40],
    [58, 40],
  ] as const) {
    const eye = left === 28 ? 36 : 42;
    points[eye] = [left, y];
    points[eye + 1] = [left + 4, y - eyeGap];
    points[eye + 2] = [left + 8, y - eyeGap];
    points[eye + 3] = [left + 12, y];
    points[eye + 4] = [left + 8, y + eyeGap];
    points[eye + 5] = [left + 4, y + eyeGap];
  }
  points[60] = [40, 75];
  points[64] = [60, 75];
  for (const [upper, lower, x] of [
    [61, 67, 45],
    [62, 66, 50],
    [63, 65, 55],
  ] as const) {
    points[upper] = [x, 75 - mouthGap / 2];
    points[lower] = [x, 75 + mouthGap / 2];
  }
  const angle = (roll * Math.PI) / 180;
  return points.map(([x, y]) => [
    50 + (x - 50) * Math.cos(angle) - (y - 50) * Math.sin(angle) + shift,
    50 + (x - 50) * Math.sin(angle) + (y - 50) * Math.cos(angle) + shift,
  ]);
}

const descriptor = (offset = 0) => Array.from({ length: 128 }, (_, index) => (index === 0 ? offset : 0.01 * (index % 7)));
const frame = (pose: Pose, index: number, person = 0): FrameFace => ({ sha256: `frame-${index}`, landmarks: landmarks(pose), descriptor: descriptor(person) });
const sequence = (poses: Pose[]) => poses.map((pose, index) => frame(pose, index));

describe('landmark geometry', () => {
  it('places the nose at 0.5 facing the camera, lower and higher as the head turns, whatever the tilt', () => {
    expect(headYaw(landmarks())).toBeCloseTo(0.5, 5);
    expect(headYaw(landmarks({ nose: 30 }))).toBeCloseTo(0.3, 5);
    expect(headYaw(landmarks({ nose: 70 }))).toBeCloseTo(0.7, 5);
    expect(headYaw(landmarks({ nose: 70, roll: 20 }))).toBeCloseTo(0.7, 5);
  });

  it('measures the eyes closing and the mouth opening, independent of the face’s size', () => {
    expect(eyeAspectRatio(landmarks({ eyeGap: 1.5 }))).toBeCloseTo(0.25, 5);
    expect(eyeAspectRatio(landmarks({ eyeGap: 0.3 }))).toBeCloseTo(0.05, 5);
    expect(mouthAspectRatio(landmarks())).toBe(0);
    expect(mouthAspectRatio(landmarks({ mouthGap: 10 }))).toBeCloseTo(0.5, 5);
    const doubled = landmarks({ mouthGap: 10, eyeGap: 1.5 }).map(([x, y]) => [x * 2, y * 2] as const);
    expect(mouthAspectRatio(doubled)).toBeCloseTo(0.5, 5);
    expect(eyeAspectRatio(doubled)).toBeCloseTo(0.25, 5);
  });

  it('measures landmark movement as a share of the face width, and refuses a wrong landmark count', () => {
    expect(landmarkMovement(landmarks(), landmarks())).toBe(0);
    expect(landmarkMovement(landmarks(), landmarks({ shift: 3 }))).toBeCloseTo(Math.hypot(3, 3) / 100, 5);
    expect(() => headYaw(landmarks().slice(0, 67))).toThrow(RangeError);
  });
});

describe('judgeLiveness', () => {
  it('passes each challenge when its movement happens', () => {
    expect(judgeLiveness('turnLeft', sequence([{}, { nose: 58 }, { nose: 66 }, { nose: 55 }])).passed).toBe(true);
    expect(judgeLiveness('turnRight', sequence([{}, { nose: 42 }, { nose: 35 }, { nose: 48 }])).passed).toBe(true);
    const blink = judgeLiveness('blink', sequence([{}, { eyeGap: 0.8 }, { eyeGap: 0.3 }, { eyeGap: 1.5 }]));
    expect(blink).toMatchObject({ passed: true, scores: { eyeAspect: { min: expect.closeTo(0.05, 5), max: expect.closeTo(0.25, 5) } } });
    expect(judgeLiveness('openMouth', sequence([{}, { mouthGap: 4 }, { mouthGap: 9 }, { mouthGap: 2 }])).passed).toBe(true);
  });

  it('counts a turn made during the sequence, not only from its first frame, but never the turn back', () => {
    // A camera's loop caught mid-turn: turned, back to the front, turned again.
    expect(judgeLiveness('turnLeft', sequence([{ nose: 66 }, { nose: 58 }, {}, { nose: 60 }, { nose: 66 }])).passed).toBe(true);
    expect(judgeLiveness('turnRight', sequence([{ nose: 35 }, {}, { nose: 35 }])).passed).toBe(true);
    // Turned left, then back to the front: that is a movement to the right, and not far enough to be a right turn.
    expect(judgeLiveness('turnLeft', sequence([{ nose: 66 }, { nose: 58 }, {}])).refusal?.code).toBe('LIVENESS_CHALLENGE_NOT_MET');
    expect(judgeLiveness('turnRight', sequence([{ nose: 66 }, { nose: 58 }, {}])).refusal?.code).toBe('LIVENESS_CHALLENGE_NOT_MET');
  });

  it('refuses the wrong movement, and a movement too small, as LIVENESS_CHALLENGE_NOT_MET', () => {
    const turnedLeft = sequence([{}, { nose: 58 }, { nose: 66 }]);
    expect(judgeLiveness('turnRight', turnedLeft).refusal?.code).toBe('LIVENESS_CHALLENGE_NOT_MET');
    expect(judgeLiveness('blink', turnedLeft).refusal?.code).toBe('LIVENESS_CHALLENGE_NOT_MET');
    expect(judgeLiveness('openMouth', turnedLeft).refusal?.code).toBe('LIVENESS_CHALLENGE_NOT_MET');
    // A nod of the nose by 5 % of the face: real movement, but no turn.
    expect(judgeLiveness('turnLeft', sequence([{}, { nose: 55 }, { nose: 52 }])).refusal?.code).toBe('LIVENESS_CHALLENGE_NOT_MET');
    expect(judgeLiveness('blink', sequence([{}, { eyeGap: 1.2, shift: 4 }, { eyeGap: 1.4 }])).refusal?.code).toBe('LIVENESS_CHALLENGE_NOT_MET');
  });

  it('refuses a replayed still (identical frames, or landmarks that do not move) as LIVENESS_STILL', () => {
    const replay = [0, 1, 2, 3].map(() => frame({}, 0));
    expect(judgeLiveness('turnLeft', replay)).toMatchObject({ passed: false, refusal: { code: 'LIVENESS_STILL' }, scores: { movement: 0 } });
    const photoOfPhoto = sequence([{}, { shift: 0.5 }, { shift: 1 }, {}]);
    expect(judgeLiveness('blink', photoOfPhoto).refusal?.code).toBe('LIVENESS_STILL');
    // Tiny blinks of a still face pass: stillness only explains a challenge not met.
    expect(judgeLiveness('blink', sequence([{}, { eyeGap: 0.3 }, {}])).passed).toBe(true);
  });

  it('refuses a sequence whose face changes person as LIVENESS_FACE_CHANGED', () => {
    const swapped = [frame({}, 0), frame({ nose: 60 }, 1), frame({ nose: 68 }, 2, 0.9)];
    const judgement = judgeLiveness('turnLeft', swapped);
    expect(judgement.refusal?.code).toBe('LIVENESS_FACE_CHANGED');
    expect(judgement.scores.maxDistance).toBeCloseTo(0.9, 5);
    // Against an enrolled face: the whole sequence is someone else.
    expect(judgeLiveness('turnLeft', sequence([{}, { nose: 60 }, { nose: 68 }]), { enrolledDescriptor: descriptor(0.7) }).refusal?.code).toBe('LIVENESS_FACE_CHANGED');
  });

  it('records per-frame scores and hashes as evidence', () => {
    const judgement = judgeLiveness('turnLeft', sequence([{}, { nose: 66 }, {}]));
    expect(judgement.frames.map((f) => f.sha256)).toEqual(['frame-0', 'frame-1', 'frame-2']);
    expect(judgement.frames[1]!.yaw).toBeCloseTo(0.66, 5);
    expect(judgement.challenge).toBe('turnLeft');
  });

  it('draws every challenge at random', () => {
    const drawn = new Set(Array.from({ length: 200 }, () => randomChallenge()));
    expect([...drawn].sort()).toEqual([...LIVENESS_CHALLENGES].sort());
  });
});
