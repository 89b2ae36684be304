// Real VP8 frames for recording tests: ffmpeg encodes a test pattern to IVF, and each frame is
// split into RTP payloads with the VP8 payload descriptor (RFC 7741).
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** `seconds` of a 320×240 test pattern at `fps`, key frame every second, as RTP payload lists per frame. */
export function vp8TestFrames(seconds: number, fps = 15): Buffer[][] {
  const directory = mkdtempSync(join(tmpdir(), 'ecourt-vp8-'));
  try {
    const path = join(directory, 'pattern.ivf');
    execFileSync('ffmpeg', ['-loglevel', 'error', '-f', 'lavfi', '-i', `testsrc=size=320x240:rate=${fps}`, '-t', String(seconds), '-c:v', 'libvpx', '-g', String(fps), '-b:v', '300k', '-y', path]);
    return ivfFrames(readFileSync(path)).map((frame) => packetizeVp8(frame));
  } finally {
    rmSync(directory, { recursive: true, force: true });
  }
}

/** The frames of an IVF file: the file header gives its own size, then each frame follows a 12-byte header. */
export function ivfFrames(file: Buffer): Buffer[] {
  const headerSize = file.readUInt16LE(6);
  const frames: Buffer[] = [];
  for (let offset = headerSize; offset + 12 <= file.length; ) {
    const size = file.readUInt32LE(offset);
    frames.push(file.subarray(offset + 12, offset + 12 + size));
    offset += 12 + size;
  }
  return frames;
}

function packetizeVp8(frame: Buffer, maxPayload = 1100): Buffer[] {
  const payloads: Buffer[] = [];
  for (let offset = 0; offset < frame.length; offset += maxPayload) {
    const chunk = frame.subarray(offset, offset + maxPayload);
    // X=0, N=0, S=1 on the partition start, PID=0.
    payloads.push(Buffer.concat([Buffer.from([offset === 0 ? 0x10 : 0x00]), chunk]));
  }
  return payloads;
}
