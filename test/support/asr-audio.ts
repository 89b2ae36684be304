// Test audio for speech recognition: the fixtures in test/fixtures/audio, silence, WAV files built
// from parts, and the processes this test process started (to prove none is left behind).
import { readFileSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { readPcmWav } from '../../models/asr/wav.ts';

export const AUDIO_DIR = fileURLToPath(new URL('../fixtures/audio/', import.meta.url));

export function fixtureSpeech(name: 'court-in-session' | 'hearing-passage'): { samples: Int16Array; text: string; path: string } {
  const path = `${AUDIO_DIR}${name}-16k.wav`;
  return { samples: readPcmWav(readFileSync(path)).samples, text: readFileSync(`${AUDIO_DIR}${name}.txt`, 'utf8').trim(), path };
}

export function silence(seconds: number): Int16Array {
  return new Int16Array(Math.round(seconds * 16_000));
}

export function concatPcm(parts: Int16Array[]): Int16Array {
  const out = new Int16Array(parts.reduce((sum, part) => sum + part.length, 0));
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}

/** A WAV file with the given header fields around `data` (defaults: 16 kHz mono 16-bit PCM). */
export function wavBytes(
  data: Uint8Array,
  format: { audioFormat?: number; channels?: number; sampleRate?: number; bitsPerSample?: number } = {},
): Uint8Array {
  const { audioFormat = 1, channels = 1, sampleRate = 16_000, bitsPerSample = 16 } = format;
  const bytes = new Uint8Array(44 + data.length);
  const view = new DataView(bytes.buffer);
  const ascii = (offset: number, text: string) => [...text].forEach((c, i) => (bytes[offset + i] = c.charCodeAt(0)));
  ascii(0, 'RIFF');
  view.setUint32(4, 36 + data.length, true);
  ascii(8, 'WAVE');
  ascii(12, 'fmt ');
  view.setUint32(16, 16, true);
  view.setUint16(20, audioFormat, true);
  view.setUint16(22, channels, true);
  view.setUint32(24, sampleRate, true);
  view.setUint32(28, (sampleRate * channels * bitsPerSample) / 8, true);
  view.setUint16(32, (channels * bitsPerSample) / 8, true);
  view.setUint16(34, bitsPerSample, true);
  ascii(36, 'data');
  view.setUint32(40, data.length, true);
  bytes.set(data, 44);
  return bytes;
}

/** Processes descended from this one, with their state (Z = zombie), read from /proc. */
export function descendantProcesses(root = process.pid): { pid: number; name: string; state: string }[] {
  const all = new Map<number, { ppid: number; name: string; state: string }>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const close = stat.lastIndexOf(')');
      const [state, ppid] = stat.slice(close + 2).split(' ');
      all.set(Number(entry), { ppid: Number(ppid), name: stat.slice(stat.indexOf('(') + 1, close), state: state! });
    } catch {
      // Gone while we looked.
    }
  }
  const found: { pid: number; name: string; state: string }[] = [];
  const walk = (parent: number) => {
    for (const [pid, info] of all) {
      if (info.ppid !== parent) continue;
      found.push({ pid, name: info.name, state: info.state });
      walk(pid);
    }
  };
  walk(root);
  return found;
}

/**
 * A WAV file for Chromium's fake microphone (`--use-file-for-fake-audio-capture`, which loops it):
 * the 16 kHz parts in order, brought to 48 kHz by linear interpolation.
 */
export function fakeMicrophoneWav(parts: Int16Array[]): Uint8Array {
  const speech = concatPcm(parts);
  const upsampled = new Int16Array(speech.length * 3);
  for (let i = 0; i < speech.length; i++) {
    const here = speech[i]!;
    const next = speech[i + 1] ?? here;
    for (let step = 0; step < 3; step++) upsampled[i * 3 + step] = Math.round(here + ((next - here) * step) / 3);
  }
  return wavBytes(new Uint8Array(upsampled.buffer), { sampleRate: 48_000 });
}
