// Serves collaborative documents across hub nodes over NATS (distributed mode): the RoomRegistry
// asks it for each room's persistence, a ReplicatedDoc that makes the room the document's owner or
// a relay of the owner. One per hub process; absent in embedded mode.
import type { NatsConnection } from '@nats-io/transport-node';
import type { Logger } from '../../../platform/logger.ts';
import type { DocPersistence } from '../persistence.ts';
import type { RoomReplication } from '../room-registry.ts';
import { DocOwnership } from './doc-ownership.ts';
import { ReplicatedDoc } from './replicated-doc.ts';

export interface DocReplicationOptions {
  /** The node's NATS connection and namespace (NatsBus.connection / .namespace). */
  connection: NatsConnection;
  namespace: string;
  nodeId: string;
  /** The document store (Postgres): written only by a document's owner node. */
  store: DocPersistence;
  /** Lease TTL (ECOURT_LEASE_TTL_MS): how long a dead owner keeps its documents. */
  leaseTtlMs: number;
  logger: Logger;
  /** Default: half the lease TTL, between 2 and 5 s. */
  requestTimeoutMs?: number;
  /** The largest update a session may send (ECOURT_COLLAB_MAX_MESSAGE_BYTES): NATS must carry it between nodes. */
  maxUpdateBytes?: number;
}


export interface DocReplication extends RoomReplication {
  readonly ownership: DocOwnership;
  /** Gives back the leases still held; call after the hub closed its rooms. */
  stop(): Promise<void>;
}

export async function startDocReplication(options: DocReplicationOptions): Promise<DocReplication> {
  const logger = options.logger.child({ component: 'collab-relay' });
  const ownership = await DocOwnership.open({
    connection: options.connection,
    namespace: options.namespace,
    nodeId: options.nodeId,
    ttlMs: options.leaseTtlMs,
    logger,
  });
  const maxPayload = options.connection.info?.max_payload;
  if (options.maxUpdateBytes !== undefined && maxPayload !== undefined && maxPayload < options.maxUpdateBytes) {
    // A relay could not forward such an update to the owner: raise the server's max_payload or lower the limit.
    logger.warn('NATS max_payload is below the collaborative update limit; larger updates cannot cross hub nodes', {
      maxPayload,
      maxUpdateBytes: options.maxUpdateBytes,
    });
  }
  // Long enough for a busy owner's commit, short next to the lease: a dead owner's requests mostly fail at once (no responders).
  const requestTimeoutMs = options.requestTimeoutMs ?? Math.min(5000, Math.max(2000, Math.floor(options.leaseTtlMs / 2)));
  return {
    ownership,
    open(name) {
      const doc = new ReplicatedDoc({
        name,
        connection: options.connection,
        namespace: options.namespace,
        ownership,
        store: options.store,
        logger,
        requestTimeoutMs,
      });
      return { persistence: doc, attach: (room) => doc.attach(room) };
    },
    stop: () => ownership.stop(),
  };
}
