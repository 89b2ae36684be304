// The Bus over NATS (distributed mode): core request/reply and pub/sub for commands and
// inspection, JetStream for durable domain events. Every subject lives under `${namespace}.`.
import {
  connect,
  createInbox,
  nanos,
  NoRespondersError,
  RequestError,
  TimeoutError,
  type Msg,
  type NatsConnection,
  type Subscription,
} from '@nats-io/transport-node';
import {
  jetstream,
  jetstreamManager,
  DiscardPolicy,
  JetStreamApiError,
  RetentionPolicy,
  StorageType,
  type JetStreamClient,
  type StreamConfig,
} from '@nats-io/jetstream';
import { z } from 'zod';
import { AppError, ERROR_CODES, toAppError, type ErrorCode } from '../../platform/errors.ts';
import type { Logger } from '../../platform/logger.ts';
import { encodePayload, type Bus, type BusSubscription, type RequestOptions } from './bus.ts';
import { streams, subjects } from './subjects.ts';

export interface NatsBusOptions {
  url: string;
  namespace?: string;
  logger: Logger;
  /** Connection name shown by the server (e.g. the node id). */
  name?: string;
  /** Per subscription: most handler calls in flight before new messages are dropped (subscribe) or refused (serve). */
  maxPending?: number;
  /** How long the event stream keeps domain events. Default 7 days. */
  eventRetentionMs?: number;
}

export interface NatsBusStats {
  /** Messages a subscription dropped because its handler was too slow (bounded pending). */
  dropped: number;
  /** Requests a server refused because too many were in flight. */
  refused: number;
}

export interface NatsBus extends Bus {
  readonly namespace: string;
  /** The raw connection (for the shard keeper's KV buckets). */
  readonly connection: NatsConnection;
  /** The name of this namespace's JetStream stream of domain events. */
  readonly eventStream: string;
  jetstream(): JetStreamClient;
  stats(): NatsBusStats;
}

export class NatsConnectError extends Error {
  constructor(url: string, options?: { cause?: unknown }) {
    super(`cannot connect to NATS at ${url}`, options);
    this.name = 'NatsConnectError';
  }
}

const DEFAULT_TIMEOUT_MS = 5000;
const DEFAULT_MAX_PENDING = 1000;
const SEVEN_DAYS_MS = 7 * 24 * 3600 * 1000;
const DUPLICATE_WINDOW_MS = 2 * 60 * 1000;
/** Rate limit for "dropping messages" warnings, so an overload doesn't also flood the log. */
const DROP_LOG_INTERVAL_MS = 10_000;

const errorCodes = Object.keys(ERROR_CODES) as [ErrorCode, ...ErrorCode[]];

/** What a server answers on the wire: the handler's value, or a coded error. Versioned. */
const replyEnvelope = z.discriminatedUnion('ok', [
  z.object({ v: z.literal(1), ok: z.literal(true), body: z.unknown() }),
  z.object({
    v: z.literal(1),
    ok: z.literal(false),
    error: z.object({ code: z.enum(errorCodes), message: z.string(), details: z.unknown().optional() }),
  }),
]);
type ReplyEnvelope = z.infer<typeof replyEnvelope>;

const encode = encodePayload;

function errorReply(error: AppError): string {
  const body: ReplyEnvelope = { v: 1, ok: false, error: { code: error.code, message: error.message } };
  if (error.details !== undefined) body.error.details = error.details;
  return JSON.stringify(body);
}

/**
 * Reconnect backoff. nats.js asks for the wait on every pass of its dial loop (not once per
 * attempt), so the wait grows with the length of the outage: 250 ms at first, up to 5 s, with
 * jitter so a fleet of nodes doesn't reconnect in step.
 */
function reconnectBackoff(): { wait: () => number; reset: () => void } {
  let outageStartedAt: number | undefined;
  return {
    wait: () => {
      outageStartedAt ??= Date.now();
      const base = Math.min(Math.max((Date.now() - outageStartedAt) / 4, 250), 5000);
      return base * (0.75 + Math.random() * 0.25);
    },
    reset: () => {
      outageStartedAt = undefined;
    },
  };
}

/** Counts dropped messages and warns at most once per interval. */
function dropReporter(logger: Logger, what: string, subject: string) {
  let total = 0;
  let sinceLastLog = 0;
  let lastLogAt = 0;
  return (count: (n: number) => void) => {
    total += 1;
    sinceLastLog += 1;
    count(1);
    const now = Date.now();
    if (now - lastLogAt >= DROP_LOG_INTERVAL_MS) {
      logger.warn(`bus ${what}: handler too slow, message dropped`, { subject, dropped: sinceLastLog, total });
      lastLogAt = now;
      sinceLastLog = 0;
    }
  };
}

function isThenable(value: unknown): value is PromiseLike<unknown> {
  return typeof value === 'object' && value !== null && typeof (value as { then?: unknown }).then === 'function';
}

function requestFailure(error: unknown, subject: string, timeoutMs: number): AppError {
  const cause = error instanceof Error ? error.cause : undefined;
  const noResponders =
    (error instanceof RequestError && error.isNoResponders()) || error instanceof NoRespondersError || cause instanceof NoRespondersError;
  if (noResponders) {
    return new AppError('ACTOR_UNAVAILABLE', 'No one is serving this actor right now', { reason: 'no-responders', subject }, { cause: error });
  }
  if (error instanceof TimeoutError || cause instanceof TimeoutError) {
    return new AppError('ACTOR_UNAVAILABLE', `No answer within ${timeoutMs} ms`, { reason: 'timeout', subject }, { cause: error });
  }
  return new AppError('ACTOR_UNAVAILABLE', 'The message bus is unavailable', { reason: 'bus', subject }, { cause: error });
}

/** The stream refused or could not take the event (its JSON error, or a malformed ack). */
class DurablePublishError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DurablePublishError';
  }
}

/**
 * Request/reply with every reply arriving on ONE inbox subscription of ours, as nc.request() does
 * (no responders → NoRespondersError, no reply in time → TimeoutError), minus its cost: nats.js
 * builds an Error with a stack trace for every request it completes (to reject the already
 * settled promise) — ~4 % of a busy actor node's CPU, with a JetStream ack per command.
 */
function replyInbox(nc: NatsConnection, logger: Logger) {
  const inbox = createInbox();
  const prefixLength = inbox.length + 1;
  const waiting = new Map<string, { subject: string; resolve: (msg: Msg) => void; reject: (error: Error) => void; timer: ReturnType<typeof setTimeout> }>();
  let next = 0;
  nc.subscribe(`${inbox}.*`, {
    callback: (error, msg) => {
      if (error) {
        logger.error('bus reply subscription failed', { error });
        return;
      }
      const token = msg.subject.slice(prefixLength);
      const entry = waiting.get(token);
      if (!entry) return; // timed out already
      waiting.delete(token);
      clearTimeout(entry.timer);
      // The server's empty 503 status: nobody subscribes to the subject.
      if (msg.data.length === 0 && msg.headers?.code === 503) entry.reject(new NoRespondersError(entry.subject));
      else entry.resolve(msg);
    },
  });
  return {
    ask(subject: string, data: string, timeoutMs: number): Promise<Msg> {
      return new Promise<Msg>((resolve, reject) => {
        const token = (next++).toString(36);
        const timer = setTimeout(() => {
          waiting.delete(token);
          reject(new TimeoutError());
        }, timeoutMs);
        waiting.set(token, { subject, resolve, reject, timer });
        try {
          nc.publish(subject, data, { reply: `${inbox}.${token}` });
        } catch (error) {
          waiting.delete(token);
          clearTimeout(timer);
          reject(error instanceof Error ? error : new Error('publish failed'));
        }
      });
    },
    /** On close: nothing will answer any more; settle what waits and leave no timer behind. */
    abandon(): void {
      for (const entry of waiting.values()) {
        clearTimeout(entry.timer);
        entry.reject(new Error('the bus closed before the reply came'));
      }
      waiting.clear();
    },
  };
}

/** What JetStream answers a publish with: its position in the stream, or why it refused. */
function checkPubAck(msg: Msg): void {
  const ack = msg.json<{ stream?: string; error?: { description?: string; code?: number } }>();
  if (ack.error) throw new DurablePublishError(`the stream refused the event: ${ack.error.description ?? ack.error.code}`);
  if (!ack.stream) throw new DurablePublishError('invalid ack response');
}

/** The event stream's configuration; applied at every connect so a changed default reaches old streams. */
function eventStreamConfig(name: string, namespace: string, retentionMs: number): Partial<StreamConfig> & { name: string } {
  return {
    name,
    subjects: [`${namespace}.${subjects.durableActorEvents()}`],
    storage: StorageType.File,
    retention: RetentionPolicy.Limits,
    discard: DiscardPolicy.Old,
    max_age: nanos(retentionMs),
    duplicate_window: nanos(DUPLICATE_WINDOW_MS),
    num_replicas: 1,
  };
}

async function ensureEventStream(nc: NatsConnection, config: Partial<StreamConfig> & { name: string }, logger: Logger): Promise<void> {
  const jsm = await jetstreamManager(nc);
  try {
    await jsm.streams.add(config);
  } catch (error) {
    // Same name, other config (an older default, or a race with another node's add): update in place.
    if (!(error instanceof JetStreamApiError)) throw error;
    const { name, ...rest } = config;
    await jsm.streams.update(name, rest);
    logger.info('bus event stream updated', { stream: name });
  }
}

export async function createNatsBus(options: NatsBusOptions): Promise<NatsBus> {
  const namespace = options.namespace ?? 'ecourt';
  const logger = options.logger.child({ component: 'nats-bus', namespace });
  const maxPending = options.maxPending ?? DEFAULT_MAX_PENDING;
  const prefix = `${namespace}.`;
  const full = (subject: string) => prefix + subject;
  const local = (subject: string) => (subject.startsWith(prefix) ? subject.slice(prefix.length) : subject);
  const counters: NatsBusStats = { dropped: 0, refused: 0 };

  const backoff = reconnectBackoff();
  let nc: NatsConnection;
  try {
    nc = await connect({
      servers: options.url,
      name: options.name ?? `ecourt-${namespace}`,
      maxReconnectAttempts: -1,
      reconnectDelayHandler: backoff.wait,
      pingInterval: 10_000,
      maxPingOut: 3,
      // Otherwise every request builds two Error objects up front just for their stack traces:
      // measured at ~7 % of a node's CPU under load. Our errors carry subject and reason instead.
      noAsyncTraces: true,
    });
  } catch (error) {
    throw new NatsConnectError(options.url, { cause: error });
  }

  let connected = true;
  // Status changes are logged; the loop ends when the connection closes.
  void (async () => {
    for await (const status of nc.status()) {
      switch (status.type) {
        case 'disconnect':
          connected = false;
          logger.warn('bus disconnected', { server: status.server });
          break;
        case 'reconnecting':
          logger.debug('bus reconnecting');
          break;
        case 'reconnect':
          connected = true;
          backoff.reset();
          logger.info('bus reconnected', { server: status.server });
          break;
        case 'error':
          logger.error('bus server error', { error: status.error });
          break;
        case 'slowConsumer':
          logger.warn('bus slow consumer', { subject: status.sub.getSubject(), pending: status.pending });
          break;
        case 'staleConnection':
          logger.warn('bus connection stale');
          break;
        case 'ldm':
          logger.warn('bus server entering lame duck mode', { server: status.server });
          break;
        default:
          break;
      }
    }
  })().catch((error: unknown) => logger.error('bus status loop failed', { error }));

  const eventStream = `${streams.events}_${namespace}`;
  try {
    await ensureEventStream(nc, eventStreamConfig(eventStream, namespace, options.eventRetentionMs ?? SEVEN_DAYS_MS), logger);
  } catch (error) {
    await nc.close().catch(() => undefined);
    throw new NatsConnectError(options.url, { cause: error });
  }
  const js = jetstream(nc);
  const replies = replyInbox(nc, logger);
  logger.info('bus connected', { server: nc.getServer(), stream: eventStream });

  const wrap = (subscription: Subscription): BusSubscription => ({
    unsubscribe: () => {
      if (!subscription.isClosed()) subscription.unsubscribe();
    },
  });

  const bus: NatsBus = {
    namespace,
    connection: nc,
    eventStream,
    jetstream: () => js,
    stats: () => ({ ...counters }),

    async request(subject: string, payload: unknown, requestOptions?: RequestOptions): Promise<unknown> {
      const timeoutMs = requestOptions?.timeoutMs ?? DEFAULT_TIMEOUT_MS;
      let reply: Msg;
      try {
        reply = await replies.ask(full(subject), encode(payload), timeoutMs);
      } catch (error) {
        throw requestFailure(error, subject, timeoutMs);
      }
      let envelope: ReplyEnvelope;
      try {
        envelope = replyEnvelope.parse(reply.json());
      } catch (error) {
        throw new AppError('PROTOCOL_ERROR', 'Malformed reply on the bus', { subject }, { cause: error });
      }
      if (!envelope.ok) throw new AppError(envelope.error.code, envelope.error.message, envelope.error.details);
      return envelope.body;
    },

    serve(subject, handler, serveOptions) {
      let inFlight = 0;
      const reportRefusal = dropReporter(logger, 'serve', subject);
      const answer = (msg: Msg, body: string) => {
        try {
          msg.respond(body);
        } catch (error) {
          // The connection closed while the handler ran; the requester will time out.
          logger.debug('bus reply not sent', { subject, error });
        }
      };
      const subscription = nc.subscribe(full(subject), {
        ...(serveOptions?.queue ? { queue: serveOptions.queue } : {}),
        callback: (error, msg) => {
          if (error) {
            logger.error('bus serve subscription failed', { subject, error });
            return;
          }
          if (!msg.reply) {
            logger.debug('bus request without reply subject ignored', { subject: msg.subject });
            return;
          }
          if (inFlight >= maxPending) {
            reportRefusal((n) => (counters.refused += n));
            answer(msg, errorReply(new AppError('ACTOR_UNAVAILABLE', 'Too busy, try again', { reason: 'overloaded' })));
            return;
          }
          let payload: unknown;
          try {
            payload = msg.json();
          } catch {
            answer(msg, errorReply(new AppError('PROTOCOL_ERROR', 'Request is not JSON')));
            return;
          }
          inFlight += 1;
          let result: Promise<unknown>;
          try {
            result = Promise.resolve(handler(payload, local(msg.subject)));
          } catch (thrown) {
            result = Promise.reject(thrown);
          }
          result.then(
            (value) => {
              inFlight -= 1;
              answer(msg, JSON.stringify({ v: 1, ok: true, body: value ?? null } satisfies ReplyEnvelope));
            },
            (thrown: unknown) => {
              inFlight -= 1;
              const appError = toAppError(thrown);
              if (appError.code === 'INTERNAL') logger.error('bus handler failed', { subject: msg.subject, error: thrown });
              answer(msg, errorReply(appError));
            },
          );
        },
      });
      return wrap(subscription);
    },

    publish(subject, payload) {
      try {
        nc.publish(full(subject), encode(payload));
      } catch (error) {
        // Fire-and-forget by contract: a closed connection loses the message, it must not throw.
        logger.debug('bus publish dropped', { subject, error });
      }
    },

    async publishDurable(subject, payload) {
      try {
        checkPubAck(await replies.ask(full(subject), encode(payload), DEFAULT_TIMEOUT_MS));
      } catch (error) {
        throw new AppError('ACTOR_UNAVAILABLE', 'The event store did not confirm the event', { reason: 'jetstream', subject }, { cause: error });
      }
    },

    subscribe(subject, handler) {
      let inFlight = 0;
      const reportDrop = dropReporter(logger, 'subscribe', subject);
      const settle = () => {
        inFlight -= 1;
      };
      const subscription = nc.subscribe(full(subject), {
        callback: (error, msg) => {
          if (error) {
            logger.error('bus subscription failed', { subject, error });
            return;
          }
          // Delivery is synchronous, so only handlers that return promises can pile up: bound those.
          if (inFlight >= maxPending) {
            reportDrop((n) => (counters.dropped += n));
            return;
          }
          let payload: unknown;
          try {
            payload = msg.json();
          } catch {
            logger.warn('bus message is not JSON, ignored', { subject: msg.subject });
            return;
          }
          try {
            const result: unknown = handler(payload, local(msg.subject));
            if (isThenable(result)) {
              inFlight += 1;
              result.then(settle, (thrown: unknown) => {
                settle();
                logger.error('bus subscriber failed', { subject: msg.subject, error: thrown });
              });
            }
          } catch (thrown) {
            logger.error('bus subscriber failed', { subject: msg.subject, error: thrown });
          }
        },
      });
      return wrap(subscription);
    },

    async health() {
      if (nc.isClosed()) return { ok: false, kind: 'nats', detail: 'closed' };
      if (!connected) return { ok: false, kind: 'nats', detail: 'reconnecting' };
      let timer: NodeJS.Timeout | undefined;
      try {
        const rtt = await Promise.race([
          nc.rtt(),
          new Promise<never>((_, reject) => {
            timer = setTimeout(() => reject(new Error('rtt timeout')), 2000);
          }),
        ]);
        return { ok: true, kind: 'nats', detail: `${nc.getServer()} rtt ${rtt} ms` };
      } catch (error) {
        return { ok: false, kind: 'nats', detail: error instanceof Error ? error.message : 'unhealthy' };
      } finally {
        clearTimeout(timer);
      }
    },

    async close() {
      if (nc.isClosed()) return;
      try {
        if (!nc.isDraining()) await nc.drain();
      } catch (error) {
        logger.debug('bus drain failed, closing', { error });
        await nc.close().catch(() => undefined);
      } finally {
        replies.abandon();
      }
    },
  };
  return bus;
}
