// Speech recognition benchmark (issue 5): `npm run bench:asr [-- --sections rtf,streams,live] [--quick]
// [--pin <core>|none] [--decoding-args="<pocketsphinx options>"]`.
//  rtf     — real-time factor and peak memory per engine on the fixtures: our pocketsphinx streaming
//            session against pocketsphinx's own programs on the whole file (pocketsphinx_continuous
//            -infile, pocketsphinx_batch) in the same run; whisper with random-weight models (times real, text
//            meaningless) and, when WHISPER_MODEL names one, the court's own model.
//  streams — N concurrent pocketsphinx sessions fed the 18 s passage in real time: each segment's delay
//            after its audio was written, the backlog, and the largest N whose delay stays flat.
//  live    — a live hearing on the in-process platform (scripts/bench/asr-live.ts): end of utterance →
//            final ASR text in every observer's transcript document, p50/p95.
import { execFileSync, spawn } from 'node:child_process';
import { readFileSync, statSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { availableParallelism, cpus, tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { parseArgs } from 'node:util';
import type { AsrEngine, AsrSegment } from '../../models/asr/asr-engine.ts';
import { createPocketsphinxEngine, DEFAULT_POCKETSPHINX_MODEL_DIR, POCKETSPHINX_DECODINGS } from '../../models/asr/pocketsphinx/pocketsphinx-engine.ts';
import { createWhisperEngine } from '../../models/asr/whisper/whisper-engine.ts';
import { wordErrorRate } from '../../models/asr/word-error-rate.ts';
import { createLogger } from '../../platform/logger.ts';
import { concatPcm, descendantProcesses, fixtureSpeech, silence } from '../../test/support/asr-audio.ts';
import { randomWhisperModel } from '../../test/support/random-whisper-model.ts';
import { runLiveHearingLatency, type LiveLatencyResult } from './asr-live.ts';
import { passageWithPauses, SENTENCE_PAUSE_S } from './asr-passage.ts';
import { sampleProcess, type ProcessPeak } from './process-peak.ts';

const { values } = parseArgs({
  options: {
    sections: { type: 'string' },
    quick: { type: 'boolean', default: false },
    streams: { type: 'string' },
    passes: { type: 'string' },
    utterances: { type: 'string' },
    'whisper-shapes': { type: 'string' },
    pin: { type: 'string' },
    'decoding-args': { type: 'string' },
  },
  strict: true,
});
const SECTIONS = new Set((values.sections ?? 'rtf,streams,live').split(','));
const QUICK = values.quick;
const STREAM_COUNTS = (values.streams ?? (QUICK ? '1,2,4,6,8' : '1,2,4,6,8,10,12')).split(',').map(Number);
/** How many times each stream plays the 18 s passage. */
const PASSES = Number(values.passes ?? (QUICK ? 1 : 2));
const UTTERANCES = Number(values.utterances ?? (QUICK ? 6 : 20));
const WHISPER_SHAPES = (values['whisper-shapes'] ?? 'test').split(',');
const CORES = availableParallelism();
/**
 * Streams section: the core the recognisers (sh, cat, pocketsphinx) are pinned to with taskset, this
 * process then keeping to the other cores — so "streams per core" is exact on a shared machine.
 * Core 0 by default when there are several; `--pin none` spreads them over all cores.
 */
const PIN_CORE = values.pin === 'none' ? undefined : (values.pin ?? (CORES > 1 ? '0' : undefined));
/** Streams section: pocketsphinx options instead of the default preset's (a candidate from asr-decoding.ts). */
const DECODING_ARGS = values['decoding-args']?.split(/\s+/).filter((arg) => arg !== '');
const CHUNK_MS = 100;
const SAMPLES_PER_MS = 16;
const logger = createLogger({ level: 'error' });
const log = (line: string) => process.stderr.write(`${line}\n`);
const f = (n: number, digits = 2) => (Number.isFinite(n) ? n.toFixed(digits) : '-');
const pause = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

/** Waits for a new descendant process of this one matching `matches` (one our engine just started). */
async function newDescendant(matches: (p: { pid: number; name: string }) => boolean, known: Set<number>, timeoutMs = 5_000): Promise<number> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const found = descendantProcesses().find((p) => !known.has(p.pid) && matches(p));
    if (found) return found.pid;
    if (Date.now() > deadline) throw new Error('the recogniser process did not appear');
    await pause(5);
  }
}

const cmdlineOf = (pid: number): string => {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').replaceAll('\0', ' ');
  } catch {
    return '';
  }
};

// ---------------------------------------------------------------- rtf

interface RtfRow {
  engine: string;
  how: string;
  fixture: string;
  audioS: number;
  wallS: number;
  cpuS: number;
  peakRssMiB: number;
  wer: number;
  note?: string;
}

const FIXTURES = ['court-in-session', 'hearing-passage'] as const;

/** Our engine as the hub uses it: a session, the audio written in 100 ms pieces as fast as it takes them. */
async function engineSession(
  engine: AsrEngine,
  samples: Int16Array,
  recogniserPid: () => Promise<number>,
): Promise<{ wallS: number; peak: ProcessPeak; segments: AsrSegment[] }> {
  const segments: AsrSegment[] = [];
  const t0 = performance.now();
  const session = engine.start({ language: 'en', onSegment: (segment) => segment.final && segments.push(segment) });
  const sampler = sampleProcess(await recogniserPid());
  // A recogniser process serving several sessions (whisper) has CPU from before: count this session's.
  const cpuBefore = sampler.read().cpuMs;
  for (let i = 0; i < samples.length; i += CHUNK_MS * SAMPLES_PER_MS) session.write(samples.subarray(i, i + CHUNK_MS * SAMPLES_PER_MS));
  await session.end();
  const wallS = (performance.now() - t0) / 1000;
  const peak = sampler.stop();
  return { wallS, peak: { peakRssMiB: peak.peakRssMiB, cpuMs: peak.cpuMs - cpuBefore }, segments };
}

/** A program on the whole file, as its authors run it; its own peak and CPU, sampled the same way. */
async function program(command: string, args: string[], cwd: string): Promise<{ wallS: number; peak: ProcessPeak; stdout: string }> {
  const t0 = performance.now();
  const child = spawn(command, args, { cwd, stdio: ['ignore', 'pipe', 'ignore'] });
  const sampler = sampleProcess(child.pid!);
  let stdout = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
  const wallS = (performance.now() - t0) / 1000;
  const peak = sampler.stop();
  if (code !== 0) throw new Error(`${command} exited with ${code}`);
  return { wallS, peak, stdout };
}

async function rtfSection(): Promise<{ rows: RtfRow[]; whisperModels: string[] }> {
  const rows: RtfRow[] = [];
  const model = {
    hmm: join(DEFAULT_POCKETSPHINX_MODEL_DIR, 'en-us'),
    lm: join(DEFAULT_POCKETSPHINX_MODEL_DIR, 'en-us.lm.bin'),
    dict: join(DEFAULT_POCKETSPHINX_MODEL_DIR, 'cmudict-en-us.dict'),
  };
  const work = await mkdtemp(join(tmpdir(), 'ecourt-bench-asr-'));
  try {
    const engines = POCKETSPHINX_DECODINGS.map((decoding) => ({ decoding, engine: createPocketsphinxEngine({ logger, decoding }) }));
    for (const name of FIXTURES) {
      const speech = fixtureSpeech(name);
      const audioS = speech.samples.length / 16_000;
      for (const { decoding, engine } of engines) {
        log(`rtf: pocketsphinx (${decoding}) on ${name} (${f(audioS, 1)} s)…`);
        const known = new Set(descendantProcesses().map((p) => p.pid));
        const ours = await engineSession(engine, speech.samples, () => newDescendant((p) => p.name === 'pocketsphinx_co', known));
        rows.push({
          engine: 'pocketsphinx',
          how: `ecourt streaming session, ${decoding} decoding${decoding === 'fast' ? ' (default)' : ' (pocketsphinx defaults)'}`,
          fixture: name,
          audioS,
          wallS: ours.wallS,
          cpuS: ours.peak.cpuMs / 1000,
          peakRssMiB: ours.peak.peakRssMiB,
          wer: wordErrorRate(speech.text, ours.segments.map((s) => s.text).join(' ')),
        });
      }

      const continuous = await program(
        'pocketsphinx_continuous',
        ['-infile', speech.path, '-hmm', model.hmm, '-lm', model.lm, '-dict', model.dict, '-logfn', '/dev/null'],
        work,
      );
      rows.push({
        engine: 'pocketsphinx',
        how: 'peer: pocketsphinx_continuous -infile <file> (same decoder, reads the file itself)',
        fixture: name,
        audioS,
        wallS: continuous.wallS,
        cpuS: continuous.peak.cpuMs / 1000,
        peakRssMiB: continuous.peak.peakRssMiB,
        wer: wordErrorRate(speech.text, continuous.stdout.replace(/\n/g, ' ')),
      });

      const base = `${name}-16k`;
      await writeFile(join(work, 'ctl'), `${base}\n`);
      const batch = await program(
        'pocketsphinx_batch',
        ['-adcin', 'yes', '-cepdir', dirname(speech.path), '-cepext', '.wav', '-ctl', 'ctl', '-hmm', model.hmm, '-lm', model.lm, '-dict', model.dict, '-hyp', 'out.hyp', '-logfn', '/dev/null'],
        work,
      );
      const hypothesis = readFileSync(join(work, 'out.hyp'), 'utf8').replace(/\s*\([^)]*\)\s*$/, '');
      rows.push({
        engine: 'pocketsphinx',
        how: 'peer: pocketsphinx_batch (batch decoder, the file as one utterance)',
        fixture: name,
        audioS,
        wallS: batch.wallS,
        cpuS: batch.peak.cpuMs / 1000,
        peakRssMiB: batch.peak.peakRssMiB,
        wer: wordErrorRate(speech.text, hypothesis),
      });
    }
    for (const { engine } of engines) await engine.close();

    const whisperModels: string[] = [];
    const models: { label: string; path: string; real: boolean }[] = [];
    for (const shape of WHISPER_SHAPES) {
      const dimensions = shape === 'tiny' ? { state: 384, layers: 4 } : { state: 32, layers: 1 };
      const path = join(work, `ggml-random-${shape}.bin`);
      const bytes = randomWhisperModel(dimensions);
      await writeFile(path, bytes);
      const label = `whisper (random ${shape === 'tiny' ? 'tiny-shaped' : 'test'} model)`;
      whisperModels.push(
        `${label}: ${dimensions.state} wide, ${dimensions.layers} encoder + ${dimensions.layers} decoder layers, 2 heads, f16, ${f(bytes.length / 2 ** 20, 1)} MiB` +
          ' (random weights written by test/support/random-whisper-model.ts: the times are real, the text is meaningless)',
      );
      models.push({ label, path, real: false });
    }
    // A real model the court supplies: its text is meaningful, so it gets a WER.
    if (process.env.WHISPER_MODEL) {
      const path = process.env.WHISPER_MODEL;
      models.push({ label: `whisper (${basename(path)})`, path, real: true });
      whisperModels.push(`whisper (${basename(path)}): WHISPER_MODEL, ${f(statSync(path).size / 2 ** 20, 1)} MiB`);
    }
    for (const { label, path, real } of models) {
      const known = new Set(descendantProcesses().map((p) => p.pid));
      const loadStart = performance.now();
      const whisper = await createWhisperEngine({ modelPath: path, logger });
      const loadS = (performance.now() - loadStart) / 1000;
      const recogniser = await newDescendant((p) => cmdlineOf(p.pid).includes('whisper-process.ts'), known);
      try {
        for (const name of FIXTURES) {
          const speech = fixtureSpeech(name);
          const audioS = speech.samples.length / 16_000;
          log(`rtf: ${label} on ${name}…`);
          const run = await engineSession(whisper, speech.samples, async () => recogniser);
          rows.push({
            engine: label,
            how: `ecourt session (VAD chunks → recogniser process, 1 thread)${real ? '' : '; text meaningless'}`,
            fixture: name,
            audioS,
            wallS: run.wallS,
            cpuS: run.peak.cpuMs / 1000,
            peakRssMiB: run.peak.peakRssMiB,
            wer: real ? wordErrorRate(speech.text, run.segments.map((s) => s.text).join(' ')) : Number.NaN,
            note: `model load ${f(loadS, 2)} s (not in the wall time); peak RSS is the recogniser process's (Node + model)`,
          });
        }
      } finally {
        await whisper.close();
      }
    }
    return { rows, whisperModels };
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

// ---------------------------------------------------------------- streams

interface StreamsRow {
  streams: number;
  segments: number;
  delayP50: number;
  delayP95: number;
  delayMax: number;
  /** Mean delay of the last third of the run's segments minus that of the first third. */
  delayGrowth: number;
  maxQueuedMs: number;
  droppedMs: number;
  cpuPercentPerStream: number;
  /** Recognition keeps up: later segments no later than early ones, no backlog, nothing dropped. */
  sustained: boolean;
  /** Sustained, and p95 close to one stream's. */
  flat: boolean;
}

/**
 * N sessions, each written 100 ms of audio every 100 ms (absolute deadlines) from the passage; stream
 * i starts with (i mod 4) × 250 ms of silence so their utterances do not all end at the same instant.
 */
async function streamsRun(count: number): Promise<MeasuredStreams> {
  const passage = passageWithPauses().samples;
  const engine = createPocketsphinxEngine({ logger, decodingArgs: DECODING_ARGS });
  const streams = Array.from({ length: count }, (_, i) => concatPcm([silence((i % 4) * 0.25), ...Array.from({ length: PASSES }, () => concatPcm([passage, silence(1)])), silence(2)]));
  const chunks = Math.max(...streams.map((s) => Math.ceil(s.length / (CHUNK_MS * SAMPLES_PER_MS))));
  const writtenAt: number[] = [];
  const delays: { at: number; delay: number }[] = [];
  let maxQueuedMs = 0;
  const known = new Set(descendantProcesses().map((p) => p.pid));
  const sessions = streams.map(() =>
    engine.start({
      language: 'en',
      onSegment: (segment) => {
        if (!segment.final) return;
        const now = performance.now();
        const chunk = Math.min(writtenAt.length - 1, Math.floor(segment.endMs / CHUNK_MS));
        delays.push({ at: now, delay: now - writtenAt[chunk]! });
      },
    }),
  );
  const pids: number[] = [];
  for (let i = 0; i < count; i++) {
    const pid = await newDescendant((p) => p.name === 'pocketsphinx_co', known);
    known.add(pid);
    pids.push(pid);
  }
  if (PIN_CORE !== undefined) pinRecognisers();
  const samplers = pids.map((pid) => sampleProcess(pid));
  const cpuBefore = samplers.reduce((sum, s) => sum + s.read().cpuMs, 0);
  const t0 = performance.now();
  for (let k = 0; k < chunks; k++) {
    writtenAt.push(performance.now());
    streams.forEach((stream, i) => {
      const piece = stream.subarray(k * CHUNK_MS * SAMPLES_PER_MS, (k + 1) * CHUNK_MS * SAMPLES_PER_MS);
      if (piece.length > 0) sessions[i]!.write(piece);
    });
    for (const session of sessions) maxQueuedMs = Math.max(maxQueuedMs, session.backlog.queuedMs);
    await pause(Math.max(0, t0 + (k + 1) * CHUNK_MS - performance.now()));
  }
  const cpuAfter = samplers.reduce((sum, s) => sum + s.read().cpuMs, 0);
  const elapsedMs = performance.now() - t0;
  await Promise.all(sessions.map((session) => session.end()));
  samplers.forEach((s) => s.stop());
  const droppedMs = sessions.reduce((sum, session) => sum + session.backlog.droppedMs, 0);
  await engine.close();
  const ordered = delays.sort((a, b) => a.at - b.at).map((d) => d.delay);
  const third = Math.max(1, Math.floor(ordered.length / 3));
  const mean = (values: number[]) => values.reduce((a, b) => a + b, 0) / values.length;
  return {
    streams: count,
    segments: ordered.length,
    delayP50: percentile(ordered, 50),
    delayP95: percentile(ordered, 95),
    delayMax: Math.max(...ordered),
    delayGrowth: mean(ordered.slice(-third)) - mean(ordered.slice(0, third)),
    maxQueuedMs,
    droppedMs,
    cpuPercentPerStream: ((cpuAfter - cpuBefore) / elapsedMs / count) * 100,
  };
}

/** Every sh, cat and pocketsphinx this process started, onto PIN_CORE (its relay included: it is the recogniser's cost). */
function pinRecognisers(): void {
  for (const p of descendantProcesses()) {
    if (['sh', 'cat', 'pocketsphinx_co'].includes(p.name)) execFileSync('taskset', ['-pc', PIN_CORE!, String(p.pid)], { stdio: 'ignore' });
  }
}

/** The benchmark itself (paced writers, collection) keeps off the recognisers' core; `all` gives every core back. */
function keepOffPinnedCore(all = false): void {
  const others = Array.from({ length: CORES }, (_, i) => i).filter((i) => all || String(i) !== PIN_CORE);
  if (others.length > 0) execFileSync('taskset', ['-apc', others.join(','), String(process.pid)], { stdio: 'ignore' });
}

type MeasuredStreams = Omit<StreamsRow, 'flat' | 'sustained'>;

/** Sustained: delay grows by at most 300 ms across the run, backlog ≤ 2 s, nothing dropped. */
const isSustained = (row: MeasuredStreams): boolean => row.delayGrowth <= 300 && row.maxQueuedMs <= 2_000 && row.droppedMs === 0;
/** Flat: sustained, and p95 within 1.5× (+300 ms) of one stream's. */
const isFlat = (row: MeasuredStreams, single: MeasuredStreams): boolean => isSustained(row) && row.delayP95 <= single.delayP95 * 1.5 + 300;

async function streamsSection(): Promise<StreamsRow[]> {
  if (PIN_CORE !== undefined) keepOffPinnedCore();
  const rows: StreamsRow[] = [];
  for (const count of STREAM_COUNTS) {
    log(`streams: ${count} concurrent pocketsphinx session(s), ${PASSES} × the 18 s passage in real time…`);
    const row = await streamsRun(count);
    rows.push({ ...row, sustained: isSustained(row), flat: isFlat(row, rows[0] ?? row) });
  }
  // The live section runs the whole platform: on every core, as a node would.
  if (PIN_CORE !== undefined) keepOffPinnedCore(true);
  return rows;
}

// ---------------------------------------------------------------- report

const started = new Date().toISOString().replace(/\.\d+Z$/, 'Z');
const loadBefore = execFileSync('uptime', { encoding: 'utf8' }).trim();
const rtf = SECTIONS.has('rtf') ? await rtfSection() : undefined;
const streams = SECTIONS.has('streams') ? await streamsSection() : undefined;
let live: LiveLatencyResult | undefined;
if (SECTIONS.has('live')) {
  log(`live: a hearing on the in-process platform, ${UTTERANCES} utterances of the court sentence…`);
  live = await runLiveHearingLatency({ utterances: UTTERANCES, log });
}
const loadAfter = execFileSync('uptime', { encoding: 'utf8' }).trim();

const lines = [
  `Speech recognition benchmark — ${started}${QUICK ? ' (quick settings)' : ''}`,
  `machine: ${CORES} cores (${cpus()[0]?.model ?? 'unknown CPU'}), shared; load before: ${loadBefore}`,
  `load after: ${loadAfter}`,
];
if (rtf) {
  lines.push(
    '',
    '### Real-time factor and peak memory (RTF = wall time / audio time; CPU = the recogniser process)',
    '',
    '| engine | how | fixture | audio s | wall s | RTF (wall) | CPU s | RTF (CPU) | peak RSS MiB | WER |',
    '|---|---|---|---:|---:|---:|---:|---:|---:|---:|',
    ...rtf.rows.map(
      (r) =>
        `| ${r.engine} | ${r.how} | ${r.fixture} | ${f(r.audioS)} | ${f(r.wallS)} | ${f(r.wallS / r.audioS, 3)} | ${f(r.cpuS)} | ${f(r.cpuS / r.audioS, 3)} | ${f(r.peakRssMiB, 1)} | ${f(r.wer, 3)} |`,
    ),
    '',
    ...rtf.whisperModels.map((m) => `- ${m}`),
    ...[...new Set(rtf.rows.filter((r) => r.note).map((r) => `- ${r.engine}: ${r.note}`))],
    `- Target: pocketsphinx RTF ≤ 0.2 → ${(() => {
      const passage = rtf.rows.find((r) => r.engine === 'pocketsphinx' && r.fixture === 'hearing-passage' && r.how.startsWith('ecourt'));
      return passage ? `${f(passage.wallS / passage.audioS, 3)} wall, ${f(passage.cpuS / passage.audioS, 3)} CPU on the passage (${passage.wallS / passage.audioS <= 0.2 ? 'met' : 'NOT met'})` : 'not run';
    })()}`,
  );
}
if (streams) {
  const largest = (holds: (row: StreamsRow) => boolean) => {
    let best = 0;
    for (const row of streams) {
      if (!holds(row)) break;
      best = row.streams;
    }
    return best;
  };
  const flatUpTo = largest((row) => row.flat);
  const recogniserCores = PIN_CORE !== undefined ? 1 : CORES;
  const sustainedUpTo = largest((row) => row.sustained);
  lines.push(
    '',
    `### Concurrent pocketsphinx streams, each fed the passage in real time (${PASSES} pass${PASSES > 1 ? 'es' : ''}, ${passageWithPauses().sentences} sentences with ${SENTENCE_PAUSE_S} s pauses; delay = final segment − the write of the 100 ms piece holding its last word)`,
    '',
    '| streams | segments | delay p50 ms | delay p95 ms | delay max ms | delay growth ms | max backlog ms | dropped ms | CPU % of a core per stream | sustained | p95 flat |',
    '|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|---|',
    ...streams.map(
      (r) =>
        `| ${r.streams} | ${r.segments} | ${f(r.delayP50, 0)} | ${f(r.delayP95, 0)} | ${f(r.delayMax, 0)} | ${f(r.delayGrowth, 0)} | ${f(r.maxQueuedMs, 0)} | ${f(r.droppedMs, 0)} | ${f(r.cpuPercentPerStream, 1)} | ${r.sustained ? 'yes' : 'no'} | ${r.flat ? 'yes' : 'no'} |`,
    ),
    '',
    `Decoding: ${DECODING_ARGS ? DECODING_ARGS.join(' ') : 'the default preset'}; recognisers ${PIN_CORE !== undefined ? `pinned to core ${PIN_CORE} (taskset; sh, cat and pocketsphinx), the benchmark on the other core${CORES > 2 ? 's' : ''}` : `on all ${CORES} cores`}.`,
    `Largest N with a flat p95 delay: ${flatUpTo}; largest N sustained (delay not growing): ${sustainedUpTo} — on ${recogniserCores} core${recogniserCores > 1 ? 's' : ''} → ${f(flatUpTo / recogniserCores, 1)} (flat) / ${f(sustainedUpTo / recogniserCores, 1)} (sustained) streams per core (target ≥ 4 per core: ${flatUpTo / recogniserCores >= 4 ? 'met' : 'NOT met'}).`,
    `From CPU alone (one stream's CPU share): ${(() => {
      const one = streams[0];
      return one ? `${f(100 / one.cpuPercentPerStream, 1)} streams per core` : '-';
    })()}.`,
    'Sustained = the last third of the segments no more than 300 ms later than the first third, backlog ≤ 2 s, nothing dropped; p95 flat = sustained and p95 within 1.5× (+300 ms) of one stream’s.',
  );
}
if (live) {
  lines.push('', '### Live hearing: end of utterance → final ASR text in every observer’s transcript', '');
  if (!live.available) lines.push(`Pipeline not available: ${live.reason}`);
  else
    lines.push(
      `${live.utterances} utterances of the court sentence (Opus, paced) from ${live.speaker} with ${live.peers} werift peers in the room; ${live.observers} observers on /yjs.`,
      '',
      '| measure | p50 ms | p95 ms | max ms | n |',
      '|---|---:|---:|---:|---:|',
      `| last voiced audio packet sent → final text at every observer | ${f(percentile(live.latencies, 50), 0)} | ${f(percentile(live.latencies, 95), 0)} | ${f(Math.max(...live.latencies), 0)} | ${live.latencies.length} |`,
      `| first audio packet sent → first (partial) segment at an observer | ${f(percentile(live.partialLatencies, 50), 0)} | ${f(percentile(live.partialLatencies, 95), 0)} | ${f(Math.max(...live.partialLatencies), 0)} | ${live.partialLatencies.length} |`,
      '',
      `Utterances without a final segment at every observer within ${live.timeoutMs} ms: ${live.missed}. Word error rate of the final texts: ${f(live.wer, 3)}.`,
      `Target: p95 utterance-to-screen ≤ 1.5 s → ${f(percentile(live.latencies, 95), 0)} ms (${percentile(live.latencies, 95) <= 1500 ? 'met' : 'NOT met'}).`,
    );
}
console.log(lines.join('\n'));
process.exit(0);
