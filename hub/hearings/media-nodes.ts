// Hearing media across hub nodes (distributed mode): the node's hearing leases and its signalling
// relay, opened together by platform/node.ts when NATS_URL is set and handed to the hub's media gateway.
import type { NatsConnection } from '@nats-io/transport-node';
import type { Logger } from '../../platform/logger.ts';
import type { HearingMediaNodes } from './hearing-media-gateway.ts';
import { MediaOwnership } from './media-ownership.ts';
import { MediaRelay } from './media-relay.ts';

export interface HearingMediaNodesOptions {
  /** The node's NATS connection and namespace (NatsBus.connection / .namespace). */
  connection: NatsConnection;
  namespace: string;
  nodeId: string;
  /** Lease TTL (ECOURT_LEASE_TTL_MS): how long a dead owner keeps its hearings. */
  leaseTtlMs: number;
  logger: Logger;
}

export interface RunningHearingMediaNodes extends HearingMediaNodes {
  /** Gives back the leases still held; call after the hub closed its routers. */
  stop(): Promise<void>;
}

export async function startHearingMediaNodes(options: HearingMediaNodesOptions): Promise<RunningHearingMediaNodes> {
  const logger = options.logger.child({ component: 'media-relay' });
  const ownership = await MediaOwnership.open({ ...options, ttlMs: options.leaseTtlMs, logger });
  // Long enough for an owner's negotiation step, short next to the lease: a dead owner mostly fails at once (no responders).
  const requestTimeoutMs = Math.min(5000, Math.max(2000, Math.floor(options.leaseTtlMs / 2)));
  const relay = new MediaRelay({ connection: options.connection, namespace: options.namespace, nodeId: options.nodeId, logger, requestTimeoutMs });
  return { ownership, relay, stop: () => ownership.stop() };
}
