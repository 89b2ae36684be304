// The room's view of a connection: bytes out, a coded close, and whether it is still open.
// Transports (uWS, the in-process test pair) adapt to this; a room never holds a raw socket.

export interface CollabSocket {
  /** Sends one binary frame; callers check isOpen first (a closed transport may throw). */
  send(bytes: Uint8Array): void;
  /** Closes with a 4000–4999 code; idempotent. */
  close(code: number, reason: string): void;
  readonly isOpen: boolean;
}
