// One collaborative document over the hub's /yjs endpoint: a Y.Doc + y-websocket provider, its
// status, the server's refusals, and a fresh doc when the server says ours has diverged.
import * as Y from 'yjs';
import * as decoding from 'lib0/decoding';
import { WebsocketProvider } from 'y-websocket';
import type { Awareness } from 'y-protocols/awareness';

export type ConnectionStatus = 'connecting' | 'live' | 'offline' | 'closed';

/** y-websocket's message type for auth messages, and y-protocols/auth's "permission denied". */
const MESSAGE_AUTH = 2;
const PERMISSION_DENIED = 0;

export interface Refusal {
  /** The server's code: FORBIDDEN_UPDATE, or the close reason's code for a closed socket. */
  code: string;
  reason: string;
  closeCode?: number;
}

export interface DocConnectionOptions {
  /** ws(s)://host/yjs */
  url: string;
  docName: string;
  token: string;
  /** Called after every (re)creation of the doc, so the view can observe the new one. */
  onDoc: (doc: Y.Doc, awareness: Awareness) => void;
  onStatus: (status: ConnectionStatus) => void;
  onRefusal: (refusal: Refusal) => void;
}

/** `hub-url` attribute (http(s) or ws(s), with or without /yjs) or the page's origin → ws(s)://host/yjs. */
export function yjsUrl(hubUrl: string, location: { protocol: string; host: string } = window.location): string {
  const base = hubUrl.trim() === '' ? `${location.protocol}//${location.host}` : hubUrl.trim();
  const url = new URL(base, `${location.protocol}//${location.host}`);
  url.protocol = url.protocol === 'https:' || url.protocol === 'wss:' ? 'wss:' : 'ws:';
  const path = url.pathname.replace(/\/+$/, '');
  url.pathname = path.endsWith('/yjs') ? path : `${path}/yjs`;
  url.search = '';
  url.hash = '';
  return url.toString().replace(/\/+$/, '');
}

/** Close codes the hub uses (hub/collab/protocol.ts), as the editor's error codes. */
const CLOSE_CODES: Record<number, string> = {
  4401: 'UNAUTHENTICATED',
  4404: 'NOT_FOUND',
  4413: 'PAYLOAD_TOO_LARGE',
  4429: 'RATE_LIMITED',
  4002: 'PROTOCOL_ERROR',
};

export class DocConnection {
  private doc: Y.Doc | null = null;
  private provider: WebsocketProvider | null = null;
  private status: ConnectionStatus = 'connecting';
  private destroyed = false;

  constructor(private readonly options: DocConnectionOptions) {
    this.open();
  }

  get currentDoc(): Y.Doc | null {
    return this.doc;
  }

  get awareness(): Awareness | null {
    return this.provider?.awareness ?? null;
  }

  private open(): void {
    const doc = new Y.Doc();
    const provider = new WebsocketProvider(this.options.url, this.options.docName, doc, {
      params: { token: this.options.token },
      // Another tab's edits must reach us through the server, which checks them, not over BroadcastChannel.
      disableBc: true,
    });
    // The default handler only logs; the server's refusal means our doc diverged (hub/collab/README.md).
    provider.messageHandlers[MESSAGE_AUTH] = (_encoder, decoder) => {
      if (decoding.readVarUint(decoder) !== PERMISSION_DENIED) return;
      const reason = decoding.readVarString(decoder);
      const code = /^([A-Z_]+):/.exec(reason)?.[1] ?? 'FORBIDDEN';
      this.options.onRefusal({ code, reason });
      // Not inside the provider's message handler: reload once it has returned.
      queueMicrotask(() => this.reload());
    };
    provider.on('status', ({ status }) => {
      if (provider !== this.provider) return;
      this.setStatus(status === 'connected' ? (provider.synced ? 'live' : 'connecting') : status === 'connecting' ? 'connecting' : 'offline');
    });
    provider.on('sync', (synced: boolean) => {
      if (provider === this.provider && synced) this.setStatus('live');
    });
    provider.on('closed', ({ code, reason }) => {
      if (provider !== this.provider) return;
      this.setStatus('closed');
      this.options.onRefusal({ code: CLOSE_CODES[code] ?? 'INTERNAL', reason, closeCode: code });
    });
    this.doc = doc;
    this.provider = provider;
    this.setStatus('connecting');
    this.options.onDoc(doc, provider.awareness);
  }

  private setStatus(status: ConnectionStatus): void {
    if (this.status === status) return;
    this.status = status;
    this.options.onStatus(status);
  }

  /** Drops the doc and provider and starts over with a fresh doc from the server's state. */
  reload(): void {
    if (this.destroyed) return;
    this.close();
    this.open();
  }

  private close(): void {
    this.provider?.awareness.setLocalState(null);
    this.provider?.destroy();
    this.doc?.destroy();
    this.provider = null;
    this.doc = null;
  }

  destroy(): void {
    this.destroyed = true;
    this.close();
  }
}
