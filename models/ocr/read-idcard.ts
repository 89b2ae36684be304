// One photo of an ID card side in, its fields out: decode and check the image, straighten and crop it
// (preprocess.ts), recognise it (tesseract, off the event loop), read and cross-check the fields.
import { chinaToday } from '../../platform/identity/check-id-number.ts';
import { decodeGreyImage, DEFAULT_IMAGE_LIMITS, greyImageToPng, type ImageLimits } from './grey-image.ts';
import { IdCardImageError } from './idcard-image-error.ts';
import { extractBack, extractFront, type IdCardField, type IdCardSide, type TypedIdentity } from './idcard-fields.ts';
import { preprocessIdCard, WORKING_LONG_SIDE } from './preprocess.ts';
import type { OcrEngine } from './ocr-engine.ts';

export interface IdCardReading {
  side: IdCardSide;
  /** Front: name, sex, ethnicity, birthDate, address, idNumber. Back: issuingAuthority, validity. */
  fields: Record<string, IdCardField>;
  /** True when any field does: the form asks the user to correct those. */
  needsCorrection: boolean;
  preprocessing: { skewDegrees: number; crop: { left: number; top: number; width: number; height: number } };
  timings: { preprocessMs: number; recogniseMs: number };
}

export interface ReadIdCardOptions {
  side: IdCardSide;
  typed?: TypedIdentity;
  limits?: ImageLimits;
  /** YYYY-MM-DD; default today in China. */
  today?: string;
}

export async function readIdCard(engine: OcrEngine, bytes: Uint8Array, options: ReadIdCardOptions): Promise<IdCardReading> {
  const started = performance.now();
  const prepared = preprocessIdCard(await decodeGreyImage(bytes, options.limits ?? DEFAULT_IMAGE_LIMITS, WORKING_LONG_SIDE));
  const png = greyImageToPng(prepared.image);
  const recognising = performance.now();
  const lines = await engine.recognise(png);
  const done = performance.now();
  if (lines.length === 0) throw new IdCardImageError('no-text', 'No text found on the image: is it an ID card? / 图片上未识别到文字，是否为身份证？');
  const today = options.today ?? chinaToday();
  const fields: Record<string, IdCardField> =
    options.side === 'front'
      ? extractFront(lines, { imageWidth: prepared.image.width, today, ...(options.typed ? { typed: options.typed } : {}) })
      : extractBack(lines, { today });
  return {
    side: options.side,
    fields,
    needsCorrection: Object.values(fields).some((field) => field.needsCorrection),
    preprocessing: { skewDegrees: prepared.skewDegrees, crop: prepared.crop },
    timings: { preprocessMs: Math.round(recognising - started), recogniseMs: Math.round(done - recognising) },
  };
}
