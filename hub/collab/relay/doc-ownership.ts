// Which hub node owns which document: one lease per document in a JetStream KV bucket whose TTL is
// the lease TTL (ECOURT_LEASE_TTL_MS). The owner renews its leases by compare-and-set while it
// has the room loaded; a dead owner's leases vanish after one TTL and another node claims them
// (the mechanics: actors/runtime/held-leases.ts).
import type { NatsConnection } from '@nats-io/transport-node';
import { HeldLeases, openLeaseBucket } from '../../../actors/runtime/held-leases.ts';
import type { Logger } from '../../../platform/logger.ts';
import { docLeaseBucket, docToken } from './relay-subjects.ts';

export interface DocOwnershipOptions {
  connection: NatsConnection;
  namespace: string;
  nodeId: string;
  ttlMs: number;
  logger: Logger;
}

/** Leases by document name (claim, owner, release, isOwner). */
export class DocOwnership extends HeldLeases {
  static async open(options: DocOwnershipOptions): Promise<DocOwnership> {
    const leases = await openLeaseBucket(options.connection, docLeaseBucket(options.namespace), options.ttlMs);
    return new DocOwnership(leases, { ...options, keyOf: docToken, what: 'document' });
  }
}
