// What the faces found in an image mean: exactly one face big enough to compare, or a coded refusal;
// and whether two descriptors belong to one person. Pure functions: the workers only find faces.
import { AppError } from '../../platform/errors.ts';

export type Point = readonly [x: number, y: number];

export interface FaceBox {
  x: number;
  y: number;
  width: number;
  height: number;
}

/** One face as the analysis worker returns it. */
export interface DetectedFace {
  box: FaceBox;
  /** The detector's confidence, 0–1. */
  score: number;
  /** face-api's 68-point layout (iBUG 300-W): jaw 0–16, brows 17–26, nose 27–35, eyes 36–47, mouth 48–67. */
  landmarks: Point[];
  /** 128 numbers; the Euclidean distance between two of them says how alike two faces are. */
  descriptor: number[];
}

export interface FaceAnalysis {
  width: number;
  height: number;
  faces: DetectedFace[];
  /** Time the worker spent decoding the image (the rest of its time is the networks'). */
  decodeMs?: number;
}

/**
 * Same person below this distance. Chosen from our measurements (models/face/README.md): the fixtures'
 * variants (mirror, scale, darken, rotate, recompress) stay ≤ 0.30 from their original, two different
 * people are 0.65 apart; 0.45 leans to the strict side, since a stranger passing costs more than a retry.
 * face-api's default 0.6 is too lenient.
 */
export const MATCH_THRESHOLD = 0.45;
/** Smaller faces give unstable descriptors (their distances to the same face spread past the threshold). */
export const MIN_FACE_PX = 100;

export interface FaceMatch {
  distance: number;
  threshold: number;
  samePerson: boolean;
}

export function descriptorDistance(a: readonly number[], b: readonly number[]): number {
  if (a.length !== b.length || a.length === 0) throw new AppError('VALIDATION_FAILED', 'Face descriptors must have the same, non-zero length');
  let sum = 0;
  for (let index = 0; index < a.length; index += 1) sum += (a[index]! - b[index]!) ** 2;
  return Math.sqrt(sum);
}

export function matchDescriptors(a: readonly number[], b: readonly number[], threshold = MATCH_THRESHOLD): FaceMatch {
  const distance = descriptorDistance(a, b);
  return { distance, threshold, samePerson: distance < threshold };
}

/** The one face to compare, or FACE_NONE / FACE_MULTIPLE / FACE_TOO_SMALL with the reason. */
export function singleFace(analysis: FaceAnalysis, minFacePx = MIN_FACE_PX): DetectedFace {
  const { faces } = analysis;
  if (faces.length === 0) throw new AppError('FACE_NONE', 'No face was found in the image / 图像中未检测到人脸');
  if (faces.length > 1) {
    throw new AppError('FACE_MULTIPLE', `${faces.length} faces were found; the image must show one person only / 检测到多张人脸，图像中只能有一人`, {
      faces: faces.length,
    });
  }
  const face = faces[0]!;
  const size = Math.min(face.box.width, face.box.height);
  if (size < minFacePx) {
    throw new AppError('FACE_TOO_SMALL', `The face is ${size} px; come closer to the camera (at least ${minFacePx} px) / 人脸过小，请靠近摄像头`, {
      facePx: size,
      minFacePx,
    });
  }
  return face;
}
