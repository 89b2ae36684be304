import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { readPcmWav, WavFormatError } from '../../models/asr/wav.ts';
import { wordErrorRate } from '../../models/asr/word-error-rate.ts';
import { AUDIO_DIR, wavBytes } from '../support/asr-audio.ts';

describe('WAV reader for speech recognition', () => {
  it('reads the 16 kHz mono fixture', () => {
    const audio = readPcmWav(readFileSync(`${AUDIO_DIR}court-in-session-16k.wav`));
    expect(audio.sampleRate).toBe(16_000);
    expect(audio.samples.length).toBe(71_440);
    expect(audio.durationMs).toBeCloseTo(4465, 0);
    expect(audio.samples.some((sample) => Math.abs(sample) > 1000)).toBe(true);
  });

  it('reads little-endian samples and tolerates a data size larger than the file', () => {
    const bytes = wavBytes(new Uint8Array([0x01, 0x00, 0xff, 0xff, 0x00, 0x80]));
    new DataView(bytes.buffer).setUint32(40, 1_000_000, true);
    expect([...readPcmWav(bytes).samples]).toEqual([1, -1, -32768]);
  });

  it.each([
    [{ sampleRate: 44_100 }, /sample rate 44100 Hz instead of 16000 Hz/],
    [{ channels: 2 }, /stereo instead of mono/],
    [{ audioFormat: 3, bitsPerSample: 32 }, /not PCM \(format code 3\).*32-bit samples/],
    [{ bitsPerSample: 8 }, /8-bit samples instead of 16-bit/],
  ])('refuses %o, saying what is wrong', (format, message) => {
    const read = () => readPcmWav(wavBytes(new Uint8Array(8), format));
    expect(read).toThrow(WavFormatError);
    expect(read).toThrow(message);
  });

  it('refuses files that are not WAV or lack their chunks', () => {
    expect(() => readPcmWav(new TextEncoder().encode('{"not":"audio"}'))).toThrow(/not a WAV file/);
    const noData = wavBytes(new Uint8Array(0)).subarray(0, 36);
    expect(() => readPcmWav(noData)).toThrow(/no data chunk/);
    const noFormat = wavBytes(new Uint8Array(4));
    noFormat.set([0x6a, 0x75, 0x6e, 0x6b], 12); // "junk" instead of "fmt "
    expect(() => readPcmWav(noFormat)).toThrow(/data chunk comes before its format chunk/);
  });
});

describe('word error rate', () => {
  it('counts substitutions, deletions and insertions against the reference', () => {
    expect(wordErrorRate('the court is in session', 'The court is in session.')).toBe(0);
    expect(wordErrorRate('the court is in session', 'the court was in session')).toBe(0.2);
    expect(wordErrorRate('the court is in session', 'court is in session now')).toBe(0.4);
  });
});
