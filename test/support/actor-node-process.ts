// Starts a real actor node (`ecourt start --role actors`) as a child process on a test database
// and NATS namespace, and waits for its "node ready" log line. For the distributed actor tests.
import { randomBytes } from 'node:crypto';
import { jetstreamManager } from '@nats-io/jetstream';
import { Kvm } from '@nats-io/kv';
import type { NatsConnection } from '@nats-io/transport-node';
import { buckets, streams } from '../../actors/bus/subjects.ts';
import { DOC_LEASE_BUCKET } from '../../hub/collab/relay/relay-subjects.ts';
import { MEDIA_LEASE_BUCKET } from '../../hub/hearings/media-relay-subjects.ts';
import { runEcourt, type EcourtProcess } from './cli-process.ts';
import { NATS_TEST_URL } from './services.ts';

/** What every node of a distributed test shares or names: the database, the NATS namespace, its id, the secrets. */
export interface DistributedNodeOptions {
  databaseUrl: string;
  namespace: string;
  nodeId: string;
  /** Shared by every node of a test: the secret and the personal-data key must agree. */
  secrets: { secret: string; dataKey: string };
  leaseTtlMs?: number;
  readyTimeoutMs?: number;
}

export interface ActorNodeOptions extends DistributedNodeOptions {
  shards?: number;
}

export interface ActorNode extends EcourtProcess {
  nodeId: string;
}

/** One secret pair for all nodes of a test run. */
export const testNodeSecrets = () => ({ secret: randomBytes(32).toString('base64url'), dataKey: randomBytes(32).toString('hex') });

/** The environment of a distributed node (Postgres + NATS) for `ecourt start`. */
export function distributedNodeEnv(options: DistributedNodeOptions): Record<string, string> {
  return {
    DATABASE_URL: options.databaseUrl,
    NATS_URL: NATS_TEST_URL,
    ECOURT_NATS_NAMESPACE: options.namespace,
    ECOURT_NODE_ID: options.nodeId,
    ECOURT_SECRET: options.secrets.secret,
    ECOURT_DATA_KEY: options.secrets.dataKey,
    ECOURT_LEASE_TTL_MS: String(options.leaseTtlMs ?? 3000),
    ECOURT_LOG_LEVEL: 'info',
  };
}

/** Runs `ecourt <args>` and waits for its "node ready" line (its fields); a node that never gets ready is killed. */
export async function startReadyNode(args: string[], env: Record<string, string>, readyTimeoutMs = 30_000): Promise<{ node: EcourtProcess; ready: Record<string, unknown> }> {
  const node = runEcourt(args, env);
  try {
    return { node, ready: await node.waitForLog('node ready', readyTimeoutMs) };
  } catch (error) {
    await node.stop('SIGKILL');
    throw error;
  }
}

export async function startActorNode(options: ActorNodeOptions): Promise<ActorNode> {
  const env = { ...distributedNodeEnv(options), ECOURT_SHARDS: String(options.shards ?? 16) };
  const { node } = await startReadyNode(['start', '--role', 'actors'], env, options.readyTimeoutMs);
  return Object.assign(node, { nodeId: options.nodeId });
}

/** Deletes a test namespace's stream and buckets, so test runs don't fill the shared server. */
export async function removeNatsNamespace(connection: NatsConnection, namespace: string): Promise<void> {
  const jsm = await jetstreamManager(connection);
  // The hub's document and hearing media leases too (a hub node in the namespace creates them).
  const kvStreams = [buckets.shardLeases, buckets.nodes, DOC_LEASE_BUCKET, MEDIA_LEASE_BUCKET].map((bucket) => `KV_${bucket}_${namespace}`);
  for (const stream of [`${streams.events}_${namespace}`, ...kvStreams]) {
    await jsm.streams.delete(stream).catch(() => undefined);
  }
}

/** Who holds which shard lease right now: lease key ('case.3') → node id. */
export async function leaseOwners(connection: NatsConnection, namespace: string): Promise<Map<string, string>> {
  const kv = await new Kvm(connection).open(`${buckets.shardLeases}_${namespace}`);
  const owners = new Map<string, string>();
  for await (const key of await kv.keys()) {
    const entry = await kv.get(key);
    if (entry?.operation === 'PUT') owners.set(key, entry.json<{ node: string }>().node);
  }
  return owners;
}
