// Runs a liveness challenge on a short sequence of camera frames with the face service and returns the
// judgement with everything the caller keeps as evidence of the check (challenge, per-frame scores and
// SHA-256, times). The frames themselves are not kept; their descriptors never leave this function.
import { AppError } from '../../../platform/errors.ts';
import type { FaceService } from '../face-service.ts';
import { singleFace } from '../face-match.ts';
import { judgeLiveness, LIVENESS_LIMITS, type FrameFace, type LivenessChallenge, type LivenessJudgement } from './liveness-challenge.ts';

export interface LivenessResult extends LivenessJudgement {
  startedAt: string;
  finishedAt: string;
  durationMs: number;
}

/**
 * The judgement for `frames` (PNG or JPEG, in order). A frame with no face, several faces or a face too
 * small is refused with that code and `details.frame`; a wrong number of frames with VALIDATION_FAILED.
 */
export async function checkLiveness(options: {
  service: FaceService;
  challenge: LivenessChallenge;
  frames: readonly Uint8Array[];
  /** When given, every frame must also match this enrolled face. */
  enrolledDescriptor?: readonly number[];
}): Promise<LivenessResult> {
  const { service, challenge, frames } = options;
  if (frames.length < LIVENESS_LIMITS.minFrames || frames.length > LIVENESS_LIMITS.maxFrames) {
    throw new AppError('VALIDATION_FAILED', `A liveness check takes ${LIVENESS_LIMITS.minFrames}–${LIVENESS_LIMITS.maxFrames} frames, not ${frames.length}`);
  }
  const started = new Date();
  const startedMs = performance.now();
  // Two frames in flight keep both workers busy without filling the queue other checks share.
  const faces: FrameFace[] = new Array(frames.length);
  let next = 0;
  const lane = async () => {
    for (let index = next++; index < frames.length; index = next++) faces[index] = await measureFrame(service, frames[index]!, index);
  };
  await Promise.all([lane(), lane()]);
  const judgement = judgeLiveness(challenge, faces, {
    threshold: service.threshold,
    ...(options.enrolledDescriptor ? { enrolledDescriptor: options.enrolledDescriptor } : {}),
  });
  return { ...judgement, startedAt: started.toISOString(), finishedAt: new Date().toISOString(), durationMs: Math.round(performance.now() - startedMs) };
}

async function measureFrame(service: FaceService, frame: Uint8Array, index: number): Promise<FrameFace> {
  try {
    const analysed = await service.analyse(frame);
    const face = singleFace(analysed, service.minFacePx);
    return { sha256: analysed.sha256, landmarks: face.landmarks, descriptor: face.descriptor };
  } catch (error) {
    if (error instanceof AppError) {
      throw new AppError(error.code, `Frame ${index + 1}: ${error.message}`, { frame: index, ...(error.details as object | undefined) }, { cause: error });
    }
    throw error;
  }
}
