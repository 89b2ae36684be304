// One live collaborative document: owns its Y.Doc, awareness, sessions and pending saves, and is
// driven only through handleOpen / handleMessage / handleClose (transport-free; see socket.ts).
import { randomUUID } from 'node:crypto';
// node:timers' own binding: test fake timers replace only the global one, and fan-out is no timer.
import { setImmediate as atTurnEnd } from 'node:timers';
import * as Y from 'yjs';
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import * as syncProtocol from 'y-protocols/sync';
import * as awarenessProtocol from 'y-protocols/awareness';
import type { Logger } from '../../platform/logger.ts';
import type { CollabUser, DocAccess, WriteRight } from './access.ts';
import { stampAwarenessUpdate } from './awareness-stamp.ts';
import type { DocKind } from './doc-names.ts';
import type { DocPersistence, PersistedOrigin, UpdateOrigin } from './persistence.ts';
import {
  COLLAB_CLOSE,
  CollabProtocolError,
  encodeAwarenessMessage,
  encodeSyncStep1,
  encodeSyncUpdate,
  encodeUpdateRefusal,
  MESSAGE_AWARENESS,
  MESSAGE_QUERY_AWARENESS,
  MESSAGE_SYNC,
} from './protocol.ts';
import { PUBLISH_CHECK_BYTES, type CollabSocket } from './socket.ts';
import { HeldUpdates, type HoldLimits } from './held-updates.ts';
import { checkUpdate, MalformedUpdateError, UNPLACEABLE_REASON, type NeededContent, type UpdateVerdict } from './update-policy.ts';

export interface RoomLimits extends HoldLimits {
  /** Larger frames close the session with 4413. */
  maxMessageBytes: number;
  /** Token bucket per session: sustained messages per second … */
  messagesPerSecond: number;
  /** … and the burst allowed above it. Beyond: close with 4429. */
  messageBurst: number;
}

export const DEFAULT_ROOM_LIMITS: RoomLimits = {
  maxMessageBytes: 1024 * 1024,
  messagesPerSecond: 200,
  messageBurst: 400,
  // Updates a reconnecting client types before its sync step 2 (held-updates.ts): a few seconds of typing.
  maxHeldUpdates: 128,
  maxHeldBytes: 1024 * 1024,
  holdMs: 10_000,
};

/** A signed-in user admitted to this document with the access resolved for it. */
export interface RoomSession {
  user: CollabUser;
  access: Extract<DocAccess, { allowed: true }>;
}

export interface DocRoomOptions {
  name: string;
  kind: DocKind;
  persistence: DocPersistence;
  logger: Logger;
  limits?: Partial<RoomLimits>;
  /** Monotonic milliseconds, for the flood limit (tests pass a fake clock). */
  now?: () => number;
  /** Called when the last session left (the registry then unloads the room). */
  onEmpty?: (room: DocRoom) => void;
  /** Called when a save failed: the room closed its sessions and must be dropped and reloaded. */
  onFailed?: (room: DocRoom) => void;
}

export class RoomClosedError extends Error {
  constructor(name: string) {
    super(`the room of ${name} is closed`);
    this.name = 'RoomClosedError';
  }
}

interface SessionState {
  socket: CollabSocket;
  user: CollabUser;
  write: WriteRight;
  awareness: boolean;
  /** The transaction origin of this session's updates (one object: its identity marks "from this session"). */
  origin: Extract<UpdateOrigin, { source: 'session' }>;
  clientIds: Set<number>;
  tokens: number;
  lastRefill: number;
  /** Reached through the room's transport topic (uWS publish) rather than one send per frame. */
  viaTopic: boolean;
  /** Its updates that wait for content the room does not have yet (see releaseHeld). */
  held: HeldUpdates;
}

/** What the room still has to hand to persistence: an update and its origin, in doc order. */
interface UnsavedUpdate {
  update: Uint8Array;
  origin: PersistedOrigin;
}

/** Queued fan-out beyond this many bytes is sent at once rather than at the turn's end. */
const FANOUT_MAX_BYTES = 256 * 1024;

/** Topic names only need to be unique per room instance (a reloaded room must not reach the old one's sockets). */
let roomSerial = 0;

type RoomState = 'loading' | 'ready' | 'failed' | 'destroyed';
const LOAD_ORIGIN: UpdateOrigin = { source: 'system', reason: 'load' };
/** Updates another hub node already persisted (hub/collab/relay): fanned out here, never saved again. */
const REPLICA_ORIGIN: UpdateOrigin = { source: 'system', reason: 'replica' };

export class DocRoom {
  readonly name: string;
  readonly kind: DocKind;
  readonly doc = new Y.Doc();
  readonly awareness: awarenessProtocol.Awareness;
  private state: RoomState = 'loading';
  private readonly sessions = new Map<CollabSocket, SessionState>();
  private readonly awarenessOwners = new Map<number, SessionState>();
  private readonly limits: RoomLimits;
  private readonly now: () => number;
  private readonly logger: Logger;
  private saving: Promise<void> = Promise.resolve();
  private pendingSaves = 0;
  /** Saves queued and finished since the room was created (savedSoFar() waits for the one against the other). */
  private queuedSaves = 0;
  private doneSaves = 0;
  /** Updates applied while a save was running: handed to persistence together when it ends. */
  private unsaved: UnsavedUpdate[] = [];
  private saveRunning = false;
  /** Fan-out: sessions reached through the transport topic, the others one send each; authors by origin. */
  private readonly topic = `collab-room/${++roomSerial}`;
  private readonly topicMembers = new Set<SessionState>();
  private readonly directMembers = new Set<SessionState>();
  private readonly authors = new Map<UpdateOrigin, SessionState>();
  private publishedSinceCheck = 0;
  /** Document updates applied in this loop turn, fanned out together at its end (see queueFanout). */
  private fanout: { update: Uint8Array; author: SessionState | undefined }[] = [];
  private fanoutBytes = 0;
  private fanoutScheduled = false;
  /** Server-side work holding the room loaded without a session (version save, restore, text read). */
  private holds = 0;
  /** Segment ids touched by the transaction being committed (transcripts only). */
  private touchedSegments = new Set<string>();
  private readonly disposers: (() => void)[] = [];
  /** Sessions with held updates, and whether releaseHeld is already running (it applies updates itself). */
  private readonly holding = new Set<SessionState>();
  private releasing = false;

  constructor(private readonly options: DocRoomOptions) {
    this.name = options.name;
    this.kind = options.kind;
    this.limits = { ...DEFAULT_ROOM_LIMITS, ...options.limits };
    this.now = options.now ?? (() => performance.now());
    this.logger = options.logger.child({ doc: options.name });
    this.awareness = new awarenessProtocol.Awareness(this.doc);
    // The server is not a participant: it has no awareness state of its own.
    this.awareness.setLocalState(null);

    const onUpdate = (update: Uint8Array, origin: unknown) => this.afterUpdate(update, origin);
    this.doc.on('update', onUpdate);
    this.disposers.push(() => this.doc.off('update', onUpdate));

    const onAwareness = ({ added, updated, removed }: { added: number[]; updated: number[]; removed: number[] }) => {
      const changed = [...added, ...updated, ...removed];
      if (changed.length === 0) return;
      // Cursors may point into text of this turn's updates: those go out first.
      this.flushFanout();
      this.broadcast(encodeAwarenessMessage(awarenessProtocol.encodeAwarenessUpdate(this.awareness, changed)));
    };
    this.awareness.on('update', onAwareness);
    this.disposers.push(() => this.awareness.off('update', onAwareness));

    if (this.kind === 'transcript') {
      const segments = this.doc.getArray<Y.Map<unknown>>('segments');
      const onSegments = (events: Y.YEvent<Y.AbstractType<unknown>>[]) => this.recordTouchedSegments(segments, events);
      segments.observeDeep(onSegments);
      this.disposers.push(() => segments.unobserveDeep(onSegments));
    }
  }

  get isReady(): boolean {
    return this.state === 'ready';
  }
  get isDestroyed(): boolean {
    return this.state === 'destroyed';
  }
  get sessionCount(): number {
    return this.sessions.size;
  }
  /** Sessions or server-side holds keep the room loaded; the registry unloads it only when this is false. */
  get inUse(): boolean {
    return this.sessions.size > 0 || this.holds > 0;
  }

  /** Keeps the room loaded for server-side work until the matching release(). */
  hold(): void {
    this.holds++;
  }

  /** Ends one hold; the last one out (no sessions either) lets the registry unload the room. */
  release(): void {
    if (this.holds === 0) return;
    this.holds--;
    if (!this.inUse && this.state !== 'destroyed') this.options.onEmpty?.(this);
  }

  /** Loads the stored state; throws (and the room must be destroyed, never saved) when that fails. */
  async load(): Promise<void> {
    if (this.state !== 'loading') throw new RoomClosedError(this.name);
    const stored = await this.options.persistence.load(this.name);
    if (this.state !== 'loading') throw new RoomClosedError(this.name);
    if (stored && stored.byteLength > 0) Y.applyUpdate(this.doc, stored, LOAD_ORIGIN);
    this.state = 'ready';
  }

  handleOpen(socket: CollabSocket, session: RoomSession): void {
    if (this.state !== 'ready') {
      if (socket.isOpen) socket.close(COLLAB_CLOSE.unavailable.code, COLLAB_CLOSE.unavailable.reason);
      return;
    }
    if (this.sessions.has(socket) || !socket.isOpen) return;
    const state: SessionState = {
      socket,
      user: session.user,
      write: session.access.write,
      awareness: session.access.awareness,
      origin: { source: 'session', sessionId: randomUUID(), userId: session.user.userId },
      clientIds: new Set(),
      tokens: this.limits.messageBurst,
      lastRefill: this.now(),
      viaTopic: false,
      held: new HeldUpdates(this.limits, (expired) => this.expireHeld(state, expired)),
    };
    this.sessions.set(socket, state);
    this.authors.set(state.origin, state);
    state.viaTopic = socket.subscribe?.(this.topic) === true && typeof socket.publish === 'function';
    (state.viaTopic ? this.topicMembers : this.directMembers).add(state);
    this.send(state, encodeSyncStep1((encoder) => syncProtocol.writeSyncStep1(encoder, this.doc)));
    const others = [...this.awareness.getStates().keys()];
    if (others.length > 0) this.send(state, encodeAwarenessMessage(awarenessProtocol.encodeAwarenessUpdate(this.awareness, others)));
  }

  handleMessage(socket: CollabSocket, bytes: Uint8Array): void {
    const session = this.sessions.get(socket);
    if (!session || this.state !== 'ready') return;
    if (bytes.byteLength > this.limits.maxMessageBytes) return this.closeSession(session, COLLAB_CLOSE.tooLarge);
    if (!this.takeToken(session)) return this.closeSession(session, COLLAB_CLOSE.flood);
    try {
      this.dispatch(session, bytes);
    } catch (error) {
      // Anything a frame makes us throw is that frame's fault: close its sender, the room carries on.
      if (!(error instanceof CollabProtocolError || error instanceof MalformedUpdateError)) {
        this.logger.debug('frame rejected', { error, userId: session.user.userId });
      }
      this.closeSession(session, COLLAB_CLOSE.protocolError);
    }
  }

  /** Keyed by socket identity: a late close of an old socket never touches a newer session of the same user. */
  handleClose(socket: CollabSocket): void {
    const session = this.sessions.get(socket);
    if (!session) return;
    this.sessions.delete(socket);
    // Never acknowledged to anyone: its client still has them and resends them when it resyncs.
    session.held.clear();
    this.holding.delete(session);
    this.authors.delete(session.origin);
    this.topicMembers.delete(session);
    this.directMembers.delete(session);
    const clientIds = [...session.clientIds];
    for (const clientId of clientIds) this.awarenessOwners.delete(clientId);
    if (clientIds.length > 0 && this.state !== 'destroyed') {
      awarenessProtocol.removeAwarenessStates(this.awareness, clientIds, session.origin);
    }
    if (!this.inUse) this.options.onEmpty?.(this);
  }

  /** A server-side change (ASR segments, version restore): applied, broadcast and persisted like any other. */
  applySystemUpdate(change: (doc: Y.Doc) => void, origin: Exclude<UpdateOrigin, { source: 'session' }>): void {
    if (this.state !== 'ready') throw new RoomClosedError(this.name);
    this.doc.transact(() => change(this.doc), origin);
    this.releaseHeld();
  }

  /**
   * Cross-node relay (hub/collab/relay): an update the document's owner node already persisted (its
   * broadcast, or the stored state merged in at a takeover). Sent to every session, not saved here.
   */
  applyReplicatedUpdate(update: Uint8Array): void {
    if (this.state === 'failed' || this.state === 'destroyed') throw new RoomClosedError(this.name);
    Y.applyUpdate(this.doc, update, REPLICA_ORIGIN);
    this.releaseHeld();
  }

  /** Cross-node relay: on the owner node, an update a relay node accepted from one of its sessions. Sent and saved like a local one. */
  applyForwardedUpdate(update: Uint8Array, origin: UpdateOrigin): void {
    if (this.state !== 'ready') throw new RoomClosedError(this.name);
    Y.applyUpdate(this.doc, update, origin);
    this.releaseHeld();
  }

  /**
   * Resolves once the saves queued so far are done (durable, or the room failed: check isReady), without
   * waiting for later ones as flush() does — a relay's acknowledgement must not starve under load.
   */
  async savedSoFar(): Promise<void> {
    const target = this.queuedSaves;
    while (this.doneSaves < target) {
      // Someone waits (like flush): the store must not sit out its batching window.
      this.options.persistence.commitNow?.();
      await this.saving;
    }
  }

  /** Resolves when every save queued so far is durable (or failed). */
  async flush(): Promise<void> {
    while (this.pendingSaves > 0) {
      this.options.persistence.commitNow?.();
      await this.saving;
    }
  }

  /** Closes every session with the given code (e.g. shutdown). */
  closeAllSessions(close: { code: number; reason: string }): void {
    for (const session of [...this.sessions.values()]) this.closeSession(session, close);
  }

  /** Idempotent: closes sessions, stops awareness timers, frees the document. Never saves. */
  destroy(): void {
    if (this.state === 'destroyed') return;
    this.state = 'destroyed';
    for (const session of this.sessions.values()) {
      if (session.socket.isOpen) session.socket.close(COLLAB_CLOSE.unavailable.code, COLLAB_CLOSE.unavailable.reason);
    }
    for (const session of this.holding) session.held.clear();
    this.holding.clear();
    this.sessions.clear();
    this.authors.clear();
    this.topicMembers.clear();
    this.directMembers.clear();
    this.awarenessOwners.clear();
    for (const dispose of this.disposers.splice(0)) dispose();
    this.awareness.destroy();
    this.doc.destroy();
  }

  private dispatch(session: SessionState, bytes: Uint8Array): void {
    const decoder = decoding.createDecoder(bytes);
    const messageType = decoding.readVarUint(decoder);
    switch (messageType) {
      case MESSAGE_SYNC: {
        const syncType = decoding.readVarUint(decoder);
        if (syncType === syncProtocol.messageYjsSyncStep1) {
          const stateVector = decoding.readVarUint8Array(decoder);
          const encoder = encoding.createEncoder();
          encoding.writeVarUint(encoder, MESSAGE_SYNC);
          try {
            syncProtocol.writeSyncStep2(encoder, this.doc, stateVector);
          } catch (error) {
            throw new CollabProtocolError('malformed state vector', { cause: error });
          }
          this.send(session, encoding.toUint8Array(encoder));
        } else if (syncType === syncProtocol.messageYjsSyncStep2 || syncType === syncProtocol.messageYjsUpdate) {
          this.applySessionUpdate(session, decoding.readVarUint8Array(decoder));
        } else {
          throw new CollabProtocolError(`unknown sync message ${syncType}`);
        }
        return;
      }
      case MESSAGE_AWARENESS: {
        const update = decoding.readVarUint8Array(decoder);
        // Read-only observers spread no presence at all.
        if (!session.awareness) return;
        this.applySessionAwareness(session, update);
        return;
      }
      case MESSAGE_QUERY_AWARENESS: {
        const clients = [...this.awareness.getStates().keys()];
        this.send(session, encodeAwarenessMessage(awarenessProtocol.encodeAwarenessUpdate(this.awareness, clients)));
        return;
      }
      default:
        throw new CollabProtocolError(`unknown message type ${messageType}`);
    }
  }

  private applySessionUpdate(session: SessionState, update: Uint8Array): void {
    const verdict = this.checkSessionUpdate(session, update);
    if (verdict.ok) {
      Y.applyUpdate(this.doc, update, session.origin);
      // Typically the session's sync step 2, carrying what its held updates were waiting for.
      this.releaseHeld();
    } else if (verdict.missing && session.write !== 'none') {
      // (A read-only session's own content could never pass: nothing to wait for.)
      this.holdUpdate(session, update, verdict.needs);
    } else {
      this.refuseUpdate(session, verdict.reason);
    }
  }

  private checkSessionUpdate(session: SessionState, update: Uint8Array): UpdateVerdict {
    return checkUpdate({ doc: this.doc, kind: this.kind, write: session.write, user: session.user }, update);
  }

  private refuseUpdate(session: SessionState, reason: string): void {
    this.logger.info('update refused', { userId: session.user.userId, reason });
    this.send(session, encodeUpdateRefusal(reason));
  }

  /**
   * An update built on content the room lacks (a client typing while it reconnects sends it before its
   * sync step 2 resends the rest): held rather than refused, which would leave the client diverged.
   * Over the hold limits the session is closed instead: its client reconnects and resyncs everything.
   */
  private holdUpdate(session: SessionState, update: Uint8Array, needs: NeededContent): void {
    if (!session.held.hold(update, needs)) {
      this.logger.info('too many held updates; closing the session', { userId: session.user.userId, held: session.held.size });
      this.closeSession(session, COLLAB_CLOSE.tooManyHeld);
      return;
    }
    this.holding.add(session);
  }

  /**
   * After every update the room applies: each held update that can now be placed goes through the
   * policy and the normal apply (broadcast, persist) path, oldest first, with its session's origin; a
   * forbidden one is refused. Rounds repeat while any settles, since one may unblock another.
   */
  private releaseHeld(): void {
    if (this.holding.size === 0 || this.releasing || this.state !== 'ready') return;
    this.releasing = true;
    // Cheap, so every held update can be looked at after every applied one; checkUpdate runs only when it may pass.
    const has = (needs: NeededContent) => Y.getState(this.doc.store, needs.client) > needs.clock;
    try {
      let settledAny = true;
      while (settledAny && this.holding.size > 0 && this.state === 'ready') {
        settledAny = false;
        for (const session of [...this.holding]) {
          if (session.held.settleEach(has, (update) => this.settleHeld(session, update))) settledAny = true;
          if (session.held.size === 0 || !this.sessions.has(session.socket)) this.holding.delete(session);
        }
      }
    } finally {
      this.releasing = false;
    }
  }

  /** One held update: what it still needs to keep waiting, or null once applied, refused, or moot (session or room gone). */
  private settleHeld(session: SessionState, update: Uint8Array): NeededContent | null {
    if (!this.sessions.has(session.socket) || this.state !== 'ready') return null;
    try {
      const verdict = this.checkSessionUpdate(session, update);
      if (verdict.ok) Y.applyUpdate(this.doc, update, session.origin);
      else if (verdict.missing) return verdict.needs;
      else this.refuseUpdate(session, verdict.reason);
    } catch (error) {
      // It decoded when it arrived; still, a failure here is this session's update's fault, not the caller's.
      this.logger.debug('held update rejected', { error, userId: session.user.userId });
      this.closeSession(session, COLLAB_CLOSE.protocolError);
    }
    return null;
  }

  /** Held for holdMs and still not placeable: the content it needs is not coming; refused as before. */
  private expireHeld(session: SessionState, expired: Uint8Array[]): void {
    this.holding.delete(session);
    if (expired.length === 0 || !this.sessions.has(session.socket) || this.state !== 'ready') return;
    // One notice for the lot: the client has diverged either way (README: it must reload its document).
    this.refuseUpdate(session, UNPLACEABLE_REASON);
  }

  private applySessionAwareness(session: SessionState, update: Uint8Array): void {
    const stamped = stampAwarenessUpdate(
      update,
      { id: session.user.userId, name: session.user.displayName, role: session.user.role },
      (clientId) => {
        const owner = this.awarenessOwners.get(clientId);
        return (owner === undefined || owner === session) && clientId !== this.doc.clientID;
      },
    );
    for (const clientId of stamped.clientIds) {
      this.awarenessOwners.set(clientId, session);
      session.clientIds.add(clientId);
    }
    if (stamped.update) awarenessProtocol.applyAwarenessUpdate(this.awareness, stamped.update, session.origin);
  }

  /** Broadcast to everyone but the author, then queue the durable append. */
  private afterUpdate(update: Uint8Array, origin: unknown): void {
    let segmentIds: string[] | null = null;
    if (this.touchedSegments.size > 0) {
      segmentIds = [...this.touchedSegments];
      this.touchedSegments = new Set();
    }
    if (this.state !== 'ready' || origin === LOAD_ORIGIN) return;
    this.queueFanout(update, this.authors.get(origin as UpdateOrigin));
    if (origin === REPLICA_ORIGIN) return;
    const typed = isUpdateOrigin(origin) ? origin : ({ source: 'system', reason: 'unattributed' } as const);
    this.persist(update, segmentIds ? { ...typed, segmentIds } : { ...typed });
  }

  /**
   * Natural batching: the updates applied during one event-loop turn (uWS hands over every frame that
   * arrived in one poll) go out as one merged update at the turn's end (setImmediate runs right after the
   * poll phase, so an update waits for nothing but the rest of its turn). A quiet room sends each update
   * alone, as before; a busy one sends one frame per turn instead of one per update — fewer frames for the
   * kernel and for every client to handle, which is what sets a busy room's ceiling.
   */
  private queueFanout(update: Uint8Array, author: SessionState | undefined): void {
    this.fanout.push({ update, author });
    this.fanoutBytes += update.byteLength;
    // A turn that brought a lot goes out at once: merging has its cost, and the frame its limit.
    if (this.fanoutBytes >= FANOUT_MAX_BYTES) return this.flushFanout();
    if (this.fanoutScheduled) return;
    this.fanoutScheduled = true;
    atTurnEnd(() => {
      this.fanoutScheduled = false;
      this.flushFanout();
    });
  }

  private flushFanout(): void {
    if (this.fanout.length === 0) return;
    const queued = this.fanout;
    this.fanout = [];
    this.fanoutBytes = 0;
    if (this.state !== 'ready') return;
    // An author who left meanwhile is no publisher (its socket is closed): fan out as for a server change.
    const present = (author: SessionState | undefined) => (author && this.sessions.get(author.socket) === author ? author : undefined);
    if (queued.length === 1) return this.broadcast(encodeSyncUpdate(queued[0]!.update), present(queued[0]!.author));
    const author = present(queued[0]!.author);
    const oneAuthor = author !== undefined && queued.every((entry) => entry.author === author);
    // Several authors: each also gets its own changes back, which Yjs applies as a no-op (y-websocket's
    // own server always echoes); leaving them out would cost one merge per author.
    this.broadcast(encodeSyncUpdate(Y.mergeUpdates(queued.map((entry) => entry.update))), oneAuthor ? author : undefined);
  }

  /**
   * The room's one fan-out path (document updates, awareness): every session but `except` gets the frame.
   * Topic members are reached by one native publish (through the author, whom uWS skips, or through any
   * member plus a direct send to it); the rest get one send each. Slow consumers are checked at least
   * every PUBLISH_CHECK_BYTES published (see socket.ts), so the transport never has to drop a frame.
   */
  private broadcast(message: Uint8Array, except?: SessionState): void {
    if (this.topicMembers.size > 0) {
      if (this.publishedSinceCheck + message.byteLength > PUBLISH_CHECK_BYTES) this.closeSlowTopicMembers();
      const publisher = except?.viaTopic ? except : this.firstTopicMember();
      if (publisher) {
        publisher.socket.publish!(this.topic, message);
        if (publisher !== except) this.send(publisher, message);
        this.publishedSinceCheck += message.byteLength;
      }
    }
    for (const session of this.directMembers) {
      if (session !== except) this.send(session, message);
    }
  }

  private firstTopicMember(): SessionState | undefined {
    for (const session of this.topicMembers) return session;
    return undefined;
  }

  private closeSlowTopicMembers(): void {
    this.publishedSinceCheck = 0;
    for (const session of [...this.topicMembers]) {
      // closeIfSlow ends the socket; its close handler takes the session out of the room.
      if (session.socket.closeIfSlow?.()) this.handleClose(session.socket);
    }
  }

  /**
   * Durable append in doc order. One save runs at a time; updates applied meanwhile are handed to
   * persistence together when it ends (the store commits such a group in one transaction), so a busy
   * room costs one commit per group, not one per update. An update counts as saved (flush, acknowledged)
   * only once its own append resolved.
   */
  private persist(update: Uint8Array, origin: PersistedOrigin): void {
    this.pendingSaves++;
    this.queuedSaves++;
    this.unsaved.push({ update, origin });
    if (!this.saveRunning) this.saveUnsaved();
  }

  private saveUnsaved(): void {
    const batch = this.unsaved;
    this.unsaved = [];
    this.saveRunning = true;
    this.saving = (async () => {
      try {
        // After a failed save nothing more is written: a gap would make later updates unreadable.
        if (this.state === 'failed') return;
        // Called together, in order, before any resolves: the store queues them as one group (persistence.ts).
        const results = await Promise.allSettled(batch.map((entry) => this.options.persistence.append(this.name, entry.update, entry.origin)));
        const failed = results.find((result): result is PromiseRejectedResult => result.status === 'rejected');
        if (failed) this.fail(failed.reason);
      } finally {
        this.pendingSaves -= batch.length;
        this.doneSaves += batch.length;
        this.saveRunning = false;
        if (this.unsaved.length > 0) this.saveUnsaved();
      }
    })();
  }

  /** A save failed: the clients still hold their edits, so close them; they resend on reconnect to a reloaded room. */
  private fail(error: unknown): void {
    if (this.state !== 'ready') return;
    this.logger.error('saving a document update failed; closing the room', { error });
    this.state = 'failed';
    this.closeAllSessions(COLLAB_CLOSE.unavailable);
    this.options.onFailed?.(this);
  }

  private recordTouchedSegments(segments: Y.Array<Y.Map<unknown>>, events: Y.YEvent<Y.AbstractType<unknown>>[]): void {
    for (const event of events) {
      if (event.target === segments) {
        for (const item of [...event.changes.added, ...event.changes.deleted]) {
          const id = segmentIdOfItem(item);
          if (id) this.touchedSegments.add(id);
        }
        continue;
      }
      // Walk up from the changed type to the segment map directly inside `segments`.
      let type: Y.AbstractType<unknown> | null = event.target;
      while (type?._item && type._item.parent !== segments) type = type._item.parent as Y.AbstractType<unknown> | null;
      if (type instanceof Y.Map) {
        const id = readMapEntry(type, 'id');
        if (typeof id === 'string') this.touchedSegments.add(id);
      }
    }
  }

  private takeToken(session: SessionState): boolean {
    const now = this.now();
    const refill = ((now - session.lastRefill) * this.limits.messagesPerSecond) / 1000;
    session.tokens = Math.min(this.limits.messageBurst, session.tokens + refill);
    session.lastRefill = now;
    if (session.tokens < 1) return false;
    session.tokens -= 1;
    return true;
  }

  private closeSession(session: SessionState, close: { code: number; reason: string }): void {
    if (session.socket.isOpen) session.socket.close(close.code, close.reason);
    this.handleClose(session.socket);
  }

  private send(session: SessionState, bytes: Uint8Array): void {
    if (session.socket.isOpen) session.socket.send(bytes);
  }
}

function isUpdateOrigin(origin: unknown): origin is UpdateOrigin {
  const source = (origin as { source?: unknown } | null)?.source;
  return source === 'session' || source === 'asr' || source === 'system';
}

/** A map entry read from its item even when the map was just deleted (observers run before GC). */
function readMapEntry(map: Y.Map<unknown>, key: string): unknown {
  const item = map._map.get(key);
  return item ? item.content.getContent()[0] : undefined;
}

function segmentIdOfItem(item: Y.Item): string | null {
  if (!(item.content instanceof Y.ContentType) || !(item.content.type instanceof Y.Map)) return null;
  const id = readMapEntry(item.content.type as Y.Map<unknown>, 'id');
  return typeof id === 'string' ? id : null;
}
