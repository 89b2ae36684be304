// Every NATS subject and KV name of hearing media across hub nodes is built here, under the
// platform's namespace (ECOURT_NATS_NAMESPACE). Node ids and hearing ids travel as base64url tokens:
// one safe token for subjects and lease keys whatever characters an operator puts in a node id.

/** The JetStream KV bucket of hearing media owner leases (suffixed with the namespace). */
export const MEDIA_LEASE_BUCKET = 'ecourt_media_leases';

export const mediaLeaseBucket = (namespace: string): string => `${MEDIA_LEASE_BUCKET}_${namespace}`;

const token = (text: string): string => Buffer.from(text, 'utf8').toString('base64url');

/** The key of a hearing's media owner lease. */
export const hearingLeaseKey = (hearingId: string): string => token(hearingId);

export function mediaRelaySubjects(namespace: string) {
  return {
    /** Request to the owner node: one client signal a relay node forwards (answered once handled). */
    signalsTo: (ownerNode: string) => `${namespace}.media.owner.${token(ownerNode)}.signals`,
    /** The owner publishes the server's signals for the relay node's sockets here. */
    repliesTo: (relayNode: string) => `${namespace}.media.relay.${token(relayNode)}.signals`,
  } as const;
}

export type MediaRelaySubjects = ReturnType<typeof mediaRelaySubjects>;
