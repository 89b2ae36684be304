// Turns a VP8 key frame into a PNG with Debian's ffmpeg in a child process: the frame is wrapped in
// IVF and piped in, the PNG piped out. Bounded, because decoding must never starve the hearing's
// media on the same node: a few decodes at a time (default one), a short queue (beyond it
// VIDEO_DECODER_BUSY), a time limit per decode (the process is killed), and a cap on the output.
import { spawn } from 'node:child_process';
import { ivfOfFrame } from './ivf.ts';
import { VideoFrameError } from './video-frame-error.ts';
import type { Vp8KeyFrame } from './vp8-key-frame-assembler.ts';

export interface Vp8FrameDecoderOptions {
  /** The ffmpeg executable (default `ffmpeg` on the PATH). */
  ffmpegPath?: string;
  /** Decodes running at once (default 1). */
  concurrency?: number;
  /** Decodes waiting beyond the running ones (default 4). */
  maxQueued?: number;
  /** A decode still running after this is killed (default 5 s). */
  timeoutMs?: number;
  /** A PNG larger than this is refused (default 16 MB). */
  maxOutputBytes?: number;
}

/** The key frame sizes a webcam sends; larger frames are refused before ffmpeg starts. */
const MAX_SIDE_PX = 4096;

export class Vp8FrameDecoder {
  private readonly ffmpegPath: string;
  private readonly concurrency: number;
  private readonly maxQueued: number;
  private readonly timeoutMs: number;
  private readonly maxOutputBytes: number;
  private running = 0;
  private readonly waiting: (() => void)[] = [];

  constructor(options: Vp8FrameDecoderOptions = {}) {
    this.ffmpegPath = options.ffmpegPath ?? 'ffmpeg';
    this.concurrency = options.concurrency ?? 1;
    this.maxQueued = options.maxQueued ?? 4;
    this.timeoutMs = options.timeoutMs ?? 5000;
    this.maxOutputBytes = options.maxOutputBytes ?? 16 * 1024 * 1024;
    if (!Number.isInteger(this.concurrency) || this.concurrency < 1 || this.concurrency > 8) throw new RangeError('concurrency must be 1–8');
  }

  /** The frame as PNG bytes. */
  async decode(frame: Pick<Vp8KeyFrame, 'data' | 'width' | 'height'>): Promise<Buffer> {
    if (frame.width < 1 || frame.height < 1 || frame.width > MAX_SIDE_PX || frame.height > MAX_SIDE_PX) {
      throw new VideoFrameError('VIDEO_FRAME_INVALID', `a ${frame.width}×${frame.height} frame is not decoded`);
    }
    await this.slot();
    try {
      return await this.run(ivfOfFrame(frame.data, frame.width, frame.height));
    } finally {
      // The slot goes straight to the next waiting decode, or is freed.
      const next = this.waiting.shift();
      if (next) next();
      else this.running--;
    }
  }

  private slot(): Promise<void> {
    if (this.running < this.concurrency) {
      this.running++;
      return Promise.resolve();
    }
    if (this.waiting.length >= this.maxQueued) {
      return Promise.reject(new VideoFrameError('VIDEO_DECODER_BUSY', 'too many video frames are waiting to be decoded'));
    }
    // A finishing decode hands its slot over: `running` stays counted.
    return new Promise((resolve) => this.waiting.push(() => resolve()));
  }

  private run(ivf: Buffer): Promise<Buffer> {
    return new Promise((resolve, reject) => {
      const child = spawn(
        this.ffmpegPath,
        ['-hide_banner', '-loglevel', 'error', '-nostdin', '-f', 'ivf', '-i', 'pipe:0', '-frames:v', '1', '-c:v', 'png', '-f', 'image2pipe', 'pipe:1'],
        { stdio: ['pipe', 'pipe', 'pipe'] },
      );
      const out: Buffer[] = [];
      let outBytes = 0;
      let errText = '';
      let failure: VideoFrameError | null = null;
      const fail = (error: VideoFrameError) => {
        failure ??= error;
        child.kill('SIGKILL');
      };
      const timer = setTimeout(() => fail(new VideoFrameError('VIDEO_DECODE_FAILED', `ffmpeg took longer than ${this.timeoutMs} ms`)), this.timeoutMs);
      child.stdout.on('data', (chunk: Buffer) => {
        outBytes += chunk.length;
        if (outBytes > this.maxOutputBytes) return fail(new VideoFrameError('VIDEO_DECODE_FAILED', 'ffmpeg wrote more than the PNG limit'));
        out.push(chunk);
      });
      child.stderr.on('data', (chunk: Buffer) => {
        if (errText.length < 2000) errText += chunk.toString('utf8');
      });
      // ffmpeg may exit before reading everything (a bad frame): a broken pipe is its exit's to report.
      child.stdin.on('error', () => {});
      child.on('error', (error: NodeJS.ErrnoException) => {
        clearTimeout(timer);
        reject(
          error.code === 'ENOENT'
            ? new VideoFrameError('VIDEO_DECODER_MISSING', `ffmpeg was not found (${this.ffmpegPath}); install Debian's ffmpeg package`, { cause: error })
            : new VideoFrameError('VIDEO_DECODE_FAILED', 'ffmpeg could not be started', { cause: error }),
        );
      });
      child.on('close', (code) => {
        clearTimeout(timer);
        if (failure) return reject(failure);
        const png = Buffer.concat(out, outBytes);
        if (code !== 0 || png.length < 8 || png[0] !== 0x89 || png[1] !== 0x50) {
          return reject(new VideoFrameError('VIDEO_DECODE_FAILED', `ffmpeg could not decode the frame (exit ${code}): ${errText.trim().slice(0, 300)}`));
        }
        resolve(png);
      });
      child.stdin.end(ivf);
    });
  }
}

let shared: Vp8FrameDecoder | undefined;

/** The key frame as PNG through this process's shared decoder (one decode at a time). */
export function decodeVp8KeyFrame(frame: Pick<Vp8KeyFrame, 'data' | 'width' | 'height'>): Promise<Buffer> {
  shared ??= new Vp8FrameDecoder();
  return shared.decode(frame);
}
