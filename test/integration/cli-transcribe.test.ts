// `ecourt transcribe` with --language and --format (issue 5, point 3): the real command, the real
// pocketsphinx engine, and whisper with a random-weight model written at test time (its text is
// garbage; that the language reaches it and the output is a valid export is what is checked).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rm } from 'node:fs/promises';
import { dirname } from 'node:path';
import { wordErrorRate } from '../../models/asr/word-error-rate.ts';
import { runEcourtToEnd } from '../support/cli-process.ts';
import { fixtureSpeech } from '../support/asr-audio.ts';
import { writeRandomWhisperModel } from '../support/random-whisper-model.ts';

let modelPath: string;

beforeAll(async () => {
  modelPath = await writeRandomWhisperModel();
});

afterAll(async () => {
  if (modelPath) await rm(dirname(modelPath), { recursive: true, force: true });
});

const run = (args: string[], env: Record<string, string> = {}) => runEcourtToEnd(['transcribe', ...args], env);

const VTT_CUE = /^(\d{2}:\d{2}:\d{2}\.\d{3}) --> (\d{2}:\d{2}:\d{2}\.\d{3})$/;

describe('ecourt transcribe --format and --language', () => {
  it('writes the recognised speech as WebVTT, SRT and plain text', async () => {
    const speech = fixtureSpeech('court-in-session');
    const vtt = await run([speech.path, '--format', 'vtt']);
    expect(vtt.code, vtt.stderr).toBe(0);
    const lines = vtt.stdout.split('\n');
    expect(lines[0]).toBe('WEBVTT');
    const timing = lines.findIndex((line) => VTT_CUE.test(line));
    expect(timing).toBeGreaterThan(0);
    const [, start, end] = VTT_CUE.exec(lines[timing]!)!;
    expect(start! < end!).toBe(true);
    expect(end! <= '00:00:04.465').toBe(true);
    const text = lines.filter((line, i) => i > timing && line !== '').join(' ');
    expect(wordErrorRate(speech.text, text)).toBeLessThanOrEqual(0.2);

    const srt = await run([speech.path, '--format', 'srt']);
    expect(srt.code, srt.stderr).toBe(0);
    expect(srt.stdout).toMatch(/^\uFEFF1\n00:00:0\d,\d{3} --> 00:00:0\d,\d{3}\nthe court is now in session/);

    const txt = await run([speech.path, '--format', 'txt']);
    expect(txt.code, txt.stderr).toBe(0);
    expect(txt.stdout).toMatch(/^\[00:00:0\d\.\d{3} – 00:00:0\d\.\d{3}\] the court is now in session/);
  });

  it('refuses Chinese on the English-only pocketsphinx model, and bad language or format, as usage errors (exit 2)', async () => {
    const speech = fixtureSpeech('court-in-session');
    const chinese = await run([speech.path, '--language', 'zh']);
    expect(chinese.code).toBe(2);
    expect(chinese.stderr).toMatch(/--language zh needs another engine: the pocketsphinx model recognises en only/);
    expect(chinese.stdout).toBe('');
    const klingon = await run([speech.path, '--language', 'tlh', '--engine', 'whisper']);
    expect(klingon.code).toBe(2);
    expect(klingon.stderr).toMatch(/--language must be one of en, zh/);
    const docx = await run([speech.path, '--format', 'docx']);
    expect(docx.code).toBe(2);
    expect(docx.stderr).toMatch(/--format must be one of vtt, srt, txt/);
    const both = await run([speech.path, '--format', 'vtt', '--json']);
    expect(both.code).toBe(2);
    expect(both.stderr).toMatch(/--json and --format exclude each other/);
  });

  it('runs whisper on Chinese with a multilingual model and reports the language', async () => {
    const speech = fixtureSpeech('court-in-session');
    const { code, stdout, stderr } = await run([speech.path, '--engine', 'whisper', '--language', 'zh', '--json'], { WHISPER_MODEL: modelPath });
    expect(code, stderr).toBe(0);
    const result = JSON.parse(stdout) as { engine: string; language: string; segments: { startMs: number; endMs: number }[] };
    expect(result).toMatchObject({ engine: 'whisper', language: 'zh' });
    expect(result.segments.length).toBeGreaterThan(0);
    for (const segment of result.segments) expect(segment.endMs).toBeLessThanOrEqual(4465);
  });
});
