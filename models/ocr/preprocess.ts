// Prepares a photo of an ID card for the recogniser, in plain JS on the grey pixels: shrink to a working
// size, straighten (the text-line angle from a projection profile over ±15°), crop to the card, stretch the
// contrast and soften sensor noise. Each step is a small pure function so tests can check it alone.
import { IdCardImageError } from './idcard-image-error.ts';
import type { GreyImage } from './grey-image.ts';

/** Card text is ~30 px high at this size: what tesseract reads best, and fast. Larger photos are shrunk. */
export const WORKING_LONG_SIDE = 1400;
/** Fewer grey levels than this between the darkest and lightest 1 % means there is nothing on the image. */
const BLANK_RANGE = 24;
const MAX_SKEW_DEGREES = 15;
/** Pixels per bin of the skew profile (text lines are ~30 px high). */
const PROFILE_BIN = 4;

export interface Preprocessed {
  image: GreyImage;
  /** Skew found and removed, degrees clockwise. */
  skewDegrees: number;
  /** The card's box in the straightened working image. */
  crop: { left: number; top: number; width: number; height: number };
}

export function preprocessIdCard(input: GreyImage): Preprocessed {
  // Softened first: single noisy pixels would otherwise count as ink and favour the pixel grid's own angle.
  const small = boxBlur3(shrink(input, WORKING_LONG_SIDE));
  const [low, high] = percentiles(small.pixels, 0.01, 0.99) as [number, number];
  if (high - low < BLANK_RANGE) throw new IdCardImageError('image-blank', 'The image is blank: no card found / 图片为空白，未找到证件');
  const skewDegrees = estimateSkew(small);
  const straight = Math.abs(skewDegrees) < 0.2 ? small : rotate(small, skewDegrees, borderMedian(small));
  const crop = findCard(straight);
  const card = stretchContrast(cropImage(straight, crop));
  return { image: card, skewDegrees, crop };
}

/** Area-average shrink so the longer side is at most `longSide` (no-op for smaller images). */
export function shrink(image: GreyImage, longSide: number): GreyImage {
  const factor = Math.ceil(Math.max(image.width, image.height) / longSide);
  if (factor <= 1) return image;
  const width = Math.floor(image.width / factor);
  const height = Math.floor(image.height / factor);
  const pixels = new Uint8Array(width * height);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      let sum = 0;
      for (let dy = 0; dy < factor; dy++) {
        const row = (y * factor + dy) * image.width + x * factor;
        for (let dx = 0; dx < factor; dx++) sum += image.pixels[row + dx]!;
      }
      pixels[y * width + x] = Math.round(sum / (factor * factor));
    }
  }
  return { width, height, pixels };
}

/** Grey levels below which the given fractions of pixels lie. */
export function percentiles(pixels: Uint8Array, ...fractions: number[]): number[] {
  const histogram = new Uint32Array(256);
  for (const value of pixels) histogram[value]!++;
  return fractions.map((fraction) => {
    const target = fraction * pixels.length;
    let seen = 0;
    for (let level = 0; level < 256; level++) {
      seen += histogram[level]!;
      if (seen >= target) return level;
    }
    return 255;
  });
}

/** The grey level splitting the image best into dark and light (Otsu). */
export function otsuThreshold(pixels: Uint8Array): number {
  const histogram = new Float64Array(256);
  for (const value of pixels) histogram[value]!++;
  let total = 0;
  for (let level = 0; level < 256; level++) total += level * histogram[level]!;
  let best = 128;
  let bestVariance = -1;
  let weightDark = 0;
  let sumDark = 0;
  for (let level = 0; level < 256; level++) {
    weightDark += histogram[level]!;
    if (weightDark === 0) continue;
    const weightLight = pixels.length - weightDark;
    if (weightLight === 0) break;
    sumDark += level * histogram[level]!;
    const meanDark = sumDark / weightDark;
    const meanLight = (total - sumDark) / weightLight;
    const variance = weightDark * weightLight * (meanDark - meanLight) ** 2;
    if (variance > bestVariance) {
      bestVariance = variance;
      best = level;
    }
  }
  return best;
}

/**
 * Ink: dark pixels with light ones close on both sides of the same row — strokes of text. Large dark areas
 * (the table around the card, the portrait) are left out, so they do not pull the angle towards their edges.
 */
export function inkPoints(image: GreyImage, threshold: number, maxStroke: number): Int32Array {
  const { width, height, pixels } = image;
  const points: number[] = [];
  const lightLeft = new Int32Array(width);
  for (let y = 0; y < height; y++) {
    const row = y * width;
    let last = -1e9;
    for (let x = 0; x < width; x++) {
      if (pixels[row + x]! > threshold) last = x;
      lightLeft[x] = x - last;
    }
    let next = 1e9;
    for (let x = width - 1; x >= 0; x--) {
      if (pixels[row + x]! > threshold) {
        next = x;
        continue;
      }
      if (lightLeft[x]! <= maxStroke && next - x <= maxStroke) points.push(x, y);
    }
  }
  return Int32Array.from(points);
}

/** Sharpness of the row profile when the ink is projected at `degrees`: high when text lines line up. */
export function profileSharpness(points: Int32Array, degrees: number, height: number, width: number, step: number): number {
  const radians = (degrees * Math.PI) / 180;
  const sin = Math.sin(radians);
  const cos = Math.cos(radians);
  const margin = Math.ceil(width * Math.abs(sin)) + 2;
  // Bins of a few pixels, each point shared between its two nearest: with one-pixel bins the pixel grid's
  // own angle (0°) wins on rounding alone.
  const bins = new Float64Array(Math.ceil((height + 2 * margin) / PROFILE_BIN) + 2);
  for (let i = 0; i < points.length; i += 2 * step) {
    const projected = (points[i + 1]! * cos - points[i]! * sin + margin) / PROFILE_BIN;
    const bin = Math.floor(projected);
    if (bin < 0 || bin + 1 >= bins.length) continue;
    bins[bin]! += bin + 1 - projected;
    bins[bin + 1]! += projected - bin;
  }
  let sum = 0;
  for (let i = 1; i < bins.length; i++) sum += (bins[i]! - bins[i - 1]!) ** 2;
  return sum;
}

/** The text lines' angle, degrees clockwise, within ±15° (coarse half-degree search, then tenths). */
export function estimateSkew(image: GreyImage): number {
  const threshold = otsuThreshold(image.pixels);
  const maxStroke = Math.max(4, Math.round(Math.min(image.width, image.height) / 40));
  const points = inkPoints(image, threshold, maxStroke);
  if (points.length < 200) return 0;
  const step = Math.max(1, Math.floor(points.length / 2 / 40_000));
  const best = (from: number, to: number, by: number) => {
    let angle = 0;
    let score = -1;
    for (let degrees = from; degrees <= to + 1e-9; degrees += by) {
      const s = profileSharpness(points, degrees, image.height, image.width, step);
      if (s > score) {
        score = s;
        angle = degrees;
      }
    }
    return angle;
  };
  const coarse = best(-MAX_SKEW_DEGREES, MAX_SKEW_DEGREES, 0.5);
  return Math.round(best(coarse - 0.5, coarse + 0.5, 0.1) * 10) / 10;
}

function borderMedian(image: GreyImage): number {
  const { width, height, pixels } = image;
  const border: number[] = [];
  for (let x = 0; x < width; x += 2) border.push(pixels[x]!, pixels[(height - 1) * width + x]!);
  for (let y = 0; y < height; y += 2) border.push(pixels[y * width]!, pixels[y * width + width - 1]!);
  border.sort((a, b) => a - b);
  return border[border.length >> 1]!;
}

/** Turns the image by −`degrees` about its centre (bilinear), so lines sloping by `degrees` become level. */
export function rotate(image: GreyImage, degrees: number, fill: number): GreyImage {
  const { width, height, pixels } = image;
  const radians = (degrees * Math.PI) / 180;
  const sin = Math.sin(radians);
  const cos = Math.cos(radians);
  const cx = (width - 1) / 2;
  const cy = (height - 1) / 2;
  const out = new Uint8Array(width * height);
  for (let v = 0; v < height; v++) {
    for (let u = 0; u < width; u++) {
      const x = cx + (u - cx) * cos - (v - cy) * sin;
      const y = cy + (u - cx) * sin + (v - cy) * cos;
      const x0 = Math.floor(x);
      const y0 = Math.floor(y);
      if (x0 < 0 || y0 < 0 || x0 + 1 >= width || y0 + 1 >= height) {
        out[v * width + u] = fill;
        continue;
      }
      const fx = x - x0;
      const fy = y - y0;
      const i = y0 * width + x0;
      const top = pixels[i]! * (1 - fx) + pixels[i + 1]! * fx;
      const bottom = pixels[i + width]! * (1 - fx) + pixels[i + width + 1]! * fx;
      out[v * width + u] = Math.round(top * (1 - fy) + bottom * fy);
    }
  }
  return { width, height, pixels: out };
}

/**
 * The card: the longest run of rows, and of columns, that are mostly light (the card is lighter than what
 * it lies on). When no such box stands out (the photo is all card), the whole image.
 */
export function findCard(image: GreyImage): Preprocessed['crop'] {
  const { width, height, pixels } = image;
  const threshold = otsuThreshold(pixels);
  const rowLight = new Float64Array(height);
  const columnLight = new Float64Array(width);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      if (pixels[y * width + x]! > threshold) {
        rowLight[y]!++;
        columnLight[x]!++;
      }
    }
  }
  const longestRun = (light: Float64Array, length: number, across: number) => {
    let start = 0;
    let bestStart = 0;
    let bestLength = 0;
    for (let i = 0; i <= length; i++) {
      const isLight = i < length && light[i]! / across > 0.45;
      if (!isLight) {
        if (i - start > bestLength) {
          bestLength = i - start;
          bestStart = start;
        }
        start = i + 1;
      }
    }
    return { start: bestStart, length: bestLength };
  };
  const rows = longestRun(rowLight, height, width);
  const columns = longestRun(columnLight, width, height);
  if (rows.length < height * 0.25 || columns.length < width * 0.25) return { left: 0, top: 0, width, height };
  // A little inside the edge: the rounded corners and the card's rim are not text.
  const inset = Math.round(Math.min(rows.length, columns.length) * 0.01);
  return { left: columns.start + inset, top: rows.start + inset, width: columns.length - 2 * inset, height: rows.length - 2 * inset };
}

export function cropImage(image: GreyImage, box: Preprocessed['crop']): GreyImage {
  const pixels = new Uint8Array(box.width * box.height);
  for (let y = 0; y < box.height; y++) {
    const from = (box.top + y) * image.width + box.left;
    pixels.set(image.pixels.subarray(from, from + box.width), y * box.width);
  }
  return { width: box.width, height: box.height, pixels };
}

/** Maps the darkest 1 % to black and the lightest 1 % to white (faded print, dim photos). */
export function stretchContrast(image: GreyImage): GreyImage {
  const [low, high] = percentiles(image.pixels, 0.01, 0.99) as [number, number];
  const span = Math.max(1, high - low);
  const levels = Uint8Array.from({ length: 256 }, (_, value) => Math.max(0, Math.min(255, Math.round(((value - low) * 255) / span))));
  const pixels = new Uint8Array(image.pixels.length);
  for (let i = 0; i < pixels.length; i++) pixels[i] = levels[image.pixels[i]!]!;
  return { ...image, pixels };
}

/** 3×3 mean (two 3-tap passes; edges average what is there): takes the edge off sensor noise without thinning 30 px strokes. */
export function boxBlur3(image: GreyImage): GreyImage {
  const { width, height, pixels } = image;
  const across = new Uint16Array(pixels.length);
  const counts = new Uint8Array(pixels.length);
  for (let y = 0; y < height; y++) {
    const row = y * width;
    for (let x = 0; x < width; x++) {
      let sum = pixels[row + x]!;
      let count = 1;
      if (x > 0) (sum += pixels[row + x - 1]!), count++;
      if (x < width - 1) (sum += pixels[row + x + 1]!), count++;
      across[row + x] = sum;
      counts[row + x] = count;
    }
  }
  const out = new Uint8Array(pixels.length);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const i = y * width + x;
      let sum = across[i]!;
      let count = counts[i]!;
      if (y > 0) (sum += across[i - width]!), (count += counts[i - width]!);
      if (y < height - 1) (sum += across[i + width]!), (count += counts[i + width]!);
      out[i] = Math.round(sum / count);
    }
  }
  return { width, height, pixels: out };
}
