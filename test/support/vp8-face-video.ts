// A still picture (a face fixture in a camera frame) as a short VP8 video, the way a browser sends
// it: ffmpeg (libvpx) encodes the PNG to IVF — a key frame, then delta frames — and werift's
// Vp8Packetizer splits each frame into RTP payloads with the descriptor browsers write.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Vp8Packetizer } from 'werift';
import { encodePng, type Raster } from './face-images.ts';
import { ivfFrames } from './vp8-frames.ts';

/** `frames` VP8 frames of the picture (the first a key frame), each as its RTP payloads. */
export function vp8VideoOf(picture: Raster, frames = 10): Buffer[][] {
  const directory = mkdtempSync(join(tmpdir(), 'ecourt-vp8-face-'));
  try {
    const png = join(directory, 'frame.png');
    const ivf = join(directory, 'video.ivf');
    writeFileSync(png, encodePng(picture));
    execFileSync('ffmpeg', [
      '-loglevel', 'error', '-loop', '1', '-framerate', '15', '-i', png, '-frames:v', String(frames),
      '-c:v', 'libvpx', '-g', String(frames), '-b:v', '2M', '-pix_fmt', 'yuv420p', '-f', 'ivf', '-y', ivf,
    ]);
    const packetizer = new Vp8Packetizer({ maxPayloadSize: 1100 });
    return ivfFrames(readFileSync(ivf)).map((frame, index) => packetizer.packetize(frame, index).map((packet) => packet.payload));
  } finally {
    rmSync(directory, { recursive: true, force: true });
  }
}
