// Adapts the realtime channel to a uWS WebSocket route: sockets become RealtimeSocket objects
// (one per connection, the key of its state), sends are guarded after close, and backpressure
// limits are set deliberately instead of uWS's silent-drop default.
import { SIGNAL_MAX_BYTES } from '../../media/signalling/protocol.ts';
import type { TemplatedApp, WebSocket } from 'uWebSockets.js';
import type { Uws } from '../uws.ts';
import type { RealtimeChannel, RealtimeSocket } from './channel.ts';

/** uWS drops messages beyond this per socket; the channel closes slow clients well before (at half). */
export const REALTIME_MAX_BACKPRESSURE = 1024 * 1024;
/**
 * Client messages are small JSON commands, but hearing media signalling carries SDP (≤ 64 KiB): twice
 * its limit reaches the channel, so an oversize offer gets its coded MEDIA_TOO_LARGE; uWS closes
 * the socket on anything larger.
 */
const MAX_CLIENT_MESSAGE_BYTES = 2 * SIGNAL_MAX_BYTES;

interface SocketData {
  token: string | null;
  adapter: RealtimeSocket | null;
  closed: boolean;
}

function adapt(ws: WebSocket<SocketData>, data: SocketData): RealtimeSocket {
  return {
    send(text) {
      if (data.closed) return 'closed';
      let status = 0;
      ws.cork(() => {
        status = ws.send(text, false);
      });
      return status === 1 ? 'sent' : status === 0 ? 'buffered' : 'dropped';
    },
    bufferedAmount: () => (data.closed ? 0 : ws.getBufferedAmount()),
    close(code, reason) {
      if (data.closed) return;
      // end() runs the close handler at once; mark first so nothing re-enters a dead socket.
      data.closed = true;
      ws.end(code, reason.slice(0, 120));
    },
  };
}

export function mountRealtimeEndpoint(app: TemplatedApp, uws: Uws, path: string, channel: RealtimeChannel): void {
  app.ws<SocketData>(path, {
    compression: uws.DISABLED,
    maxPayloadLength: MAX_CLIENT_MESSAGE_BYTES,
    maxBackpressure: REALTIME_MAX_BACKPRESSURE,
    closeOnBackpressureLimit: 0,
    idleTimeout: 120,
    sendPingsAutomatically: true,
    upgrade(res, req, context) {
      // Synchronous: the token check is done on open, so nothing here awaits.
      const token = req.getQuery('token') || null;
      res.upgrade<SocketData>(
        { token, adapter: null, closed: false },
        req.getHeader('sec-websocket-key'),
        req.getHeader('sec-websocket-protocol'),
        req.getHeader('sec-websocket-extensions'),
        context,
      );
    },
    open(ws) {
      const data = ws.getUserData();
      data.adapter = adapt(ws, data);
      channel.handleOpen(data.adapter, data.token);
    },
    message(ws, message, isBinary) {
      const data = ws.getUserData();
      if (!data.adapter || data.closed) return;
      channel.handleMessage(data.adapter, isBinary ? null : Buffer.from(message).toString('utf8'));
    },
    drain(ws) {
      const data = ws.getUserData();
      if (data.adapter && !data.closed) channel.handleDrain(data.adapter);
    },
    close(ws) {
      const data = ws.getUserData();
      data.closed = true;
      if (data.adapter) channel.handleClose(data.adapter);
    },
  });
}
