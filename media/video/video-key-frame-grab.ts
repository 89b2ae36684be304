// One grab of a participant's next VP8 key frame, for identity re-checks: the router feeds it the
// participant's forwarded video packets; it asks the publisher for a key frame at once and again
// while it waits (a PLI can be lost), and settles with the frame or a coded error at its deadline.
import type { RtpPacket } from 'werift';
import { VideoFrameError } from './video-frame-error.ts';
import { Vp8KeyFrameAssembler, type Vp8KeyFrame } from './vp8-key-frame-assembler.ts';

export const DEFAULT_GRAB_TIMEOUT_MS = 5000;
const KEY_FRAME_REPEAT_MS = 1000;

export interface VideoKeyFrameGrabOptions {
  participantId: string;
  timeoutMs?: number;
  /** Sends a PLI to the participant's video publisher. */
  requestKeyFrame: () => void;
  /** Called once when the grab settles (the router stops feeding it). */
  onSettled: (grab: VideoKeyFrameGrab) => void;
}

export class VideoKeyFrameGrab {
  readonly frame: Promise<Vp8KeyFrame>;
  private readonly assembler = new Vp8KeyFrameAssembler();
  private resolve!: (frame: Vp8KeyFrame) => void;
  private reject!: (error: VideoFrameError) => void;
  private readonly deadline: NodeJS.Timeout;
  private readonly repeat: NodeJS.Timeout;
  private settled = false;

  constructor(private readonly options: VideoKeyFrameGrabOptions) {
    this.frame = new Promise<Vp8KeyFrame>((resolve, reject) => {
      this.resolve = resolve;
      this.reject = reject;
    });
    const timeoutMs = options.timeoutMs ?? DEFAULT_GRAB_TIMEOUT_MS;
    this.deadline = setTimeout(
      () => this.fail(new VideoFrameError('VIDEO_FRAME_TIMEOUT', `no complete key frame from ${options.participantId} within ${timeoutMs} ms`)),
      timeoutMs,
    );
    this.repeat = setInterval(() => options.requestKeyFrame(), KEY_FRAME_REPEAT_MS);
    options.requestKeyFrame();
  }

  get isSettled(): boolean {
    return this.settled;
  }

  /** One forwarded video packet of the participant. */
  push(packet: RtpPacket): void {
    if (this.settled) return;
    const frame = this.assembler.push(packet);
    if (frame) this.finish(() => this.resolve(frame));
  }

  fail(error: VideoFrameError): void {
    this.finish(() => this.reject(error));
  }

  private finish(settle: () => void): void {
    if (this.settled) return;
    this.settled = true;
    clearTimeout(this.deadline);
    clearInterval(this.repeat);
    this.options.onSettled(this);
    settle();
  }
}
