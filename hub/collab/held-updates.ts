// One session's updates that arrived before the content they build on (typed while its client
// reconnects, before its own sync step 2 resends the rest): kept in order, bounded, for a limited time.
import type { NeededContent } from './update-policy.ts';

export interface HoldLimits {
  /** More held updates than this (or more bytes) and the session is closed: its client resyncs on reconnect. */
  maxHeldUpdates: number;
  maxHeldBytes: number;
  /** Held this long without becoming placeable: refused (the content they need is not coming). */
  holdMs: number;
}

interface HeldUpdate {
  update: Uint8Array;
  /** Re-checking is pointless until the document holds this (a cheap test run after every applied update). */
  needs: NeededContent;
}

export class HeldUpdates {
  private queue: HeldUpdate[] = [];
  private bytes = 0;
  private timer: ReturnType<typeof setTimeout> | undefined;

  constructor(
    private readonly limits: HoldLimits,
    /** Called once the oldest waiting update has waited `holdMs`; the queue is emptied first. */
    private readonly onExpired: (expired: Uint8Array[]) => void,
  ) {}

  get size(): number {
    return this.queue.length;
  }

  /** Queues an update behind the others; false (nothing queued) when that would exceed the limits. */
  hold(update: Uint8Array, needs: NeededContent): boolean {
    if (this.queue.length + 1 > this.limits.maxHeldUpdates || this.bytes + update.byteLength > this.limits.maxHeldBytes) return false;
    this.queue.push({ update, needs });
    this.bytes += update.byteLength;
    // One clock per waiting spell: it starts with the first held update and stops when the queue empties
    // (the gap filled). Whatever still waits when it runs out waits on content that is not coming.
    if (!this.timer) {
      this.timer = setTimeout(() => {
        this.timer = undefined;
        this.onExpired(this.take());
      }, this.limits.holdMs);
      this.timer.unref?.();
    }
    return true;
  }

  /**
   * Offers every held update whose needed content `has` arrived, oldest first, to `settle`, which returns
   * null once it is dealt with, or what it needs now to keep it waiting. Returns whether any was settled
   * (so the caller can go round again: a settled one may unblock an earlier one).
   */
  settleEach(has: (needs: NeededContent) => boolean, settle: (update: Uint8Array) => NeededContent | null): boolean {
    if (this.queue.length === 0) return false;
    const offered = this.queue;
    this.queue = [];
    this.bytes = 0;
    let settled = false;
    try {
      for (let index = 0; index < offered.length; index++) {
        const held = offered[index]!;
        const needs = has(held.needs) ? settle(held.update) : held.needs;
        if (needs === null) {
          settled = true;
          continue;
        }
        this.queue.push({ update: held.update, needs });
        this.bytes += held.update.byteLength;
      }
    } finally {
      // settle may have cleared the queue (its session closed): nothing offered survives that.
      if (this.queue.length === 0) this.stopClock();
    }
    return settled;
  }

  /** Forgets everything (the session closed: none of it was ever acknowledged). */
  clear(): void {
    this.take();
  }

  private take(): Uint8Array[] {
    const taken = this.queue.map((held) => held.update);
    this.queue = [];
    this.bytes = 0;
    this.stopClock();
    return taken;
  }

  private stopClock(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
  }
}
