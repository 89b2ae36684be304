// Reassembling a VP8 key frame from RTP packets (media/video): real frames from ffmpeg, split with
// the plain descriptor of test/support/vp8-frames.ts and with werift's own packetizer (X/I/M bits).
import { RtpHeader, RtpPacket, Vp8Packetizer } from 'werift';
import { beforeAll, describe, expect, it } from 'vitest';
import { ivfOfFrame } from '../../media/video/ivf.ts';
import { VideoFrameError } from '../../media/video/video-frame-error.ts';
import { Vp8KeyFrameAssembler, vp8KeyFrameSize } from '../../media/video/vp8-key-frame-assembler.ts';
import { vp8TestFrames } from '../support/vp8-frames.ts';

const SSRC = 0x1234;
let frames: Buffer[][];

beforeAll(() => {
  // 2 s at 15 fps, a key frame every second: frames 0 and 15 are key frames.
  frames = vp8TestFrames(2, 15);
});

function rtp(payloads: Buffer[], options: { timestamp: number; firstSequence: number; ssrc?: number }): RtpPacket[] {
  return payloads.map(
    (payload, index) =>
      new RtpPacket(
        new RtpHeader({
          ssrc: options.ssrc ?? SSRC,
          sequenceNumber: (options.firstSequence + index) & 0xffff,
          timestamp: options.timestamp,
          marker: index === payloads.length - 1,
          payloadType: 96,
        }),
        payload,
      ),
  );
}

/** The VP8 frame the payloads carry: each payload minus the one-byte descriptor vp8-frames.ts writes. */
const frameOf = (payloads: Buffer[]) => Buffer.concat(payloads.map((payload) => payload.subarray(1)));

function feed(assembler: Vp8KeyFrameAssembler, packets: RtpPacket[]) {
  return packets.map((packet) => assembler.push(packet)).filter((frame) => frame !== null);
}

describe('Vp8KeyFrameAssembler', () => {
  it('puts a key frame spread over several packets back together, ending at the marker', () => {
    const key = frames[0]!;
    expect(key.length).toBeGreaterThan(1);
    const assembler = new Vp8KeyFrameAssembler();
    const done = feed(assembler, rtp(key, { timestamp: 90_000, firstSequence: 65_530 }));
    expect(done).toHaveLength(1);
    expect(done[0]!.data.equals(frameOf(key))).toBe(true);
    expect(done[0]).toMatchObject({ width: 320, height: 240, rtpTimestamp: 90_000, ssrc: SSRC });
  });

  it('reads the extended descriptor werift writes (X, I, M: a 15-bit picture id)', () => {
    const key = frameOf(frames[0]!);
    const packets = new Vp8Packetizer({ maxPayloadSize: 900, pictureId: 0x7ffe }).packetize(key, 123_456);
    expect(packets.length).toBeGreaterThan(1);
    const done = feed(new Vp8KeyFrameAssembler(), packets);
    expect(done).toHaveLength(1);
    expect(done[0]!.data.equals(key)).toBe(true);
  });

  it('passes over delta frames and takes the next key frame', () => {
    const assembler = new Vp8KeyFrameAssembler();
    let sequence = 100;
    const found = [];
    for (let index = 1; index <= 15; index += 1) {
      const packets = rtp(frames[index]!, { timestamp: index * 6000, firstSequence: sequence });
      sequence += packets.length;
      found.push(...feed(assembler, packets));
    }
    expect(found).toHaveLength(1);
    expect(found[0]!.rtpTimestamp).toBe(15 * 6000);
    expect(found[0]!.data.equals(frameOf(frames[15]!))).toBe(true);
  });

  it('drops a key frame with a lost packet, and one cut off by the next timestamp', () => {
    const key = frames[0]!;
    const assembler = new Vp8KeyFrameAssembler();
    const lossy = rtp(key, { timestamp: 1000, firstSequence: 10 });
    lossy.splice(1, 1);
    expect(feed(assembler, lossy)).toEqual([]);
    const cut = rtp(key, { timestamp: 2000, firstSequence: 50 }).slice(0, -1);
    expect(feed(assembler, cut)).toEqual([]);
    // The delta frame that follows ends the cut-off one; then a whole key frame comes through.
    expect(feed(assembler, rtp(frames[1]!, { timestamp: 3000, firstSequence: 50 + cut.length }))).toEqual([]);
    expect(assembler.framesDropped).toBe(2);
    const whole = feed(assembler, rtp(key, { timestamp: 4000, firstSequence: 200 }));
    expect(whole).toHaveLength(1);
  });

  it('drops a key frame larger than its bound', () => {
    const assembler = new Vp8KeyFrameAssembler(1000);
    expect(feed(assembler, rtp(frames[0]!, { timestamp: 1, firstSequence: 1 }))).toEqual([]);
    expect(assembler.framesDropped).toBe(1);
  });
});

describe('vp8KeyFrameSize and IVF', () => {
  it('reads the picture size of a key frame and refuses a delta frame', () => {
    expect(vp8KeyFrameSize(frameOf(frames[0]!))).toEqual({ width: 320, height: 240 });
    expect(() => vp8KeyFrameSize(frameOf(frames[1]!))).toThrow(VideoFrameError);
    expect(() => vp8KeyFrameSize(new Uint8Array(4))).toThrow(expect.objectContaining({ code: 'VIDEO_FRAME_INVALID' }));
  });

  it('wraps a frame in a one-frame IVF file', () => {
    const frame = frameOf(frames[0]!);
    const ivf = ivfOfFrame(frame, 320, 240);
    expect(ivf.subarray(0, 4).toString('ascii')).toBe('DKIF');
    expect(ivf.subarray(8, 12).toString('ascii')).toBe('VP80');
    expect([ivf.readUInt16LE(12), ivf.readUInt16LE(14), ivf.readUInt32LE(24), ivf.readUInt32LE(32)]).toEqual([320, 240, 1, frame.length]);
    expect(ivf.subarray(44).equals(frame)).toBe(true);
  });
});
