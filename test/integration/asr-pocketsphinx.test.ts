// The pocketsphinx engine with the real program and English model (Debian pocketsphinx, pocketsphinx-en-us).
import { afterEach, describe, expect, it } from 'vitest';
import { AsrEngineUnavailableError, type AsrEngine, type AsrSegment } from '../../models/asr/asr-engine.ts';
import { createAsrEngine } from '../../models/asr/create-asr-engine.ts';
import { createPocketsphinxEngine, POCKETSPHINX_DECODING_ARGS } from '../../models/asr/pocketsphinx/pocketsphinx-engine.ts';
import { wordErrorRate } from '../../models/asr/word-error-rate.ts';
import { createLogger } from '../../platform/logger.ts';
import { ECOURT_BIN, runEcourtToEnd } from '../support/cli-process.ts';
import { concatPcm, descendantProcesses, fixtureSpeech, silence } from '../support/asr-audio.ts';

const logger = createLogger({ level: 'error' });
const engines: AsrEngine[] = [];

function engine(options: { maxBacklogMs?: number } = {}): AsrEngine {
  const created = createPocketsphinxEngine({ logger, ...options });
  engines.push(created);
  return created;
}

/** Writes the audio in 100 ms pieces, as a live tap does, and collects the segments. */
async function recognise(asr: AsrEngine, pcm: Int16Array): Promise<AsrSegment[]> {
  const segments: AsrSegment[] = [];
  const session = asr.start({ language: 'en', onSegment: (segment) => segments.push(segment) });
  for (let i = 0; i < pcm.length; i += 1600) session.write(pcm.subarray(i, i + 1600));
  await session.end();
  return segments;
}

function recognisedProcesses() {
  return descendantProcesses().filter((p) => ['sh', 'cat', 'pocketsphinx_co'].includes(p.name));
}

afterEach(async () => {
  await Promise.all(engines.splice(0).map((asr) => asr.close()));
  expect(recognisedProcesses()).toEqual([]);
});

describe('pocketsphinx engine', () => {
  it('recognises the court sentence, with times inside the recording', async () => {
    const speech = fixtureSpeech('court-in-session');
    const segments = await recognise(engine(), speech.samples);
    const text = segments.map((s) => s.text).join(' ');
    expect(wordErrorRate(speech.text, text)).toBeLessThanOrEqual(0.2);
    const durationMs = (speech.samples.length / 16_000) * 1000;
    for (const segment of segments) {
      expect(segment.final).toBe(true);
      expect(segment.startMs).toBeGreaterThanOrEqual(0);
      expect(segment.endMs).toBeGreaterThan(segment.startMs);
      expect(segment.endMs).toBeLessThanOrEqual(durationMs);
      expect(segment.confidence).toBeGreaterThan(0);
      expect(segment.confidence).toBeLessThanOrEqual(1);
      const words = segment.words!;
      expect(words.map((w) => w.text).join(' ')).toBe(segment.text);
      words.forEach((word, i) => i > 0 && expect(word.startMs).toBeGreaterThanOrEqual(words[i - 1]!.endMs));
    }
  });

  it('recognises the 18 s hearing passage with a word error rate of at most 0.1', async () => {
    const passage = fixtureSpeech('hearing-passage');
    const segments = await recognise(engine(), passage.samples);
    expect(wordErrorRate(passage.text, segments.map((s) => s.text).join(' '))).toBeLessThanOrEqual(0.1);
  });

  it('reports each utterance while the stream goes on, at its place in the stream', async () => {
    const speech = fixtureSpeech('court-in-session');
    const asr = engine();
    const segments: AsrSegment[] = [];
    let firstSegment!: () => void;
    const first = new Promise<void>((resolve) => (firstSegment = resolve));
    const session = asr.start({ language: 'en', onSegment: (s) => (segments.push(s), firstSegment()) });
    // Speech then silence: the voice activity detector closes the utterance without end().
    session.write(concatPcm([silence(1), speech.samples, silence(2)]));
    await first;
    expect(segments).toHaveLength(1);
    session.write(concatPcm([speech.samples, silence(1)]));
    await session.end();
    expect(segments).toHaveLength(2);
    const second = 1000 + 4465 + 2000;
    expect(segments[0]!.startMs).toBeGreaterThanOrEqual(1000);
    expect(segments[0]!.endMs).toBeLessThanOrEqual(1000 + 4465);
    expect(segments[1]!.startMs).toBeGreaterThanOrEqual(second);
    expect(segments[1]!.endMs).toBeLessThanOrEqual(second + 4465);
    expect(new Set(segments.map((s) => s.id)).size).toBe(2);
    for (const segment of segments) expect(wordErrorRate(speech.text, segment.text)).toBeLessThanOrEqual(0.2);
  });

  it('bounds the backlog: the oldest audio is dropped and counted, times stay those of the stream', async () => {
    const speech = fixtureSpeech('court-in-session');
    const asr = engine({ maxBacklogMs: 8000 });
    const segments: AsrSegment[] = [];
    const reports: { queuedMs: number; droppedMs: number }[] = [];
    const session = asr.start({ language: 'en', onSegment: (s) => segments.push(s), onBacklog: (b) => reports.push(b) });
    const copy = concatPcm([speech.samples, silence(2)]); // 6.465 s
    const stream = concatPcm([silence(2), copy, copy, copy, copy]); // 27.86 s, written at once
    for (let i = 0; i < stream.length; i += 1600) session.write(stream.subarray(i, i + 1600));
    const { queuedMs, droppedMs } = session.backlog;
    expect(queuedMs).toBeLessThanOrEqual(8000);
    expect(queuedMs).toBeGreaterThan(7000);
    // What the child's stdin took at once (pipe and socket buffers, a few seconds) is not dropped.
    expect(droppedMs).toBeGreaterThan(10_000);
    expect(droppedMs + queuedMs).toBeLessThan(27_860);
    expect(reports.at(-1)!.droppedMs).toBe(droppedMs);
    await session.end();
    expect(session.backlog).toEqual({ queuedMs: 0, droppedMs });
    // What survived is the newest audio: the last copy, at its own time in the stream.
    expect(segments.length).toBeGreaterThanOrEqual(1);
    const lastCopyMs = 2000 + 3 * 6465;
    expect(segments.at(-1)!.startMs).toBeGreaterThanOrEqual(lastCopyMs);
    expect(segments.at(-1)!.endMs).toBeLessThanOrEqual(27_860);
    expect(wordErrorRate(speech.text, segments.at(-1)!.text)).toBeLessThanOrEqual(0.2);
  });

  it('abort() stops at once, reports nothing more and leaves no process behind', async () => {
    const passage = fixtureSpeech('hearing-passage');
    const asr = engine();
    const segments: AsrSegment[] = [];
    const session = asr.start({ language: 'en', onSegment: (s) => segments.push(s) });
    session.write(passage.samples);
    expect(recognisedProcesses().length).toBeGreaterThan(0);
    session.abort();
    session.abort();
    await session.end();
    expect(segments).toEqual([]);
    expect(session.backlog.queuedMs).toBe(0);
    session.write(passage.samples);
    expect(session.backlog.queuedMs).toBe(0);
    expect(recognisedProcesses()).toEqual([]);
  });

  it('close() ends every session and its process', async () => {
    const passage = fixtureSpeech('hearing-passage');
    const asr = engine();
    const sessions = [1, 2, 3].map(() => asr.start({ language: 'en', onSegment: () => {} }));
    for (const session of sessions) session.write(passage.samples);
    expect(recognisedProcesses().length).toBeGreaterThanOrEqual(3);
    await asr.close();
    await asr.close();
    await Promise.all(sessions.map((session) => session.end()));
    expect(recognisedProcesses()).toEqual([]);
    expect(() => asr.start({ language: 'en', onSegment: () => {} })).toThrow(/closed/);
  });

  it('takes explicit decoder options instead of the preset’s, and reports pocketsphinx refusing them', async () => {
    const speech = fixtureSpeech('court-in-session');
    const accurate = createPocketsphinxEngine({ logger, decodingArgs: POCKETSPHINX_DECODING_ARGS.accurate });
    engines.push(accurate);
    const segments = await recognise(accurate, speech.samples);
    expect(wordErrorRate(speech.text, segments.map((s) => s.text).join(' '))).toBeLessThanOrEqual(0.2);

    const refused = createPocketsphinxEngine({ logger, decodingArgs: ['-no_such_option', '1'] });
    engines.push(refused);
    const session = refused.start({ language: 'en', onSegment: () => {} });
    session.write(speech.samples);
    await expect(session.end()).rejects.toThrow(/pocketsphinx exited with code/);
  });

  it('refuses Chinese (the model is English) and a missing program or model, at once', async () => {
    expect(() => engine().start({ language: 'zh', onSegment: () => {} })).toThrow(/language "zh" is not supported/);
    expect(() => createPocketsphinxEngine({ logger, modelDir: '/nonexistent' })).toThrow(AsrEngineUnavailableError);
    expect(() => createPocketsphinxEngine({ logger, modelDir: '/nonexistent' })).toThrow(/model file \/nonexistent\/en-us/);
    const path = process.env.PATH;
    process.env.PATH = '/nonexistent';
    try {
      expect(() => createPocketsphinxEngine({ logger })).toThrow(/pocketsphinx_continuous not found on PATH/);
    } finally {
      process.env.PATH = path;
    }
    const chosen = await createAsrEngine({ ECOURT_ASR_ENGINE: 'pocketsphinx', WHISPER_MODEL: undefined }, logger);
    engines.push(chosen);
    expect(chosen.name).toBe('pocketsphinx');
  });
});

describe('ecourt transcribe', () => {
  const run = (args: string[]) => runEcourtToEnd(['transcribe', ...args]);

  it('prints the segments as JSON', async () => {
    const speech = fixtureSpeech('court-in-session');
    const { code, stdout } = await run([speech.path, '--json']);
    expect(code).toBe(0);
    const result = JSON.parse(stdout) as { engine: string; durationMs: number; segments: AsrSegment[] };
    expect(result.engine).toBe('pocketsphinx');
    expect(result.durationMs).toBe(4465);
    expect(wordErrorRate(speech.text, result.segments.map((s) => s.text).join(' '))).toBeLessThanOrEqual(0.2);
    expect(result.segments[0]!.startMs).toBeLessThan(result.segments[0]!.endMs);
  });

  it('prints one line per segment, and exits 1 on a bad file, 2 on bad usage', async () => {
    const speech = fixtureSpeech('court-in-session');
    const lines = await run([speech.path]);
    expect(lines.code).toBe(0);
    expect(lines.stdout).toMatch(/^\[00:00\.\d\d → 00:04\.\d\d\] the court is now in session/);
    const notWav = await run([ECOURT_BIN]);
    expect(notWav.code).toBe(1);
    expect(notWav.stderr).toMatch(/ecourt\.mjs: not a WAV file/);
    expect((await run([])).code).toBe(2);
    const badEngine = await run([speech.path, '--engine', 'kaldi']);
    expect(badEngine.code).toBe(2);
    expect(badEngine.stderr).toMatch(/--engine must be one of pocketsphinx, whisper/);
  });
});
