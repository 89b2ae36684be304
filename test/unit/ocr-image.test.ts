// Reading and preparing ID-card photos: refusals by content and size, and the preprocessing steps on
// images drawn here (text-like bars at a known angle on a light card lying on a dark table).
import { describe, expect, it } from 'vitest';
import jpeg from 'jpeg-js';
import { PNG } from 'pngjs';
import { greyImageToPng, readGreyImage, type GreyImage } from '../../models/ocr/grey-image.ts';
import { IdCardImageError } from '../../models/ocr/idcard-image-error.ts';
import { estimateSkew, findCard, preprocessIdCard, rotate, stretchContrast } from '../../models/ocr/preprocess.ts';
import { parseTesseractTsv } from '../../models/ocr/tesseract-cli-engine.ts';

function rgbaPng(width: number, height: number, paint: (x: number, y: number) => number): Buffer {
  const png = new PNG({ width, height });
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const i = (y * width + x) * 4;
      png.data.fill(paint(x, y), i, i + 3);
      png.data[i + 3] = 255;
    }
  }
  return PNG.sync.write(png);
}

/** A 700×440 card (grey 235) with five rows of 12×24 "characters" on a 900×640 table (grey 90). */
function cardImage(): GreyImage {
  const width = 900;
  const height = 640;
  const pixels = new Uint8Array(width * height).fill(90);
  for (let y = 100; y < 540; y++) pixels.fill(235, y * width + 100, y * width + 800);
  for (let row = 0; row < 5; row++) {
    for (let char = 0; char < 18; char++) {
      for (let y = 150 + row * 75; y < 174 + row * 75; y++) {
        const x0 = 150 + char * 30;
        for (let x = x0; x < x0 + 12; x++) if ((x + y) % 5 !== 0) pixels[y * width + x] = 30;
      }
    }
  }
  return { width, height, pixels };
}

const refusal = (run: () => unknown) => {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(IdCardImageError);
    const e = error as IdCardImageError;
    return { reason: e.reason, code: e.code };
  }
  throw new Error('not refused');
};

describe('reading an ID-card photo', () => {
  it('reads PNG and JPEG into grey', () => {
    const png = readGreyImage(rgbaPng(4, 3, (x) => x * 60));
    expect([png.width, png.height, [...png.pixels.slice(0, 4)]]).toEqual([4, 3, [0, 60, 120, 180]]);
    const rgba = Buffer.alloc(16 * 8 * 4, 200);
    const jpg = readGreyImage(jpeg.encode({ width: 16, height: 8, data: rgba }, 90).data);
    expect([jpg.width, jpg.height]).toEqual([16, 8]);
    expect(Math.abs(jpg.pixels[0]! - 200)).toBeLessThan(4);
  });

  it('refuses other files, by their bytes', () => {
    expect(refusal(() => readGreyImage(Buffer.from('%PDF-1.7 not an image')))).toEqual({ reason: 'not-an-image', code: 'UNSUPPORTED_MEDIA_TYPE' });
    expect(refusal(() => readGreyImage(Buffer.alloc(0)))).toMatchObject({ reason: 'not-an-image' });
  });

  it('refuses files over the byte limit and images over the pixel limit before decoding', () => {
    const small = rgbaPng(10, 10, () => 255);
    expect(refusal(() => readGreyImage(small, { maxBytes: small.length - 1, maxPixels: 1e6 }))).toEqual({ reason: 'image-too-large', code: 'PAYLOAD_TOO_LARGE' });
    // A header claiming 60 000 × 60 000 pixels with no image data behind it: refused from the header alone.
    const bomb = Buffer.from(small);
    bomb.writeUInt32BE(60_000, 16);
    bomb.writeUInt32BE(60_000, 20);
    expect(refusal(() => readGreyImage(bomb))).toMatchObject({ reason: 'image-too-large' });
    const bigJpeg = jpeg.encode({ width: 64, height: 64, data: Buffer.alloc(64 * 64 * 4, 128) }).data;
    expect(refusal(() => readGreyImage(bigJpeg, { maxBytes: 1e6, maxPixels: 64 * 63 }))).toMatchObject({ reason: 'image-too-large' });
  });

  it('refuses truncated images as unreadable', () => {
    const png = rgbaPng(50, 50, (x, y) => (x * y) % 256);
    expect(refusal(() => readGreyImage(png.subarray(0, png.length - 40)))).toEqual({ reason: 'image-unreadable', code: 'VALIDATION_FAILED' });
    expect(refusal(() => readGreyImage(Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0, 4, 0, 0])))).toMatchObject({ reason: 'image-unreadable' });
  });

  it('writes grey PNGs that read back the same', () => {
    const image = cardImage();
    expect(Buffer.compare(readGreyImage(greyImageToPng(image)).pixels, image.pixels)).toBe(0);
  });
});

describe('preparing an ID-card photo', () => {
  it('finds the angle of the text lines within a few tenths of a degree', () => {
    const card = cardImage();
    expect(Math.abs(estimateSkew(card))).toBeLessThanOrEqual(0.2);
    for (const degrees of [-12, -4.5, 3, 7]) {
      // rotate(…, −d) turns the card so its lines slope by d.
      expect(Math.abs(estimateSkew(rotate(card, -degrees, 90)) - degrees)).toBeLessThanOrEqual(0.4);
    }
  });

  it('crops to the light card on the dark table', () => {
    const box = findCard(cardImage());
    expect(Math.abs(box.left - 100)).toBeLessThanOrEqual(8);
    expect(Math.abs(box.top - 100)).toBeLessThanOrEqual(8);
    expect(Math.abs(box.left + box.width - 800)).toBeLessThanOrEqual(8);
    expect(Math.abs(box.top + box.height - 540)).toBeLessThanOrEqual(8);
  });

  it('keeps the whole image when it is all card', () => {
    const card = cardImage();
    const inner = { width: 700, height: 440, pixels: new Uint8Array(700 * 440) };
    for (let y = 0; y < 440; y++) inner.pixels.set(card.pixels.subarray((y + 100) * 900 + 100, (y + 100) * 900 + 800), y * 700);
    const box = findCard(inner);
    expect(box.left).toBeLessThanOrEqual(5);
    expect(box.width).toBeGreaterThanOrEqual(690);
  });

  it('stretches a faded image to the full range', () => {
    const faded = { width: 100, height: 1, pixels: Uint8Array.from({ length: 100 }, (_, i) => 120 + Math.floor(i / 2)) };
    const stretched = stretchContrast(faded);
    expect(stretched.pixels[0]).toBe(0);
    expect(stretched.pixels[99]).toBe(255);
  });

  it('straightens and crops a skewed card, and refuses a blank image', () => {
    const prepared = preprocessIdCard(rotate(cardImage(), -5, 90));
    expect(Math.abs(prepared.skewDegrees - 5)).toBeLessThanOrEqual(0.4);
    expect(Math.abs(prepared.crop.width - 700)).toBeLessThanOrEqual(40);
    expect([prepared.image.width, prepared.image.height]).toEqual([prepared.crop.width, prepared.crop.height]);
    const blank = { width: 400, height: 300, pixels: new Uint8Array(400 * 300).fill(250) };
    expect(refusal(() => preprocessIdCard(blank))).toEqual({ reason: 'image-blank', code: 'VALIDATION_FAILED' });
  });
});

describe("tesseract's TSV", () => {
  it('groups words into lines and keeps confidences 0–1', () => {
    const tsv = [
      'level\tpage_num\tblock_num\tpar_num\tline_num\tword_num\tleft\ttop\twidth\theight\tconf\ttext',
      '4\t1\t1\t1\t1\t0\t44\t43\t136\t29\t-1\t',
      '5\t1\t1\t1\t1\t1\t44\t44\t55\t28\t92.128761\t姓名',
      '5\t1\t1\t1\t1\t2\t123\t43\t57\t29\t90.5\t张',
      '5\t1\t1\t1\t2\t1\t43\t110\t59\t29\t63.07\t性',
      '5\t1\t1\t1\t2\t2\t93\t104\t24\t48\t-1\t ',
    ].join('\n');
    expect(parseTesseractTsv(tsv)).toEqual([
      { words: [{ text: '姓名', confidence: 0.921, box: { left: 44, top: 44, width: 55, height: 28 } }, { text: '张', confidence: 0.905, box: { left: 123, top: 43, width: 57, height: 29 } }] },
      { words: [{ text: '性', confidence: 0.631, box: { left: 43, top: 110, width: 59, height: 29 } }] },
    ]);
  });
});
