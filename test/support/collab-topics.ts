// Test transport double: gives the server end of in-process socket pairs uWS-like topics (subscribe,
// publish to every other member, closeIfSlow), so room tests can see the native fan-out path.
import type { CollabSocket } from '../../hub/collab/socket.ts';
import { COLLAB_CLOSE } from '../../hub/collab/protocol.ts';

export class FakeTopics {
  private readonly members = new Map<string, Set<CollabSocket>>();
  publishes = 0;
  slowChecks = 0;

  /** Adds topic support to a socket; `isSlow` plays its backlog (true: over the transport's limit). */
  enable(socket: CollabSocket, isSlow: () => boolean = () => false): void {
    socket.subscribe = (topic) => {
      const set = this.members.get(topic) ?? new Set<CollabSocket>();
      set.add(socket);
      this.members.set(topic, set);
      return true;
    };
    socket.publish = (topic, bytes) => {
      // Like the uWS adapter: a closed socket publishes nothing.
      if (!socket.isOpen) return;
      this.publishes++;
      // Like uWS: every subscriber but the publisher; closed sockets have left the topic.
      for (const member of this.members.get(topic) ?? []) if (member !== socket && member.isOpen) member.send(bytes);
    };
    socket.closeIfSlow = () => {
      this.slowChecks++;
      if (!socket.isOpen || !isSlow()) return false;
      socket.close(COLLAB_CLOSE.slowConsumer.code, COLLAB_CLOSE.slowConsumer.reason);
      return true;
    };
  }
}
