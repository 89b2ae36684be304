// The benchmark's separate actor node: an ActorHost serving every case shard over NATS (by lease
// with BENCH_LEASES=1), journalling
// to Postgres. Started by scripts/bench/actors.ts; answers its stats on `bench.stats`, stops on SIGTERM.
//   BENCH_DATABASE_URL=… BENCH_NATS_URL=… BENCH_NAMESPACE=… BENCH_DATA_KEY=<64 hex> BENCH_SHARDS=64 node --import tsx scripts/bench/actor-host-process.ts
import { createNatsBus } from '../../actors/bus/nats-bus.ts';
import { createCaseBehaviour } from '../../actors/case/case-behaviour.ts';
import { createFilingReferenceCheck } from '../../storage/journal/filing-references.ts';
import { ActorHost } from '../../actors/runtime/actor-host.ts';
import { startShardKeeper, type ShardKeeper } from '../../actors/runtime/shard-keeper.ts';
import { createCaseNumberReservation } from '../../platform/case-numbering.ts';
import { createLogger, silentLogger } from '../../platform/logger.ts';
import { createPersonalDataCipher } from '../../platform/personal-data.ts';
import { openDatabase } from '../../storage/database.ts';
import { caseProjection } from '../../storage/journal/case-projection.ts';
import { createSqlJournal } from '../../storage/journal/sql-journal.ts';
import { timedJournal } from './case-flow.ts';

function required(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is required`);
  return value;
}

async function main(): Promise<void> {
  const log = createLogger({ base: { component: 'bench-host' } });
  const database = await openDatabase({ databaseUrl: required('BENCH_DATABASE_URL') });
  const bus = await createNatsBus({ url: required('BENCH_NATS_URL'), namespace: required('BENCH_NAMESPACE'), logger: log, name: 'bench-host', maxPending: 100_000 });
  const cipher = createPersonalDataCipher(Buffer.from(required('BENCH_DATA_KEY'), 'hex'));
  const commitMs: number[] = [];
  const sqlJournal = createSqlJournal({ db: database.db, projections: { case: caseProjection } });
  const journal = timedJournal(sqlJournal, commitMs);
  const host = new ActorHost({
    nodeId: 'bench-host',
    journal,
    bus,
    behaviours: [createCaseBehaviour({ reserveCaseNumbers: createCaseNumberReservation(database.db), checkFilingReferences: createFilingReferenceCheck(database.db), cipher })],
    logger: silentLogger,
    shardCount: Number(required('BENCH_SHARDS')),
    // BENCH_MAX_COMMITS: group commits in flight at once; BENCH_MAX_DELAY_MS: how long the first
    // record of a group commit may wait for others; BENCH_MAX_BATCH: most records per group commit;
    // BENCH_EAGER_BATCH: records that start a commit at once while none is in flight (the writer's
    // defaults when unset).
    groupCommit: {
      ...(process.env.BENCH_MAX_COMMITS ? { maxConcurrentCommits: Number(process.env.BENCH_MAX_COMMITS) } : {}),
      ...(process.env.BENCH_MAX_DELAY_MS ? { maxDelayMs: Number(process.env.BENCH_MAX_DELAY_MS) } : {}),
      ...(process.env.BENCH_MAX_BATCH ? { maxBatch: Number(process.env.BENCH_MAX_BATCH) } : {}),
      ...(process.env.BENCH_EAGER_BATCH ? { eagerBatch: Number(process.env.BENCH_EAGER_BATCH) } : {}),
    },
  });
  // BENCH_LEASES=1: hold the shards by lease like a production node (so clients can route per
  // node from the lease bucket), ready once it holds all of them; else serve every shard directly.
  let keeper: ShardKeeper | undefined;
  if (process.env.BENCH_LEASES === '1') {
    keeper = await startShardKeeper({ bus, nodeId: 'bench-host', kinds: ['case'], shardCount: Number(required('BENCH_SHARDS')), host, logger: silentLogger });
    while (keeper.ownedShards().length < Number(required('BENCH_SHARDS'))) {
      await keeper.rebalance();
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  } else {
    host.serveAllShards();
  }
  // CPU and commits of this process while the bench measures (reset right before its first
  // measured command, i.e. after any warm-up).
  let cpuSince = process.cpuUsage();
  let statsSince = host.stats();
  bus.serve('bench.cpu-reset', async () => {
    cpuSince = process.cpuUsage();
    statsSince = host.stats();
    commitMs.length = 0;
    return null;
  });
  bus.serve('bench.stats', async () => {
    const cpu = process.cpuUsage(cpuSince);
    const sorted = [...commitMs].sort((a, b) => a - b);
    const stats = host.stats();
    return {
      ...stats,
      commits: stats.commits - statsSince.commits,
      records: stats.records - statsSince.records,
      commitP50: sorted[Math.floor(sorted.length / 2)] ?? 0,
      cpuMicros: cpu.user + cpu.system,
      cpuUserMicros: cpu.user,
    };
  });
  await bus.connection.flush();
  log.info('bench host ready');
  process.once('SIGTERM', () => {
    void (async () => {
      await keeper?.stop();
      await host.stop();
      await bus.close();
      await database.close();
    })().finally(() => process.exit(0));
  });
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
