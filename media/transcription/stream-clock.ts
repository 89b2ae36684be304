// Where in the hearing a sample of a recognition stream was spoken. Engines count time in the samples
// they were given; the tap stamps frames with the router's clock, and a stream has gaps (packet loss,
// a sender that stops during silence, silence we pad in): every jump starts a new anchor.
import { TAP_SAMPLE_RATE } from '../audio/audio-tap.ts';

const SAMPLES_PER_MS = TAP_SAMPLE_RATE / 1000;
/** A frame this far from where the clock expected it starts a new anchor (jitter below it is ignored). */
const JUMP_MS = 25;
const MAX_ANCHORS = 512;

export class StreamClock {
  private readonly anchors: { sample: number; routerMs: number }[] = [];
  private samples = 0;

  get writtenMs(): number {
    return this.samples / SAMPLES_PER_MS;
  }

  /** `count` samples were written, the first spoken at `routerMs` (null: padding, which continues the clock). */
  advance(count: number, routerMs: number | null): void {
    if (routerMs !== null && (this.anchors.length === 0 || Math.abs(this.routerMsAt(this.writtenMs) - routerMs) > JUMP_MS)) {
      this.anchors.push({ sample: this.samples, routerMs });
      if (this.anchors.length > MAX_ANCHORS) this.anchors.shift();
    }
    this.samples += count;
  }

  /** The router time of the stream's `streamMs` (an engine's segment time). */
  routerMsAt(streamMs: number): number {
    const sample = streamMs * SAMPLES_PER_MS;
    let anchor = this.anchors[0] ?? { sample: 0, routerMs: 0 };
    for (let i = this.anchors.length - 1; i >= 0; i--) {
      if (this.anchors[i]!.sample <= sample) {
        anchor = this.anchors[i]!;
        break;
      }
    }
    return anchor.routerMs + (sample - anchor.sample) / SAMPLES_PER_MS;
  }
}
