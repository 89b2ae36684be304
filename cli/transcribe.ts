// `ecourt transcribe <file.wav> [--engine pocketsphinx|whisper] [--language en|zh] [--json | --format vtt|srt|txt]`:
// recognises a recording made elsewhere (16 kHz mono 16-bit WAV) and prints its segments (or them as
// subtitles / plain text, as the transcript export writes them), for court staff and for our checks.
import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Config } from '../platform/config.ts';
import { createLogger } from '../platform/logger.ts';
import { ASR_ENGINE_NAMES, type AsrEngineName, type AsrLanguage, type AsrSegment } from '../models/asr/asr-engine.ts';
import { exportTranscript, TRANSCRIPT_EXPORT_FORMATS, type TranscriptExportFormat } from '../hub/collab/transcript-export.ts';
import { createAsrEngine } from '../models/asr/create-asr-engine.ts';
import { readPcmWav, WavFormatError } from '../models/asr/wav.ts';

export class TranscribeUsageError extends Error {}

export const TRANSCRIBE_USAGE =
  'usage: ecourt transcribe <file.wav> [--engine pocketsphinx|whisper] [--language en|zh] [--json | --format vtt|srt|txt]';
const LANGUAGES: readonly AsrLanguage[] = ['en', 'zh'];
/** Languages each engine's model can recognise (the Debian pocketsphinx model is English only). */
const ENGINE_LANGUAGES: Record<AsrEngineName, readonly AsrLanguage[]> = { pocketsphinx: ['en'], whisper: ['en', 'zh'] };

/** Audio handed to the engine per write: 100 ms, as a live tap would. */
const CHUNK_SAMPLES = 1600;
/** A file is read far faster than recognised: keep the engine's backlog short instead of filling it (and dropping). */
const MAX_AHEAD_MS = 3000;
/** Files longer than this report progress on stderr. */
const PROGRESS_FROM_MS = 60_000;

export async function transcribe(args: string[], config: Config): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    options: {
      engine: { type: 'string' },
      language: { type: 'string', default: 'en' },
      json: { type: 'boolean', default: false },
      format: { type: 'string' },
    },
    allowPositionals: true,
    strict: true,
  });
  if (positionals.length !== 1) throw new TranscribeUsageError(TRANSCRIBE_USAGE);
  const engineName = (values.engine ?? config.ECOURT_ASR_ENGINE) as AsrEngineName;
  if (!ASR_ENGINE_NAMES.includes(engineName)) {
    throw new TranscribeUsageError(`--engine must be one of ${ASR_ENGINE_NAMES.join(', ')}`);
  }
  const language = values.language as AsrLanguage;
  if (!LANGUAGES.includes(language)) throw new TranscribeUsageError(`--language must be one of ${LANGUAGES.join(', ')}`);
  if (!ENGINE_LANGUAGES[engineName].includes(language)) {
    throw new TranscribeUsageError(
      `--language ${language} needs another engine: the ${engineName} model recognises ${ENGINE_LANGUAGES[engineName].join(', ')} only (use --engine whisper with a multilingual WHISPER_MODEL)`,
    );
  }
  const format = values.format as TranscriptExportFormat | undefined;
  if (format !== undefined && !TRANSCRIPT_EXPORT_FORMATS.includes(format)) {
    throw new TranscribeUsageError(`--format must be one of ${TRANSCRIPT_EXPORT_FORMATS.join(', ')}`);
  }
  if (format !== undefined && values.json) throw new TranscribeUsageError('--json and --format exclude each other');
  /** Lines as they come; JSON and the export formats once everything is recognised. */
  const printAsRecognised = !values.json && format === undefined;
  const file = positionals[0]!;
  const audio = readWavFile(file, await readFile(file));
  const logger = createLogger({ level: config.ECOURT_LOG_LEVEL === 'debug' ? 'debug' : 'warn' });
  const engine = await createAsrEngine({ ...config, ECOURT_ASR_ENGINE: engineName }, logger);
  const segments: AsrSegment[] = [];
  try {
    const session = engine.start({
      language,
      onSegment: (segment) => {
        if (!segment.final) return;
        segments.push(segment);
        if (printAsRecognised) console.log(`[${clock(segment.startMs)} → ${clock(segment.endMs)}] ${segment.text}`);
      },
    });
    const progress = audio.durationMs >= PROGRESS_FROM_MS ? progressReporter(audio.durationMs) : () => {};
    for (let offset = 0; offset < audio.samples.length; offset += CHUNK_SAMPLES) {
      session.write(audio.samples.subarray(offset, offset + CHUNK_SAMPLES));
      while (session.backlog.queuedMs > MAX_AHEAD_MS) await sleep(20);
      progress((offset / audio.samples.length) * audio.durationMs);
    }
    await session.end();
    if (session.backlog.droppedMs > 0) console.error(`warning: ${session.backlog.droppedMs} ms of audio were dropped`);
  } finally {
    await engine.close();
  }
  if (values.json) {
    const rows = segments.map(({ id, text, startMs, endMs, confidence, words }) => ({ id, text, startMs, endMs, confidence, words }));
    console.log(JSON.stringify({ file, engine: engineName, language, durationMs: Math.round(audio.durationMs), segments: rows }, null, 2));
  } else if (format !== undefined) {
    process.stdout.write(exportTranscript(format, segments));
  }
  return 0;
}

function readWavFile(file: string, bytes: Uint8Array) {
  try {
    return readPcmWav(bytes);
  } catch (error) {
    if (error instanceof WavFormatError) throw new WavFormatError(`${file}: ${error.message}`);
    throw error;
  }
}

function progressReporter(durationMs: number): (doneMs: number) => void {
  let lastTenth = 0;
  return (doneMs) => {
    const tenth = Math.floor((doneMs / durationMs) * 10);
    if (tenth <= lastTenth) return;
    lastTenth = tenth;
    console.error(`transcribing: ${tenth * 10} % (${clock(doneMs)} of ${clock(durationMs)})`);
  };
}

/** mm:ss.cc, with hours in front when the recording is that long. */
export function clock(ms: number): string {
  const centis = Math.floor(ms / 10);
  const hours = Math.floor(centis / 360_000);
  const minutes = Math.floor((centis % 360_000) / 6000);
  const seconds = (centis % 6000) / 100;
  const mmss = `${String(minutes).padStart(2, '0')}:${seconds.toFixed(2).padStart(5, '0')}`;
  return hours > 0 ? `${hours}:${mmss}` : mmss;
}
