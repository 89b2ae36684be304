// When each present party's face is re-checked during a hearing: every participant gets their own
// random next time in [min, max] (drawn with crypto.randomInt, so nobody can tell when the camera
// will be read); the most overdue goes first, one at a time. A check that could not be made (no
// frame, the face service busy) comes back sooner; people who are no longer present are forgotten.
import { randomInt } from 'node:crypto';

export interface RecheckInterval {
  minMs: number;
  maxMs: number;
}

export interface RecheckScheduleOptions {
  interval: RecheckInterval;
  /** Delay before a check that could not be made is tried again (default: min, at most 30 s). */
  retryMs?: number;
  /** Clock in ms (tests pass a fake one). */
  now?: () => number;
}

export interface DueRecheck {
  hearingId: string;
  participantId: string;
}

export class RecheckSchedule {
  /** hearing id → participant id → when their next check is due. */
  private readonly due = new Map<string, Map<string, number>>();
  private readonly now: () => number;
  readonly retryMs: number;

  constructor(private readonly options: RecheckScheduleOptions) {
    const { minMs, maxMs } = options.interval;
    if (!(minMs > 0 && maxMs >= minMs)) throw new RangeError('a re-check interval needs 0 < min ≤ max');
    this.now = options.now ?? (() => Date.now());
    this.retryMs = options.retryMs ?? Math.min(minMs, 30_000);
  }

  /**
   * Who in the hearing may be re-checked now (present, not court staff): newcomers get a random first
   * time, those already scheduled keep theirs, the others are dropped. An empty list forgets the hearing.
   */
  setPresent(hearingId: string, participantIds: readonly string[]): void {
    if (participantIds.length === 0) {
      this.due.delete(hearingId);
      return;
    }
    const previous = this.due.get(hearingId);
    const next = new Map<string, number>();
    for (const participantId of participantIds) next.set(participantId, previous?.get(participantId) ?? this.randomFromNow());
    this.due.set(hearingId, next);
  }

  isScheduled(hearingId: string, participantId: string): boolean {
    return this.due.get(hearingId)?.has(participantId) ?? false;
  }

  /** When the participant's next check is due (ms on the schedule's clock), if scheduled. */
  dueAt(hearingId: string, participantId: string): number | undefined {
    return this.due.get(hearingId)?.get(participantId);
  }

  /** The most overdue participant whose time has come, or null. */
  next(): DueRecheck | null {
    const now = this.now();
    let found: (DueRecheck & { at: number }) | null = null;
    for (const [hearingId, participants] of this.due) {
      for (const [participantId, at] of participants) {
        if (at <= now && (!found || at < found.at)) found = { hearingId, participantId, at };
      }
    }
    return found && { hearingId: found.hearingId, participantId: found.participantId };
  }

  /** Milliseconds until the earliest due check (0: one is due), or null when nobody is scheduled. */
  msUntilNext(): number | null {
    let earliest: number | null = null;
    for (const participants of this.due.values()) for (const at of participants.values()) if (earliest === null || at < earliest) earliest = at;
    return earliest === null ? null : Math.max(0, earliest - this.now());
  }

  /** The check was made (or the participant cannot be checked yet): the next one at a new random time. */
  checked(hearingId: string, participantId: string): void {
    this.reschedule(hearingId, participantId, this.randomFromNow());
  }

  /** The check could not be made (no frame, the face service busy): again after retryMs. */
  retry(hearingId: string, participantId: string): void {
    this.reschedule(hearingId, participantId, this.now() + this.retryMs);
  }

  private reschedule(hearingId: string, participantId: string, at: number): void {
    const participants = this.due.get(hearingId);
    // Gone meanwhile (left, dismissed, the hearing paused): not brought back.
    if (participants?.has(participantId)) participants.set(participantId, at);
  }

  private randomFromNow(): number {
    const { minMs, maxMs } = this.options.interval;
    return this.now() + (maxMs > minMs ? randomInt(minMs, maxMs + 1) : minMs);
  }
}
