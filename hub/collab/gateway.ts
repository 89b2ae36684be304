// Admits a connection to a document: checks the token and the document name, resolves access from the
// case, then joins the room, holding (bounded) the frames that arrive meanwhile. Transport-free.
import type { Logger } from '../../platform/logger.ts';
import { verifySessionToken, type Session } from '../auth/session-token.ts';
import { resolveDocAccess, type CaseFacts, type CollabUser } from './access.ts';
import { parseDocName, type DocDescriptor } from './doc-names.ts';
import type { DocRoom } from './doc-room.ts';
import { COLLAB_CLOSE } from './protocol.ts';
import type { RoomRegistry } from './room-registry.ts';
import type { CollabSocket } from './socket.ts';

/** Who the session's user is and what the case says about them; null when the document does not exist for them. */
export type ResolveAdmission = (session: Session, descriptor: DocDescriptor) => Promise<{ user: CollabUser; facts: CaseFacts } | null>;

export interface CollabGatewayOptions {
  registry: RoomRegistry;
  sessionSecret: Buffer;
  logger: Logger;
  resolveAdmission: ResolveAdmission;
  /** Frames (and bytes) held while the room loads; beyond these the client is flooding (4429). */
  maxHeldFrames?: number;
  maxHeldBytes?: number;
  /** The clock for token expiry (tests move it). */
  now?: () => Date;
}

interface Connection {
  room: DocRoom | null;
  held: Uint8Array[];
  heldBytes: number;
  expiresAt: number;
  closed: boolean;
}

export class CollabGateway {
  private readonly connections = new Map<CollabSocket, Connection>();
  private readonly maxHeldFrames: number;
  private readonly maxHeldBytes: number;
  private readonly now: () => Date;
  private closing = false;

  constructor(private readonly options: CollabGatewayOptions) {
    this.maxHeldFrames = options.maxHeldFrames ?? 64;
    this.maxHeldBytes = options.maxHeldBytes ?? 4 * 1024 * 1024;
    this.now = options.now ?? (() => new Date());
  }

  get connectionCount(): number {
    return this.connections.size;
  }

  handleOpen(socket: CollabSocket, request: { token: string | null; docName: string }): void {
    if (this.closing) return socket.close(COLLAB_CLOSE.shutdown.code, COLLAB_CLOSE.shutdown.reason);
    const descriptor = parseDocName(request.docName);
    if (!descriptor) return socket.close(COLLAB_CLOSE.unknownDocument.code, COLLAB_CLOSE.unknownDocument.reason);
    let session: Session;
    try {
      if (!request.token) throw new Error('no token');
      session = verifySessionToken(this.options.sessionSecret, request.token, this.now());
    } catch {
      return socket.close(COLLAB_CLOSE.unauthenticated.code, COLLAB_CLOSE.unauthenticated.reason);
    }
    const connection: Connection = { room: null, held: [], heldBytes: 0, expiresAt: session.expiresAt, closed: false };
    this.connections.set(socket, connection);
    void this.admit(socket, connection, session, request.docName, descriptor);
  }

  handleMessage(socket: CollabSocket, bytes: Uint8Array): void {
    const connection = this.connections.get(socket);
    if (!connection || connection.closed) return;
    if (this.now().getTime() / 1000 >= connection.expiresAt) {
      return this.closeConnection(socket, COLLAB_CLOSE.unauthenticated);
    }
    if (connection.room) return connection.room.handleMessage(socket, bytes);
    connection.heldBytes += bytes.byteLength;
    if (connection.held.length >= this.maxHeldFrames || connection.heldBytes > this.maxHeldBytes) {
      return this.closeConnection(socket, COLLAB_CLOSE.flood);
    }
    connection.held.push(bytes);
  }

  handleClose(socket: CollabSocket): void {
    const connection = this.connections.get(socket);
    if (!connection) return;
    connection.closed = true;
    connection.held = [];
    this.connections.delete(socket);
    connection.room?.handleClose(socket);
  }

  /** Shutdown: closes every connection (1001), admitted or not, then flushes and unloads every room. */
  async close(): Promise<void> {
    this.closing = true;
    for (const socket of [...this.connections.keys()]) this.closeConnection(socket, COLLAB_CLOSE.shutdown);
    await this.options.registry.closeAll();
  }

  private async admit(socket: CollabSocket, connection: Connection, session: Session, docName: string, descriptor: DocDescriptor): Promise<void> {
    try {
      const admission = await this.options.resolveAdmission(session, descriptor);
      if (connection.closed) return;
      const access = admission ? resolveDocAccess(admission.user, descriptor.kind, admission.facts) : { allowed: false as const };
      // A document the user may not see answers exactly like one that does not exist.
      if (!admission || !access.allowed) return this.closeConnection(socket, COLLAB_CLOSE.unknownDocument);
      await this.options.registry.acquire(docName, descriptor.kind, (room) => {
        if (connection.closed || !socket.isOpen) return;
        room.handleOpen(socket, { user: admission.user, access });
        connection.room = room;
        const held = connection.held.splice(0);
        for (const frame of held) {
          if (connection.closed) break;
          room.handleMessage(socket, frame);
        }
      });
    } catch (error) {
      if (connection.closed) return;
      this.options.logger.error('admitting a collaborative session failed', { doc: docName, error });
      this.closeConnection(socket, COLLAB_CLOSE.unavailable);
    }
  }

  private closeConnection(socket: CollabSocket, close: { code: number; reason: string }): void {
    if (socket.isOpen) socket.close(close.code, close.reason);
    this.handleClose(socket);
  }
}
