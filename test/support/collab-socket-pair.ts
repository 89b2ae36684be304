// An in-process socket pair for room tests: the server end is a CollabSocket; frames travel through
// FIFO queues delivered on microtasks (never re-entrantly), and closes are recorded with their code.
import { setImmediate as atTurnEnd } from 'node:timers';
import type { CollabSocket } from '../../hub/collab/socket.ts';

/** What the server end delivers to (a DocRoom or the CollabGateway). */
export interface CollabTarget {
  handleMessage(socket: CollabSocket, bytes: Uint8Array): void;
  handleClose(socket: CollabSocket): void;
}

export interface CollabSocketPair {
  /** Give this to the room / gateway. */
  server: CollabSocket;
  /** Frames the server sent, not yet taken by the client. */
  readonly toClient: Uint8Array[];
  /** Called (on a microtask) for each frame the server sends. */
  onClientMessage: ((bytes: Uint8Array) => void) | null;
  /** The client sends one frame to the server (delivered on a microtask, in order). */
  sendToServer(bytes: Uint8Array): void;
  /** The client hangs up (the server side sees handleClose). */
  closeFromClient(): void;
  /** How the server closed the socket, if it did. */
  readonly closedBy: { code: number; reason: string } | null;
  readonly sentBytes: number;
}

export function createCollabSocketPair(target: CollabTarget): CollabSocketPair {
  let open = true;
  let closedBy: { code: number; reason: string } | null = null;
  let sentBytes = 0;
  const toClient: Uint8Array[] = [];

  const server: CollabSocket = {
    get isOpen() {
      return open;
    },
    send(bytes) {
      if (!open) throw new Error('send on a closed socket');
      sentBytes += bytes.byteLength;
      // A copy: the sender may reuse its buffer, as uWS does.
      toClient.push(bytes.slice());
      queueMicrotask(() => {
        const next = toClient.shift();
        if (next && pair.onClientMessage) pair.onClientMessage(next);
        else if (next) toClient.unshift(next);
      });
    },
    close(code, reason) {
      if (!open) return;
      open = false;
      closedBy = { code, reason };
      // Like uWS: the transport reports the close back to whoever serves the socket.
      target.handleClose(server);
    },
  };

  const pair: CollabSocketPair = {
    server,
    toClient,
    onClientMessage: null,
    sendToServer(bytes) {
      const copy = bytes.slice();
      queueMicrotask(() => {
        if (open) target.handleMessage(server, copy);
      });
    },
    closeFromClient() {
      if (!open) return;
      open = false;
      target.handleClose(server);
    },
    get closedBy() {
      return closedBy;
    },
    get sentBytes() {
      return sentBytes;
    },
  };
  return pair;
}

/** Lets queued microtask deliveries (and their answers) run to completion. */
export async function settle(rounds = 50): Promise<void> {
  for (let index = 0; index < rounds; index++) {
    await Promise.resolve();
    // Rooms fan document updates out at the end of the event-loop turn (doc-room.ts, queueFanout).
    if (index % 10 === 9) await new Promise((resolve) => atTurnEnd(resolve));
  }
}
