// Adapts the collaborative gateway to a uWS WebSocket route `/yjs/<docName>?token=…` (binary frames).
// A room's broadcasts go through a uWS topic (one native publish fans a frame out to every member, the
// author skipped). Backpressure is deliberate: uWS would drop frames past maxBackpressure and Yjs documents
// would then diverge, so a client that falls that far behind is closed (4008) and resyncs on reconnect —
// on direct sends at once, for published frames when the room checks its members (socket.ts,
// PUBLISH_CHECK_BYTES), well before uWS's own limit. Should uWS still drop a frame, it closes that socket.
import type { TemplatedApp, WebSocket } from 'uWebSockets.js';
import type { Uws } from '../uws.ts';
import type { CollabGateway } from './gateway.ts';
import { COLLAB_CLOSE } from './protocol.ts';
import { PUBLISH_CHECK_BYTES, type CollabSocket } from './socket.ts';

export const COLLAB_PATH_PREFIX = '/yjs/';
/** uWS's own limit per socket; we close slow clients at half of it, so uWS never drops a frame. */
export const COLLAB_MAX_BACKPRESSURE = 16 * 1024 * 1024;
const SLOW_CLIENT_BYTES = COLLAB_MAX_BACKPRESSURE / 2;
// Between two checks a member can gain PUBLISH_CHECK_BYTES plus one frame (≤ 2 × the frame limit) over the slow limit.
const PUBLISH_HEADROOM_FRAMES = (COLLAB_MAX_BACKPRESSURE - SLOW_CLIENT_BYTES - PUBLISH_CHECK_BYTES) / 2;

interface SocketData {
  token: string | null;
  docName: string;
  adapter: CollabSocket | null;
  closed: boolean;
}

function adapt(ws: WebSocket<SocketData>, data: SocketData): CollabSocket {
  const isSlow = () => ws.getBufferedAmount() > SLOW_CLIENT_BYTES;
  const adapter: CollabSocket = {
    get isOpen() {
      return !data.closed;
    },
    send(bytes) {
      if (data.closed) return;
      // Inside uWS handlers the socket is corked already; elsewhere (timers, promises) send writes at once.
      const status = ws.send(bytes, true, false);
      if (status === 2 || isSlow()) adapter.close(COLLAB_CLOSE.slowConsumer.code, COLLAB_CLOSE.slowConsumer.reason);
    },
    subscribe(topic) {
      return !data.closed && ws.subscribe(topic);
    },
    publish(topic, bytes) {
      if (!data.closed) ws.publish(topic, bytes, true, false);
    },
    closeIfSlow() {
      if (data.closed || !isSlow()) return false;
      adapter.close(COLLAB_CLOSE.slowConsumer.code, COLLAB_CLOSE.slowConsumer.reason);
      return true;
    },
    close(code, reason) {
      if (data.closed) return;
      // end() runs the close handler at once; mark first so nothing re-enters a dead socket.
      data.closed = true;
      ws.end(code, reason.slice(0, 120));
    },
  };
  return adapter;
}

/** The document name from the request path (`/yjs/cases/…/transcript`, percent-encoding allowed). */
export function docNameFromPath(url: string): string {
  const raw = url.startsWith(COLLAB_PATH_PREFIX) ? url.slice(COLLAB_PATH_PREFIX.length) : '';
  try {
    return decodeURIComponent(raw);
  } catch {
    return '';
  }
}

export function mountCollabEndpoint(app: TemplatedApp, uws: Uws, gateway: CollabGateway, options: { maxMessageBytes: number }): void {
  if (options.maxMessageBytes > PUBLISH_HEADROOM_FRAMES) {
    throw new RangeError(`collab frames of ${options.maxMessageBytes} bytes leave uWS no headroom to buffer published frames`);
  }
  app.ws<SocketData>(`${COLLAB_PATH_PREFIX}*`, {
    compression: uws.DISABLED,
    // Frames up to twice the room's limit reach the room and get its coded 4413; uWS closes larger ones itself.
    maxPayloadLength: options.maxMessageBytes * 2,
    maxBackpressure: COLLAB_MAX_BACKPRESSURE,
    // Only a safety net: the rooms close slow members at half the limit (see the top of this file).
    closeOnBackpressureLimit: 1,
    idleTimeout: 120,
    sendPingsAutomatically: true,
    upgrade(res, req, context) {
      const token = req.getQuery('token') || null;
      const docName = docNameFromPath(req.getUrl());
      res.upgrade<SocketData>(
        { token, docName, adapter: null, closed: false },
        req.getHeader('sec-websocket-key'),
        req.getHeader('sec-websocket-protocol'),
        req.getHeader('sec-websocket-extensions'),
        context,
      );
    },
    open(ws) {
      const data = ws.getUserData();
      data.adapter = adapt(ws, data);
      gateway.handleOpen(data.adapter, { token: data.token, docName: data.docName });
    },
    message(ws, message, isBinary) {
      const data = ws.getUserData();
      if (!data.adapter || data.closed) return;
      if (!isBinary) return data.adapter.close(COLLAB_CLOSE.protocolError.code, COLLAB_CLOSE.protocolError.reason);
      // uWS reuses the buffer after this callback; rooms may keep the bytes (held frames, saves).
      gateway.handleMessage(data.adapter, new Uint8Array(message.slice(0)));
    },
    close(ws) {
      const data = ws.getUserData();
      data.closed = true;
      if (data.adapter) gateway.handleClose(data.adapter);
    },
  });
}
