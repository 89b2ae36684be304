// Judges a liveness challenge from per-frame landmark measures: the challenged movement must happen,
// the frames must move at all (a replayed photo does not), and every frame must show the first frame's
// person. Pure: the face service measures the frames (check-liveness.ts), this decides.
import { randomInt } from 'node:crypto';
import type { ErrorCode } from '../../../platform/errors.ts';
import { descriptorDistance, MATCH_THRESHOLD, type Point } from '../face-match.ts';
import { eyeAspectRatio, headYaw, landmarkMovement, mouthAspectRatio } from './landmark-geometry.ts';

/** Turns are the subject's own left and right (in an unmirrored camera image the nose moves right on a left turn). */
export const LIVENESS_CHALLENGES = ['turnLeft', 'turnRight', 'blink', 'openMouth'] as const;
export type LivenessChallenge = (typeof LIVENESS_CHALLENGES)[number];

/** One challenge at random, from those the court allows (ECOURT_LIVENESS_CHALLENGES; default all). */
export function randomChallenge(from: readonly LivenessChallenge[] = LIVENESS_CHALLENGES): LivenessChallenge {
  const choices = from.length > 0 ? from : LIVENESS_CHALLENGES;
  return choices[randomInt(choices.length)]!;
}

/**
 * Measured on the fixtures (models/face/README.md): facing the camera the nose sits at 0.51 of the jaw
 * width; a quarter turn moves it to 0.34–0.36 or 0.64–0.68. Eyes open 0.29–0.31, mouth closed 0.01–0.15.
 * A JPEG round trip of one photo moves landmarks by 1–2 % of the face width: below STILL, nothing moved.
 */
export const LIVENESS_LIMITS = {
  /** The nose must pass these positions, moving at least minYawChange there from an earlier frame of the sequence. */
  turnedRightBelow: 0.4,
  turnedLeftAbove: 0.6,
  minYawChange: 0.1,
  /** A blink: the eyes close to at most this share of their open ratio, and were open (≥ openEyes) in some frame. */
  closedEyesShare: 0.65,
  openEyes: 0.2,
  /** An open mouth: this inner-lip ratio, at least minMouthChange above the most closed frame. */
  openMouth: 0.35,
  minMouthChange: 0.2,
  /** Landmarks moving less than this share of the face width across the whole sequence: a still image. */
  stillMovement: 0.03,
  minFrames: 3,
  maxFrames: 15,
} as const;

/** What the service measured in one frame. */
export interface FrameFace {
  sha256: string;
  landmarks: readonly Point[];
  descriptor: readonly number[];
}

export interface FrameScores {
  sha256: string;
  yaw: number;
  eyeAspect: number;
  mouthAspect: number;
  /** Descriptor distance to the first frame's face (or to the enrolled face when one is given). */
  distance: number;
}

export interface LivenessJudgement {
  challenge: LivenessChallenge;
  passed: boolean;
  /** Why it failed: LIVENESS_STILL, LIVENESS_CHALLENGE_NOT_MET or LIVENESS_FACE_CHANGED. */
  refusal?: { code: ErrorCode; message: string };
  scores: {
    /** Largest landmark movement from the first frame, as a share of the face width. */
    movement: number;
    yaw: { first: number; min: number; max: number };
    eyeAspect: { min: number; max: number };
    mouthAspect: { min: number; max: number };
    maxDistance: number;
    threshold: number;
  };
  frames: FrameScores[];
}

export function judgeLiveness(
  challenge: LivenessChallenge,
  faces: readonly FrameFace[],
  options: { threshold?: number; enrolledDescriptor?: readonly number[] } = {},
): LivenessJudgement {
  const threshold = options.threshold ?? MATCH_THRESHOLD;
  const first = faces[0];
  if (!first) throw new RangeError('no frames to judge');
  const reference = options.enrolledDescriptor ?? first.descriptor;
  const frames = faces.map((face) => ({
    sha256: face.sha256,
    yaw: headYaw(face.landmarks),
    eyeAspect: eyeAspectRatio(face.landmarks),
    mouthAspect: mouthAspectRatio(face.landmarks),
    distance: descriptorDistance(reference, face.descriptor),
  }));
  const range = (values: number[]) => ({ min: Math.min(...values), max: Math.max(...values) });
  const yaw = { first: frames[0]!.yaw, ...range(frames.map((frame) => frame.yaw)) };
  const eyeAspect = range(frames.map((frame) => frame.eyeAspect));
  const mouthAspect = range(frames.map((frame) => frame.mouthAspect));
  const movement = Math.max(...faces.map((face) => landmarkMovement(first.landmarks, face.landmarks)));
  const maxDistance = Math.max(...frames.map((frame) => frame.distance));
  const scores = { movement, yaw, eyeAspect, mouthAspect, maxDistance, threshold };
  const judgement = (refusal?: LivenessJudgement['refusal']): LivenessJudgement => ({
    challenge,
    passed: refusal === undefined,
    ...(refusal ? { refusal } : {}),
    scores,
    frames,
  });

  const identical = new Set(frames.map((frame) => frame.sha256)).size === 1;
  const still = { code: 'LIVENESS_STILL', message: 'The face did not move: a live person is needed, not a photo / 画面静止，请本人现场完成动作' } as const;
  if (identical) return judgement(still);
  if (maxDistance >= threshold) {
    return judgement({ code: 'LIVENESS_FACE_CHANGED', message: 'The face changed during the check / 核验过程中人脸发生变化' });
  }
  if (challengeMet(challenge, scores, frames.map((frame) => frame.yaw))) return judgement();
  // Not as asked: say whether nothing moved at all (a replayed photo) or something else moved.
  if (movement < LIVENESS_LIMITS.stillMovement) return judgement(still);
  return judgement({ code: 'LIVENESS_CHALLENGE_NOT_MET', message: `${CHALLENGE_TEXT[challenge]} was not seen; try again / 未检测到指定动作，请重试` });
}

const CHALLENGE_TEXT: Record<LivenessChallenge, string> = {
  turnLeft: 'Turning the head left',
  turnRight: 'Turning the head right',
  blink: 'A blink',
  openMouth: 'Opening the mouth',
};

/**
 * The largest turn in one direction made during the sequence: from the least turned earlier frame to a
 * frame past the turned limit. Not only from the first frame: a person may still be settling (or, in
 * a camera's loop, already turning back) when the capture starts; what counts is that the asked
 * movement happens, in its direction — turning back from a turn is the opposite movement and does not count.
 */
function turnDuring(yaws: readonly number[], direction: 'left' | 'right'): number {
  let best = 0;
  let start = direction === 'left' ? Infinity : -Infinity;
  for (const yaw of yaws) {
    if (direction === 'left') {
      start = Math.min(start, yaw);
      if (yaw > LIVENESS_LIMITS.turnedLeftAbove) best = Math.max(best, yaw - start);
    } else {
      start = Math.max(start, yaw);
      if (yaw < LIVENESS_LIMITS.turnedRightBelow) best = Math.max(best, start - yaw);
    }
  }
  return best;
}

function challengeMet(challenge: LivenessChallenge, scores: LivenessJudgement['scores'], yaws: readonly number[]): boolean {
  const limits = LIVENESS_LIMITS;
  switch (challenge) {
    case 'turnLeft':
      return turnDuring(yaws, 'left') >= limits.minYawChange;
    case 'turnRight':
      return turnDuring(yaws, 'right') >= limits.minYawChange;
    case 'blink':
      return scores.eyeAspect.max >= limits.openEyes && scores.eyeAspect.min <= scores.eyeAspect.max * limits.closedEyesShare;
    case 'openMouth':
      return scores.mouthAspect.max >= limits.openMouth && scores.mouthAspect.max - scores.mouthAspect.min >= limits.minMouthChange;
  }
}
