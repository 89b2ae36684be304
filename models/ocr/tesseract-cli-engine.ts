// The tesseract command (Debian tesseract-ocr 5.3, chi_sim), one child process per image: nothing stays
// loaded, a crash or hang costs one image (killed after `timeoutMs`), but each image pays the model load
// (~0.2 s). The benchmark's peer and a fallback (`kind: 'tesseract-cli'`).
import { spawn } from 'node:child_process';
import { boundedSlots, OcrEngineUnavailableError, tessdataDirOf, type OcrEngine, type OcrEngineOptions, type OcrLine } from './ocr-engine.ts';

function run(command: string, args: string[], env: NodeJS.ProcessEnv, input: Uint8Array | null, timeoutMs: number): Promise<{ stdout: string; stderr: string; code: number | null }> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { env, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      if (signal) reject(new Error(`tesseract stopped by ${signal}${signal === 'SIGKILL' ? ` (over ${timeoutMs} ms)` : ''}`));
      else resolve({ stdout, stderr, code });
    });
    // A child that dies early closes its stdin: the write error is the exit's to report.
    child.stdin.on('error', () => {});
    child.stdin.end(input ?? undefined);
  });
}

/** tesseract's TSV: word rows (level 5) grouped into their lines, empty words dropped. */
export function parseTesseractTsv(tsv: string): OcrLine[] {
  const lines = new Map<string, OcrLine>();
  for (const row of tsv.split('\n').slice(1)) {
    const cells = row.split('\t');
    if (cells.length < 12 || cells[0] !== '5') continue;
    const text = cells.slice(11).join('\t').trim();
    if (!text) continue;
    const key = cells.slice(2, 5).join('.');
    let line = lines.get(key);
    if (!line) lines.set(key, (line = { words: [] }));
    const [left, top, width, height] = cells.slice(6, 10).map(Number) as [number, number, number, number];
    line.words.push({ text, confidence: Math.round(Math.max(0, Number(cells[10])) * 10) / 1000, box: { left, top, width, height } });
  }
  return [...lines.values()];
}

/** Checks that tesseract runs and has chi_sim, then returns the engine; throws OcrEngineUnavailableError otherwise. */
export async function createTesseractCliEngine(options: OcrEngineOptions = {}): Promise<OcrEngine> {
  const command = options.command ?? 'tesseract';
  const tessdataDir = tessdataDirOf(options);
  const timeoutMs = options.timeoutMs ?? 20_000;
  // One thread per child: OpenMP threads only fight each other (and the other children) on a small machine.
  const env = { PATH: process.env.PATH, OMP_THREAD_LIMIT: '1', TESSDATA_PREFIX: tessdataDir };
  let listed: string;
  try {
    const result = await run(command, ['--list-langs'], env, null, timeoutMs);
    listed = result.stdout + result.stderr;
  } catch (error) {
    const missing = (error as NodeJS.ErrnoException).code === 'ENOENT';
    throw new OcrEngineUnavailableError(missing ? `${command} is not installed (apt-get install tesseract-ocr)` : `${command} does not run`, { cause: error });
  }
  if (!/^chi_sim$/m.test(listed)) throw new OcrEngineUnavailableError(`${command} does not list chi_sim in ${tessdataDir}`);

  const slots = Array.from({ length: options.concurrency ?? 1 }, (_, i) => i);
  const queue = boundedSlots(slots, options.maxQueued ?? 8, async (_slot, png) => {
    // psm 6: the card is one block of uniform text lines; oem 1: the LSTM recogniser Debian's models carry;
    // no second, inverted reading of unsure words (as in tesseract-js-engine.ts).
    const { stdout, stderr, code } = await run(
      command,
      ['stdin', 'stdout', '-l', 'chi_sim', '--oem', '1', '--psm', '6', '-c', 'tessedit_do_invert=0', 'tsv'],
      env,
      png,
      timeoutMs,
    );
    if (code !== 0) throw new Error(`tesseract exited with ${code}: ${stderr.trim().slice(-300)}`);
    return parseTesseractTsv(stdout);
  });
  return {
    kind: 'tesseract-cli',
    recognise: (png) => queue.recognise(png),
    get pending() {
      return queue.pending;
    },
    close: async () => {},
  };
}
