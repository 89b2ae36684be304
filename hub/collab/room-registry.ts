// The live rooms of this process: one per document, loaded once (single flight), dropped when a load
// fails (never saved), unloaded after the last session leaves (re-checked after every await).
import type { Logger } from '../../platform/logger.ts';
import { DocRoom, type RoomLimits } from './doc-room.ts';
import type { DocKind } from './doc-names.ts';
import { COLLAB_CLOSE } from './protocol.ts';
import type { DocPersistence } from './persistence.ts';

/**
 * Across hub nodes (hub/collab/relay): for each room loaded, the persistence it uses (the store on the
 * document's owner node, a forwarder to the owner elsewhere), attached to the room before its load.
 */
export interface RoomReplication {
  open(name: string, kind: DocKind): { persistence: DocPersistence; attach(room: DocRoom): void };
}

export interface RoomRegistryOptions {
  persistence: DocPersistence;
  logger: Logger;
  limits?: Partial<RoomLimits>;
  now?: () => number;
  /** Absent in embedded mode: this process is the only one serving documents. */
  replication?: RoomReplication;
}

export class RoomLoadError extends Error {
  constructor(name: string, options?: { cause?: unknown }) {
    super(`the document ${name} could not be loaded`, options);
    this.name = 'RoomLoadError';
  }
}

export class RegistryClosedError extends Error {
  constructor() {
    super('the collaborative hub is shutting down');
    this.name = 'RegistryClosedError';
  }
}

export class RoomRegistry {
  private readonly rooms = new Map<string, Promise<DocRoom>>();
  private closed = false;

  constructor(private readonly options: RoomRegistryOptions) {}

  get size(): number {
    return this.rooms.size;
  }

  /**
   * The ready room of a document, loading it if needed. `enter` runs synchronously once the room is
   * ready (typically `room.handleOpen(...)`), so no unload can slip in between.
   */
  async acquire(name: string, kind: DocKind, enter: (room: DocRoom) => void = () => undefined): Promise<DocRoom> {
    for (;;) {
      if (this.closed) throw new RegistryClosedError();
      let pending = this.rooms.get(name);
      if (!pending) {
        pending = this.load(name, kind);
        this.rooms.set(name, pending);
      }
      const room = await pending;
      // Unloaded or failed while we waited: go round and load afresh.
      if (room.isReady) {
        enter(room);
        // Nobody stayed (the socket closed while the room loaded): unload as if the last one left.
        if (!room.inUse) void this.unloadIfEmpty(name, room);
        return room;
      }
      if (this.rooms.get(name) === pending) this.rooms.delete(name);
    }
  }

  /**
   * Runs server-side work on a document's live room (loading it if needed) and keeps the room loaded
   * until the work is done, so edits made meanwhile by sessions and by `work` itself land in the same
   * Y.Doc; its saves are flushed before this resolves. Unloads afterwards when nobody else is in it.
   */
  async withRoom<T>(name: string, kind: DocKind, work: (room: DocRoom) => T | Promise<T>): Promise<T> {
    const room = await this.acquire(name, kind, (ready) => ready.hold());
    try {
      const result = await work(room);
      await room.flush();
      return result;
    } finally {
      room.release();
    }
  }

  /** Waits for the pending saves of a document's room, if it is loaded (so storage reads see them). */
  async flushIfLoaded(name: string): Promise<void> {
    const pending = this.rooms.get(name);
    const room = pending ? await pending.catch(() => null) : null;
    if (room) await room.flush();
  }

  /** Flushes and destroys every room; sessions are closed with 1001 (shutdown). */
  async closeAll(): Promise<void> {
    this.closed = true;
    const pending = [...this.rooms.values()];
    this.rooms.clear();
    await Promise.all(
      pending.map(async (loading) => {
        const room = await loading.catch(() => null);
        if (!room) return;
        room.closeAllSessions(COLLAB_CLOSE.shutdown);
        await room.flush();
        room.destroy();
      }),
    );
  }

  private load(name: string, kind: DocKind): Promise<DocRoom> {
    const replica = this.options.replication?.open(name, kind);
    const room = new DocRoom({
      name,
      kind,
      persistence: replica?.persistence ?? this.options.persistence,
      logger: this.options.logger,
      ...(this.options.limits ? { limits: this.options.limits } : {}),
      ...(this.options.now ? { now: this.options.now } : {}),
      onEmpty: (empty) => void this.unloadIfEmpty(name, empty),
      onFailed: (failed) => void this.drop(name, failed),
    });
    replica?.attach(room);
    const loading: Promise<DocRoom> = room.load().then(
      () => room,
      (error: unknown) => {
        // Destroyed, never saved: a blank document must not overwrite the stored one. The next open retries.
        room.destroy();
        if (this.rooms.get(name) === loading) this.rooms.delete(name);
        this.options.logger.error('loading a document failed', { doc: name, error });
        throw new RoomLoadError(name, { cause: error });
      },
    );
    return loading;
  }

  private async unloadIfEmpty(name: string, room: DocRoom): Promise<void> {
    await room.flush();
    // Someone may have joined (or held it) while the saves were flushing.
    if (room.inUse || room.isDestroyed) return;
    const current = this.rooms.get(name);
    if (current) {
      const live = await current.catch(() => null);
      if (live !== room || room.inUse) return;
      if (this.rooms.get(name) === current) this.rooms.delete(name);
    }
    room.destroy();
  }

  private async drop(name: string, room: DocRoom): Promise<void> {
    const current = this.rooms.get(name);
    if (current && (await current.catch(() => null)) === room && this.rooms.get(name) === current) this.rooms.delete(name);
    await room.flush();
    room.destroy();
  }
}
