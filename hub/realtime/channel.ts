// The realtime channel's logic, free of uWS: connections, authentication deadline, subscriptions,
// and the fan-out of case events from ONE bus subscription to the sockets that follow each case
// or court. Connections are keyed by socket identity, so a late close of an old socket never
// touches a newer connection of the same user.
import type { Bus, BusSubscription } from '../../actors/bus/bus.ts';
import { subjects } from '../../actors/bus/subjects.ts';
import type { DomainEvent } from '../../actors/runtime/types.ts';
import type { ErrorCode } from '../../platform/errors.ts';
import type { Logger } from '../../platform/logger.ts';
import { isCourtStaff } from '../../platform/roles.ts';
import { courtEventReaches, mayFollowCourt } from '../auth/access.ts';
import { verifySessionToken, type Session } from '../auth/session-token.ts';
import { withoutIdentityAlerts } from '../hearings/hearing-view.ts';
import { CLOSE_CODES, caseNoticeSchema, clientMessage, domainEventSchema, hearingAsrStatusSchema, hearingIdentityAlertSchema, type ServerMessage } from './protocol.ts';

/** Who sees how live recognition keeps up, and identity re-check alerts: the court's staff of the hearing. */
const ASR_STATUS_ROLES: ReadonlySet<string> = new Set(['judge', 'clerk']);

/** An authenticated connection as an extension sees it. */
export interface RealtimePeer {
  readonly session: Session;
  /** Whether the socket is still open (guard sends after an await). */
  readonly isOpen: boolean;
  send(message: object): void;
}

/**
 * More message types on the same socket (hearing media signalling, hearing chat): the channel
 * authenticates, parses the JSON and hands every message whose `type` the extension claims to it;
 * its own protocol's validation is the extension's.
 */
export interface RealtimeExtension {
  readonly types: ReadonlySet<string>;
  handleMessage(peer: RealtimePeer, message: Record<string, unknown>): void;
  handleClose(peer: RealtimePeer): void;
}

/** What the channel needs of a socket; the uWS adapter provides it. */
export interface RealtimeSocket {
  /** 'dropped' = the transport refused it (backpressure limit); 'closed' = socket already gone. */
  send(text: string): 'sent' | 'buffered' | 'dropped' | 'closed';
  bufferedAmount(): number;
  close(code: number, reason: string): void;
}

export interface RealtimeChannelOptions {
  bus: Bus;
  logger: Logger;
  sessionSecret: Buffer;
  /** Whether the session may see the case (storage isCaseMember). */
  isCaseMember(session: Session, caseId: string): Promise<boolean>;
  authTimeoutMs?: number;
  /** Buffered bytes beyond which a client is hopeless and gets closed with 4008. */
  slowConsumerBytes?: number;
  maxProtocolErrors?: number;
  maxCaseSubscriptions?: number;
  extensions?: readonly RealtimeExtension[];
}

interface Connection {
  socket: RealtimeSocket;
  session: Session | null;
  cases: Set<string>;
  followsCourt: boolean;
  protocolErrors: number;
  authTimer: NodeJS.Timeout | null;
  /** This connection as extensions see it (once authenticated). */
  peer: RealtimePeer | null;
  /** Closes the socket when its session expires: a token's 12 hours bound a socket too. */
  expiryTimer: NodeJS.Timeout | null;
  open: boolean;
}

// setTimeout's longest delay (~24.8 days); sessions are far shorter.
const MAX_TIMER_MS = 2 ** 31 - 1;

export class RealtimeChannel {
  private readonly connections = new Map<RealtimeSocket, Connection>();
  private readonly byCase = new Map<string, Set<Connection>>();
  private readonly byCourt = new Map<string, Set<Connection>>();
  private subscriptions: BusSubscription[] = [];
  private readonly authTimeoutMs: number;
  private readonly slowConsumerBytes: number;
  private readonly maxProtocolErrors: number;
  private readonly maxCaseSubscriptions: number;

  constructor(private readonly options: RealtimeChannelOptions) {
    this.authTimeoutMs = options.authTimeoutMs ?? 5000;
    this.slowConsumerBytes = options.slowConsumerBytes ?? 512 * 1024;
    this.maxProtocolErrors = options.maxProtocolErrors ?? 3;
    this.maxCaseSubscriptions = options.maxCaseSubscriptions ?? 500;
  }

  /**
   * Subscribes once to every case event on the bus (one message per group commit, holding its events)
   * and to the case notices that are not actor events (evidence added).
   */
  start(): void {
    if (this.subscriptions.length > 0) return;
    this.subscriptions = [
      this.options.bus.subscribe(subjects.actorEventBatch('case'), (payload) => this.fanOutBatch(payload)),
      this.options.bus.subscribe(subjects.caseNotice(), (payload) => this.fanOutNotice(payload)),
      this.options.bus.subscribe(subjects.actorEventBatch('hearing'), (payload) => this.fanOutHearingBatch(payload)),
      this.options.bus.subscribe(subjects.hearingAsrStatus(), (payload) => this.fanOutAsrStatus(payload)),
      this.options.bus.subscribe(subjects.hearingIdentityAlert(), (payload) => this.fanOutIdentityAlert(payload)),
    ];
  }

  get connectionCount(): number {
    return this.connections.size;
  }

  /** A socket opened; `token` is the ?token= of the upgrade, if any. */
  handleOpen(socket: RealtimeSocket, token: string | null): void {
    const connection: Connection = {
      socket,
      session: null,
      cases: new Set(),
      followsCourt: false,
      protocolErrors: 0,
      authTimer: null,
      expiryTimer: null,
      open: true,
      peer: null,
    };
    this.connections.set(socket, connection);
    if (token !== null) {
      this.authenticate(connection, token);
      return;
    }
    connection.authTimer = setTimeout(() => {
      connection.authTimer = null;
      if (connection.open && !connection.session) this.closeWith(connection, CLOSE_CODES.unauthenticated, 'authentication timeout');
    }, this.authTimeoutMs);
    connection.authTimer.unref?.();
  }

  /** `text` is null for a binary frame (never valid here). */
  handleMessage(socket: RealtimeSocket, text: string | null): void {
    const connection = this.connections.get(socket);
    if (!connection || !connection.open) return;
    if (text === null) {
      this.closeWith(connection, CLOSE_CODES.protocolError, 'binary frames are not part of the protocol');
      return;
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      this.protocolError(connection, 'message is not JSON');
      return;
    }
    const type = (parsed as { type?: unknown } | null)?.type;
    const extension = typeof type === 'string' ? this.options.extensions?.find((candidate) => candidate.types.has(type)) : undefined;
    if (extension) {
      if (!connection.peer) this.closeWith(connection, CLOSE_CODES.unauthenticated, 'authenticate first');
      else extension.handleMessage(connection.peer, parsed as Record<string, unknown>);
      return;
    }
    const result = clientMessage.safeParse(parsed);
    if (!result.success) {
      this.protocolError(connection, `invalid message: ${result.error.issues[0]?.message ?? 'unknown'}`);
      return;
    }
    const message = result.data;
    if (!connection.session) {
      if (message.type === 'auth') this.authenticate(connection, message.token);
      else this.closeWith(connection, CLOSE_CODES.unauthenticated, 'authenticate first');
      return;
    }
    switch (message.type) {
      case 'auth':
        this.protocolError(connection, 'already authenticated');
        return;
      case 'ping':
        this.send(connection, { v: 1, type: 'pong' });
        return;
      case 'subscribe':
        if (message.caseId !== undefined) void this.subscribeCase(connection, message.caseId);
        else this.subscribeCourt(connection);
        return;
      case 'unsubscribe':
        if (message.caseId !== undefined) {
          this.removeFrom(this.byCase, message.caseId, connection);
          connection.cases.delete(message.caseId);
          this.send(connection, { v: 1, type: 'unsubscribed', caseId: message.caseId });
        } else {
          this.leaveCourt(connection);
          this.send(connection, { v: 1, type: 'unsubscribed', scope: 'court' });
        }
        return;
    }
  }

  /** Backpressure drained; nothing is queued on our side (we close rather than queue), so only a log. */
  handleDrain(socket: RealtimeSocket): void {
    const connection = this.connections.get(socket);
    if (connection) this.options.logger.debug('realtime socket drained', { buffered: socket.bufferedAmount() });
  }

  /** The socket is gone (whoever closed it). Idempotent. */
  handleClose(socket: RealtimeSocket): void {
    const connection = this.connections.get(socket);
    if (!connection) return;
    connection.open = false;
    if (connection.authTimer) clearTimeout(connection.authTimer);
    if (connection.expiryTimer) clearTimeout(connection.expiryTimer);
    connection.authTimer = null;
    connection.expiryTimer = null;
    for (const caseId of connection.cases) this.removeFrom(this.byCase, caseId, connection);
    connection.cases.clear();
    this.leaveCourt(connection);
    this.connections.delete(socket);
    if (connection.peer) for (const extension of this.options.extensions ?? []) extension.handleClose(connection.peer);
  }

  /** Stops following the bus and closes every socket (clients reconnect elsewhere). */
  stop(): void {
    for (const subscription of this.subscriptions.splice(0)) subscription.unsubscribe();
    for (const connection of [...this.connections.values()]) this.closeWith(connection, CLOSE_CODES.goingAway, 'server stopping');
    for (const socket of [...this.connections.keys()]) this.handleClose(socket);
  }

  private authenticate(connection: Connection, token: string): void {
    let session: Session;
    try {
      session = verifySessionToken(this.options.sessionSecret, token);
    } catch {
      this.sendError(connection, 'UNAUTHENTICATED', 'Invalid or expired session; sign in again');
      this.closeWith(connection, CLOSE_CODES.unauthenticated, 'invalid token');
      return;
    }
    if (connection.authTimer) clearTimeout(connection.authTimer);
    connection.authTimer = null;
    connection.session = session;
    connection.peer = {
      session,
      get isOpen() {
        return connection.open;
      },
      send: (message) => this.sendText(connection, JSON.stringify(message)),
    };
    const untilExpiry = Math.min(Math.max(session.expiresAt * 1000 - Date.now(), 0), MAX_TIMER_MS);
    connection.expiryTimer = setTimeout(() => {
      connection.expiryTimer = null;
      this.closeWith(connection, CLOSE_CODES.unauthenticated, 'session expired');
    }, untilExpiry);
    connection.expiryTimer.unref?.();
    this.send(connection, { v: 1, type: 'ready', user: { userId: session.userId, role: session.role, courtId: session.courtId } });
  }

  private async subscribeCase(connection: Connection, caseId: string): Promise<void> {
    const session = connection.session as Session;
    if (connection.cases.size >= this.maxCaseSubscriptions) {
      this.sendError(connection, 'BAD_REQUEST', `at most ${this.maxCaseSubscriptions} case subscriptions per connection`);
      return;
    }
    let member: boolean;
    try {
      member = await this.options.isCaseMember(session, caseId);
    } catch (error) {
      this.options.logger.error('realtime membership check failed', { error, caseId });
      this.sendError(connection, 'INTERNAL', 'Internal error');
      return;
    }
    // The socket may have closed while we waited: never touch a closed connection.
    if (!connection.open) return;
    if (!member) {
      // Same answer as the HTTP API for a case one may not see: it does not exist for them.
      this.sendError(connection, 'NOT_FOUND', 'Case not found');
      return;
    }
    connection.cases.add(caseId);
    this.addTo(this.byCase, caseId, connection);
    this.send(connection, { v: 1, type: 'subscribed', caseId });
  }

  private subscribeCourt(connection: Connection): void {
    const session = connection.session as Session;
    if (!mayFollowCourt(session) || session.courtId === null) {
      this.sendError(connection, 'FORBIDDEN', 'Only court staff may follow a court');
      return;
    }
    connection.followsCourt = true;
    this.addTo(this.byCourt, session.courtId, connection);
    this.send(connection, { v: 1, type: 'subscribed', scope: 'court' });
  }

  private leaveCourt(connection: Connection): void {
    if (!connection.followsCourt || !connection.session?.courtId) return;
    connection.followsCourt = false;
    this.removeFrom(this.byCourt, connection.session.courtId, connection);
  }

  /** A DomainEventBatch: each of its events goes out on its own (a malformed one is skipped). */
  private fanOutBatch(payload: unknown): void {
    const events = typeof payload === 'object' && payload !== null ? (payload as { events?: unknown }).events : undefined;
    if (!Array.isArray(events)) {
      this.options.logger.warn('ignoring malformed case event batch from the bus');
      return;
    }
    for (const event of events) this.fanOut(event);
  }

  private fanOut(payload: unknown): void {
    const parsed = domainEventSchema.safeParse(payload);
    if (!parsed.success) {
      this.options.logger.warn('ignoring malformed case event from the bus', { issues: parsed.error.issues.length });
      return;
    }
    const event = parsed.data as DomainEvent;
    const targets = new Set<Connection>(this.byCase.get(event.id) ?? []);
    const courtId = event.summary.courtId;
    if (typeof courtId === 'string') {
      for (const connection of this.byCourt.get(courtId) ?? []) {
        if (connection.session && courtEventReaches(connection.session, courtId)) targets.add(connection);
      }
    }
    if (targets.size === 0) return;
    const text = JSON.stringify({ v: 1, type: 'case.event', event } satisfies ServerMessage);
    for (const connection of targets) this.sendText(connection, text);
  }

  /**
   * A hearing's events go to the sockets following its case (they passed the case's membership
   * check): the hearing room and the clerk's screen update live.
   */
  private fanOutHearingBatch(payload: unknown): void {
    const events = typeof payload === 'object' && payload !== null ? (payload as { events?: unknown }).events : undefined;
    if (!Array.isArray(events)) return;
    for (const raw of events) {
      const parsed = domainEventSchema.safeParse(raw);
      if (!parsed.success) continue;
      const caseId = parsed.data.summary.caseId;
      const targets = typeof caseId === 'string' ? this.byCase.get(caseId) : undefined;
      if (!targets || targets.size === 0) continue;
      const event = parsed.data as DomainEvent;
      const forStaff = JSON.stringify({ v: 1, type: 'hearing.event', event } satisfies ServerMessage);
      const forOthers = JSON.stringify({ v: 1, type: 'hearing.event', event: { ...event, summary: withoutIdentityAlerts(event.summary) } } satisfies ServerMessage);
      for (const connection of [...targets]) this.sendText(connection, connection.session && isCourtStaff(connection.session.role) ? forStaff : forOthers);
    }
  }

  /** A case notice goes to the sockets following that case (they have passed its membership check). */
  private fanOutNotice(payload: unknown): void {
    const parsed = caseNoticeSchema.safeParse(payload);
    if (!parsed.success) {
      this.options.logger.warn('ignoring malformed case notice from the bus', { issues: parsed.error.issues.length });
      return;
    }
    const targets = this.byCase.get(parsed.data.caseId);
    if (!targets || targets.size === 0) return;
    const text = JSON.stringify({ v: 1, type: 'case.notice', notice: parsed.data } satisfies ServerMessage);
    for (const connection of [...targets]) this.sendText(connection, text);
  }

  /** Live recognition's backlog and delay go to the judges and clerks following the hearing's case. */
  private fanOutAsrStatus(payload: unknown): void {
    const parsed = hearingAsrStatusSchema.safeParse(payload);
    if (!parsed.success) return;
    const targets = [...(this.byCase.get(parsed.data.caseId) ?? [])].filter((connection) => connection.session && ASR_STATUS_ROLES.has(connection.session.role));
    if (targets.length === 0) return;
    const text = JSON.stringify({ v: 1, type: 'hearing.asr', status: parsed.data } satisfies ServerMessage);
    for (const connection of targets) this.sendText(connection, text);
  }

  /** A face re-check that found someone else (or nobody) goes to the judges and clerks following the case. */
  private fanOutIdentityAlert(payload: unknown): void {
    const parsed = hearingIdentityAlertSchema.safeParse(payload);
    if (!parsed.success) return;
    const targets = [...(this.byCase.get(parsed.data.caseId) ?? [])].filter((connection) => connection.session && ASR_STATUS_ROLES.has(connection.session.role));
    if (targets.length === 0) return;
    const text = JSON.stringify({ v: 1, type: 'hearing.identityAlert', alert: parsed.data } satisfies ServerMessage);
    for (const connection of targets) this.sendText(connection, text);
  }

  private protocolError(connection: Connection, message: string): void {
    connection.protocolErrors += 1;
    if (connection.protocolErrors >= this.maxProtocolErrors) {
      this.closeWith(connection, CLOSE_CODES.protocolError, 'too many protocol errors');
      return;
    }
    this.sendError(connection, 'PROTOCOL_ERROR', message);
  }

  private sendError(connection: Connection, code: ErrorCode, message: string): void {
    this.send(connection, { v: 1, type: 'error', code, message });
  }

  private send(connection: Connection, message: ServerMessage): void {
    this.sendText(connection, JSON.stringify(message));
  }

  private sendText(connection: Connection, text: string): void {
    if (!connection.open) return;
    const result = connection.socket.send(text);
    if (result === 'closed') {
      this.handleClose(connection.socket);
      return;
    }
    // A client this far behind will not catch up: close it so it reconnects and refetches,
    // instead of letting it silently miss events.
    if (result === 'dropped' || connection.socket.bufferedAmount() > this.slowConsumerBytes) {
      this.options.logger.warn('closing slow realtime consumer', { buffered: connection.socket.bufferedAmount() });
      this.closeWith(connection, CLOSE_CODES.slowConsumer, 'slow consumer');
    }
  }

  private closeWith(connection: Connection, code: number, reason: string): void {
    if (!connection.open) return;
    connection.open = false;
    connection.socket.close(code, reason);
    this.handleClose(connection.socket);
  }

  private addTo(index: Map<string, Set<Connection>>, key: string, connection: Connection): void {
    let set = index.get(key);
    if (!set) index.set(key, (set = new Set()));
    set.add(connection);
  }

  private removeFrom(index: Map<string, Set<Connection>>, key: string, connection: Connection): void {
    const set = index.get(key);
    if (!set) return;
    set.delete(connection);
    if (set.size === 0) index.delete(key);
  }
}
