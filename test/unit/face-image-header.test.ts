// Uploaded images are sniffed before any decoding: format and size from the header, refusals coded.
import { describe, expect, it } from 'vitest';
import { readImageHeader } from '../../models/face/image-header.ts';
import { AppError } from '../../platform/errors.ts';
import { blank, encodeJpeg, encodePng, fixtureBytes } from '../support/face-images.ts';

function refusal(run: () => unknown): string | undefined {
  try {
    run();
  } catch (error) {
    if (error instanceof AppError) return error.code;
    throw error;
  }
  return undefined;
}

describe('readImageHeader', () => {
  it('reads the format and size of PNG and JPEG images, progressive JPEG included', () => {
    expect(readImageHeader(fixtureBytes('astronaut.png'))).toEqual({ format: 'png', width: 512, height: 512 });
    expect(readImageHeader(fixtureBytes('grace-hopper.jpg'))).toEqual({ format: 'jpeg', width: 512, height: 512 });
    expect(readImageHeader(encodeJpeg(blank(640, 480)))).toEqual({ format: 'jpeg', width: 640, height: 480 });
    expect(readImageHeader(encodePng(blank(33, 17)))).toEqual({ format: 'png', width: 33, height: 17 });
  });

  it('refuses what is not a PNG or JPEG image as IMAGE_INVALID', () => {
    expect(refusal(() => readImageHeader(new TextEncoder().encode('%PDF-1.7 not an image')))).toBe('IMAGE_INVALID');
    expect(refusal(() => readImageHeader(new Uint8Array(0)))).toBe('IMAGE_INVALID');
    // A PNG cut off inside its header, and a JPEG whose segments run off the end.
    expect(refusal(() => readImageHeader(fixtureBytes('astronaut.png').subarray(0, 20)))).toBe('IMAGE_INVALID');
    expect(refusal(() => readImageHeader(new Uint8Array([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, 0x4a])))).toBe('IMAGE_INVALID');
  });

  it('refuses images over the byte or pixel limits as IMAGE_TOO_LARGE', () => {
    const limits = { maxBytes: 1000, maxSide: 4096, maxPixels: 16_000_000 };
    expect(refusal(() => readImageHeader(fixtureBytes('grace-hopper.jpg'), limits))).toBe('IMAGE_TOO_LARGE');
    // A tiny PNG claiming 20 000 × 20 000 pixels: refused from the header, never decoded.
    const huge = encodePng(blank(2, 2));
    new DataView(huge.buffer, huge.byteOffset).setUint32(16, 20_000);
    new DataView(huge.buffer, huge.byteOffset).setUint32(20, 20_000);
    expect(refusal(() => readImageHeader(huge))).toBe('IMAGE_TOO_LARGE');
    expect(refusal(() => readImageHeader(encodePng(blank(300, 200)), { maxBytes: 1e9, maxSide: 256, maxPixels: 1e9 }))).toBe('IMAGE_TOO_LARGE');
  });
});
