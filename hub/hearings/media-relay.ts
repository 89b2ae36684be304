// The NATS side of hearing media across hub nodes: as an owner, this node answers the client signals
// relay nodes forward to it and publishes the server's signals back to them; as a relay, it forwards
// its sockets' signals to the owner and receives what the owner sends them. Validation and the
// in-flight bound live here; which socket or router a message belongs to is the gateway's business.
import type { Msg, NatsConnection, Subscription } from '@nats-io/transport-node';
import type { Logger } from '../../platform/logger.ts';
import {
  decodeForwardedSignal,
  decodeRelayReply,
  decodeReturnedSignal,
  encodeForwardedSignal,
  encodeRelayReply,
  encodeReturnedSignal,
  type ForwardedSignal,
  type RelayStatus,
  type ReturnedSignal,
} from './media-relay-protocol.ts';
import { mediaRelaySubjects, type MediaRelaySubjects } from './media-relay-subjects.ts';

/** Forwarded signals handled at once by an owner; beyond, it refuses (the relay tells its client to retry). */
export const MAX_FORWARDED_IN_FLIGHT = 256;

export interface MediaRelayOptions {
  connection: NatsConnection;
  namespace: string;
  nodeId: string;
  logger: Logger;
  /** How long a relay waits for the owner's answer (a dead owner mostly fails at once: no responders). */
  requestTimeoutMs: number;
}

export interface MediaRelayHandlers {
  /** Owner: handle a signal a relay forwarded; the answer goes back to it once handled. */
  onForwarded(message: ForwardedSignal): Promise<RelayStatus>;
  /** Relay: a server signal for one of this node's sockets. */
  onReturned(message: ReturnedSignal): void;
}

export class MediaRelay {
  private readonly subjects: MediaRelaySubjects;
  private readonly subscriptions: Subscription[] = [];
  private inFlight = 0;

  constructor(private readonly options: MediaRelayOptions) {
    this.subjects = mediaRelaySubjects(options.namespace);
  }

  get nodeId(): string {
    return this.options.nodeId;
  }

  /** Subscribes this node's two subjects; callbacks run on arrival, so NATS buffers nothing for us. */
  serve(handlers: MediaRelayHandlers): void {
    if (this.subscriptions.length > 0) return;
    const { connection, nodeId } = this.options;
    this.subscriptions.push(
      connection.subscribe(this.subjects.signalsTo(nodeId), { callback: (error, msg) => void (error || this.answer(msg, handlers)) }),
      connection.subscribe(this.subjects.repliesTo(nodeId), { callback: (error, msg) => void (error || this.receive(msg, handlers)) }),
    );
  }

  /** Relay: forwards one signal to the owner; 'unreachable' when it does not answer (dead, or gone). */
  async forward(ownerNode: string, message: ForwardedSignal): Promise<RelayStatus | 'unreachable'> {
    try {
      const reply = await this.options.connection.request(this.subjects.signalsTo(ownerNode), encodeForwardedSignal(message), {
        timeout: this.options.requestTimeoutMs,
      });
      return decodeRelayReply(reply.data);
    } catch (error) {
      this.options.logger.warn('forwarding a media signal to its owner node failed', { ownerNode, error });
      return 'unreachable';
    }
  }

  /** Owner: a server signal for a socket on a relay node (in order: one connection, one subject). */
  returnSignal(relayNode: string, message: ReturnedSignal): void {
    try {
      this.options.connection.publish(this.subjects.repliesTo(relayNode), encodeReturnedSignal(message));
    } catch (error) {
      // A closed connection: the participant's browser rejoins when its media connection fails.
      this.options.logger.warn('returning a media signal to its relay node failed', { relayNode, error });
    }
  }

  stop(): void {
    for (const subscription of this.subscriptions.splice(0)) subscription.unsubscribe();
  }

  private async answer(msg: Msg, handlers: MediaRelayHandlers): Promise<void> {
    let status: RelayStatus;
    if (this.inFlight >= MAX_FORWARDED_IN_FLIGHT) {
      status = 'refused';
    } else {
      this.inFlight++;
      try {
        status = await handlers.onForwarded(decodeForwardedSignal(msg.data));
      } catch (error) {
        this.options.logger.warn('a forwarded media signal was refused', { error });
        status = 'refused';
      } finally {
        this.inFlight--;
      }
    }
    try {
      msg.respond(encodeRelayReply(status));
    } catch {
      // The connection closed while handling: the relay's request times out and it tells its client.
    }
  }

  private receive(msg: Msg, handlers: MediaRelayHandlers): void {
    let message: ReturnedSignal;
    try {
      message = decodeReturnedSignal(msg.data);
    } catch (error) {
      this.options.logger.warn('a returned media signal was refused', { error });
      return;
    }
    handlers.onReturned(message);
  }
}
