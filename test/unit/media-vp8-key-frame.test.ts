// The recorder's key-frame check on real VP8 (ffmpeg-encoded, a key frame every second).
import { describe, expect, it } from 'vitest';
import { startsVp8KeyFrame } from '../../media/recording/vp8-key-frame.ts';
import { vp8TestFrames } from '../support/vp8-frames.ts';

describe('startsVp8KeyFrame', () => {
  it('finds the key frames of a VP8 stream and nothing else', () => {
    const frames = vp8TestFrames(2, 15);
    const keyFrames = frames.map((payloads, index) => (startsVp8KeyFrame(payloads[0]!) ? index : -1)).filter((index) => index >= 0);
    expect(keyFrames).toEqual([0, 15]);
    // A frame's later packets never start one.
    for (const payloads of frames) for (const payload of payloads.slice(1)) expect(startsVp8KeyFrame(payload)).toBe(false);
  });

  it('refuses what is too short to tell', () => {
    expect(startsVp8KeyFrame(new Uint8Array([0x10]))).toBe(false);
    expect(startsVp8KeyFrame(new Uint8Array([]))).toBe(false);
  });
});
