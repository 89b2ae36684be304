// The message bus the actors and the hub talk over. Two implementations: in-process
// (embedded mode) and NATS (distributed). Payloads are JSON values; subjects follow NATS
// rules ('.'-separated tokens, '*' one token, '>' the rest) and are built only in subjects.ts.

/**
 * A payload already encoded as JSON text, sent as it is: lets a sender that encodes its parts
 * anyway (the command batcher, which measures each command) skip a second JSON.stringify.
 * The text must be valid JSON; receivers see the decoded value, as for any other payload.
 */
export class PreEncoded {
  constructor(readonly json: string) {}
}

/** The JSON text of a payload; `undefined` travels as null, as a JSON body would. */
export function encodePayload(payload: unknown): string {
  return payload instanceof PreEncoded ? payload.json : JSON.stringify(payload === undefined ? null : payload);
}

export interface BusSubscription {
  unsubscribe(): void;
}

export interface RequestOptions {
  /** How long to wait for a reply (and for a responder to appear). Default 5000 ms. */
  timeoutMs?: number;
}

export interface Bus {
  /** Request/reply (commands). Rejects with AppError('ACTOR_UNAVAILABLE') when nobody answers in time. */
  request(subject: string, payload: unknown, options?: RequestOptions): Promise<unknown>;
  /** Answer requests on a subject; with a queue group, one member of the group answers each request. */
  serve(
    subject: string,
    handler: (payload: unknown, subject: string) => Promise<unknown>,
    options?: { queue?: string },
  ): BusSubscription;
  /** Fire-and-forget (inspection events, hints). May be lost. */
  publish(subject: string, payload: unknown): void;
  /** Durable publish for events that must not be lost: resolves once stored (JetStream ack). */
  publishDurable(subject: string, payload: unknown): Promise<void>;
  /** Live subscription (wildcards allowed). Receives both publish() and publishDurable() messages. */
  subscribe(subject: string, handler: (payload: unknown, subject: string) => void): BusSubscription;
  /** Health for /healthz. */
  health(): Promise<{ ok: boolean; kind: 'in-process' | 'nats'; detail?: string }>;
  close(): Promise<void>;
}
