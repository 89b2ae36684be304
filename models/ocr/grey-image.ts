// Reads an uploaded ID-card photo (PNG or JPEG, recognised by its bytes, never by its name) into one grey
// channel, refusing anything else, anything over the size limits and anything that does not decode.
// decodeGreyImage (sharp: libvips, prebuilt inside its npm package) is what reading a card uses: libjpeg-turbo
// instead of the pure-JS jpeg-js for the JPEGs phones send (a PNG costs about the same either way: both
// inflate with zlib). The pure-JS readGreyImage (pngjs / jpeg-js) stays as the reference the tests and the
// benchmark compare it with.
import jpeg from 'jpeg-js';
import { PNG } from 'pngjs';
import sharp from 'sharp';
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

/** The format and size from the header, after the byte and pixel limits: nothing is decoded yet. */
function checkedHeader(bytes: Uint8Array, limits: ImageLimits): { type: 'png' | 'jpeg'; width: number; height: number } {
  if (bytes.length > limits.maxBytes) throw tooLarge(`${bytes.length} bytes, limit ${limits.maxBytes}`);
  const type = imageFormatOf(bytes);
  if (!type) throw new IdCardImageError('not-an-image', 'The file is not a PNG or JPEG image / 文件不是 PNG 或 JPEG 图片');
  const size = readImageHeader(bytes);
  if (!size || size.width === 0 || size.height === 0) throw unreadable(type);
  if (size.width * size.height > limits.maxPixels) throw tooLarge(`${size.width}×${size.height} pixels, limit ${limits.maxPixels}`);
  return { type, width: size.width, height: size.height };
}

const unreadable = (type: string, cause?: unknown) =>
  new IdCardImageError('image-unreadable', `The ${type.toUpperCase()} image cannot be read / 无法读取该图片`, cause === undefined ? undefined : { cause });

/**
 * The photo as one grey channel, decoded by libvips; with `longSide`, shrunk by the smallest whole factor
 * that brings its longer side within it (preprocess.ts's shrink, done while decoding: a large JPEG is then
 * decoded at reduced size by its DCT scaling instead of in full). libvips only decodes (and shrinks): the
 * grey is computed here as in readGreyImage, because a grey level or two of difference was enough to turn
 * a 0 into a 7 on one noisy test card — the two decoders give the same pixels for a card within `longSide`.
 */
export async function decodeGreyImage(bytes: Uint8Array, limits: ImageLimits = DEFAULT_IMAGE_LIMITS, longSide?: number): Promise<GreyImage> {
  const { type, width, height } = checkedHeader(bytes, limits);
  try {
    let image = sharp(bytes, { limitInputPixels: limits.maxPixels, failOn: 'error' });
    const factor = longSide ? Math.ceil(Math.max(width, height) / longSide) : 1;
    if (factor > 1) image = image.resize(Math.floor(width / factor), Math.floor(height / factor), { fit: 'fill' });
    const { data, info } = await image.toColourspace('srgb').ensureAlpha().raw().toBuffer({ resolveWithObject: true });
    if (info.channels !== 4) throw new Error(`${info.channels} channels after conversion to RGBA`);
    return greyOf(info.width, info.height, data);
  } catch (error) {
    throw unreadable(type, error);
  }
}

/** The same in pure JS (pngjs / jpeg-js), at full size: the reference decodeGreyImage is checked against. */
export function readGreyImage(bytes: Uint8Array, limits: ImageLimits = DEFAULT_IMAGE_LIMITS): GreyImage {
  const { type } = checkedHeader(bytes, limits);
  let rgba: { width: number; height: number; data: Uint8Array };
  try {
    rgba =
      type === 'png'
        ? PNG.sync.read(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength))
        : jpeg.decode(bytes, { useTArray: true, formatAsRGBA: true, maxResolutionInMP: limits.maxPixels / 1e6, maxMemoryUsageInMB: 512 });
  } catch (error) {
    throw unreadable(type, error);
  }
  return greyOf(rgba.width, rgba.height, rgba.data);
}

function greyOf(width: number, height: number, data: Uint8Array): GreyImage {
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
