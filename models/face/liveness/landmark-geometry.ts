// Head pose and expression measures from face-api's 68 landmarks (iBUG 300-W layout), for the liveness
// challenge: where the nose sits between the jaw edges (head turn), how open the eyes are (blink) and
// how open the mouth is. Ratios of distances, so they do not depend on the face's size in the frame.
import type { Point } from '../face-match.ts';

export const LANDMARK_COUNT = 68;
const JAW_RIGHT_EDGE = 0; // the subject's right cheek: the left edge of an unmirrored camera image
const JAW_LEFT_EDGE = 16;
const NOSE_TIP = 30;
/** Each eye: corner, two upper lid points, corner, two lower lid points. */
const EYES = [
  [36, 37, 38, 39, 40, 41],
  [42, 43, 44, 45, 46, 47],
] as const;
/** Inner lip contour: corners 60 and 64, upper lid 61–63 facing lower 67–65. */
const MOUTH_CORNERS = [60, 64] as const;
const MOUTH_GAPS = [
  [61, 67],
  [62, 66],
  [63, 65],
] as const;

const distance = (a: Point, b: Point) => Math.hypot(a[0] - b[0], a[1] - b[1]);

function point(landmarks: readonly Point[], index: number): Point {
  const found = landmarks[index];
  if (!found || landmarks.length !== LANDMARK_COUNT) throw new RangeError(`expected ${LANDMARK_COUNT} landmarks, got ${landmarks.length}`);
  return found;
}

/**
 * The nose tip's position along the line from the right jaw edge to the left one, 0–1: about 0.5 facing
 * the camera, rising as the subject turns to their own left (the nose moves right in an unmirrored
 * image), falling as they turn right. Projected on the jaw line, so a tilted head reads the same.
 */
export function headYaw(landmarks: readonly Point[]): number {
  const right = point(landmarks, JAW_RIGHT_EDGE);
  const left = point(landmarks, JAW_LEFT_EDGE);
  const nose = point(landmarks, NOSE_TIP);
  const jaw = [left[0] - right[0], left[1] - right[1]] as const;
  const length2 = jaw[0] ** 2 + jaw[1] ** 2;
  if (length2 === 0) return 0.5;
  return ((nose[0] - right[0]) * jaw[0] + (nose[1] - right[1]) * jaw[1]) / length2;
}

/** Eye aspect ratio (Soukupová & Čech 2016), both eyes averaged: ≈ 0.25–0.35 open, below ≈ 0.15 closed. */
export function eyeAspectRatio(landmarks: readonly Point[]): number {
  const ratios = EYES.map(([corner1, upper1, upper2, corner2, lower2, lower1]) => {
    const width = distance(point(landmarks, corner1), point(landmarks, corner2));
    if (width === 0) return 0;
    const height = distance(point(landmarks, upper1), point(landmarks, lower1)) + distance(point(landmarks, upper2), point(landmarks, lower2));
    return height / (2 * width);
  });
  return (ratios[0]! + ratios[1]!) / 2;
}

/** Mouth aspect ratio on the inner lips: ≈ 0–0.1 closed, above ≈ 0.4 wide open. */
export function mouthAspectRatio(landmarks: readonly Point[]): number {
  const width = distance(point(landmarks, MOUTH_CORNERS[0]), point(landmarks, MOUTH_CORNERS[1]));
  if (width === 0) return 0;
  const gaps = MOUTH_GAPS.reduce((sum, [upper, lower]) => sum + distance(point(landmarks, upper), point(landmarks, lower)), 0);
  return gaps / MOUTH_GAPS.length / width;
}

/** The largest distance any landmark moved between two frames, as a share of the face's width. */
export function landmarkMovement(a: readonly Point[], b: readonly Point[]): number {
  const width = distance(point(a, JAW_RIGHT_EDGE), point(a, JAW_LEFT_EDGE)) || 1;
  let largest = 0;
  for (let index = 0; index < LANDMARK_COUNT; index += 1) largest = Math.max(largest, distance(point(a, index), point(b, index)));
  return largest / width;
}
