// The Whisper engine with the real binding and a random-weight model written at test time: the text
// is garbage, so these tests assert loading, chunking, times, the backlog and the error paths.
import { copyFile, readFile, rm, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AsrEngineUnavailableError, type AsrBacklog, type AsrEngine, type AsrLanguage, type AsrSegment } from '../../models/asr/asr-engine.ts';
import { createWhisperEngine, WHISPER_MAX_BACKLOG_MS } from '../../models/asr/whisper/whisper-engine.ts';
import { WhisperRecogniser } from '../../models/asr/whisper/whisper-recogniser.ts';
import { createLogger } from '../../platform/logger.ts';
import { concatPcm, descendantProcesses, fixtureSpeech, silence } from '../support/asr-audio.ts';
import { writeRandomWhisperModel } from '../support/random-whisper-model.ts';

const logger = createLogger({ level: 'error' });
const court = fixtureSpeech('court-in-session').samples;
const passage = fixtureSpeech('hearing-passage').samples;
const durationMs = (pcm: Int16Array) => (pcm.length * 1000) / 16_000;

let modelPath: string;
let engine: AsrEngine;

beforeAll(async () => {
  modelPath = await writeRandomWhisperModel();
  engine = await createWhisperEngine({ modelPath, logger });
});

afterAll(async () => {
  await engine?.close();
  if (modelPath) await rm(dirname(modelPath), { recursive: true, force: true });
});

async function recognise(pcm: Int16Array, language: AsrLanguage = 'en') {
  const segments: AsrSegment[] = [];
  const backlogs: AsrBacklog[] = [];
  const session = engine.start({ language, onSegment: (s) => segments.push(s), onBacklog: (b) => backlogs.push(b) });
  session.write(pcm);
  await session.end();
  return { segments, backlogs, session };
}

describe('whisper engine', () => {
  it('loads the random model and gives final segments timed inside the audio', async () => {
    const { segments, session } = await recognise(court);
    expect(segments.length).toBeGreaterThan(0);
    for (const segment of segments) {
      expect(segment.final).toBe(true);
      expect(segment.text).not.toBe('');
      // The file opens with 0.3 s of digital silence, which no chunk holds.
      expect(segment.startMs).toBeGreaterThanOrEqual(300);
      expect(segment.endMs).toBeGreaterThanOrEqual(segment.startMs);
      expect(segment.endMs).toBeLessThanOrEqual(durationMs(court));
    }
    expect(new Set(segments.map((s) => s.id)).size).toBe(segments.length);
    expect(session.backlog).toEqual({ queuedMs: 0, droppedMs: 0 });
  });

  it('offsets segment times by where their chunk starts in the stream', async () => {
    const { segments } = await recognise(concatPcm([silence(20), court]));
    expect(segments.length).toBeGreaterThan(0);
    for (const segment of segments) {
      expect(segment.startMs).toBeGreaterThanOrEqual(20_300);
      expect(segment.endMs).toBeLessThanOrEqual(20_000 + durationMs(court));
    }
  });

  it('makes no chunk of silence', async () => {
    const { segments, backlogs } = await recognise(silence(40));
    expect(segments).toEqual([]);
    expect(backlogs).toEqual([]);
  });

  it('cuts continuous speech into chunks of at most 15 s', async () => {
    const { backlogs } = await recognise(passage);
    // Each rise of the backlog is one chunk queued: the 18 s passage is a 15 s chunk, then the
    // rest when the stream ends.
    const queued = backlogs.slice(1).map((b, i) => b.queuedMs - backlogs[i]!.queuedMs).filter((rise) => rise > 0);
    const chunks = [backlogs[0]!.queuedMs, ...queued];
    expect(chunks[0]).toBe(15_000);
    expect(chunks).toHaveLength(2);
    expect(chunks[1]).toBeGreaterThan(2_500);
    expect(chunks[1]).toBeLessThan(3_100);
    expect(backlogs.at(-1)).toEqual({ queuedMs: 0, droppedMs: 0 });
  });

  it('accepts Chinese as the hearing language', async () => {
    const { segments } = await recognise(court, 'zh');
    expect(segments.length).toBeGreaterThan(0);
    expect(segments.every((s) => s.final && s.endMs <= durationMs(court))).toBe(true);
  });

  it('drops the oldest audio when writes outpace recognition, and says how much', async () => {
    const reports: AsrBacklog[] = [];
    const session = engine.start({ language: 'en', onSegment: () => {}, onBacklog: (b) => reports.push(b) });
    // 90 s of speech at once: the recogniser has the first 15 s chunk, the rest waits and overflows.
    session.write(concatPcm([passage, passage, passage, passage, passage]));
    const behind = session.backlog;
    expect(behind.droppedMs).toBeGreaterThan(0);
    expect(behind.queuedMs).toBeLessThanOrEqual(WHISPER_MAX_BACKLOG_MS);
    expect(reports.some((b) => b.droppedMs > 0)).toBe(true);
    expect(reports.every((b) => b.queuedMs <= WHISPER_MAX_BACKLOG_MS)).toBe(true);
    await session.end();
    expect(session.backlog.queuedMs).toBe(0);
    expect(session.backlog.droppedMs).toBeGreaterThanOrEqual(behind.droppedMs);
  });

  it('reports nothing after abort, and the engine goes on serving other sessions', async () => {
    const segments: AsrSegment[] = [];
    const session = engine.start({ language: 'en', onSegment: (s) => segments.push(s) });
    session.write(concatPcm([passage, passage]));
    session.abort();
    session.abort();
    await session.end();
    expect(segments).toEqual([]);
    const after = await recognise(court);
    expect(after.segments.length).toBeGreaterThan(0);
  });
});

describe('whisper engine start-up errors', () => {
  const attempt = (path: string | undefined) => createWhisperEngine({ modelPath: path, logger });

  it('needs a configured model', async () => {
    await expect(attempt(undefined)).rejects.toThrow(AsrEngineUnavailableError);
    await expect(attempt(undefined)).rejects.toThrow(/set WHISPER_MODEL/);
  });

  it('names a missing model file', async () => {
    const missing = join(dirname(modelPath), 'no-such-model.bin');
    await expect(attempt(missing)).rejects.toThrow(new RegExp(`model file ${missing} does not exist`));
  });

  it('refuses corrupt model files with a clear reason, without crashing', async () => {
    const whole = await readFile(modelPath);
    const corrupt = async (name: string, bytes: Uint8Array) => {
      const path = join(dirname(modelPath), name);
      await writeFile(path, bytes);
      return attempt(path);
    };
    await expect(corrupt('truncated.bin', whole.subarray(0, whole.length >> 1))).rejects.toThrow(/not a usable whisper model: truncated/);
    await expect(corrupt('noise.bin', Buffer.alloc(4096, 0x5a))).rejects.toThrow(/not a usable whisper model: not a ggml model/);
    const noHeads = Buffer.from(whole);
    noHeads.writeInt32LE(0, 16); // n_audio_head = 0 divides by zero inside whisper.cpp
    await expect(corrupt('no-heads.bin', noHeads)).rejects.toThrow(/implausible header value n_audio_head=0/);
    // Past the file check, whisper.cpp dies on such a header; the recogniser process takes the blow.
    const crashed = await WhisperRecogniser.start(join(dirname(modelPath), 'no-heads.bin'), logger).catch((e: unknown) => e);
    expect((crashed as Error).message).toMatch(/the loader crashed \(SIGFPE\)/);
    // A well-formed file whisper.cpp still rejects (1000 mel bands): its own loader says no.
    const badMels = Buffer.from(whole);
    badMels.writeInt32LE(1000, 44);
    const refused = await corrupt('bad-mels.bin', badMels).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(AsrEngineUnavailableError);
    expect((refused as Error).message).toMatch(/could not be loaded: whisper.cpp could not load it/);
  });
});

describe('whisper engine processes', () => {
  it('loads the model in one recogniser process and leaves none behind on close', async () => {
    const before = new Set(descendantProcesses().map((p) => p.pid));
    const own = await createWhisperEngine({ modelPath: await copyModel(), logger });
    const started = descendantProcesses().filter((p) => !before.has(p.pid));
    expect(started).toHaveLength(1);
    const session = own.start({ language: 'en', onSegment: () => {} });
    session.write(passage);
    await own.close();
    await own.close();
    expect(descendantProcesses().filter((p) => !before.has(p.pid))).toEqual([]);
    expect(() => own.start({ language: 'en', onSegment: () => {} })).toThrow(/closed/);
    await session.end();
  });
});

async function copyModel(): Promise<string> {
  const path = join(dirname(modelPath), 'copy.bin');
  await copyFile(modelPath, path);
  return path;
}
