// The browser side of the hub's /rt channel: one socket per token, shared by the elements of
// a page; subscriptions are reference-counted and re-sent after every reconnect (with backoff),
// and listeners hear "resync" then, because events may have been missed while offline.
// Elements also send on it (hearing chat, media signalling): queued until the socket is ready.
// It also carries the live filing messages (hub/realtime/filing-live.ts): a follow of the court's
// filing queue or of one's own inbox is a subscription like a case's.

import type { DomainEvent } from '../../actors/runtime/types.ts';
import type { CaseNotice, HearingAsrStatus } from '../../hub/realtime/protocol.ts';
import type { ServerSignal } from '../../media/signalling/protocol.ts';

export type { CaseNotice, HearingAsrStatus };

/** A case's domain event as the hub forwards it. */
export type CaseEvent = DomainEvent;

/** A chat line between a participant and the hearing's judge and clerk. */
export interface HearingChat {
  hearingId: string;
  from: { participantId: string; displayName: string; role: string };
  text: string;
  at: string;
}

/** What a filing follow watches: the caller's court's filing queue (立案审查), or the caller's own inbox (站内信). */
export type FilingFollow = 'filingQueue' | 'inbox';

export type RealtimeSubscription = { caseId: string } | { scope: 'court' } | { follow: FilingFollow };

export type RealtimeMessage =
  | { type: 'case.event'; event: CaseEvent }
  | { type: 'case.notice'; notice: CaseNotice }
  /** A hearing's domain event (kind 'hearing', summary = HearingSummary) of a subscribed case. */
  | { type: 'hearing.event'; event: CaseEvent }
  | { type: 'hearing.chat'; chat: HearingChat }
  /** How live speech recognition of a hearing keeps up (judge and clerk only). */
  | { type: 'hearing.asr'; status: HearingAsrStatus }
  /** WebRTC signalling from the media node (media.offer, media.ice, media.state, media.error…). */
  | { type: 'media'; signal: ServerSignal }
  /** A filing actor's event of the followed court (summary: courtId, filedBy, decision, caseNumber). */
  | { type: 'filing.event'; event: CaseEvent }
  /** One of the caller's filings moved: their inbox may hold a new message. */
  | { type: 'inbox.changed'; filingId: string; state: string }
  /** The hub confirmed a filing follow (after every reconnect too): refetch, something may have been missed. */
  | { type: 'following'; follow: FilingFollow }
  | { type: 'resync' }
  | { type: 'error'; code: string; message: string };

export type RealtimeStatus = 'connecting' | 'open' | 'closed';

export interface RealtimeOptions {
  /** ws(s)://host/rt?token=… (see realtimeUrl). */
  url: string;
  /** Reconnect delays: doubling from initialMs up to maxMs, with jitter. */
  initialBackoffMs?: number;
  maxBackoffMs?: number;
  pingIntervalMs?: number;
}

/** Close codes after which reconnecting cannot help: the token is invalid or forbidden. */
const FINAL_CLOSE_CODES = new Set([4401, 4403]);
/** Messages held while offline; beyond this the oldest go (a long outage is followed by a resync). */
const MAX_QUEUED = 256;

const subscriptionKey = (subscription: RealtimeSubscription): string =>
  'caseId' in subscription ? `case:${subscription.caseId}` : 'follow' in subscription ? `follow:${subscription.follow}` : `scope:${subscription.scope}`;

/** The message that starts (or ends) a subscription: case and court ones are `subscribe`, filing follows their own type. */
const subscriptionMessage = (subscription: RealtimeSubscription, on: boolean): Record<string, unknown> =>
  'follow' in subscription
    ? { v: 1, type: `${subscription.follow}.${on ? 'follow' : 'unfollow'}` }
    : { v: 1, type: on ? 'subscribe' : 'unsubscribe', ...subscription };

/** The /rt address for an `api-base` ('' = this page's origin) and a session token. */
export function realtimeUrl(apiBase: string, token: string): string {
  const base = new URL(apiBase === '' ? '/' : apiBase, window.location.href);
  base.protocol = base.protocol === 'https:' ? 'wss:' : 'ws:';
  base.pathname = `${base.pathname.replace(/\/+$/, '')}/rt`;
  base.search = `?token=${encodeURIComponent(token)}`;
  base.hash = '';
  return base.toString();
}

export class RealtimeClient {
  private socket: WebSocket | null = null;
  private readonly subscriptions = new Map<string, { subscription: RealtimeSubscription; count: number }>();
  private readonly listeners = new Set<(message: RealtimeMessage) => void>();
  private readonly statusListeners = new Set<(status: RealtimeStatus) => void>();
  private readonly queued: Record<string, unknown>[] = [];
  /** Filing follows the hub has confirmed on the current connection. */
  private readonly confirmedFollows = new Set<FilingFollow>();
  private attempt = 0;
  private everReady = false;
  private ready = false;
  private closed = false;
  private reconnectTimer: ReturnType<typeof setTimeout> | undefined;
  private pingTimer: ReturnType<typeof setInterval> | undefined;
  private statusValue: RealtimeStatus = 'connecting';

  constructor(private readonly options: RealtimeOptions) {
    this.connect();
  }

  get status(): RealtimeStatus {
    return this.statusValue;
  }

  /** Whether the hub confirmed this filing follow on the current connection (events for it now arrive). */
  isFollowing(follow: FilingFollow): boolean {
    return this.statusValue === 'open' && this.confirmedFollows.has(follow);
  }

  /** Subscribes (once per distinct subscription on this socket); returns the undo. */
  subscribe(subscription: RealtimeSubscription): () => void {
    const key = subscriptionKey(subscription);
    const entry = this.subscriptions.get(key);
    if (entry) entry.count += 1;
    else {
      this.subscriptions.set(key, { subscription, count: 1 });
      if (this.ready) this.write(subscriptionMessage(subscription, true));
    }
    let undone = false;
    return () => {
      if (undone) return;
      undone = true;
      const held = this.subscriptions.get(key);
      if (!held) return;
      held.count -= 1;
      if (held.count > 0) return;
      this.subscriptions.delete(key);
      if ('follow' in subscription) this.confirmedFollows.delete(subscription.follow);
      if (this.ready) this.write(subscriptionMessage(subscription, false));
    };
  }

  /**
   * Sends an application message (it carries its own `v` and `type`). While the socket is not
   * ready it waits in a bounded queue, sent after the subscriptions on reconnect; `queue: false`
   * drops it instead, for messages that make no sense on a new connection (media signalling).
   */
  send(message: Record<string, unknown>, options: { queue?: boolean } = {}): void {
    if (this.closed) return;
    if (this.ready && this.socket?.readyState === WebSocket.OPEN) {
      this.write(message);
      return;
    }
    if (options.queue === false) return;
    this.queued.push(message);
    if (this.queued.length > MAX_QUEUED) this.queued.shift();
  }

  onMessage(listener: (message: RealtimeMessage) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  onStatus(listener: (status: RealtimeStatus) => void): () => void {
    this.statusListeners.add(listener);
    return () => this.statusListeners.delete(listener);
  }

  close(): void {
    this.closed = true;
    this.queued.length = 0;
    clearTimeout(this.reconnectTimer);
    clearInterval(this.pingTimer);
    this.socket?.close(1000, 'client closed');
    this.socket = null;
    this.setStatus('closed');
  }

  private connect(): void {
    if (this.closed) return;
    this.setStatus('connecting');
    const socket = new WebSocket(this.options.url);
    this.socket = socket;
    socket.addEventListener('message', (event) => {
      if (this.socket !== socket || typeof event.data !== 'string') return;
      this.handle(event.data);
    });
    socket.addEventListener('close', (event) => {
      // Only the current socket's close matters: a late close of an old one must not
      // tear down its successor.
      if (this.socket !== socket) return;
      this.socket = null;
      this.ready = false;
      this.confirmedFollows.clear();
      clearInterval(this.pingTimer);
      if (this.closed || FINAL_CLOSE_CODES.has(event.code)) {
        this.closed = true;
        this.setStatus('closed');
        return;
      }
      this.setStatus('connecting');
      this.scheduleReconnect();
    });
  }

  private scheduleReconnect(): void {
    const initial = this.options.initialBackoffMs ?? 500;
    const max = this.options.maxBackoffMs ?? 15_000;
    const delay = Math.min(max, initial * 2 ** this.attempt) * (0.5 + Math.random() * 0.5);
    this.attempt += 1;
    this.reconnectTimer = setTimeout(() => this.connect(), delay);
  }

  private handle(data: string): void {
    let message: { type?: string; event?: CaseEvent; notice?: CaseNotice; code?: string; message?: string; status?: HearingAsrStatus; filingId?: string; state?: string } & Partial<
      Omit<HearingChat, 'from'>
    > & {
      from?: HearingChat['from'];
    };
    try {
      message = JSON.parse(data) as typeof message;
    } catch {
      return;
    }
    switch (message.type) {
      case 'ready': {
        this.ready = true;
        this.attempt = 0;
        for (const { subscription } of this.subscriptions.values()) this.write(subscriptionMessage(subscription, true));
        for (const queued of this.queued.splice(0)) this.write(queued);
        clearInterval(this.pingTimer);
        this.pingTimer = setInterval(() => this.write({ v: 1, type: 'ping' }), this.options.pingIntervalMs ?? 25_000);
        this.setStatus('open');
        if (this.everReady) this.emit({ type: 'resync' });
        this.everReady = true;
        break;
      }
      case 'case.event':
        if (message.event) this.emit({ type: 'case.event', event: message.event });
        break;
      case 'case.notice':
        if (message.notice) this.emit({ type: 'case.notice', notice: message.notice });
        break;
      case 'hearing.event':
        if (message.event) this.emit({ type: 'hearing.event', event: message.event });
        break;
      case 'hearing.chat':
        if (typeof message.hearingId === 'string' && message.from && typeof message.text === 'string') {
          this.emit({ type: 'hearing.chat', chat: { hearingId: message.hearingId, from: message.from, text: message.text, at: message.at ?? new Date().toISOString() } });
        }
        break;
      case 'hearing.asr':
        if (message.status && typeof message.status.hearingId === 'string') this.emit({ type: 'hearing.asr', status: message.status });
        break;
      case 'filing.event':
        if (message.event && typeof message.event === 'object') this.emit({ type: 'filing.event', event: message.event });
        break;
      case 'inbox.changed':
        if (typeof message.filingId === 'string') this.emit({ type: 'inbox.changed', filingId: message.filingId, state: message.state ?? '' });
        break;
      case 'filingQueue.following':
      case 'inbox.following': {
        const follow: FilingFollow = message.type === 'inbox.following' ? 'inbox' : 'filingQueue';
        this.confirmedFollows.add(follow);
        this.emit({ type: 'following', follow });
        break;
      }
      case 'media.offer':
      case 'media.answer':
      case 'media.ice':
      case 'media.state':
      case 'media.error':
        this.emit({ type: 'media', signal: message as unknown as ServerSignal });
        break;
      case 'error':
        this.emit({ type: 'error', code: message.code ?? 'INTERNAL', message: message.message ?? '' });
        break;
      default:
        // subscribed / pong / messages of a newer protocol: nothing to do.
        break;
    }
  }

  private write(message: Record<string, unknown>): void {
    if (this.socket?.readyState === WebSocket.OPEN) this.socket.send(JSON.stringify(message));
  }

  private emit(message: RealtimeMessage): void {
    for (const listener of [...this.listeners]) {
      try {
        listener(message);
      } catch (error) {
        console.error('ecourt realtime listener failed', error);
      }
    }
  }

  private setStatus(status: RealtimeStatus): void {
    if (status === this.statusValue) return;
    this.statusValue = status;
    for (const listener of [...this.statusListeners]) listener(status);
  }
}

const shared = new Map<string, { client: RealtimeClient; users: number }>();

/** The page's socket for this API and token; call release() when the element disconnects. */
export function acquireRealtime(apiBase: string, token: string): { client: RealtimeClient; release: () => void } {
  const url = realtimeUrl(apiBase, token);
  let entry = shared.get(url);
  if (!entry) {
    entry = { client: new RealtimeClient({ url }), users: 0 };
    shared.set(url, entry);
  }
  entry.users += 1;
  const held = entry;
  let released = false;
  return {
    client: held.client,
    release: () => {
      if (released) return;
      released = true;
      held.users -= 1;
      if (held.users === 0) {
        shared.delete(url);
        held.client.close();
      }
    },
  };
}
