import { describe, expect, it } from 'vitest';
import { concatPcm } from '../support/asr-audio.ts';
import { VAD_FRAME_MS, VoiceActivityDetector, voiceChunkMs, type VoiceChunk } from '../../models/asr/vad.ts';

const RATE = 16_000;

function quiet(ms: number): Int16Array {
  return new Int16Array((RATE * ms) / 1000);
}

/** A 300 Hz tone at about -15 dBFS: loud enough to count as speech. */
function voice(ms: number): Int16Array {
  const out = new Int16Array((RATE * ms) / 1000);
  for (let i = 0; i < out.length; i++) out[i] = Math.round(8000 * Math.sin((2 * Math.PI * 300 * i) / RATE));
  return out;
}

const join = (...parts: Int16Array[]): Int16Array => concatPcm(parts);

function chunksOf(audio: Int16Array, vad = new VoiceActivityDetector()): VoiceChunk[] {
  return [...vad.push(audio), ...vad.flush()];
}

describe('voice activity detection', () => {
  it('finds no chunk in silence or in faint noise', () => {
    expect(chunksOf(quiet(10_000))).toEqual([]);
    const hiss = quiet(5_000).map((_, i) => (i % 7) - 3);
    expect(chunksOf(hiss)).toEqual([]);
  });

  it('cuts one utterance between silences, with a short pre-roll and the hangover after it', () => {
    const [chunk, ...more] = chunksOf(join(quiet(2_000), voice(1_500), quiet(3_000)));
    expect(more).toEqual([]);
    // Starts no later than the voice and at most the pre-roll (150 ms) plus a frame before it.
    expect(chunk!.startMs).toBeLessThanOrEqual(2_000);
    expect(chunk!.startMs).toBeGreaterThanOrEqual(2_000 - 150 - VAD_FRAME_MS);
    const endMs = chunk!.startMs + voiceChunkMs(chunk!);
    expect(endMs).toBeGreaterThanOrEqual(3_500);
    expect(endMs).toBeLessThanOrEqual(3_500 + 450 + VAD_FRAME_MS);
  });

  it('ignores a click shorter than the minimum speech', () => {
    expect(chunksOf(join(quiet(1_000), voice(30), quiet(1_000)))).toEqual([]);
  });

  it('keeps a short pause inside one chunk and splits at a long one', () => {
    expect(chunksOf(join(voice(1_000), quiet(200), voice(1_000), quiet(1_000)))).toHaveLength(1);
    const split = chunksOf(join(voice(1_000), quiet(1_500), voice(1_000), quiet(1_000)));
    expect(split).toHaveLength(2);
    expect(split[1]!.startMs).toBeGreaterThanOrEqual(2_500 - 150 - VAD_FRAME_MS);
  });

  it('cuts long speech into chunks of at most 15 s that follow each other without a gap', () => {
    const chunks = chunksOf(voice(40_000));
    expect(chunks.length).toBe(3);
    for (const chunk of chunks) expect(voiceChunkMs(chunk)).toBeLessThanOrEqual(15_000);
    for (let i = 1; i < chunks.length; i++) {
      expect(chunks[i]!.startMs).toBe(chunks[i - 1]!.startMs + voiceChunkMs(chunks[i - 1]!));
    }
    const last = chunks.at(-1)!;
    expect(last.startMs + voiceChunkMs(last)).toBeGreaterThan(40_000 - VAD_FRAME_MS);
  });

  it('gives the same chunks whatever the sizes of the pieces written', () => {
    const audio = join(quiet(700), voice(1_200), quiet(900), voice(600), quiet(1_000));
    const whole = chunksOf(audio);
    const vad = new VoiceActivityDetector();
    const pieces: VoiceChunk[] = [];
    for (let offset = 0, size = 1; offset < audio.length; offset += size, size = (size * 7 + 3) % 1_999) {
      pieces.push(...vad.push(audio.subarray(offset, offset + size)));
    }
    pieces.push(...vad.flush());
    expect(pieces).toEqual(whole);
    expect(whole).toHaveLength(2);
  });

  it('closes an utterance still open at the end of the stream', () => {
    const vad = new VoiceActivityDetector();
    expect(vad.push(join(quiet(500), voice(800)))).toEqual([]);
    expect(vad.inSpeech).toBe(true);
    const [chunk] = vad.flush();
    expect(chunk!.startMs).toBeLessThanOrEqual(500);
    expect(vad.inSpeech).toBe(false);
  });
});
