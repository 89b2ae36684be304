// tesseract.js 7 (tesseract compiled to wasm) on Debian's chi_sim model, offline: `langPath` is Debian's
// tessdata, uncompressed, never cached or fetched. Each worker is a Node worker thread that loads the model
// once (~0.5 s at start-up) and then reads a card in ~0.3 s, against ~0.5 s for a tesseract child that
// loads the model for every image (measured; README).
import { createWorker, OEM, PSM, type Worker } from 'tesseract.js';
import { boundedSlots, OcrEngineUnavailableError, tessdataDirOf, type OcrEngine, type OcrEngineOptions, type OcrLine } from './ocr-engine.ts';

/** Loading chi_sim takes ~0.5 s; far longer means the worker is stuck. */
const START_TIMEOUT_MS = 30_000;

async function startWorker(tessdataDir: string): Promise<Worker> {
  const worker = await createWorker('chi_sim', OEM.LSTM_ONLY, {
    langPath: tessdataDir,
    gzip: false,
    cacheMethod: 'none',
    // Its default logs go to the console; worker errors reach us through the rejected promises instead.
    errorHandler: () => {},
  });
  // psm 6: the card is one block of uniform text lines. tessedit_do_invert 0: tesseract 5 reads every word
  // it is unsure of a second time as white-on-black; an ID card has no such text, and the portrait and the
  // noise make many unsure words, so that second reading was time spent for nothing (benchmark).
  await worker.setParameters({ tessedit_pageseg_mode: PSM.SINGLE_BLOCK, tessedit_do_invert: '0' });
  return worker;
}

export async function createTesseractJsEngine(options: OcrEngineOptions = {}): Promise<OcrEngine> {
  const tessdataDir = tessdataDirOf(options);
  const workers: Worker[] = [];
  try {
    for (let i = 0; i < (options.concurrency ?? 1); i++) {
      const starting = startWorker(tessdataDir);
      // A worker that never answers (tesseract.js waits for ever on some broken models) must not hang start-up.
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`no answer within ${START_TIMEOUT_MS} ms`)), START_TIMEOUT_MS);
      });
      try {
        workers.push(await Promise.race([starting, timeout]));
      } catch (error) {
        starting.then((worker) => worker.terminate()).catch(() => {});
        throw error;
      } finally {
        clearTimeout(timer);
      }
    }
  } catch (error) {
    await Promise.allSettled(workers.map((worker) => worker.terminate()));
    throw new OcrEngineUnavailableError(`tesseract.js could not load chi_sim from ${tessdataDir}: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
  }
  const queue = boundedSlots(workers, options.maxQueued ?? 8, async (worker, png) => {
    const { data } = await worker.recognize(Buffer.from(png), {}, { blocks: true, text: false });
    const lines: OcrLine[] = [];
    for (const block of data.blocks ?? []) {
      for (const paragraph of block.paragraphs) {
        for (const line of paragraph.lines) {
          const words = line.words
            .filter((word) => word.text.trim() !== '')
            .map((word) => ({
              text: word.text.trim(),
              confidence: Math.round(Math.max(0, word.confidence) * 10) / 1000,
              box: { left: word.bbox.x0, top: word.bbox.y0, width: word.bbox.x1 - word.bbox.x0, height: word.bbox.y1 - word.bbox.y0 },
            }));
          if (words.length > 0) lines.push({ words });
        }
      }
    }
    return lines;
  });
  let closed = false;
  return {
    kind: 'tesseract.js',
    recognise: (png) => (closed ? Promise.reject(new Error('the OCR engine is closed')) : queue.recognise(png)),
    get pending() {
      return queue.pending;
    },
    close: async () => {
      closed = true;
      await Promise.allSettled(workers.map((worker) => worker.terminate()));
    },
  };
}
