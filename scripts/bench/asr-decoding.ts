// pocketsphinx decoding-option sweep (issue 5, speakers per core): `node --import tsx
// scripts/bench/asr-decoding.ts [--core 0] [--only label,label]`. Each option set decodes, pinned to one
// core, the 18 s passage as the ASR test hears it, the court sentence, and the passage with sentence pauses
// twice over (what each stream of the streams section hears); it prints CPU time, WER and the CPU share a
// real-time stream would need. The streams section of scripts/bench/asr.ts then measures the candidates live.
import { execFileSync, spawn } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { DEFAULT_POCKETSPHINX_MODEL_DIR, POCKETSPHINX_DECODING_ARGS } from '../../models/asr/pocketsphinx/pocketsphinx-engine.ts';
import { wordErrorRate } from '../../models/asr/word-error-rate.ts';
import { concatPcm, fixtureSpeech, silence, wavBytes } from '../../test/support/asr-audio.ts';
import { passageWithPauses } from './asr-passage.ts';

const { values } = parseArgs({
  options: { core: { type: 'string', default: '0' }, only: { type: 'string' }, repeat: { type: 'string', default: '3' } },
  strict: true,
});
/** Each decode is repeated and the least CPU kept: other work on a shared core only ever adds to it. */
const REPEAT = Number(values.repeat);
const FAST = [...POCKETSPHINX_DECODING_ARGS.fast];
/** `base` with some options set to other values (pocketsphinx refuses an option given twice). */
function withOptions(base: readonly string[], changes: Record<string, string>): string[] {
  const args = [...base];
  for (const [name, value] of Object.entries(changes)) {
    const at = args.indexOf(name);
    if (at >= 0) args[at + 1] = value;
    else args.push(name, value);
  }
  return args;
}
const fastWith = (label: string, changes: Record<string, string>) => ({ label: `fast ${label}`, args: withOptions(FAST, changes) });
/** The option sets measured: each idea on its own on top of `fast`, then the combinations worth a look. */
const SETS: { label: string; args: string[] }[] = [
  { label: 'accurate (pocketsphinx defaults)', args: [] },
  { label: 'fast', args: FAST },
  fastWith('-fwdflat no', { '-fwdflat': 'no' }),
  fastWith('-bestpath no', { '-bestpath': 'no' }),
  fastWith('-fwdflat no -bestpath no', { '-fwdflat': 'no', '-bestpath': 'no' }),
  fastWith('-ds 3', { '-ds': '3' }),
  fastWith('-topn 1', { '-topn': '1' }),
  fastWith('-maxhmmpf 2000', { '-maxhmmpf': '2000' }),
  fastWith('-maxhmmpf 1500', { '-maxhmmpf': '1500' }),
  fastWith('-maxwpf 3', { '-maxwpf': '3' }),
  fastWith('-beam 1e-40 -pbeam 1e-40', { '-beam': '1e-40', '-pbeam': '1e-40' }),
  fastWith('-wbeam 1e-20 -lpbeam 1e-30 -lponlybeam 1e-20', { '-wbeam': '1e-20', '-lpbeam': '1e-30', '-lponlybeam': '1e-20' }),
  fastWith('-fwdflatbeam 1e-40 -fwdflatwbeam 1e-20', { '-fwdflatbeam': '1e-40', '-fwdflatwbeam': '1e-20' }),
  fastWith('-lw 8', { '-lw': '8' }),
  fastWith('-pl_window 40', { '-pl_window': '40' }),
  fastWith('-remove_noise no', { '-remove_noise': 'no' }),
  fastWith('-maxwpf 3 -pl_window 40', { '-maxwpf': '3', '-pl_window': '40' }),
  fastWith('-maxhmmpf 2000 -pl_window 40', { '-maxhmmpf': '2000', '-pl_window': '40' }),
  fastWith('-maxhmmpf 2000 -maxwpf 3 -pl_window 40', { '-maxhmmpf': '2000', '-maxwpf': '3', '-pl_window': '40' }),
];
const only = values.only?.split(',');
const sets = only ? SETS.filter((s) => only.includes(s.label)) : SETS;
const core = values.core!;

const model = DEFAULT_POCKETSPHINX_MODEL_DIR;
const CLOCK_TICKS = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;

/**
 * Runs pocketsphinx_continuous as the engine does (`-time yes`, so word times and posteriors are
 * computed) on one file, pinned to `core`. CPU is the shell's cutime + cstime after waiting for it: exact,
 * not sampled.
 */
async function decode(wav: string, args: string[], out: string): Promise<{ cpuS: number; text: string }> {
  let best = await decodeOnce(wav, args, out);
  for (let i = 1; i < REPEAT; i++) {
    const again = await decodeOnce(wav, args, out);
    if (again.cpuS < best.cpuS) best = again;
  }
  return best;
}

async function decodeOnce(wav: string, args: string[], out: string): Promise<{ cpuS: number; text: string }> {
  const script = '"$@" > "$OUT" 2>/dev/null || exit 1; cat /proc/$$/stat';
  const command = ['taskset', '-c', core, 'pocketsphinx_continuous', '-infile', wav, '-hmm', join(model, 'en-us'), '-lm', join(model, 'en-us.lm.bin'), '-dict', join(model, 'cmudict-en-us.dict'), '-logfn', '/dev/null', '-time', 'yes', ...args];
  const child = spawn('sh', ['-c', script, 'sh', ...command], { env: { ...process.env, OUT: out }, stdio: ['ignore', 'pipe', 'inherit'] });
  let stat = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stat += chunk));
  const code = await new Promise((resolve) => child.on('close', resolve));
  if (code !== 0 || !stat) throw new Error(`pocketsphinx_continuous ${args.join(' ')}: failed`);
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const cpuS = (Number(fields[13]) + Number(fields[14])) / CLOCK_TICKS;
  // Utterance lines only: word lines end in three numbers.
  const text = (await readFile(out, 'utf8'))
    .split('\n')
    .filter((line) => line !== '' && !/ -?\d+\.\d+ -?\d+\.\d+ -?\d+(\.\d+)?$/.test(line))
    .join(' ');
  return { cpuS, text };
}

const f = (n: number, digits = 2) => n.toFixed(digits);
const work = await mkdtemp(join(tmpdir(), 'ecourt-bench-asr-decoding-'));
try {
  const passage = fixtureSpeech('hearing-passage');
  const sentence = fixtureSpeech('court-in-session');
  const paused = passageWithPauses().samples;
  // As each stream of the streams section hears it: 2 passes, 1 s between, 2 s after.
  const streamAudio = concatPcm([paused, silence(1), paused, silence(1), silence(2)]);
  const files = { stream: join(work, 'stream.wav'), silence: join(work, 'silence.wav') };
  await writeFile(files.stream, wavBytes(new Uint8Array(streamAudio.buffer)));
  await writeFile(files.silence, wavBytes(new Uint8Array(silence(1).buffer)));
  const streamS = streamAudio.length / 16_000;
  const passageS = passage.samples.length / 16_000;
  const load = `uptime: ${execFileSync('uptime', { encoding: 'utf8' }).trim()}`;
  process.stderr.write(`${load}\n`);
  const rows: string[] = [];
  for (const set of sets) {
    process.stderr.write(`decoding: ${set.label}…\n`);
    const out = join(work, 'out.txt');
    const start = await decode(files.silence, set.args, out);
    const onPassage = await decode(passage.path, set.args, out);
    const onSentence = await decode(sentence.path, set.args, out);
    const onStream = await decode(files.stream, set.args, out);
    const refStream = `${passage.text} ${passage.text}`;
    // Model load and start-up are paid once per speaker: the per-stream share leaves them out.
    const sharePercent = (Math.max(0, onStream.cpuS - start.cpuS) / streamS) * 100;
    rows.push(
      `| ${set.label} | ${f(start.cpuS)} | ${f(onPassage.cpuS)} | ${f(onPassage.cpuS / passageS, 3)} | ${f(wordErrorRate(passage.text, onPassage.text), 3)} | ${f(wordErrorRate(sentence.text, onSentence.text), 3)} | ${f(onStream.cpuS)} | ${f(wordErrorRate(refStream, onStream.text), 3)} | ${f(sharePercent, 1)} | ${f(100 / sharePercent, 1)} |`,
    );
  }
  console.log(
    [
      `pocketsphinx decoding sweep — ${new Date().toISOString().replace(/\.\d+Z$/, 'Z')}, pinned to core ${core} (taskset), least CPU of ${REPEAT} runs; ${load}`,
      `load after: ${execFileSync('uptime', { encoding: 'utf8' }).trim()}`,
      '',
      `| option set | start-up CPU s | passage CPU s | RTF (CPU) | passage WER | court sentence WER | stream audio CPU s (${f(streamS, 1)} s, 12 sentences) | stream WER | CPU % of a core per stream (start-up excluded) | streams per core (CPU alone) |`,
      '|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|',
      ...rows,
    ].join('\n'),
  );
} finally {
  await rm(work, { recursive: true, force: true });
}
