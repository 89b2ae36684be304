// The 48 → 16 kHz decimator keeps speech-band tones and removes what would alias.
import { describe, expect, it } from 'vitest';
import { Downsampler48kTo16k } from '../../media/audio/downsample.ts';

function tone(hz: number, samples: number, amplitude = 10_000): Int16Array {
  const out = new Int16Array(samples);
  for (let i = 0; i < samples; i++) out[i] = Math.round(amplitude * Math.sin((2 * Math.PI * hz * i) / 48_000));
  return out;
}

function rms(samples: Int16Array, skip = 0): number {
  let sum = 0;
  for (let i = skip; i < samples.length; i++) sum += samples[i]! ** 2;
  return Math.sqrt(sum / (samples.length - skip));
}

function downsampled(input: Int16Array, frame = 960): Int16Array {
  const downsampler = new Downsampler48kTo16k();
  const parts: Int16Array[] = [];
  for (let offset = 0; offset < input.length; offset += frame) parts.push(downsampler.process(input.subarray(offset, offset + frame)));
  const out = new Int16Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const part of parts) out.set(part, (at += part.length) - part.length);
  return out;
}

describe('Downsampler48kTo16k', () => {
  it('returns one sample for every three, across frames of any length', () => {
    expect(downsampled(tone(440, 48_000)).length).toBe(16_000);
    expect(downsampled(tone(440, 48_000), 1000).length).toBe(16_000);
  });

  it('passes a 1 kHz tone at unity gain', () => {
    const out = downsampled(tone(1_000, 48_000));
    expect(rms(out, 100) / rms(tone(1_000, 48_000))).toBeCloseTo(1, 1);
  });

  it('removes a 12 kHz tone instead of folding it to 4 kHz (> 40 dB down)', () => {
    const out = downsampled(tone(12_000, 48_000));
    expect(20 * Math.log10(rms(out, 100) / rms(tone(12_000, 48_000)))).toBeLessThan(-40);
  });
});
