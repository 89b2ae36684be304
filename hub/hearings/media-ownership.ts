// Which hub node runs which hearing's media: one lease per hearing in a JetStream KV bucket whose TTL
// is the lease TTL (ECOURT_LEASE_TTL_MS). The node that first gets a media.join claims it, renews it
// by compare-and-set while its router lives and releases it when the router closes; a dead owner's
// lease vanishes after one TTL and the next join anywhere claims the hearing (the mechanics, shared
// with the documents' owners: actors/runtime/held-leases.ts).
import { HeldLeases, openLeaseBucket, type LeaseOwnershipOptions } from '../../actors/runtime/held-leases.ts';
import { hearingLeaseKey, mediaLeaseBucket } from './media-relay-subjects.ts';

export type MediaOwnershipOptions = LeaseOwnershipOptions;

/** Leases by hearing id (claim, owner, release, isOwner). */
export class MediaOwnership extends HeldLeases {
  static async open(options: MediaOwnershipOptions): Promise<MediaOwnership> {
    const leases = await openLeaseBucket(options.connection, mediaLeaseBucket(options.namespace), options.ttlMs);
    return new MediaOwnership(leases, { ...options, keyOf: hearingLeaseKey, what: 'hearing media' });
  }
}
