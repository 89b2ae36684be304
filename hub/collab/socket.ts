// The room's view of a connection: bytes out, a coded close, and whether it is still open.
// Transports (uWS, the in-process test pair) adapt to this; a room never holds a raw socket.

export interface CollabSocket {
  /** Sends one binary frame; callers check isOpen first (a closed transport may throw). */
  send(bytes: Uint8Array): void;
  /** Closes with a 4000–4999 code; idempotent. */
  close(code: number, reason: string): void;
  readonly isOpen: boolean;
  /**
   * Optional native fan-out (uWS topics): joins the room's topic and returns true, after which the room
   * reaches this socket through `publish` (of any member) instead of one `send` per update.
   * A transport without topics omits these three and gets one `send` per frame.
   */
  subscribe?(topic: string): boolean;
  /** Sends one binary frame to every socket subscribed to `topic` except this one. */
  publish?(topic: string, bytes: Uint8Array): void;
  /** Closes the socket as a slow consumer (4008) when its unsent bytes passed the transport's limit; returns whether it did. */
  closeIfSlow?(): boolean;
}

/**
 * A transport with topics must buffer this many published bytes per socket beyond its slow-consumer
 * limit without dropping a frame: the room checks every member's backlog (`closeIfSlow`) at least once
 * per this many bytes it publishes, and before any frame that would cross it.
 */
export const PUBLISH_CHECK_BYTES = 1024 * 1024;
