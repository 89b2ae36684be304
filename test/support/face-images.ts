// Face images for the face tests and benchmark, derived from the fixtures (test/fixtures/faces): no
// offline source has two photos of one person, so "the same person" is the fixture mirrored, scaled,
// darkened, rotated or recompressed, a "second person in view" is another fixture pasted beside it, and
// a head turn is simulated by squeezing one half of the face horizontally and stretching the other.
import { readFileSync } from 'node:fs';
import jpeg from 'jpeg-js';
import { PNG } from 'pngjs';

export const FACE_FIXTURES = new URL('../fixtures/faces/', import.meta.url);

/** RGBA pixels, row by row. */
export interface Raster {
  width: number;
  height: number;
  data: Uint8Array;
}

export function fixtureBytes(name: 'astronaut.png' | 'grace-hopper.jpg' | 'chelsea.png'): Uint8Array {
  return new Uint8Array(readFileSync(new URL(name, FACE_FIXTURES)));
}

export function fixtureRaster(name: 'astronaut.png' | 'grace-hopper.jpg' | 'chelsea.png'): Raster {
  return decodeImage(fixtureBytes(name));
}

export function decodeImage(bytes: Uint8Array): Raster {
  if (bytes[0] === 0x89) {
    const png = PNG.sync.read(Buffer.from(bytes));
    return { width: png.width, height: png.height, data: new Uint8Array(png.data) };
  }
  const image = jpeg.decode(bytes, { useTArray: true, formatAsRGBA: true });
  return { width: image.width, height: image.height, data: image.data };
}

export function encodePng(raster: Raster): Uint8Array {
  const png = new PNG({ width: raster.width, height: raster.height });
  png.data = Buffer.from(raster.data);
  return new Uint8Array(PNG.sync.write(png));
}

export function encodeJpeg(raster: Raster, quality = 85): Uint8Array {
  return new Uint8Array(jpeg.encode({ width: raster.width, height: raster.height, data: raster.data }, quality).data);
}

export function blank(width: number, height: number, grey = 128): Raster {
  const data = new Uint8Array(width * height * 4).fill(grey);
  for (let index = 3; index < data.length; index += 4) data[index] = 255;
  return { width, height, data };
}

/** Bilinear sample of channel c at (x, y); outside the image reads as mid grey. */
function sample(raster: Raster, x: number, y: number, channel: number): number {
  if (x < 0 || y < 0 || x > raster.width - 1 || y > raster.height - 1) return channel === 3 ? 255 : 128;
  const x0 = Math.floor(x);
  const y0 = Math.floor(y);
  const x1 = Math.min(x0 + 1, raster.width - 1);
  const y1 = Math.min(y0 + 1, raster.height - 1);
  const fx = x - x0;
  const fy = y - y0;
  const at = (px: number, py: number) => raster.data[(py * raster.width + px) * 4 + channel]!;
  const top = at(x0, y0) * (1 - fx) + at(x1, y0) * fx;
  const bottom = at(x0, y1) * (1 - fx) + at(x1, y1) * fx;
  return top * (1 - fy) + bottom * fy;
}

/** A new raster whose pixel (x, y) is read from `source` at `from(x, y)`. */
function remap(source: Raster, width: number, height: number, from: (x: number, y: number) => [number, number]): Raster {
  const data = new Uint8Array(width * height * 4);
  for (let y = 0; y < height; y += 1) {
    for (let x = 0; x < width; x += 1) {
      const [sx, sy] = from(x, y);
      for (let channel = 0; channel < 4; channel += 1) data[(y * width + x) * 4 + channel] = Math.round(sample(source, sx, sy, channel));
    }
  }
  return { width, height, data };
}

export function mirror(raster: Raster): Raster {
  return remap(raster, raster.width, raster.height, (x, y) => [raster.width - 1 - x, y]);
}

export function scale(raster: Raster, factor: number): Raster {
  const width = Math.round(raster.width * factor);
  const height = Math.round(raster.height * factor);
  return remap(raster, width, height, (x, y) => [x / factor, y / factor]);
}

/** Multiplies every colour by `factor` (0.5 = half as bright). */
export function darken(raster: Raster, factor: number): Raster {
  const data = new Uint8Array(raster.data);
  for (let index = 0; index < data.length; index += 1) if (index % 4 !== 3) data[index] = Math.round(data[index]! * factor);
  return { ...raster, data };
}

/** Rotates about the centre by `degrees` clockwise, keeping the size. */
export function rotate(raster: Raster, degrees: number): Raster {
  const angle = (degrees * Math.PI) / 180;
  const cx = (raster.width - 1) / 2;
  const cy = (raster.height - 1) / 2;
  const cos = Math.cos(angle);
  const sin = Math.sin(angle);
  return remap(raster, raster.width, raster.height, (x, y) => [cx + (x - cx) * cos + (y - cy) * sin, cy - (x - cx) * sin + (y - cy) * cos]);
}

/** JPEG round trip at a low quality: the artefacts of a cheap camera or a re-sent photo. */
export function recompress(raster: Raster, quality = 40): Raster {
  return decodeImage(encodeJpeg(raster, quality));
}

/** `pieces` pasted onto a grey canvas of the given size at their positions. */
export function compose(width: number, height: number, pieces: { raster: Raster; x: number; y: number }[]): Raster {
  const canvas = blank(width, height);
  for (const { raster, x: left, y: top } of pieces) {
    for (let y = 0; y < raster.height; y += 1) {
      const ty = top + y;
      if (ty < 0 || ty >= height) continue;
      for (let x = 0; x < raster.width; x += 1) {
        const tx = left + x;
        if (tx < 0 || tx >= width) continue;
        canvas.data.set(raster.data.subarray((y * raster.width + x) * 4, (y * raster.width + x) * 4 + 4), (ty * width + tx) * 4);
      }
    }
  }
  return canvas;
}

/**
 * A head turn, approximately: inside the band [left, right] the column at `centre` moves by `shift`
 * pixels, the half it moves towards is squeezed and the other half stretched (outside the band nothing
 * moves). The nose moves between the jaw edges, as it does when a head turns.
 */
export function turnHead(raster: Raster, band: { left: number; right: number; centre: number }, shift: number): Raster {
  const { left, right, centre } = band;
  const moved = centre + shift;
  return remap(raster, raster.width, raster.height, (x, y) => {
    if (x <= left || x >= right) return [x, y];
    if (x <= moved) return [left + ((x - left) / (moved - left)) * (centre - left), y];
    return [centre + ((x - moved) / (right - moved)) * (right - centre), y];
  });
}

/** The face placed in a 640 × 480 camera frame (the benchmark's and the liveness tests' frame size). */
export function cameraFrame(face: Raster, options: { x?: number; y?: number } = {}): Raster {
  return compose(640, 480, [{ raster: face, x: options.x ?? Math.round((640 - face.width) / 2), y: options.y ?? Math.round((480 - face.height) / 2) }]);
}
