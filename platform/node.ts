// Composes one ecourt process from its parts for a role: `all` (embedded or one big node),
// `hub` (HTTP/WebSocket only) or `actors` (hosts actors for the shards it leases).
// Nothing here knows HTTP or SQL; it only wires the modules together and tears them down.
import { hostname } from 'node:os';
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { blobDirOf, ConfigError, isEmbedded, type Config, type ProcessRole } from './config.ts';
import { createLogger, type Logger } from './logger.ts';
import { loadSecrets, type NodeSecrets } from './secrets.ts';
import { createPersonalDataCipher, type PersonalDataCipher } from './personal-data.ts';
import { createCaseNumberReservation } from './case-numbering.ts';
import { seedDemoIfEmpty, type DemoSeedResult } from './demo-seed.ts';
import { openDatabase, type Database } from '../storage/database.ts';
import { migrateDatabase } from '../storage/migrate.ts';
import { createSqlJournal } from '../storage/journal/sql-journal.ts';
import { caseProjection } from '../storage/journal/case-projection.ts';
import { COLLAB_COMMIT_MAX_BATCH, COLLAB_COMPACT_IDLE_MS, createCollabStore } from '../storage/collab/collab-store.ts';
import type { Bus } from '../actors/bus/bus.ts';
import { createInProcessBus } from '../actors/bus/in-process-bus.ts';
import { createNatsBus, type NatsBus } from '../actors/bus/nats-bus.ts';
import { ActorHost } from '../actors/runtime/actor-host.ts';
import { createBusActorClient } from '../actors/runtime/bus-actor-client.ts';
import { watchShardRoutes } from '../actors/runtime/shard-routes.ts';
import { startShardKeeper, type ShardKeeper } from '../actors/runtime/shard-keeper.ts';
import type { ActorClient } from '../actors/runtime/types.ts';
import { createCaseBehaviour } from '../actors/case/case-behaviour.ts';
import { startHearingSpawner } from '../actors/case/hearing-spawner.ts';
import { startCaseFileArchiver } from '../documents/archive/archive-on-close.ts';
import { LocalBlobStore } from '../storage/blobs/local-blob-store.ts';
import { startHearingClock } from '../actors/hearing/hearing-clock.ts';
import { listOpenHearings } from '../storage/hearings/list-open-hearings.ts';
import { createHearingBehaviour, HEARING_KIND } from '../actors/hearing/hearing-behaviour.ts';
import { hearingProjection } from '../storage/journal/hearing-projection.ts';
import { filingProjection } from '../storage/journal/filing-projection.ts';
import { createFilingBehaviour, FILING_KIND } from '../actors/filing/filing-behaviour.ts';
import { filingReviewLookups } from '../storage/filings/filing-review-lookups.ts';
import { runThirdPartyChecks } from '../hub/filings/checks/third-party-checks.ts';
import { createFilingReferenceCheck } from '../storage/journal/filing-references.ts';
import { startHub, type RunningHub } from '../hub/server.ts';
import { startDocReplication } from '../hub/collab/relay/doc-replication.ts';
import { startHearingMediaNodes } from '../hub/hearings/media-nodes.ts';

export const DEFAULT_STATIC_DIR = fileURLToPath(new URL('../web-components/dist/', import.meta.url));

export interface StartPlatformOptions {
  config: Config;
  /** Defaults to config.ECOURT_ROLE. */
  role?: ProcessRole;
  /** PGlite in memory instead of the data dir (tests, benchmarks). */
  inMemoryDatabase?: boolean;
  /** Seed the demo court when the database has no users. Defaults to ECOURT_SEED_DEMO (auto = embedded only). */
  seedDemo?: boolean;
  logger?: Logger;
  staticDir?: string;
}

export interface RunningPlatform {
  config: Config;
  role: ProcessRole;
  nodeId: string;
  logger: Logger;
  secrets: NodeSecrets;
  cipher: PersonalDataCipher;
  database: Database;
  bus: Bus;
  actors: ActorClient;
  host?: ActorHost;
  hub?: RunningHub;
  demo?: DemoSeedResult;
  stop(): Promise<void>;
}

function checkRole(config: Config, role: ProcessRole): void {
  if (role !== 'all' && (config.NATS_URL === undefined || config.DATABASE_URL === undefined)) {
    throw new ConfigError([
      {
        variable: config.NATS_URL === undefined ? 'NATS_URL' : 'DATABASE_URL',
        message: `is required for role "${role}": separate processes share state only through Postgres and NATS`,
      },
    ]);
  }
}

export async function startPlatform(options: StartPlatformOptions): Promise<RunningPlatform> {
  const { config } = options;
  const role = options.role ?? config.ECOURT_ROLE;
  checkRole(config, role);
  const nodeId = config.ECOURT_NODE_ID ?? `${hostname()}-${process.pid}-${randomBytes(2).toString('hex')}`;
  const logger = options.logger ?? createLogger({ level: config.ECOURT_LOG_LEVEL, base: { node: nodeId, role } });
  const secrets = loadSecrets(config);
  const cipher = createPersonalDataCipher(secrets.dataKey);

  // Teardown runs in reverse order of start, also when a later step fails.
  const teardown: (() => Promise<void>)[] = [];
  const stop = async () => {
    for (const step of teardown.splice(0).reverse()) {
      try {
        await step();
      } catch (error) {
        logger.error('stop step failed', { error });
      }
    }
  };

  try {
    const database = await openDatabase({
      databaseUrl: config.DATABASE_URL,
      dataDir: config.ECOURT_DATA_DIR,
      inMemory: options.inMemoryDatabase ?? false,
    });
    teardown.push(() => database.close());
    await migrateDatabase(database);

    const bus: Bus = config.NATS_URL
      ? await createNatsBus({ url: config.NATS_URL, namespace: config.ECOURT_NATS_NAMESPACE, logger, name: nodeId })
      : createInProcessBus();
    teardown.push(() => bus.close());
    // Over NATS the client reads the shard leases and batches its commands per node (shard-routes.ts).
    const routes = config.NATS_URL
      ? await watchShardRoutes({ connection: (bus as NatsBus).connection, namespace: (bus as NatsBus).namespace, ttlMs: config.ECOURT_LEASE_TTL_MS })
      : undefined;
    if (routes) teardown.push(() => routes.stop());
    const actors = createBusActorClient({ bus, shardCount: config.ECOURT_SHARDS, ...(routes ? { routes } : {}) });

    let host: ActorHost | undefined;
    if (role === 'all' || role === 'actors') {
      const actorHost = new ActorHost({
        nodeId,
        journal: createSqlJournal({ db: database.db, projections: { case: caseProjection, hearing: hearingProjection, [FILING_KIND]: filingProjection } }),
        bus,
        behaviours: [
          createCaseBehaviour({ reserveCaseNumbers: createCaseNumberReservation(database.db), checkFilingReferences: createFilingReferenceCheck(database.db), cipher }),
          createHearingBehaviour({ defaultLanguage: config.ECOURT_ASR_LANGUAGE }),
          // 网上立案审查: evaluates each submitted filing with the court's rules and journals the outcome.
          createFilingBehaviour({
            cipher,
            ...filingReviewLookups(database.db),
            thirdPartyChecks: (filing, filerUserId) => runThirdPartyChecks({ db: database.db }, filing, filerUserId),
          }),
        ],
        logger,
        shardCount: config.ECOURT_SHARDS,
      });
      host = actorHost;
      teardown.push(() => actorHost.stop());
      if (config.NATS_URL) {
        const keeper: ShardKeeper = await startShardKeeper({
          bus: bus as Awaited<ReturnType<typeof createNatsBus>>,
          nodeId,
          kinds: ['case', HEARING_KIND, FILING_KIND],
          shardCount: config.ECOURT_SHARDS,
          leaseTtlMs: config.ECOURT_LEASE_TTL_MS,
          host: actorHost,
          logger,
        });
        // Keeper stops first (releasing leases) so other nodes take over at once.
        teardown.push(() => keeper.stop());
      } else {
        actorHost.serveAllShards();
      }
      // The case actor's scheduled hearings become hearing actors (also those missed while no node ran),
      // and their timed commands (lobby opening, reconnect grace) are sent by the clock, not by timers
      // inside the journalled actor; at start it re-arms every open hearing's timers.
      const spawner = startHearingSpawner({ bus, db: database.db, actors, logger });
      teardown.push(() => spawner.stop());
      // 结案归档: a case that closes gets its sealed case file built and kept once (also those closed while no node ran).
      const archiver = startCaseFileArchiver({ bus, db: database.db, blobs: new LocalBlobStore(blobDirOf(config)), config, logger });
      teardown.push(() => archiver.stop());
      const clock = startHearingClock({ actors, logger, bus });
      teardown.push(async () => clock.stop());
      for (const hearing of await listOpenHearings({ db: database.db })) clock.follow(hearing);
    }

    const shouldSeed = options.seedDemo ?? (config.ECOURT_SEED_DEMO === 'always' || (config.ECOURT_SEED_DEMO === 'auto' && isEmbedded(config)));
    let demo: DemoSeedResult | undefined;
    if (shouldSeed && role === 'all') {
      demo = await seedDemoIfEmpty({ database, cipher, actors, config, logger });
    }

    let hub: RunningHub | undefined;
    if (role === 'all' || role === 'hub') {
      // Updates are broadcast at once and committed in windows (one commit per window, not per update);
      // documents are compacted once idle, so a compaction never stalls a busy room's fan-out.
      const collabStore = createCollabStore({
        db: database.db,
        logger,
        maxDelayMs: config.ECOURT_COLLAB_COMMIT_WINDOW_MS,
        maxBatch: COLLAB_COMMIT_MAX_BATCH,
        compactIdleMs: COLLAB_COMPACT_IDLE_MS,
      });
      // Registered before the hub, so on stop the hub closes (flushing its rooms) first.
      teardown.push(() => collabStore.close());
      // Several hub nodes on NATS: each document has one owner node (a KV lease), the others relay to it.
      const collabReplication = config.NATS_URL
        ? await startDocReplication({
            connection: (bus as NatsBus).connection,
            namespace: (bus as NatsBus).namespace,
            nodeId,
            store: collabStore,
            leaseTtlMs: config.ECOURT_LEASE_TTL_MS,
            maxUpdateBytes: config.ECOURT_COLLAB_MAX_MESSAGE_BYTES,
            logger,
          })
        : undefined;
      // Stopped after the hub closed its rooms: gives back any lease still held.
      if (collabReplication) teardown.push(() => collabReplication.stop());
      // Several hub nodes on NATS: each hearing's media runs on one owner node (a KV lease), the others relay its signalling.
      const hearingMediaNodes = config.NATS_URL
        ? await startHearingMediaNodes({
            connection: (bus as NatsBus).connection,
            namespace: (bus as NatsBus).namespace,
            nodeId,
            leaseTtlMs: config.ECOURT_LEASE_TTL_MS,
            logger,
          })
        : undefined;
      // Stopped after the hub closed its routers: gives back any lease still held.
      if (hearingMediaNodes) teardown.push(() => hearingMediaNodes.stop());
      const runningHub = await startHub({
        collabPersistence: collabStore,
        collabLimits: { maxMessageBytes: config.ECOURT_COLLAB_MAX_MESSAGE_BYTES },
        ...(collabReplication ? { collabReplication } : {}),
        ...(hearingMediaNodes ? { hearingMediaNodes } : {}),
        config,
        logger,
        database,
        bus,
        actors,
        cipher,
        sessionSecret: secrets.sessionSecret,
        staticDir: options.staticDir ?? DEFAULT_STATIC_DIR,
      });
      hub = runningHub;
      teardown.push(() => runningHub.close());
    }

    logger.info('node ready', { role, url: hub?.url, database: database.dialect, bus: config.NATS_URL ? 'nats' : 'in-process' });
    return { config, role, nodeId, logger, secrets, cipher, database, bus, actors, host, hub, demo, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}
