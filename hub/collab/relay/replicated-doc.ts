// One document's room seen from NATS. It is the room's persistence: on the owner node (it holds the
// document's lease) appends go to the store, and it serves the relays' sync and append requests and
// publishes every applied update; on any other node (a relay) the room loads from the owner and
// forwards each accepted update to it, done once the owner persisted it. A relay whose owner stops
// answering takes the lease when it expires, merges the stored state into its replica, saves what
// the store lacked, and carries on as the owner with its sessions still connected.
import * as Y from 'yjs';
import type { Msg, NatsConnection, Subscription } from '@nats-io/transport-node';
import type { Logger } from '../../../platform/logger.ts';
import type { DocRoom } from '../doc-room.ts';
import type { DocPersistence, PersistedOrigin, UpdateOrigin } from '../persistence.ts';
import { COLLAB_CLOSE } from '../protocol.ts';
import type { DocOwnership } from './doc-ownership.ts';
import {
  decodeAppendReply,
  decodeAppendRequest,
  decodeSyncReply,
  decodeSyncRequest,
  decodeUpdateBroadcast,
  encodeAppendReply,
  encodeAppendRequest,
  encodeSyncReply,
  encodeSyncRequest,
  encodeUpdateBroadcast,
  REPLY,
} from './relay-protocol.ts';
import { relaySubjects, type RelaySubjects } from './relay-subjects.ts';
import { AwarenessRelay } from './awareness-relay.ts';

export interface ReplicatedDocOptions {
  name: string;
  connection: NatsConnection;
  namespace: string;
  ownership: DocOwnership;
  /** The store (used while this node owns the document). */
  store: DocPersistence;
  logger: Logger;
  /** How long a request to the owner may take before the owner counts as unreachable. */
  requestTimeoutMs: number;
  /** Most append requests the owner handles at once for this document; beyond, it answers "not owner" and the relay retries. */
  maxInFlightAppends?: number;
}

/** The owner could not be reached or refused, and this node could not take the document over in time. */
export class OwnerUnavailableError extends Error {
  constructor(name: string, options?: { cause?: unknown }) {
    super(`the owner of ${name} is unavailable`, options);
    this.name = 'OwnerUnavailableError';
  }
}

type Mode = 'resolving' | 'owner' | 'relay' | 'lost' | 'closed';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export class ReplicatedDoc implements DocPersistence {
  private mode: Mode = 'resolving';
  private room: DocRoom | null = null;
  private readonly subjects: RelaySubjects;
  private readonly logger: Logger;
  private readonly shared: Subscription[] = [];
  private serving: Subscription[] = [];
  private awareness: AwarenessRelay | null = null;
  private readonly disposers: (() => void)[] = [];
  private inFlightAppends = 0;
  private resyncTimer: NodeJS.Timeout | undefined;
  private takeover: Promise<boolean> | null = null;

  constructor(private readonly options: ReplicatedDocOptions) {
    this.subjects = relaySubjects(options.namespace, options.name);
    this.logger = options.logger.child({ doc: options.name });
  }

  get isOwner(): boolean {
    return this.mode === 'owner';
  }

  /** Read through a method: the mode changes across awaits, which TypeScript's narrowing does not see. */
  private isClosed(): boolean {
    return this.mode === 'closed';
  }

  /** Called by the registry right after creating the room, before its load. */
  attach(room: DocRoom): void {
    this.room = room;
    const onUpdate = (update: Uint8Array) => {
      // The owner tells the relays about every update its room applied (sessions, forwarded, system).
      if (this.mode === 'owner' && room.isReady) this.publish(this.subjects.updates, encodeUpdateBroadcast(update));
    };
    room.doc.on('update', onUpdate);
    this.disposers.push(() => room.doc.off('update', onUpdate));
    room.doc.once('destroy', () => void this.close());
  }

  /** Decides who owns the document: claims it (then loads from the store) or syncs from the owner. */
  async load(docName: string): Promise<Uint8Array | null> {
    this.subscribeShared();
    const deadline = Date.now() + this.options.ownership.ttlMs * 3 + this.options.requestTimeoutMs;
    for (let attempt = 0; ; attempt++) {
      if (this.mode === 'closed') throw new OwnerUnavailableError(docName);
      if (await this.options.ownership.claim(docName, (reason) => this.leaseLost(reason))) {
        // The room was destroyed while we claimed (shutdown): give the lease straight back.
        if (this.isClosed()) {
          await this.options.ownership.release(docName);
          throw new OwnerUnavailableError(docName);
        }
        this.mode = 'owner';
        const stored = await this.options.store.load(docName);
        this.serve();
        this.awareness?.query();
        return stored;
      }
      // A relay reads what is stored itself (the bulk, never through NATS and its message size limit) and asks
      // the owner only for the rest: what it applied but has not stored yet.
      const stored = await this.options.store.load(docName);
      const synced = await this.syncFromOwner(stored ? Y.encodeStateVectorFromUpdate(stored) : new Uint8Array([0])).catch(() => null);
      if (synced) {
        this.mode = 'relay';
        this.awareness?.query();
        return stored ? Y.mergeUpdates([stored, synced.diff]) : synced.diff;
      }
      // The lease names a node that does not answer (dying, or still loading): wait for it or its lease's end.
      if (Date.now() > deadline) throw new OwnerUnavailableError(docName);
      await sleep(Math.min(50 * 2 ** attempt, this.options.ownership.ttlMs / 4));
    }
  }

  /** The room's saves: to the store on the owner, to the owner (acknowledged once it persisted) on a relay. */
  async append(docName: string, update: Uint8Array, origin: PersistedOrigin): Promise<void> {
    if (this.mode === 'owner') return this.options.store.append(docName, update, origin);
    if (this.mode !== 'relay') throw new OwnerUnavailableError(docName);
    await this.forward(update, withoutSegments(origin));
  }

  /** Someone waits on the room's flush: on the owner, the store commits its queue now. */
  commitNow(): void {
    if (this.mode === 'owner') this.options.store.commitNow?.();
  }

  private async forward(update: Uint8Array, origin: UpdateOrigin): Promise<void> {
    const { name, ownership } = this.options;
    const deadline = Date.now() + ownership.ttlMs * 3 + this.options.requestTimeoutMs;
    let lastError: unknown;
    let resent = false;
    for (let attempt = 0; ; attempt++) {
      // A takeover started by another save of this room: this update is in the replica it stores.
      if (this.takeover && (await this.takeover.catch(() => false))) return;
      if (this.mode === 'owner') return this.options.store.append(name, update, origin);
      if (this.mode !== 'relay') throw new OwnerUnavailableError(name);
      try {
        const reply = decodeAppendReply(await this.request(this.subjects.append, encodeAppendRequest(update, origin)));
        if (reply.status === REPLY.ok) return;
        if (reply.status === REPLY.failed) throw new OwnerUnavailableError(name);
        if (reply.status === REPLY.incomplete && this.room) {
          // Everything we hold was sent and the owner still misses a dependency: nobody has it; nothing more to do.
          if (resent) {
            this.logger.warn('the owner lacks content no relay holds');
            return;
          }
          // The owner lacks what this update builds on (it took over from a node we heard more of): send all it lacks.
          update = Y.encodeStateAsUpdate(this.room.doc, reply.stateVector);
          origin = { source: 'system', reason: 'relay-resync' };
          resent = true;
          continue;
        }
        lastError = new Error('not the owner');
      } catch (error) {
        if (error instanceof OwnerUnavailableError) throw error;
        lastError = error;
      }
      // No owner answered: take the document over if its lease is free (the update is in our replica, so saved with it).
      if (await this.takeOver()) return;
      if (Date.now() > deadline) throw new OwnerUnavailableError(name, { cause: lastError });
      await sleep(Math.min(50 * 2 ** attempt, ownership.ttlMs / 4));
    }
  }

  /** One takeover attempt at a time (a room hands several saves over at once). */
  private takeOver(): Promise<boolean> {
    this.takeover ??= this.runTakeOver().finally(() => {
      this.takeover = null;
    });
    return this.takeover;
  }

  /** Claims the lease if it is free; then stored state + replica become the document, and this node its owner. */
  private async runTakeOver(): Promise<boolean> {
    const { name, ownership, store } = this.options;
    const room = this.room;
    if (!room || this.mode !== 'relay') return this.mode === 'owner';
    // NATS itself unreachable counts as "not now": the caller retries until its deadline.
    const claimed = await ownership.claim(name, (reason) => this.leaseLost(reason)).catch((error: unknown) => {
      this.logger.debug('document lease claim failed', { error });
      return false;
    });
    if (!claimed) return false;
    if (this.mode !== 'relay' || room.isDestroyed) {
      await ownership.release(name);
      return false;
    }
    try {
      const stored = await store.load(name);
      if (stored) {
        // What the old owner stored but never told us reaches our sessions and the other relays (not saved twice) …
        const lacked = Y.diffUpdate(stored, Y.encodeStateVector(room.doc));
        room.applyReplicatedUpdate(stored);
        if (hasContent(lacked)) this.publish(this.subjects.updates, encodeUpdateBroadcast(lacked));
      }
      // … and what only our replica holds (never acknowledged by the old owner) is saved now.
      const missing = Y.encodeStateAsUpdate(room.doc, stored ? Y.encodeStateVectorFromUpdate(stored) : undefined);
      if (hasContent(missing)) {
        const saved = store.append(name, missing, { source: 'system', reason: 'takeover' });
        // Sessions' saves wait on this one: no batching window.
        store.commitNow?.();
        await saved;
        this.publish(this.subjects.updates, encodeUpdateBroadcast(missing));
      }
    } catch (error) {
      this.logger.error('taking a document over failed', { error });
      this.mode = 'lost';
      await ownership.release(name);
      throw new OwnerUnavailableError(name, { cause: error });
    }
    // Destroyed meanwhile (its close() saw a relay): the lease is not needed.
    if (this.mode !== 'relay') {
      await ownership.release(name);
      return false;
    }
    this.mode = 'owner';
    this.serve();
    this.logger.info('document taken over', { node: ownership.nodeId });
    return true;
  }

  private async syncFromOwner(stateVector: Uint8Array): Promise<{ diff: Uint8Array; stateVector: Uint8Array } | null> {
    const reply = decodeSyncReply(await this.request(this.subjects.sync, encodeSyncRequest(stateVector)));
    return reply.status === REPLY.ok ? reply : null;
  }

  private request(subject: string, data: Uint8Array): Promise<Uint8Array> {
    return this.options.connection.request(subject, data, { timeout: this.options.requestTimeoutMs }).then((msg) => msg.data);
  }

  private publish(subject: string, data: Uint8Array): void {
    try {
      this.options.connection.publish(subject, data);
    } catch (error) {
      // A closed connection: the relays resync from whoever owns the document next.
      this.logger.warn('relay publish failed', { subject, error });
    }
  }

  /** Broadcast updates and awareness: every node, owner or relay, listens while the room is loaded. */
  private subscribeShared(): void {
    if (this.shared.length > 0) return;
    const { connection } = this.options;
    this.shared.push(
      connection.subscribe(this.subjects.updates, { callback: (error, msg) => void (error || this.onBroadcast(msg)) }),
    );
    if (this.room) {
      const awareness = new AwarenessRelay(this.room, connection, this.subjects.awareness, this.options.ownership.nodeId, this.logger);
      this.awareness = awareness;
      this.disposers.push(() => awareness.close());
    }
  }

  /** The owner's request handlers. */
  private serve(): void {
    if (this.serving.length > 0 || this.mode !== 'owner') return;
    const { connection } = this.options;
    this.serving = [
      connection.subscribe(this.subjects.sync, { callback: (error, msg) => void (error || this.onSyncRequest(msg)) }),
      connection.subscribe(this.subjects.append, { callback: (error, msg) => void (error || this.onAppendRequest(msg)) }),
    ];
  }

  private stopServing(): void {
    for (const subscription of this.serving.splice(0)) subscription.unsubscribe();
  }

  private onBroadcast(msg: Msg): void {
    const room = this.room;
    if (this.mode === 'owner' || this.mode === 'closed' || !room || room.isDestroyed) return;
    try {
      room.applyReplicatedUpdate(decodeUpdateBroadcast(msg.data));
    } catch (error) {
      this.logger.warn('an owner broadcast could not be applied', { error });
      return;
    }
    // A broadcast was missed (core NATS drops under overload): fetch what is missing from the owner.
    if (room.doc.store.pendingStructs || room.doc.store.pendingDs) this.scheduleResync();
  }

  private scheduleResync(): void {
    if (this.resyncTimer) return;
    this.resyncTimer = setTimeout(() => {
      this.resyncTimer = undefined;
      const room = this.room;
      if (this.mode !== 'relay' || !room || room.isDestroyed) return;
      this.syncFromOwner(Y.encodeStateVector(room.doc))
        .then((reply) => reply && !room.isDestroyed && room.applyReplicatedUpdate(reply.diff))
        .catch((error: unknown) => this.logger.debug('relay resync failed', { error }));
    }, 50);
  }

  private onSyncRequest(msg: Msg): void {
    const room = this.room;
    if (this.mode !== 'owner' || !room?.isReady) return void msg.respond(encodeSyncReply({ status: REPLY.notOwner }));
    try {
      const diff = Y.encodeStateAsUpdate(room.doc, decodeSyncRequest(msg.data));
      msg.respond(encodeSyncReply({ status: REPLY.ok, diff, stateVector: Y.encodeStateVector(room.doc) }));
    } catch (error) {
      this.logger.warn('malformed sync request', { error });
      msg.respond(encodeSyncReply({ status: REPLY.failed }));
    }
  }

  private async onAppendRequest(msg: Msg): Promise<void> {
    const room = this.room;
    const limit = this.options.maxInFlightAppends ?? 1000;
    if (this.mode !== 'owner' || !room?.isReady || this.inFlightAppends >= limit) {
      return void msg.respond(encodeAppendReply({ status: REPLY.notOwner }));
    }
    this.inFlightAppends++;
    try {
      const { update, origin } = decodeAppendRequest(msg.data);
      room.applyForwardedUpdate(update, origin);
      await room.savedSoFar();
      // Acknowledged only when persisted. A room that failed or unloaded meanwhile may not have saved it:
      // "not owner" makes the relay retry, or take the document over (storage + its replica) — nothing lost.
      if (!room.isReady || this.mode !== 'owner') return void msg.respond(encodeAppendReply({ status: REPLY.notOwner }));
      const incomplete = room.doc.store.pendingStructs !== null || room.doc.store.pendingDs !== null;
      msg.respond(incomplete ? encodeAppendReply({ status: REPLY.incomplete, stateVector: Y.encodeStateVector(room.doc) }) : encodeAppendReply({ status: REPLY.ok }));
    } catch (error) {
      this.logger.warn('a forwarded update was refused', { error });
      msg.respond(encodeAppendReply({ status: REPLY.failed }));
    } finally {
      this.inFlightAppends--;
    }
  }

  /** The lease was lost while we owned the document: stop writing; the sessions reconnect to the new owner. */
  private leaseLost(reason: string): void {
    if (this.mode !== 'owner') return;
    this.mode = 'lost';
    this.stopServing();
    this.logger.warn('document ownership lost; closing its sessions', { reason });
    this.room?.closeAllSessions(COLLAB_CLOSE.unavailable);
  }

  /** The room was destroyed: unsubscribe and give the lease back. */
  private async close(): Promise<void> {
    const wasOwner = this.mode === 'owner';
    this.mode = 'closed';
    clearTimeout(this.resyncTimer);
    this.stopServing();
    for (const subscription of this.shared.splice(0)) subscription.unsubscribe();
    for (const dispose of this.disposers.splice(0)) dispose();
    this.room = null;
    if (wasOwner) await this.options.ownership.release(this.options.name);
  }
}

function withoutSegments(origin: PersistedOrigin): UpdateOrigin {
  const { segmentIds: _segmentIds, ...rest } = origin;
  return rest as UpdateOrigin;
}

function hasContent(update: Uint8Array): boolean {
  const { structs, ds } = Y.decodeUpdate(update);
  return structs.length > 0 || ds.clients.size > 0;
}
