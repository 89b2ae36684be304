// Reads an uploaded image's format and size from its first bytes, so that non-images and huge images
// are refused before any decoding work is queued (a 10 000 × 10 000 PNG decodes to 400 MB).
import { AppError } from '../../platform/errors.ts';

export type ImageFormat = 'png' | 'jpeg';

export interface ImageHeader {
  format: ImageFormat;
  width: number;
  height: number;
}

/** A phone photo of an ID card or a 1080p camera frame fits well inside these. */
export const IMAGE_LIMITS = { maxBytes: 10 * 1024 * 1024, maxSide: 4096, maxPixels: 16_000_000 } as const;

const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

/** The image's format and dimensions, or IMAGE_INVALID / IMAGE_TOO_LARGE. */
export function readImageHeader(bytes: Uint8Array, limits: { maxBytes: number; maxSide: number; maxPixels: number } = IMAGE_LIMITS): ImageHeader {
  if (bytes.byteLength > limits.maxBytes) {
    throw new AppError('IMAGE_TOO_LARGE', `The image is larger than ${Math.round(limits.maxBytes / 1024 / 1024)} MB`, { bytes: bytes.byteLength });
  }
  const header = pngHeader(bytes) ?? jpegHeader(bytes);
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

function pngHeader(bytes: Uint8Array): ImageHeader | null {
  if (bytes.byteLength < 24 || !PNG_SIGNATURE.every((value, index) => bytes[index] === value)) return null;
  // The first chunk is always IHDR: width and height are its first two 32-bit fields.
  if (String.fromCharCode(...bytes.subarray(12, 16)) !== 'IHDR') return null;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  return { format: 'png', width: view.getUint32(16), height: view.getUint32(20) };
}

function jpegHeader(bytes: Uint8Array): ImageHeader | null {
  if (bytes.byteLength < 4 || bytes[0] !== 0xff || bytes[1] !== 0xd8) return null;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let offset = 2;
  // Walk the marker segments up to the frame header (SOF0–SOF15 except DHT, JPG and DAC).
  while (offset + 4 <= bytes.byteLength) {
    if (bytes[offset] !== 0xff) return null;
    const marker = bytes[offset + 1]!;
    if (marker === 0xff) {
      offset += 1;
      continue;
    }
    const length = view.getUint16(offset + 2);
    if (marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc) {
      if (offset + 9 > bytes.byteLength) return null;
      return { format: 'jpeg', height: view.getUint16(offset + 5), width: view.getUint16(offset + 7) };
    }
    if (marker === 0xda || marker === 0xd9 || length < 2) return null;
    offset += 2 + length;
  }
  return null;
}
