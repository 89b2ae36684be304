// A Yjs client for room tests, speaking y-websocket's protocol with y-protocols exactly as
// WebsocketProvider does, over an in-process socket pair.
import * as Y from 'yjs';
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import * as syncProtocol from 'y-protocols/sync';
import * as awarenessProtocol from 'y-protocols/awareness';
import * as authProtocol from 'y-protocols/auth';
import { createCollabSocketPair, type CollabSocketPair, type CollabTarget } from './collab-socket-pair.ts';

const SERVER = Symbol('from server');

export class TestCollabClient {
  readonly doc = new Y.Doc();
  readonly awareness = new awarenessProtocol.Awareness(this.doc);
  readonly pair: CollabSocketPair;
  readonly refusals: string[] = [];
  synced = false;
  private readonly disposers: (() => void)[] = [];

  constructor(target: CollabTarget) {
    this.pair = createCollabSocketPair(target);
    this.pair.onClientMessage = (bytes) => this.receive(bytes);
    const onUpdate = (update: Uint8Array, origin: unknown) => {
      if (origin === SERVER) return;
      const encoder = encoding.createEncoder();
      encoding.writeVarUint(encoder, 0);
      syncProtocol.writeUpdate(encoder, update);
      this.send(encoding.toUint8Array(encoder));
    };
    this.doc.on('update', onUpdate);
    const onAwareness = ({ added, updated, removed }: { added: number[]; updated: number[]; removed: number[] }, origin: unknown) => {
      if (origin === SERVER) return;
      const changed = [...added, ...updated, ...removed];
      const encoder = encoding.createEncoder();
      encoding.writeVarUint(encoder, 1);
      encoding.writeVarUint8Array(encoder, awarenessProtocol.encodeAwarenessUpdate(this.awareness, changed));
      this.send(encoding.toUint8Array(encoder));
    };
    this.awareness.on('update', onAwareness);
    this.disposers.push(() => this.doc.off('update', onUpdate), () => this.awareness.off('update', onAwareness));
  }

  get socket() {
    return this.pair.server;
  }
  get closedBy() {
    return this.pair.closedBy;
  }

  /** What WebsocketProvider sends on open: sync step 1 and its awareness state, if any. */
  start(): void {
    const encoder = encoding.createEncoder();
    encoding.writeVarUint(encoder, 0);
    syncProtocol.writeSyncStep1(encoder, this.doc);
    this.send(encoding.toUint8Array(encoder));
    if (this.awareness.getLocalState() !== null) {
      const awarenessEncoder = encoding.createEncoder();
      encoding.writeVarUint(awarenessEncoder, 1);
      encoding.writeVarUint8Array(awarenessEncoder, awarenessProtocol.encodeAwarenessUpdate(this.awareness, [this.doc.clientID]));
      this.send(encoding.toUint8Array(awarenessEncoder));
    }
  }

  sendRaw(bytes: Uint8Array): void {
    this.pair.sendToServer(bytes);
  }

  /** Others' awareness states (by client id) as this client sees them. */
  peers(): Map<number, Record<string, unknown>> {
    const states = new Map(this.awareness.getStates() as Map<number, Record<string, unknown>>);
    states.delete(this.doc.clientID);
    return states;
  }

  destroy(): void {
    for (const dispose of this.disposers.splice(0)) dispose();
    this.pair.closeFromClient();
    this.awareness.destroy();
    this.doc.destroy();
  }

  private send(bytes: Uint8Array): void {
    if (this.pair.server.isOpen) this.pair.sendToServer(bytes);
  }

  private receive(bytes: Uint8Array): void {
    const decoder = decoding.createDecoder(bytes);
    const type = decoding.readVarUint(decoder);
    if (type === 0) {
      const encoder = encoding.createEncoder();
      encoding.writeVarUint(encoder, 0);
      const syncType = syncProtocol.readSyncMessage(decoder, encoder, this.doc, SERVER);
      if (syncType === syncProtocol.messageYjsSyncStep2) this.synced = true;
      if (encoding.length(encoder) > 1) this.send(encoding.toUint8Array(encoder));
    } else if (type === 1) {
      awarenessProtocol.applyAwarenessUpdate(this.awareness, decoding.readVarUint8Array(decoder), SERVER);
    } else if (type === 2) {
      authProtocol.readAuthMessage(decoder, this.doc, (_doc, reason) => this.refusals.push(reason));
    } else {
      throw new Error(`client got unknown message type ${type}`);
    }
  }
}
