// Client side of the hub benchmark: one Y.Doc per client over a raw WebSocket, speaking either plain
// y-websocket framing (this hub, @y/websocket-server) or Hocuspocus' framing (document name first,
// a token auth message before sync). Writers set their annotation's `text` to "<writer>/<seq>:<sentAt>";
// every client records receive time − send time for each marker of another writer found in an update frame's
// bytes when the frame arrives (same process, performance.now()), so a frame carrying several updates (a
// server that batches) counts each of them, and a writer's own echoed updates count for nothing.
// Light clients (all but a few full readers per room, once writing starts: `lighten()`) stop applying
// updates to their Y.Doc — the harness then costs a few µs per delivery instead of a Y.Doc apply, the same
// for every server; the full readers keep applying everything and check convergence.
import { createRequire } from 'node:module';
import { performance } from 'node:perf_hooks';
import * as Y from 'yjs';
import * as encoding from 'lib0/encoding';
import * as decoding from 'lib0/decoding';
import * as syncProtocol from 'y-protocols/sync';

// `ws` has no types here; only the calls below are used.
interface RawSocket {
  binaryType: string;
  readyState: number;
  bufferedAmount: number;
  on(event: 'open', listener: () => void): void;
  on(event: 'message', listener: (data: ArrayBuffer | Buffer) => void): void;
  on(event: 'close', listener: (code: number, reason: Buffer) => void): void;
  on(event: 'error', listener: (error: Error) => void): void;
  send(data: Uint8Array): void;
  close(): void;
  terminate(): void;
}
const WebSocketImpl = createRequire(import.meta.url)('ws') as new (url: string, options?: { perMessageDeflate: boolean }) => RawSocket;

export type Framing = 'y-websocket' | 'hocuspocus';

const MESSAGE_SYNC = 0;
const MARKER = /(\d+)\/\d+:(\d+(?:\.\d+)?)/g;
/** Client ids, unique in the bench process: a writer's markers name it. */
let nextClientId = 0;
const MESSAGE_AUTH = 2;
const HOCUSPOCUS_AUTH_TOKEN = 0;

export interface AnnotationAuthor {
  userId: string;
  role: string;
  displayName: string;
}

export interface ClientOptions {
  url: string;
  docName: string;
  framing: Framing;
  /** Called with each fan-out latency (ms) this client observes. */
  onLatency: (ms: number) => void;
}

export class ClientRefusedError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ClientRefusedError';
  }
}

export class BenchClient {
  readonly doc = new Y.Doc();
  private readonly socket: RawSocket;
  private syncedFlag = false;
  refusals = 0;
  closedWith: number | null = null;
  private ownAnnotation: Y.Map<unknown> | null = null;
  readonly id = ++nextClientId;
  private sequence = 0;
  /** The text of this writer's last update. */
  lastText = '';
  /** This writer's annotation id. */
  annotationId = '';
  private light = false;
  /** Updates of other writers this client received (one marker each). */
  updatesSeen = 0;

  constructor(private readonly options: ClientOptions) {
    this.socket = new WebSocketImpl(options.url, { perMessageDeflate: false });
    this.socket.binaryType = 'arraybuffer';
    this.socket.on('open', () => this.onOpen());
    this.socket.on('message', (data) => this.onMessage(new Uint8Array(data as ArrayBuffer)));
    this.socket.on('close', (code) => {
      this.closedWith = code;
    });
    this.socket.on('error', () => undefined);
    this.doc.on('update', (update: Uint8Array, origin: unknown) => {
      if (origin === this) return; // came from the server
      const encoder = this.encoder();
      encoding.writeVarUint(encoder, MESSAGE_SYNC);
      syncProtocol.writeUpdate(encoder, update);
      this.send(encoding.toUint8Array(encoder));
    });
  }

  get synced(): boolean {
    return this.syncedFlag;
  }

  /** Hocuspocus prefixes every frame with the document name. */
  private encoder(): encoding.Encoder {
    const encoder = encoding.createEncoder();
    if (this.options.framing === 'hocuspocus') encoding.writeVarString(encoder, this.options.docName);
    return encoder;
  }

  private send(frame: Uint8Array): void {
    if (this.socket.readyState === 1) this.socket.send(frame);
  }

  private onOpen(): void {
    if (this.options.framing === 'hocuspocus') {
      const auth = this.encoder();
      encoding.writeVarUint(auth, MESSAGE_AUTH);
      encoding.writeVarUint(auth, HOCUSPOCUS_AUTH_TOKEN);
      encoding.writeVarString(auth, 'bench');
      this.send(encoding.toUint8Array(auth));
    }
    const step1 = this.encoder();
    encoding.writeVarUint(step1, MESSAGE_SYNC);
    syncProtocol.writeSyncStep1(step1, this.doc);
    this.send(encoding.toUint8Array(step1));
  }

  private onMessage(frame: Uint8Array): void {
    const decoder = decoding.createDecoder(frame);
    if (this.options.framing === 'hocuspocus') decoding.readVarString(decoder);
    const type = decoding.readVarUint(decoder);
    if (type === MESSAGE_SYNC) {
      if (frame[decoder.pos] === syncProtocol.messageYjsUpdate) {
        this.readMarkers(frame, decoder.pos);
        if (this.light) return;
      }
      const reply = this.encoder();
      encoding.writeVarUint(reply, MESSAGE_SYNC);
      const headerLength = encoding.length(reply);
      const syncType = syncProtocol.readSyncMessage(decoder, reply, this.doc, this);
      if (syncType === syncProtocol.messageYjsSyncStep2) this.syncedFlag = true;
      if (encoding.length(reply) > headerLength) this.send(encoding.toUint8Array(reply));
    } else if (type === MESSAGE_AUTH && this.options.framing === 'y-websocket') {
      // The hub's permission-denied notice for a refused update (README: FORBIDDEN_UPDATE).
      this.refusals += 1;
    }
    // awareness (1), query-awareness (3) and Hocuspocus' other messages are not needed here.
  }

  /** From now on, updates are not applied, only their markers read (see the top of this file). */
  lighten(): void {
    this.light = true;
  }

  /** The `"<writer>/<seq>:<sentAt>"` strings an update carries (UTF-8 inside the update; nothing else in it looks like that). */
  private readMarkers(frame: Uint8Array, from: number): void {
    const now = performance.now();
    const text = Buffer.from(frame.buffer, frame.byteOffset + from, frame.byteLength - from).toString('latin1');
    for (const match of text.matchAll(MARKER)) {
      if (Number(match[1]) === this.id) continue;
      this.updatesSeen += 1;
      this.options.onLatency(now - Number(match[2]));
    }
  }

  /** A writer's own annotation, created once (on the hub its author must be the session's user). */
  createAnnotation(author: AnnotationAuthor, id: string): void {
    const annotation = new Y.Map<unknown>();
    this.doc.transact(() => {
      annotation.set('id', id);
      annotation.set('shape', 'note');
      annotation.set('page', 1);
      annotation.set('region', { x: 0.1, y: 0.1, width: 0.2, height: 0.05 });
      annotation.set('author', author);
      annotation.set('createdAt', new Date().toISOString());
      annotation.set('text', '');
      annotation.set('comments', new Y.Array());
      this.doc.getMap('annotations').set(id, annotation);
    });
    this.ownAnnotation = annotation;
    this.annotationId = id;
  }

  /** One update: the annotation's text carries the send time. */
  write(): void {
    if (!this.ownAnnotation) throw new ClientRefusedError('write before createAnnotation');
    this.sequence += 1;
    this.lastText = `${this.id}/${this.sequence}:${performance.now()}`;
    this.ownAnnotation.set('text', this.lastText);
  }

  /** Updates this writer sent. */
  get written(): number {
    return this.sequence;
  }

  /** The text of an annotation in this client's document. */
  annotationText(id: string): unknown {
    return this.doc.getMap<Y.Map<unknown>>('annotations').get(id)?.get('text');
  }

  annotationCount(): number {
    return this.doc.getMap('annotations').size;
  }

  /** Texts of all annotations, by id: equal across a room's clients when it converged. */
  fingerprint(): string {
    const map = this.doc.getMap<Y.Map<unknown>>('annotations');
    const entries = [...map.entries()].map(([id, value]) => `${id}=${String(value.get('text'))}`).sort();
    return `${Buffer.from(Y.encodeStateVector(this.doc)).toString('base64')}|${entries.join(',')}`;
  }

  close(): void {
    this.socket.terminate();
    this.doc.destroy();
  }
}
