// Puts one VP8 key frame back together from its RTP packets (RFC 7741): it starts at a packet that
// starts a key frame, takes the following packets of the same timestamp in sequence, and ends at the
// marker bit. The payload descriptor is read with werift's Vp8RtpPayload; a gap or a new timestamp
// before the marker drops the frame (a key frame with a hole does not decode) and waits for the next.
import { Vp8RtpPayload, type RtpPacket } from 'werift';
import { startsVp8KeyFrame } from '../recording/vp8-key-frame.ts';
import { VideoFrameError } from './video-frame-error.ts';

/** A browser key frame is tens of kB; beyond this something is wrong and the frame is dropped. */
export const MAX_KEY_FRAME_BYTES = 4 * 1024 * 1024;

export interface Vp8KeyFrame {
  /** The VP8 frame as an encoder wrote it (frame tag, key frame header, partitions). */
  data: Buffer;
  width: number;
  height: number;
  rtpTimestamp: number;
  ssrc: number;
}

interface Collecting {
  ssrc: number;
  timestamp: number;
  nextSequence: number;
  parts: Buffer[];
  bytes: number;
}

export class Vp8KeyFrameAssembler {
  private collecting: Collecting | null = null;
  /** Key frames begun but lost on the way (gap, new timestamp, too large, unreadable header). */
  framesDropped = 0;

  constructor(private readonly maxBytes = MAX_KEY_FRAME_BYTES) {}

  /** One RTP packet of the participant's video; returns the key frame it completes, if any. */
  push(packet: RtpPacket): Vp8KeyFrame | null {
    const { ssrc, timestamp, sequenceNumber, marker } = packet.header;
    const current = this.collecting;
    if (current) {
      if (current.ssrc === ssrc && current.timestamp === timestamp && current.nextSequence === sequenceNumber) {
        return this.append(current, packet.payload, marker);
      }
      this.drop();
    }
    if (!startsVp8KeyFrame(packet.payload)) return null;
    const started: Collecting = { ssrc, timestamp, nextSequence: sequenceNumber, parts: [], bytes: 0 };
    this.collecting = started;
    return this.append(started, packet.payload, marker);
  }

  private append(current: Collecting, payload: Buffer, marker: boolean): Vp8KeyFrame | null {
    let vp8: Buffer;
    try {
      vp8 = Vp8RtpPayload.deSerialize(payload).payload;
    } catch {
      this.drop();
      return null;
    }
    current.parts.push(vp8);
    current.bytes += vp8.length;
    current.nextSequence = (current.nextSequence + 1) & 0xffff;
    if (current.bytes > this.maxBytes) {
      this.drop();
      return null;
    }
    if (!marker) return null;
    this.collecting = null;
    const data = Buffer.concat(current.parts, current.bytes);
    try {
      const { width, height } = vp8KeyFrameSize(data);
      return { data, width, height, rtpTimestamp: current.timestamp, ssrc: current.ssrc };
    } catch {
      this.framesDropped++;
      return null;
    }
  }

  private drop(): void {
    if (this.collecting) this.framesDropped++;
    this.collecting = null;
  }
}

/**
 * The picture size from a VP8 key frame's header (RFC 6386 §9.1): a 3-byte frame tag with the key
 * frame bit clear, the start code 9d 01 2a, then 14-bit width and height (the top 2 bits are scaling).
 */
export function vp8KeyFrameSize(frame: Uint8Array): { width: number; height: number } {
  if (frame.length < 10 || (frame[0]! & 0x01) !== 0 || frame[3] !== 0x9d || frame[4] !== 0x01 || frame[5] !== 0x2a) {
    throw new VideoFrameError('VIDEO_FRAME_INVALID', 'not a VP8 key frame');
  }
  const width = (frame[6]! | (frame[7]! << 8)) & 0x3fff;
  const height = (frame[8]! | (frame[9]! << 8)) & 0x3fff;
  if (width === 0 || height === 0) throw new VideoFrameError('VIDEO_FRAME_INVALID', 'a VP8 key frame without a picture size');
  return { width, height };
}
