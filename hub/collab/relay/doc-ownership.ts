// Which hub node owns which document: one lease per document in a JetStream KV bucket whose TTL is
// the lease TTL (ECOURT_LEASE_TTL_MS). The owner renews its leases by compare-and-set while it
// has the room loaded; a dead owner's leases vanish after one TTL and another node claims them
// (the mechanics: actors/runtime/held-leases.ts).
import { HeldLeases, openLeaseBucket, type LeaseOwnershipOptions } from '../../../actors/runtime/held-leases.ts';
import { docLeaseBucket, docToken } from './relay-subjects.ts';

export type DocOwnershipOptions = LeaseOwnershipOptions;

/** Leases by document name (claim, owner, release, isOwner). */
export class DocOwnership extends HeldLeases {
  static async open(options: DocOwnershipOptions): Promise<DocOwnership> {
    const leases = await openLeaseBucket(options.connection, docLeaseBucket(options.namespace), options.ttlMs);
    return new DocOwnership(leases, { ...options, keyOf: docToken, what: 'document' });
  }
}
