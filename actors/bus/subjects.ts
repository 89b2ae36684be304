// Every bus subject is built here, nowhere else. The NATS bus prefixes each with its namespace
// (ECOURT_NATS_NAMESPACE, default "ecourt"), so several platforms or test runs can share one server.
// Tokens must not contain ".", "*", ">" or spaces.
const SAFE_TOKEN = /^[A-Za-z0-9_-]+$/;

function token(value: string | number, what: string): string {
  const text = String(value);
  if (!SAFE_TOKEN.test(text)) throw new Error(`unsafe ${what} for a subject: ${JSON.stringify(text)}`);
  return text;
}

export const subjects = {
  /** Commands for actors of a kind whose id hashes to a shard; served by the shard's owner. */
  actorCommand: (kind: string, shard: number) => `actor.${token(kind, 'kind')}.${token(shard, 'shard')}.cmd`,
  /**
   * Commands for any actor a node serves (batches whose entries name their kind): a client that
   * knows the shards' lease holders sends one batch per node instead of one per shard. The node id
   * is base64url-encoded, since host names may hold dots; the host still checks every entry's shard.
   */
  actorNodeCommand: (nodeId: string) => `actornode.${token(Buffer.from(nodeId, 'utf8').toString('base64url'), 'node')}.cmd`,
  /**
   * Domain events of one actor, live (core NATS). The actor host no longer sends these (its events
   * go out per group commit on actorEventBatch); kept for single-actor notices, outside the stream.
   */
  actorEvent: (kind: string, id: string) => `event.${token(kind, 'kind')}.${token(id, 'id')}`,
  /**
   * The domain events of one group commit of a kind, as ONE durable message (a DomainEventBatch):
   * what the JetStream stream stores and what live subscribers (the hub's /rt fan-out) hear.
   * One token shorter than actorEvent, so per-actor subscriptions (actorEventsOfKind) never see it.
   */
  actorEventBatch: (kind: string) => `event.${token(kind, 'kind')}`,
  /** All domain events of a kind. */
  actorEventsOfKind: (kind: string) => `event.${token(kind, 'kind')}.*`,
  /** The JetStream stream's subject filter: event batches of every kind (not the live per-actor events). */
  durableActorEvents: () => 'event.*',
  /** Inspection events of one actor, for dashboards. Fire-and-forget. */
  inspection: (kind: string, id: string) => `inspect.${token(kind, 'kind')}.${token(id, 'id')}`,
  /**
   * The transitions of one group commit of a kind as ONE message (an InspectionBatch): what the
   * actor host publishes, so a commit costs one inspection message however many events it holds.
   */
  inspectionBatch: (kind: string) => `inspect.${token(kind, 'kind')}`,
  allInspection: () => 'inspect.>',
  /**
   * Live notices about a case that are not actor events (e.g. an evidence file was added), for the
   * hub's /rt fan-out on every hub node. Fire-and-forget: a client that misses one refetches on resync.
   */
  caseNotice: () => 'notice.case',
  /**
   * How live speech recognition of a hearing keeps up (backlog, delay), from the node that holds the
   * hearing's media, for the hub's /rt fan-out to the hearing's staff. Fire-and-forget, never stored.
   */
  hearingAsrStatus: () => 'notice.hearing-asr',
  /**
   * A face re-check during a hearing found someone else, nobody or several people on a participant's
   * camera (hub/hearings/identity-rechecks.ts), for the /rt fan-out to the hearing's judge and clerk.
   * Fire-and-forget; the hearing actor's state keeps the alert.
   */
  hearingIdentityAlert: () => 'notice.hearing-identity-alert',
} as const;

/** Name of the JetStream stream holding domain events, and of the KV buckets for leases. */
export const streams = { events: 'ECOURT_EVENTS' } as const;
export const buckets = { shardLeases: 'ecourt_shard_leases', nodes: 'ecourt_nodes' } as const;
