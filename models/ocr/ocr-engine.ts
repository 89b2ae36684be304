// The recogniser behind ID-card OCR: one interface, two implementations of Debian's tesseract 5 chi_sim
// model — tesseract.js workers kept warm (the default: measured faster, see README) and the tesseract
// command, one child per image (the peer in the benchmark, and a fallback). Both are bounded: at most
// `concurrency` images at once, `maxQueued` waiting, the rest refused with SERVICE_BUSY.
import { closeSync, existsSync, openSync, readSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { AppError } from '../../platform/errors.ts';

export const DEBIAN_TESSDATA = '/usr/share/tesseract-ocr/5/tessdata';
export const OCR_ENGINE_KINDS = ['tesseract.js', 'tesseract-cli'] as const;
export type OcrEngineKind = (typeof OCR_ENGINE_KINDS)[number];

/** The recogniser or its Chinese model cannot be used: said at start-up, with the Debian package to install. */
export class OcrEngineUnavailableError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(`ID-card OCR: ${message}`, options);
    this.name = 'OcrEngineUnavailableError';
  }
}

/** One recognised word (a single Chinese character is often a word of its own) with tesseract's confidence. */
export interface OcrWord {
  text: string;
  /** 0–1. */
  confidence: number;
  box: { left: number; top: number; width: number; height: number };
}

export interface OcrLine {
  words: OcrWord[];
}

export interface OcrEngine {
  readonly kind: OcrEngineKind;
  /** Recognises the text of one image (PNG bytes) as lines of words, in reading order. */
  recognise(png: Uint8Array): Promise<OcrLine[]>;
  /** Images being recognised plus those waiting. */
  readonly pending: number;
  close(): Promise<void>;
}

export interface OcrEngineOptions {
  /** Default tesseract.js. */
  kind?: OcrEngineKind;
  /** Default: TESSDATA_PREFIX if set, else Debian's tessdata directory. */
  tessdataDir?: string;
  /** Images recognised at once (default 1: each takes one core). */
  concurrency?: number;
  /** Images waiting beyond those being recognised (default 8). */
  maxQueued?: number;
  /** tesseract-cli only: the command (default `tesseract` on PATH). */
  command?: string;
  /** tesseract-cli only: a child still running after this is killed (default 20 s). */
  timeoutMs?: number;
}

/**
 * The tessdata directory, once it holds a chi_sim model that at least looks like one: a traineddata file
 * starts with its number of parts (24 in tesseract 4/5) and a table of 8-byte offsets. tesseract.js hangs
 * for ever on a file that is not one, so a damaged model is refused here, at start-up, instead.
 */
export function tessdataDirOf(options: OcrEngineOptions): string {
  const dir = options.tessdataDir ?? process.env.TESSDATA_PREFIX ?? DEBIAN_TESSDATA;
  const model = join(dir, 'chi_sim.traineddata');
  if (!existsSync(model)) throw new OcrEngineUnavailableError(`no chi_sim model in ${dir} (apt-get install tesseract-ocr-chi-sim)`);
  const head = Buffer.alloc(4);
  const fd = openSync(model, 'r');
  try {
    readSync(fd, head, 0, 4, 0);
  } finally {
    closeSync(fd);
  }
  const parts = head.readInt32LE(0);
  if (parts < 1 || parts > 64 || statSync(model).size < 4 + parts * 8 + 1024) {
    throw new OcrEngineUnavailableError(`${model} is not a tesseract model (reinstall tesseract-ocr-chi-sim)`);
  }
  return dir;
}

export async function createOcrEngine(options: OcrEngineOptions = {}): Promise<OcrEngine> {
  const kind = options.kind ?? 'tesseract.js';
  if (kind === 'tesseract-cli') return (await import('./tesseract-cli-engine.ts')).createTesseractCliEngine(options);
  return (await import('./tesseract-js-engine.ts')).createTesseractJsEngine(options);
}

/**
 * Hands images to `slots` (warm workers, or child-process turns) one at a time each, queueing at most
 * `maxQueued`. A slot is freed before its caller hears back, so `pending` is already right when it does.
 */
export function boundedSlots<S>(
  slots: S[],
  maxQueued: number,
  work: (slot: S, png: Uint8Array) => Promise<OcrLine[]>,
): { recognise(png: Uint8Array): Promise<OcrLine[]>; readonly pending: number } {
  const free = [...slots];
  const waiting: { png: Uint8Array; resolve: (lines: OcrLine[]) => void; reject: (error: unknown) => void }[] = [];
  const next = () => {
    while (free.length > 0 && waiting.length > 0) {
      const slot = free.pop()!;
      const job = waiting.shift()!;
      const settle = (answer: () => void) => {
        free.push(slot);
        answer();
        next();
      };
      work(slot, job.png).then(
        (lines) => settle(() => job.resolve(lines)),
        (error: unknown) => settle(() => job.reject(error)),
      );
    }
  };
  return {
    recognise(png) {
      if (free.length === 0 && waiting.length >= maxQueued) {
        return Promise.reject(new AppError('SERVICE_BUSY', 'Too many ID-card images are being read; try again shortly / 证件识别繁忙，请稍后再试'));
      }
      return new Promise<OcrLine[]>((resolve, reject) => {
        waiting.push({ png, resolve, reject });
        next();
      });
    },
    get pending() {
      return slots.length - free.length + waiting.length;
    },
  };
}
