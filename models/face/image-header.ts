// The face service's checks of an uploaded image before any decoding is queued: PNG or JPEG, within the
// size limits (models/image/image-header.ts reads the header).
import { AppError } from '../../platform/errors.ts';
import { readImageHeader as headerOf, type ImageHeader } from '../image/image-header.ts';

export type { ImageFormat, ImageHeader } from '../image/image-header.ts';

/** A phone photo of an ID card or a 1080p camera frame fits well inside these. */
export const IMAGE_LIMITS = { maxBytes: 10 * 1024 * 1024, maxSide: 4096, maxPixels: 16_000_000 } as const;

/** The image's format and dimensions, or IMAGE_INVALID / IMAGE_TOO_LARGE. */
export function readImageHeader(bytes: Uint8Array, limits: { maxBytes: number; maxSide: number; maxPixels: number } = IMAGE_LIMITS): ImageHeader {
  if (bytes.byteLength > limits.maxBytes) {
    throw new AppError('IMAGE_TOO_LARGE', `The image is larger than ${Math.round(limits.maxBytes / 1024 / 1024)} MB`, { bytes: bytes.byteLength });
  }
  const header = headerOf(bytes);
  if (!header) throw new AppError('IMAGE_INVALID', 'The file is not a PNG or JPEG image');
  if (header.width === 0 || header.height === 0) throw new AppError('IMAGE_INVALID', 'The image has no pixels');
  if (header.width > limits.maxSide || header.height > limits.maxSide || header.width * header.height > limits.maxPixels) {
    throw new AppError('IMAGE_TOO_LARGE', `The image is ${header.width} × ${header.height} pixels; at most ${limits.maxSide} per side`, {
      width: header.width,
      height: header.height,
    });
  }
  return header;
}
