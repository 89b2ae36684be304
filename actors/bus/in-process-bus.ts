// The bus for embedded mode: one process, NATS subject semantics ('*' one token, '>' the rest),
// queue groups and request/reply. Deliveries are asynchronous (a handler never re-enters its
// caller) and every payload is JSON round-tripped, as it would be over NATS, so no two parties
// ever share a mutable object.
import { AppError } from '../../platform/errors.ts';
import { encodePayload, type Bus, type BusSubscription, type RequestOptions } from './bus.ts';

const DEFAULT_REQUEST_TIMEOUT_MS = 5000;

type Listener = (payload: unknown, subject: string) => void;
type Responder = (payload: unknown, subject: string) => Promise<unknown>;

interface Interest<T> {
  pattern: string;
  tokens: string[];
  wildcard: boolean;
  handler: T;
  queue?: string;
  active: boolean;
}

interface WaitingRequest {
  subject: string;
  tokens: string[];
  encoded: string;
  resolve: (value: unknown) => void;
  reject: (error: unknown) => void;
  timer: ReturnType<typeof setTimeout>;
}

/** Does a NATS subject pattern match a concrete subject? */
export function subjectMatches(patternTokens: readonly string[], subjectTokens: readonly string[]): boolean {
  for (let i = 0; i < patternTokens.length; i++) {
    const token = patternTokens[i];
    if (token === '>') return subjectTokens.length > i;
    if (i >= subjectTokens.length) return false;
    if (token !== '*' && token !== subjectTokens[i]) return false;
  }
  return patternTokens.length === subjectTokens.length;
}

function validatePattern(pattern: string): string[] {
  const tokens = pattern.split('.');
  tokens.forEach((token, index) => {
    if (token === '' || /\s/.test(token)) throw new AppError('BAD_REQUEST', `invalid subject ${JSON.stringify(pattern)}`);
    if (token === '>' && index !== tokens.length - 1) throw new AppError('BAD_REQUEST', `'>' must be the last token in ${JSON.stringify(pattern)}`);
  });
  return tokens;
}

/** A concrete subject: no wildcards, no empty tokens, no whitespace. Checked per message, so kept cheap. */
function validateSubject(subject: string): string[] {
  if (subject === '' || subject.startsWith('.') || subject.endsWith('.') || subject.includes('..') || /[\s*>]/.test(subject)) {
    throw new AppError('BAD_REQUEST', `invalid subject to send to ${JSON.stringify(subject)}`);
  }
  return subject.split('.');
}

const encode = encodePayload;

/**
 * A registry of interests that finds exact subjects through a Map and wildcard patterns by
 * scanning, so the common case (one actor-command subject per shard) costs one lookup.
 */
class InterestIndex<T> {
  private readonly exact = new Map<string, Interest<T>[]>();
  private readonly wild: Interest<T>[] = [];

  add(pattern: string, handler: T, queue?: string): Interest<T> {
    const tokens = validatePattern(pattern);
    const wildcard = tokens.includes('*') || tokens.includes('>');
    const interest: Interest<T> = { pattern, tokens, wildcard, handler, active: true, ...(queue ? { queue } : {}) };
    if (wildcard) this.wild.push(interest);
    else {
      const list = this.exact.get(pattern);
      if (list) list.push(interest);
      else this.exact.set(pattern, [interest]);
    }
    return interest;
  }

  remove(interest: Interest<T>): void {
    interest.active = false;
    if (interest.wildcard) {
      const at = this.wild.indexOf(interest);
      if (at >= 0) this.wild.splice(at, 1);
      return;
    }
    const list = this.exact.get(interest.pattern);
    if (!list) return;
    const at = list.indexOf(interest);
    if (at >= 0) list.splice(at, 1);
    if (list.length === 0) this.exact.delete(interest.pattern);
  }

  match(subject: string, tokens: string[]): Interest<T>[] {
    const exact = this.exact.get(subject);
    const out = exact ? exact.slice() : [];
    for (const interest of this.wild) if (subjectMatches(interest.tokens, tokens)) out.push(interest);
    return out;
  }

  clear(): void {
    for (const list of this.exact.values()) for (const interest of list) interest.active = false;
    for (const interest of this.wild) interest.active = false;
    this.exact.clear();
    this.wild.length = 0;
  }
}

/**
 * Picks who answers a request: like NATS, every plain responder and one member of each queue
 * group receive it and the first reply wins; here we pick one candidate outright to avoid
 * doing the work twice (round robin within a queue group).
 */
function pickResponder(candidates: Interest<Responder>[], counter: number): Interest<Responder> | undefined {
  if (candidates.length === 0) return undefined;
  const plain = candidates.find((candidate) => !candidate.queue);
  if (plain) return plain;
  return candidates[counter % candidates.length];
}

export function createInProcessBus(): Bus {
  const listeners = new InterestIndex<Listener>();
  const responders = new InterestIndex<Responder>();
  const waiting = new Set<WaitingRequest>();
  let roundRobin = 0;
  let closed = false;

  const assertOpen = () => {
    if (closed) throw new AppError('ACTOR_UNAVAILABLE', 'the bus is closed');
  };

  /** Delivers to the current listeners of a subject in a later microtask; resolves once all ran. */
  const deliver = (subject: string, payload: unknown): Promise<void> => {
    const targets = listeners.match(subject, validateSubject(subject));
    // Nobody listens (the common case for inspection events): skip the encoding.
    if (targets.length === 0) return Promise.resolve();
    const encoded = encode(payload);
    return new Promise((resolve) => {
      queueMicrotask(() => {
        for (const target of targets) {
          if (!target.active) continue;
          try {
            target.handler(JSON.parse(encoded), subject);
          } catch {
            // A listener's failure is its own; it must not stop delivery to the others.
          }
        }
        resolve();
      });
    });
  };

  const dispatch = (request: WaitingRequest, responder: Interest<Responder>) => {
    waiting.delete(request);
    queueMicrotask(() => {
      if (!responder.active) {
        // It left between the pick and the delivery: find another or wait for one.
        route(request);
        return;
      }
      let answer: Promise<unknown>;
      try {
        answer = Promise.resolve(responder.handler(JSON.parse(request.encoded), request.subject));
      } catch (error) {
        answer = Promise.reject(error);
      }
      answer.then(
        (reply) => {
          clearTimeout(request.timer);
          try {
            request.resolve(JSON.parse(encode(reply)));
          } catch (error) {
            request.reject(new AppError('INTERNAL', 'the reply is not JSON', undefined, { cause: error }));
          }
        },
        (error: unknown) => {
          clearTimeout(request.timer);
          request.reject(
            error instanceof AppError ? error : new AppError('INTERNAL', 'the responder failed', undefined, { cause: error }),
          );
        },
      );
    });
  };

  const route = (request: WaitingRequest) => {
    if (closed) {
      clearTimeout(request.timer);
      request.reject(new AppError('ACTOR_UNAVAILABLE', 'the bus is closed'));
      return;
    }
    const responder = pickResponder(responders.match(request.subject, request.tokens), roundRobin++);
    // No responder yet: wait for one to appear (a shard may be moving between nodes).
    if (responder) dispatch(request, responder);
    else waiting.add(request);
  };

  return {
    async request(subject: string, payload: unknown, options?: RequestOptions): Promise<unknown> {
      assertOpen();
      const tokens = validateSubject(subject);
      const timeoutMs = options?.timeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS;
      const encoded = encode(payload);
      return await new Promise((resolve, reject) => {
        const request: WaitingRequest = {
          subject,
          tokens,
          encoded,
          resolve,
          reject,
          timer: setTimeout(() => {
            waiting.delete(request);
            reject(new AppError('ACTOR_UNAVAILABLE', `no reply on ${subject} within ${timeoutMs} ms`));
          }, timeoutMs),
        };
        route(request);
      });
    },

    serve(subject, handler, options): BusSubscription {
      assertOpen();
      const interest = responders.add(subject, handler, options?.queue);
      for (const request of [...waiting]) {
        if (subjectMatches(interest.tokens, request.tokens)) dispatch(request, interest);
      }
      return { unsubscribe: () => responders.remove(interest) };
    },

    publish(subject: string, payload: unknown): void {
      assertOpen();
      void deliver(subject, payload);
    },

    async publishDurable(subject: string, payload: unknown): Promise<void> {
      assertOpen();
      await deliver(subject, payload);
    },

    subscribe(subject, handler): BusSubscription {
      assertOpen();
      const interest = listeners.add(subject, handler);
      return { unsubscribe: () => listeners.remove(interest) };
    },

    async health() {
      return closed ? { ok: false, kind: 'in-process' as const, detail: 'closed' } : { ok: true, kind: 'in-process' as const };
    },

    async close(): Promise<void> {
      if (closed) return;
      closed = true;
      listeners.clear();
      responders.clear();
      for (const request of waiting) {
        clearTimeout(request.timer);
        request.reject(new AppError('ACTOR_UNAVAILABLE', 'the bus is closed'));
      }
      waiting.clear();
    },
  };
}
