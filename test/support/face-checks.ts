// Camera frames for live face checks: a fixture's head turning (test/support/face-images.ts turnHead),
// placed in 640 × 480 frames, and the face service's geometry needed to turn it about the nose.
import type { FaceService } from '../../models/face/face-service.ts';
import { cameraFrame, encodeJpeg, encodePng, turnHead, type Raster } from './face-images.ts';

/**
 * JPEG frames of `raster`'s head turning: the face's centre column moves by these shares of the face width
 * (positive: the subject's left, as turnLeft wants; negative: right).
 */
export async function turningFrames(service: FaceService, raster: Raster, shares: readonly number[]): Promise<Uint8Array[]> {
  const face = (await service.describe(encodePng(raster))).face;
  const band = { left: face.box.x - 0.1 * face.box.width, right: face.box.x + 1.1 * face.box.width, centre: face.landmarks[30]![0] };
  return shares.map((share) => encodeJpeg(cameraFrame(turnHead(raster, band, Math.round(share * face.box.width))), 90));
}

/** A turn that meets turnLeft (positive shares) or turnRight (the same, mirrored). */
export const TURN_SHARES = { turnLeft: [0, 0.1, 0.2, 0.25, 0.15], turnRight: [0, -0.1, -0.2, -0.25, -0.15] } as const;
