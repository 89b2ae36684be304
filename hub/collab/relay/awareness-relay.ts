// Presence across hub nodes for one room: publishes the awareness changes of this node's own sessions
// (already stamped with the server's identity) and applies every other node's, which are never
// published again. A query (sent when a room loads) makes every node publish its own sessions' states.
import * as awarenessProtocol from 'y-protocols/awareness';
import * as decoding from 'lib0/decoding';
import type { NatsConnection, Subscription } from '@nats-io/transport-node';
import type { Logger } from '../../../platform/logger.ts';
import type { DocRoom } from '../doc-room.ts';
import { decodeAwarenessMessage, encodeAwarenessMessage } from './relay-protocol.ts';

/** Awareness changes applied from another node. */
const REMOTE_AWARENESS = Symbol('remote awareness');

type AwarenessChange = { added: number[]; updated: number[]; removed: number[] };

export class AwarenessRelay {
  /** Client ids whose sessions are on other nodes. */
  private readonly remoteClients = new Set<number>();
  private readonly subscription: Subscription;
  private readonly onLocalChange: (change: AwarenessChange, origin: unknown) => void;

  constructor(
    private readonly room: DocRoom,
    private readonly connection: NatsConnection,
    private readonly subject: string,
    private readonly nodeId: string,
    private readonly logger: Logger,
  ) {
    this.onLocalChange = ({ added, updated, removed }, origin) => {
      // Only what this node's sessions did; the rest came from other nodes or from y-protocols' timeouts.
      if (origin === REMOTE_AWARENESS || (origin as { source?: unknown } | null)?.source !== 'session') return;
      const changed = [...added, ...updated, ...removed];
      if (changed.length > 0) this.publishStates(changed);
    };
    room.awareness.on('update', this.onLocalChange);
    this.subscription = connection.subscribe(subject, { callback: (error, msg) => void (error || this.receive(msg.data)) });
  }

  /** Asks the other nodes for their sessions' states (a room just loaded here). */
  query(): void {
    this.publish(encodeAwarenessMessage({ node: this.nodeId, kind: 'query' }));
  }

  close(): void {
    this.subscription.unsubscribe();
    this.room.awareness.off('update', this.onLocalChange);
  }

  private receive(bytes: Uint8Array): void {
    if (this.room.isDestroyed) return;
    try {
      const message = decodeAwarenessMessage(bytes);
      if (message.node === this.nodeId) return;
      if (message.kind === 'query') {
        const local = [...this.room.awareness.getStates().keys()].filter((clientId) => !this.remoteClients.has(clientId));
        if (local.length > 0) this.publishStates(local);
        return;
      }
      for (const { clientId, removed } of awarenessClients(message.update)) {
        if (removed) this.remoteClients.delete(clientId);
        else this.remoteClients.add(clientId);
      }
      awarenessProtocol.applyAwarenessUpdate(this.room.awareness, message.update, REMOTE_AWARENESS);
    } catch (error) {
      this.logger.warn('a relayed awareness message was dropped', { error });
    }
  }

  private publishStates(clientIds: number[]): void {
    const update = awarenessProtocol.encodeAwarenessUpdate(this.room.awareness, clientIds);
    this.publish(encodeAwarenessMessage({ node: this.nodeId, kind: 'update', update }));
  }

  private publish(data: Uint8Array): void {
    try {
      this.connection.publish(this.subject, data);
    } catch (error) {
      this.logger.warn('relay publish failed', { subject: this.subject, error });
    }
  }
}

/** The client ids an awareness update names, and whether it removes them (state null). */
function awarenessClients(update: Uint8Array): { clientId: number; removed: boolean }[] {
  const decoder = decoding.createDecoder(update);
  const count = decoding.readVarUint(decoder);
  const clients: { clientId: number; removed: boolean }[] = [];
  for (let i = 0; i < count; i++) {
    const clientId = decoding.readVarUint(decoder);
    decoding.readVarUint(decoder); // clock
    clients.push({ clientId, removed: JSON.parse(decoding.readVarString(decoder)) === null });
  }
  return clients;
}
