// decodeGreyImage (libvips through sharp), the decoder reading an ID card uses: the same grey as the pure-JS
// reference readGreyImage, the same whole-factor shrink as preprocess.ts, and the same refusals.
import { describe, expect, it } from 'vitest';
import jpeg from 'jpeg-js';
import { PNG } from 'pngjs';
import { decodeGreyImage, readGreyImage } from '../../models/ocr/grey-image.ts';
import { IdCardImageError } from '../../models/ocr/idcard-image-error.ts';
import { shrink } from '../../models/ocr/preprocess.ts';

/** Colours, half-transparent pixels and a pattern with edges, so that luma and alpha handling show. */
function colourPng(width: number, height: number): Buffer {
  const png = new PNG({ width, height });
  for (let i = 0; i < width * height; i++) {
    png.data[i * 4] = (i * 7) % 256;
    png.data[i * 4 + 1] = (i * 13) % 256;
    png.data[i * 4 + 2] = (i * 29) % 256;
    png.data[i * 4 + 3] = i % 3 === 0 ? 128 : 255;
  }
  return PNG.sync.write(png);
}

function greyPng(width: number, height: number, paint: (x: number, y: number) => number): Buffer {
  const png = new PNG({ width, height, colorType: 0, inputColorType: 0, inputHasAlpha: false });
  const pixels = Buffer.alloc(width * height);
  for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) pixels[y * width + x] = paint(x, y);
  png.data = pixels;
  return PNG.sync.write(png, { colorType: 0, inputColorType: 0, inputHasAlpha: false });
}

function meanDifference(a: Uint8Array, b: Uint8Array): number {
  expect(a.length).toBe(b.length);
  let sum = 0;
  for (let i = 0; i < a.length; i++) sum += Math.abs(a[i]! - b[i]!);
  return sum / a.length;
}

function maxDifference(a: Uint8Array, b: Uint8Array): number {
  expect(a.length).toBe(b.length);
  let most = 0;
  for (let i = 0; i < a.length; i++) most = Math.max(most, Math.abs(a[i]! - b[i]!));
  return most;
}

async function refusal(run: () => Promise<unknown>): Promise<{ reason: string; code: string }> {
  try {
    await run();
  } catch (error) {
    expect(error).toBeInstanceOf(IdCardImageError);
    const e = error as IdCardImageError;
    return { reason: e.reason, code: e.code };
  }
  throw new Error('not refused');
}

describe('decodeGreyImage', () => {
  it('gives the reference grey (BT.601 luma, transparency as white paper) for colour PNG, grey PNG and JPEG', async () => {
    const colour = colourPng(64, 32);
    const decoded = await decodeGreyImage(colour);
    expect([decoded.width, decoded.height]).toEqual([64, 32]);
    expect(maxDifference(decoded.pixels, readGreyImage(colour).pixels)).toBe(0);

    const grey = greyPng(40, 20, (x, y) => (x * 6 + y * 3) % 256);
    expect(maxDifference((await decodeGreyImage(grey)).pixels, readGreyImage(grey).pixels)).toBe(0);

    const rgba = Buffer.alloc(48 * 16 * 4);
    for (let i = 0; i < 48 * 16; i++) rgba.set([200, 120 + (i % 40), 40, 255], i * 4);
    const photo = jpeg.encode({ width: 48, height: 16, data: rgba }, 90).data;
    // Two JPEG decoders may round their IDCT differently by a level or two.
    expect(maxDifference((await decodeGreyImage(photo)).pixels, readGreyImage(photo).pixels)).toBeLessThanOrEqual(3);
  });

  it('shrinks by the whole factor preprocess.ts would use, to the same size and nearly the same pixels', async () => {
    // libvips filters and aligns its samples a little differently from the JS box average: edges differ.
    const big = greyPng(300, 120, (x, y) => ((Math.floor(x / 30) + Math.floor(y / 30)) % 2 ? 220 : 30));
    const shrunk = await decodeGreyImage(big, undefined, 140);
    const reference = shrink(readGreyImage(big), 140);
    expect([shrunk.width, shrunk.height]).toEqual([reference.width, reference.height]);
    expect([shrunk.width, shrunk.height]).toEqual([100, 40]);
    expect(meanDifference(shrunk.pixels, reference.pixels)).toBeLessThan(5);
    const small = await decodeGreyImage(big, undefined, 400);
    expect([small.width, small.height]).toEqual([300, 120]);
  });

  it('refuses what readGreyImage refuses, with the same reasons', async () => {
    expect(await refusal(() => decodeGreyImage(Buffer.from('%PDF-1.7 not an image')))).toEqual({ reason: 'not-an-image', code: 'UNSUPPORTED_MEDIA_TYPE' });
    const png = colourPng(50, 50);
    expect(await refusal(() => decodeGreyImage(png, { maxBytes: png.length - 1, maxPixels: 1e6 }))).toEqual({ reason: 'image-too-large', code: 'PAYLOAD_TOO_LARGE' });
    const bomb = Buffer.from(png);
    bomb.writeUInt32BE(60_000, 16);
    bomb.writeUInt32BE(60_000, 20);
    expect(await refusal(() => decodeGreyImage(bomb))).toMatchObject({ reason: 'image-too-large' });
    expect(await refusal(() => decodeGreyImage(png.subarray(0, png.length - 40)))).toEqual({ reason: 'image-unreadable', code: 'VALIDATION_FAILED' });
    expect(await refusal(() => decodeGreyImage(Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0, 4, 0, 0])))).toMatchObject({ reason: 'image-unreadable' });
  });
});
