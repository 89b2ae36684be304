// ID-card OCR for real: cards rendered here by Chromium with Debian's CJK font, laid askew on a table
// and given sensor noise, read by Debian's tesseract chi_sim model (tesseract.js workers, and the
// tesseract command) through our preprocessing; refusals of bad images; the engines' start-up checks and
// their bounded queue; and `ecourt ocr idcard` as a command.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PNG } from 'pngjs';
import { AppError } from '../../platform/errors.ts';
import { IdCardImageError } from '../../models/ocr/idcard-image-error.ts';
import { readIdCard } from '../../models/ocr/read-idcard.ts';
import { createOcrEngine, DEBIAN_TESSDATA, OCR_ENGINE_KINDS, OcrEngineUnavailableError, type OcrEngine } from '../../models/ocr/ocr-engine.ts';
import { runEcourtToEnd } from '../support/cli-process.ts';
import { chromiumSkipReason, hasChromium, openIdCardCamera, SAMPLE_FRONTS, type IdCardBack } from '../support/idcard-images.ts';

const TODAY = '2026-11-27';
const BACK: IdCardBack = { issuingAuthority: '北京市公安局东城分局', validity: '2015.03.07-2035.03.07' };
/** Each sample card photographed askew (degrees) and noisy (σ of grey noise). */
const SHOTS = [
  { rotation: 4, noise: 16 },
  { rotation: -3, noise: 18 },
  { rotation: 6, noise: 10 },
];

function editDistance(a: string, b: string): number {
  const x = [...a];
  const y = [...b];
  let previous = Array.from({ length: y.length + 1 }, (_, j) => j);
  for (let i = 1; i <= x.length; i++) {
    const current = [i];
    for (let j = 1; j <= y.length; j++) current[j] = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + (x[i - 1] === y[j - 1] ? 0 : 1));
    previous = current;
  }
  return previous[y.length]!;
}

function greyPng(width: number, height: number, paint: (x: number, y: number) => number): Buffer {
  const png = new PNG({ width, height, colorType: 0, inputColorType: 0, inputHasAlpha: false });
  for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) png.data[y * width + x] = paint(x, y);
  return PNG.sync.write(png, { colorType: 0, inputColorType: 0, inputHasAlpha: false });
}

const runCli = (args: string[]) => runEcourtToEnd(['ocr', ...args]);

async function refusal(promise: Promise<unknown>): Promise<string> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(IdCardImageError);
  return (error as IdCardImageError).reason;
}

describe.skipIf(!hasChromium)(`ID-card OCR on rendered cards${chromiumSkipReason}`, () => {
  let engine: OcrEngine;
  let fronts: Buffer[];
  let back: Buffer;
  let dir: string;

  beforeAll(async () => {
    engine = await createOcrEngine({ concurrency: 2 });
    const camera = await openIdCardCamera();
    try {
      fronts = [];
      for (const [i, card] of SAMPLE_FRONTS.entries()) fronts.push(await camera.front(card, { ...SHOTS[i]!, seed: i + 1 }));
      back = await camera.back(BACK, { rotation: -5, noise: 15, seed: 9 });
    } finally {
      await camera.close();
    }
    dir = mkdtempSync(join(tmpdir(), 'ecourt-ocr-'));
  });
  afterAll(async () => {
    await engine?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('reads name and ID number exactly, and the other fields closely, off skewed noisy fronts', async () => {
    const readings = await Promise.all(fronts.map((png) => readIdCard(engine, png, { side: 'front', today: TODAY })));
    for (const [i, reading] of readings.entries()) {
      const card = SAMPLE_FRONTS[i]!;
      const { fields } = reading;
      expect(Math.abs(reading.preprocessing.skewDegrees - SHOTS[i]!.rotation)).toBeLessThanOrEqual(0.5);
      expect(fields.name!.value).toBe(card.name);
      expect(fields.idNumber!.value).toBe(card.idNumber);
      expect(fields.idNumber!.reasons).toEqual([]);
      expect(fields.sex!.value).toBe(card.sex);
      expect(fields.ethnicity!.value).toBe(card.ethnicity);
      const { year, month, day } = card.birth;
      expect(fields.birthDate!.value).toBe(`${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`);
      expect(editDistance(fields.address!.value ?? '', card.address)).toBeLessThanOrEqual(2);
      for (const field of Object.values(fields)) {
        expect(field.confidence).toBeGreaterThanOrEqual(0);
        expect(field.confidence).toBeLessThanOrEqual(1);
      }
    }
  });

  it('reads the same fields with the tesseract command, one child per image', async () => {
    const cli = await createOcrEngine({ kind: 'tesseract-cli' });
    const reading = await readIdCard(cli, fronts[1]!, { side: 'front', today: TODAY });
    expect(cli.kind).toBe('tesseract-cli');
    expect(reading.fields.name!.value).toBe(SAMPLE_FRONTS[1]!.name);
    expect(reading.fields.idNumber!.value).toBe(SAMPLE_FRONTS[1]!.idNumber);
  });

  it('flags what the user typed when the card says otherwise', async () => {
    const card = SAMPLE_FRONTS[0]!;
    const same = await readIdCard(engine, fronts[0]!, { side: 'front', today: TODAY, typed: { name: card.name, idNumber: card.idNumber } });
    expect([same.fields.name!.needsCorrection, same.fields.idNumber!.needsCorrection]).toEqual([false, false]);
    const other = await readIdCard(engine, fronts[0]!, { side: 'front', today: TODAY, typed: { name: '王五', idNumber: '11010519491231002X' } });
    expect(other.needsCorrection).toBe(true);
    expect(other.fields.name!.reasons.map((r) => r.code)).toContain('TYPED_MISMATCH');
    expect(other.fields.idNumber!.reasons.map((r) => r.code)).toContain('TYPED_MISMATCH');
  });

  it('reads the back: issuing authority and validity', async () => {
    const reading = await readIdCard(engine, back, { side: 'back', today: TODAY });
    expect(editDistance(reading.fields.issuingAuthority!.value ?? '', BACK.issuingAuthority)).toBeLessThanOrEqual(1);
    expect(reading.fields.validity!.value).toBe(BACK.validity);
    expect(reading.fields.validity!.needsCorrection).toBe(false);
    const later = await readIdCard(engine, back, { side: 'back', today: '2036-01-01' });
    expect(later.fields.validity!.reasons.map((r) => r.code)).toEqual(['EXPIRED']);
  });

  it('refuses non-images, huge images, blank images and cards without text', async () => {
    expect(await refusal(readIdCard(engine, Buffer.from('%PDF-1.7\n'), { side: 'front' }))).toBe('not-an-image');
    const huge = greyPng(5100, 5000, () => 255);
    expect(await refusal(readIdCard(engine, huge, { side: 'front' }))).toBe('image-too-large');
    expect(await refusal(readIdCard(engine, fronts[0]!, { side: 'front', limits: { maxBytes: 100_000, maxPixels: 25e6 } }))).toBe('image-too-large');
    expect(await refusal(readIdCard(engine, greyPng(800, 500, () => 250), { side: 'front' }))).toBe('image-blank');
    const emptyCard = greyPng(1000, 700, (x, y) => (x > 100 && x < 900 && y > 100 && y < 600 ? 235 : 90));
    expect(await refusal(readIdCard(engine, emptyCard, { side: 'front' }))).toBe('no-text');
  });

  it('says at start-up when tesseract or its Chinese model is missing', async () => {
    const missingCommand = createOcrEngine({ kind: 'tesseract-cli', command: '/nonexistent/tesseract' });
    await expect(missingCommand).rejects.toThrow(OcrEngineUnavailableError);
    await expect(missingCommand).rejects.toThrow(/apt-get install tesseract-ocr\)/);
    // A tessdata directory without the Chinese model (only English in it).
    const englishOnly = join(dir, 'tessdata');
    mkdirSync(englishOnly);
    copyFileSync(join(DEBIAN_TESSDATA, 'eng.traineddata'), join(englishOnly, 'eng.traineddata'));
    for (const kind of OCR_ENGINE_KINDS) {
      await expect(createOcrEngine({ kind, tessdataDir: englishOnly })).rejects.toThrow(/no chi_sim model.*tesseract-ocr-chi-sim/);
    }
    // A damaged model (tesseract.js would wait for ever on it) is refused before it is loaded.
    const damaged = join(dir, 'damaged');
    mkdirSync(damaged);
    writeFileSync(join(damaged, 'chi_sim.traineddata'), 'not a model');
    for (const kind of OCR_ENGINE_KINDS) {
      await expect(createOcrEngine({ kind, tessdataDir: damaged })).rejects.toThrow(/is not a tesseract model/);
    }
  });

  it('runs at most `concurrency` recognitions and refuses beyond its queue', async () => {
    const small = await createOcrEngine({ kind: 'tesseract-cli', concurrency: 1, maxQueued: 1 });
    const png = greyPng(200, 60, (x, y) => (y > 20 && y < 40 && x % 20 < 10 ? 0 : 255));
    const first = small.recognise(png);
    const second = small.recognise(png);
    expect(small.pending).toBe(2);
    const third = await small.recognise(png).then(
      () => null,
      (e: unknown) => e,
    );
    expect(third).toBeInstanceOf(AppError);
    expect((third as AppError).code).toBe('SERVICE_BUSY');
    await Promise.all([first, second]);
    expect(small.pending).toBe(0);
  });

  it('`ecourt ocr idcard` prints the fields (exit 0), refuses a non-image (exit 1) and bad usage (exit 2)', async () => {
    const file = join(dir, 'front.png');
    writeFileSync(file, fronts[0]!);
    const read = await runCli(['idcard', file, '--json']);
    expect(read.code, read.stderr).toBe(0);
    const json = JSON.parse(read.stdout);
    expect(json.fields.name.value).toBe(SAMPLE_FRONTS[0]!.name);
    expect(json.fields.idNumber.value).toBe(SAMPLE_FRONTS[0]!.idNumber);
    const text = await runCli(['idcard', file, '--name', '王五']);
    expect(text.code).toBe(1);
    expect(text.stdout).toContain('TYPED_MISMATCH');
    const notImage = join(dir, 'notes.txt');
    writeFileSync(notImage, 'not a card');
    const refused = await runCli(['idcard', notImage, '--json']);
    expect(refused.code).toBe(1);
    expect(JSON.parse(refused.stdout).error.code).toBe('not-an-image');
    expect((await runCli(['idcard'])).code).toBe(2);
    expect((await runCli(['idcard', file, '--side', 'left'])).code).toBe(2);
    // Five processes, two of which start tesseract: on a busy 2-core machine that outlasts the default 30 s.
  }, 120_000);
});
