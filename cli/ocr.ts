// `ecourt ocr idcard <image> [--side front|back] [--name …] [--id-number …] [--engine tesseract.js|tesseract-cli] [--json]`: reads a
// photo of a resident ID card (PNG/JPEG) and prints each field with its confidence and what needs checking.
// Exit 0 all fields read and consistent, 1 a field needs correction or the image was refused, 2 bad usage.
import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { IdCardImageError } from '../models/ocr/idcard-image-error.ts';
import type { IdCardSide, TypedIdentity } from '../models/ocr/idcard-fields.ts';
import { readIdCard } from '../models/ocr/read-idcard.ts';
import { createOcrEngine, OCR_ENGINE_KINDS, OcrEngineUnavailableError, type OcrEngineKind } from '../models/ocr/ocr-engine.ts';

export class OcrUsageError extends Error {}

export const OCR_USAGE = 'usage: ecourt ocr idcard <image> [--side front|back] [--name <typed name>] [--id-number <typed number>] [--engine tesseract.js|tesseract-cli] [--json]';
const SIDES: readonly IdCardSide[] = ['front', 'back'];
const FIELD_NAMES: Record<string, string> = {
  name: '姓名 name',
  sex: '性别 sex',
  ethnicity: '民族 ethnicity',
  birthDate: '出生 birth date',
  address: '住址 address',
  idNumber: '公民身份号码 ID number',
  issuingAuthority: '签发机关 issuing authority',
  validity: '有效期限 validity',
};

export async function ocr(args: string[]): Promise<number> {
  const [sub, ...rest] = args;
  if (sub !== 'idcard') throw new OcrUsageError(OCR_USAGE);
  const { values, positionals } = parseArgs({
    args: rest,
    options: {
      side: { type: 'string', default: 'front' },
      name: { type: 'string' },
      'id-number': { type: 'string' },
      engine: { type: 'string', default: 'tesseract.js' },
      json: { type: 'boolean', default: false },
    },
    allowPositionals: true,
    strict: true,
  });
  if (positionals.length !== 1) throw new OcrUsageError(OCR_USAGE);
  const side = values.side as IdCardSide;
  if (!SIDES.includes(side)) throw new OcrUsageError(`--side must be one of ${SIDES.join(', ')}`);
  const kind = values.engine as OcrEngineKind;
  if (!OCR_ENGINE_KINDS.includes(kind)) throw new OcrUsageError(`--engine must be one of ${OCR_ENGINE_KINDS.join(', ')}`);
  if (side === 'back' && (values.name !== undefined || values['id-number'] !== undefined)) {
    throw new OcrUsageError('--name and --id-number are checked against the front (--side front)');
  }
  const typed: TypedIdentity = {
    ...(values.name === undefined ? {} : { name: values.name }),
    ...(values['id-number'] === undefined ? {} : { idNumber: values['id-number'] }),
  };
  const bytes = await readFile(positionals[0]!);
  const refuse = (code: string, message: string) => {
    if (values.json) console.log(JSON.stringify({ error: { code, message } }, null, 2));
    else console.error(message);
    return 1;
  };
  try {
    const engine = await createOcrEngine({ kind });
    let reading;
    try {
      reading = await readIdCard(engine, bytes, { side, typed });
    } finally {
      await engine.close();
    }
    if (values.json) {
      console.log(JSON.stringify(reading, null, 2));
    } else {
      const lines = [`${side === 'front' ? '身份证正面 / ID card front' : '身份证背面 / ID card back'} (deskewed ${reading.preprocessing.skewDegrees}°)`];
      for (const [key, field] of Object.entries(reading.fields)) {
        const confidence = field.confidence === null ? '' : ` (${field.confidence.toFixed(2)})`;
        lines.push(`  ${FIELD_NAMES[key] ?? key}: ${field.value ?? '—'}${confidence}${field.needsCorrection ? '  ← 请核对 / check' : ''}`);
        for (const reason of field.reasons) lines.push(`      ${reason.code}: ${reason.zh} / ${reason.en}${reason.hint ? ` (${reason.hint})` : ''}`);
      }
      console.log(lines.join('\n'));
    }
    return reading.needsCorrection ? 1 : 0;
  } catch (error) {
    if (error instanceof IdCardImageError) return refuse(error.reason, error.message);
    if (error instanceof OcrEngineUnavailableError) return refuse('ocr-unavailable', error.message);
    throw error;
  }
}
