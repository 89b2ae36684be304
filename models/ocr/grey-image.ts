// Reads an uploaded ID-card photo (PNG or JPEG, recognised by its bytes, never by its name) into one grey
// channel, refusing anything else, anything over the size limits and anything that does not decode.
import jpeg from 'jpeg-js';
import { PNG } from 'pngjs';
import { imageFormatOf, readImageHeader } from '../image/image-header.ts';
import { IdCardImageError } from './idcard-image-error.ts';

/** One 8-bit grey channel, row by row. */
export interface GreyImage {
  width: number;
  height: number;
  pixels: Uint8Array;
}

export interface ImageLimits {
  /** Largest file accepted. */
  maxBytes: number;
  /** Largest width × height accepted (checked from the header, before decoding). */
  maxPixels: number;
}

/** A phone photo of a card is 2–5 MB and 12 megapixels at most; more is not a photo of a card. */
export const DEFAULT_IMAGE_LIMITS: ImageLimits = { maxBytes: 10 * 1024 * 1024, maxPixels: 25_000_000 };

const tooLarge = (what: string) =>
  new IdCardImageError('image-too-large', `The image is too large (${what}) / 图片过大（${what}）`);

export function readGreyImage(bytes: Uint8Array, limits: ImageLimits = DEFAULT_IMAGE_LIMITS): GreyImage {
  if (bytes.length > limits.maxBytes) throw tooLarge(`${bytes.length} bytes, limit ${limits.maxBytes}`);
  const type = imageFormatOf(bytes);
  if (!type) throw new IdCardImageError('not-an-image', 'The file is not a PNG or JPEG image / 文件不是 PNG 或 JPEG 图片');
  const size = readImageHeader(bytes);
  if (!size || size.width === 0 || size.height === 0) {
    throw new IdCardImageError('image-unreadable', `The ${type.toUpperCase()} image cannot be read / 无法读取该图片`);
  }
  if (size.width * size.height > limits.maxPixels) throw tooLarge(`${size.width}×${size.height} pixels, limit ${limits.maxPixels}`);
  let rgba: { width: number; height: number; data: Uint8Array };
  try {
    rgba =
      type === 'png'
        ? PNG.sync.read(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength))
        : jpeg.decode(bytes, { useTArray: true, formatAsRGBA: true, maxResolutionInMP: limits.maxPixels / 1e6, maxMemoryUsageInMB: 512 });
  } catch (error) {
    throw new IdCardImageError('image-unreadable', `The ${type.toUpperCase()} image cannot be read / 无法读取该图片`, { cause: error });
  }
  const { width, height, data } = rgba;
  const pixels = new Uint8Array(width * height);
  for (let i = 0, p = 0; p < pixels.length; i += 4, p++) {
    // Transparent parts count as white paper; ITU-R BT.601 luma for the rest.
    const alpha = data[i + 3]! / 255;
    const luma = 0.299 * data[i]! + 0.587 * data[i + 1]! + 0.114 * data[i + 2]!;
    pixels[p] = Math.round(luma * alpha + 255 * (1 - alpha));
  }
  return { width, height, pixels };
}

/** A grey image as a PNG (what the recogniser is handed). */
export function greyImageToPng(image: GreyImage): Buffer {
  const png = new PNG({ width: image.width, height: image.height, colorType: 0, inputColorType: 0, inputHasAlpha: false });
  png.data = Buffer.from(image.pixels.buffer, image.pixels.byteOffset, image.pixels.byteLength);
  // Fastest settings (no filter search, light deflate): the PNG only crosses to the recogniser in memory.
  return PNG.sync.write(png, { colorType: 0, inputColorType: 0, inputHasAlpha: false, deflateLevel: 1, filterType: 0 });
}
