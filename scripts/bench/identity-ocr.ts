// ID-card OCR section of scripts/bench/identity.ts (`npm run bench:identity -- --sections ocr [--quick]`).
// N synthetic fronts (test/support/idcard-images.ts: Chromium, Debian CJK font, skew ±6°, noise σ 0–21),
// each read as shipped (decode with sharp, preprocess in JS, a warm tesseract.js worker on Debian's chi_sim,
// field extraction) and, in the same run, by three peers: the same with the pure-JS decoder it replaced
// (pngjs), the tesseract command (one child per image) on our preprocessed image, and the tesseract command
// on the raw photo (no preprocessing; same field extraction). The same cards as JPEG (quality 90, what a
// phone sends) are read as shipped too.
// Prints time per card p50/p95, cards per second with two children, and how many fields came out right
// — and how many wrong ones were NOT flagged for correction (should be 0). Target: ≤ 500 ms per card.
import { cpus, loadavg } from 'node:os';
import sharp from 'sharp';
import { greyImageToPng, readGreyImage } from '../../models/ocr/grey-image.ts';
import { extractFront, FRONT_FIELDS, type IdCardField } from '../../models/ocr/idcard-fields.ts';
import { preprocessIdCard } from '../../models/ocr/preprocess.ts';
import { readIdCard } from '../../models/ocr/read-idcard.ts';
import { createOcrEngine, type OcrEngine } from '../../models/ocr/ocr-engine.ts';
import { openIdCardCamera, syntheticFront, type IdCardFront } from '../../test/support/idcard-images.ts';

const QUICK = process.argv.includes('--quick');
const CARDS = QUICK ? 8 : 24;
const TODAY = '2026-11-27';
const log = (line: string) => process.stderr.write(`${line}\n`);

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

const expected = (card: IdCardFront): Record<string, string> => ({
  name: card.name,
  sex: card.sex,
  ethnicity: card.ethnicity,
  birthDate: `${card.birth.year}-${String(card.birth.month).padStart(2, '0')}-${String(card.birth.day).padStart(2, '0')}`,
  address: card.address,
  idNumber: card.idNumber,
});

interface Tally {
  ms: number[];
  right: number;
  nameRight: number;
  numberRight: number;
  /** Wrong values that were not flagged: the ones a user would not be asked about. */
  wrongUnflagged: number;
  /** Right values flagged anyway: extra work for the user. */
  rightFlagged: number;
}

const tally = (): Tally => ({ ms: [], right: 0, nameRight: 0, numberRight: 0, wrongUnflagged: 0, rightFlagged: 0 });

function score(into: Tally, fields: Record<string, IdCardField>, card: IdCardFront): void {
  const want = expected(card);
  for (const key of FRONT_FIELDS) {
    const field = fields[key]!;
    const right = field.value === want[key];
    if (right) into.right++;
    if (right && field.needsCorrection) into.rightFlagged++;
    if (!right && !field.needsCorrection) into.wrongUnflagged++;
  }
  if (fields.name!.value === card.name) into.nameRight++;
  if (fields.idNumber!.value === card.idNumber) into.numberRight++;
}

export async function ocrSection(): Promise<void> {
  log(`ocr: rendering ${CARDS} synthetic ID-card fronts in Chromium…`);
  const camera = await openIdCardCamera();
  const cards: { card: IdCardFront; png: Buffer }[] = [];
  try {
    for (let seed = 1; seed <= CARDS; seed++) {
      const card = syntheticFront(seed);
      cards.push({ card, png: await camera.front(card, { rotation: ((seed * 37) % 13) - 6, noise: (seed * 7) % 22, seed }) });
    }
  } finally {
    await camera.close();
  }
  const jpegs = await Promise.all(cards.map(({ png }) => sharp(png).jpeg({ quality: 90 }).toBuffer()));
  const loadBefore = loadavg().map((l) => l.toFixed(2)).join(' ');
  const engine = await createOcrEngine({ concurrency: 1 });
  const cli = await createOcrEngine({ kind: 'tesseract-cli', concurrency: 1 });
  const ours = tally();
  const cliPreprocessed = tally();
  const raw = tally();
  const pureJs = tally();
  const fromJpeg = tally();
  const preprocessMs: number[] = [];
  const recogniseMs: number[] = [];
  log('ocr: reading each card as shipped and by the peers…');
  for (const [index, { card, png }] of cards.entries()) {
    let started = performance.now();
    const reading = await readIdCard(engine, png, { side: 'front', today: TODAY });
    ours.ms.push(performance.now() - started);
    preprocessMs.push(reading.timings.preprocessMs);
    recogniseMs.push(reading.timings.recogniseMs);
    score(ours, reading.fields, card);

    started = performance.now();
    const jpegReading = await readIdCard(engine, jpegs[index]!, { side: 'front', today: TODAY });
    fromJpeg.ms.push(performance.now() - started);
    score(fromJpeg, jpegReading.fields, card);

    started = performance.now();
    const prepared = preprocessIdCard(readGreyImage(png));
    const pureJsFields = extractFront(await engine.recognise(greyImageToPng(prepared.image)), { imageWidth: prepared.image.width, today: TODAY });
    pureJs.ms.push(performance.now() - started);
    score(pureJs, pureJsFields, card);

    started = performance.now();
    score(cliPreprocessed, (await readIdCard(cli, png, { side: 'front', today: TODAY })).fields, card);
    cliPreprocessed.ms.push(performance.now() - started);

    started = performance.now();
    // The PNG header's width (bytes 16–19): the peer decodes nothing itself.
    const width = png.readUInt32BE(16);
    const fields = extractFront(await cli.recognise(png), { imageWidth: width, today: TODAY });
    raw.ms.push(performance.now() - started);
    score(raw, fields, card);
  }
  await engine.close();
  const two = await createOcrEngine({ concurrency: 2, maxQueued: CARDS });
  const startedAll = performance.now();
  await Promise.all(cards.map(({ png }) => readIdCard(two as OcrEngine, png, { side: 'front', today: TODAY })));
  const perSecondTwo = CARDS / ((performance.now() - startedAll) / 1000);
  await two.close();

  const f = (n: number) => n.toFixed(0);
  const fields = CARDS * FRONT_FIELDS.length;
  console.log(`\nID-card OCR, ${CARDS} synthetic fronts (1100 × 780, skew ±6°, noise σ 0–21), one recognition at a time (${cpus().length} cores; load average ${loadBefore} before, ${loadavg().map((l) => l.toFixed(2)).join(' ')} after):\n`);
  console.log('| reader | p50 ms | p95 ms | fields right | names right | ID numbers right | wrong, not flagged | right, flagged |');
  console.log('| --- | --- | --- | --- | --- | --- | --- | --- |');
  const row = (name: string, t: Tally) =>
    console.log(`| ${name} | ${f(percentile(t.ms, 50))} | ${f(percentile(t.ms, 95))} | ${t.right}/${fields} | ${t.nameRight}/${CARDS} | ${t.numberRight}/${CARDS} | ${t.wrongUnflagged} | ${t.rightFlagged} |`);
  row('ours: sharp decode + JS preprocessing + tesseract.js worker (warm), PNG', ours);
  row('ours, the same cards as JPEG (quality 90)', fromJpeg);
  row('peer: the same with the pure-JS decoder before (pngjs)', pureJs);
  row('peer: JS preprocessing + tesseract command per image', cliPreprocessed);
  row('peer: tesseract command on the raw photo', raw);
  console.log(
    `\nOf ours: decode + preprocessing p50 ${f(percentile(preprocessMs, 50))} ms, p95 ${f(percentile(preprocessMs, 95))} ms; recognition p50 ${f(percentile(recogniseMs, 50))} ms. With two tesseract.js workers: ${perSecondTwo.toFixed(2)} cards/s.\n`,
  );
}
