// The hearing actor's timers where it runs journalled (the ActorHost runs the machine without
// an actor, so its delayed raises never fire there): it follows the hearings' domain events and
// sends OPEN_LOBBY at a scheduled hearing's lobby time and RECONNECT_GRACE_ENDED when a
// reconnecting participant's grace runs out, and CONFIRMATION_DEADLINE_PASSED when the transcript's
// confirmation deadline passes (笔录确认期限). Sending twice, early or from two nodes is harmless:
// the actor refuses what no longer applies.
import type { Bus, BusSubscription } from '../bus/bus.ts';
import { subjects } from '../bus/subjects.ts';
import type { Logger } from '../../platform/logger.ts';
import type { ActorClient } from '../runtime/types.ts';
import { HEARING_KIND } from './hearing-behaviour.ts';
import { SYSTEM_SENDER, type HearingSummary } from './hearing.protocol.ts';
import { batchEvents } from '../runtime/event-batch-reactor.ts';

/** What the clock reads of a hearing: a DomainEvent of kind 'hearing', or a hearing_live row. */
export interface FollowedHearing {
  id: string;
  state: string;
  summary: Pick<HearingSummary, 'lobbyOpensAt' | 'participants' | 'transcript'> | Record<string, unknown>;
}

export interface HearingClock {
  /** Sets the hearing's timers from its newest state (the bus subscription calls this; so may a start-up reconcile). */
  follow(hearing: FollowedHearing): void;
  /** How many timers are armed (for /healthz and tests). */
  readonly armed: number;
  stop(): void;
}

export interface HearingClockOptions {
  actors: ActorClient;
  logger: Logger;
  /** When given, the clock follows the hearings' event batches itself. */
  bus?: Bus;
  /** After the due time, by how much to wait: the host stamps `at` with its own clock, which may lag ours. */
  marginMs?: number;
  /** A refused timed command is tried once more after this long (clock skew), if still wanted. */
  retryMs?: number;
}

/** setTimeout takes at most 2³¹−1 ms; a hearing weeks ahead is re-armed day by day. */
const LONGEST_WAIT_MS = 86_400_000;

interface Timer {
  dueMs: number;
  handle: ReturnType<typeof setTimeout>;
  retried: boolean;
}

type Timed = { type: 'OPEN_LOBBY' } | { type: 'CONFIRMATION_DEADLINE_PASSED' } | { type: 'RECONNECT_GRACE_ENDED'; participantId: string };

export function startHearingClock(options: HearingClockOptions): HearingClock {
  const log = options.logger.child({ component: 'hearing-clock' });
  const marginMs = options.marginMs ?? 250;
  const retryMs = options.retryMs ?? 2000;
  /** hearing id → timer key ('lobby' | 'grace:<participantId>') → timer */
  const timers = new Map<string, Map<string, Timer>>();
  let stopped = false;

  const commandOf = (key: string): Timed =>
    key === 'lobby'
      ? { type: 'OPEN_LOBBY' }
      : key === 'confirmation'
        ? { type: 'CONFIRMATION_DEADLINE_PASSED' }
        : { type: 'RECONNECT_GRACE_ENDED', participantId: key.slice('grace:'.length) };

  const arm = (hearingId: string, key: string, dueMs: number, retried: boolean) => {
    const wait = Math.min(Math.max(0, dueMs + marginMs - Date.now()), LONGEST_WAIT_MS);
    const handle = setTimeout(() => void fire(hearingId, key, dueMs), wait);
    let ofHearing = timers.get(hearingId);
    if (!ofHearing) timers.set(hearingId, (ofHearing = new Map()));
    ofHearing.set(key, { dueMs, handle, retried });
  };

  const disarm = (hearingId: string, key: string) => {
    const ofHearing = timers.get(hearingId);
    const timer = ofHearing?.get(key);
    if (!ofHearing || !timer) return;
    clearTimeout(timer.handle);
    ofHearing.delete(key);
    if (ofHearing.size === 0) timers.delete(hearingId);
  };

  const fire = async (hearingId: string, key: string, dueMs: number) => {
    const timer = timers.get(hearingId)?.get(key);
    if (stopped || !timer || timer.dueMs !== dueMs) return;
    if (Date.now() < dueMs + marginMs) return arm(hearingId, key, dueMs, timer.retried);
    disarm(hearingId, key);
    try {
      const reply = await options.actors.ask({ kind: HEARING_KIND, id: hearingId }, { ...commandOf(key), by: SYSTEM_SENDER });
      if (reply.ok || stopped) return;
      // The host's clock may lag ours; one more try unless the timer was re-set or dropped meanwhile.
      if (reply.error.code === 'INVALID_STATE' && !timer.retried && !timers.get(hearingId)?.has(key)) {
        arm(hearingId, key, dueMs + retryMs, true);
      }
    } catch (error) {
      log.warn('a timed hearing command was not delivered', { error, hearingId, key });
    }
  };

  const wanted = (hearing: FollowedHearing): Map<string, number> => {
    const due = new Map<string, number>();
    const summary = hearing.summary as Partial<HearingSummary>;
    if (hearing.state === 'scheduled' && typeof summary.lobbyOpensAt === 'string') due.set('lobby', Date.parse(summary.lobbyOpensAt));
    if (hearing.state === 'transcriptConfirmation' && typeof summary.transcript?.confirmBy === 'string') due.set('confirmation', Date.parse(summary.transcript.confirmBy));
    for (const participant of summary.participants ?? []) {
      if (participant.status === 'reconnecting' && participant.graceEndsAt) due.set(`grace:${participant.participantId}`, Date.parse(participant.graceEndsAt));
    }
    return due;
  };

  const follow = (hearing: FollowedHearing) => {
    if (stopped) return;
    const due = wanted(hearing);
    for (const key of [...(timers.get(hearing.id)?.keys() ?? [])]) {
      if (due.get(key) !== timers.get(hearing.id)?.get(key)?.dueMs) disarm(hearing.id, key);
    }
    for (const [key, dueMs] of due) {
      if (!Number.isFinite(dueMs) || timers.get(hearing.id)?.has(key)) continue;
      arm(hearing.id, key, dueMs, false);
    }
  };

  let subscription: BusSubscription | null = null;
  if (options.bus) {
    subscription = options.bus.subscribe(subjects.actorEventBatch(HEARING_KIND), (payload) => {
      const events = batchEvents(payload);
      // A batch holds each hearing's events in order: the last one carries its newest summary.
      const newest = new Map<string, FollowedHearing>();
      for (const event of events) {
        if (typeof event?.id === 'string' && typeof event.state === 'string' && event.summary && typeof event.summary === 'object') {
          newest.set(event.id, event as FollowedHearing);
        }
      }
      for (const hearing of newest.values()) follow(hearing);
    });
  }

  return {
    follow,
    get armed() {
      let count = 0;
      for (const ofHearing of timers.values()) count += ofHearing.size;
      return count;
    },
    stop() {
      stopped = true;
      subscription?.unsubscribe();
      for (const ofHearing of timers.values()) for (const timer of ofHearing.values()) clearTimeout(timer.handle);
      timers.clear();
    },
  };
}
