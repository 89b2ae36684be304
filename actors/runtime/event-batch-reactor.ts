// The services that follow an actor kind's journal (hearing spawner, case-file archiver, stage document
// issuer, filing acceptor) hear its event batches on the bus and, once at start, reconcile whatever was
// missed while no node listened. This module holds that shape once: reading a batch, and the serialised
// reconcile pass — one at a time, so a burst of events never does the same work twice concurrently — that
// stops cleanly (no new pass after stop(); stop() waits for the running one).
import type { Bus, BusSubscription } from '../bus/bus.ts';
import { subjects } from '../bus/subjects.ts';
import type { Logger } from '../../platform/logger.ts';
import type { DomainEvent } from './types.ts';

/** A DomainEvent of a DomainEventBatch (types.ts) as it comes off the bus: every field unchecked. */
export type ActorBatchEvent = { [K in keyof DomainEvent]?: unknown };

/** The events of a published batch; none when the payload is not a batch. */
export function batchEvents(payload: unknown): ActorBatchEvent[] {
  const events = (payload as { events?: unknown } | null)?.events;
  return Array.isArray(events) ? (events as ActorBatchEvent[]).filter((event) => event !== null && typeof event === 'object') : [];
}

/** Hears every event batch an actor kind journals. */
export function subscribeActorEventBatches(bus: Bus, kind: string, onEvents: (events: ActorBatchEvent[]) => void): BusSubscription {
  return bus.subscribe(subjects.actorEventBatch(kind), (payload) => onEvents(batchEvents(payload)));
}

export interface EventBatchReactor<T> {
  /** Runs a pass (for one actor, or everything) after the passes already queued; resolves with its result. */
  reconcile(id?: string): Promise<T>;
  stop(): Promise<void>;
}

export interface EventBatchReactorOptions<T> {
  bus: Bus;
  /** The actor kind whose batches are heard; a failed pass is logged with `${kind}Id`. */
  kind: string;
  /** The event types that call for a pass over their actor (once per actor and batch). */
  eventTypes: ReadonlySet<string>;
  log: Logger;
  /** The log message of a failed pass. */
  failure: string;
  /** What a pass queued before stop() resolves with instead of running. */
  idle: () => T;
  /** One pass; `stopped()` tells a long pass to end early. */
  pass: (id: string | undefined, stopped: () => boolean) => Promise<T>;
}

/** Subscribes, queues the start-up pass, and returns the reactor. */
export function startEventBatchReactor<T>({ bus, kind, eventTypes, log, failure, idle, pass }: EventBatchReactorOptions<T>): EventBatchReactor<T> {
  let chain: Promise<unknown> = Promise.resolve();
  let stopped = false;
  const isStopped = () => stopped;

  const reconcile = (id?: string): Promise<T> => {
    const run = chain.then(() => (stopped ? idle() : pass(id, isStopped)));
    chain = run.catch((error: unknown) => log.error(failure, { error, [`${kind}Id`]: id }));
    return run;
  };

  const subscription = subscribeActorEventBatches(bus, kind, (events) => {
    const ids = new Set<string>();
    for (const event of events) {
      if (typeof event.id === 'string' && typeof event.type === 'string' && eventTypes.has(event.type)) ids.add(event.id);
    }
    // The pass logged its own failure; the caller of an event has nobody to tell.
    for (const id of ids) void reconcile(id).catch(() => undefined);
  });
  void reconcile().catch(() => undefined);

  return {
    reconcile,
    async stop() {
      stopped = true;
      subscription.unsubscribe();
      await chain.catch(() => undefined);
    },
  };
}
