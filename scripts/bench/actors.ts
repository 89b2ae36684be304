// Benchmark: real case commands to many case actors, journalled through the SQL journal (with
// projections) on Postgres, once over the in-process bus (the named peer) and once over NATS
// request/reply; plus Postgres' raw single-row insert rate as a baseline. Prints one table.
//   node --import tsx scripts/bench/actors.ts [--actors 10000] [--commands N] [--concurrency C]
//     [--hosts H] [--shards S] [--batch-per shard|node] [--only in-process|nats|nats-process] [--skip-raw]   (BENCH_POSTGRES_URL, BENCH_NATS_URL override the servers)
//   --concurrency takes a list (e.g. 256,64): every configuration runs once per concurrency.
//   A second table gives CPU µs per journalled event of every process: host, client, nats-server,
//   the Postgres backends of the bench database and Postgres' background processes.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { availableParallelism, loadavg } from 'node:os';
import { randomBytes, randomUUID } from 'node:crypto';
import pg from 'pg';
import { jetstreamManager } from '@nats-io/jetstream';
import { createInProcessBus } from '../../actors/bus/in-process-bus.ts';
import { createNatsBus } from '../../actors/bus/nats-bus.ts';
import type { Bus } from '../../actors/bus/bus.ts';
import { createCaseBehaviour } from '../../actors/case/case-behaviour.ts';
import { createFilingReferenceCheck } from '../../storage/journal/filing-references.ts';
import { ActorHost } from '../../actors/runtime/actor-host.ts';
import { createBusActorClient } from '../../actors/runtime/bus-actor-client.ts';
import { watchShardRoutes } from '../../actors/runtime/shard-routes.ts';
import { DEFAULT_LEASE_TTL_MS } from '../../actors/runtime/shard-keeper.ts';
import type { ActorClient } from '../../actors/runtime/types.ts';
import { createCaseNumberReservation } from '../../platform/case-numbering.ts';
import { silentLogger } from '../../platform/logger.ts';
import { createPersonalDataCipher, type PersonalDataCipher } from '../../platform/personal-data.ts';
import { openDatabase, type Database } from '../../storage/database.ts';
import { caseProjection } from '../../storage/journal/case-projection.ts';
import { createSqlJournal } from '../../storage/journal/sql-journal.ts';
import { migrateDatabase } from '../../storage/migrate.ts';
import { caseLifeCommands, createCourtFixture, timedJournal, type CourtFixture } from './case-flow.ts';
import { createCpuMeter, type OtherProcessesCpu } from './process-cpu.ts';
import { createScratchDatabase } from '../../storage/scratch-database.ts';

/** Shards of the case kind (--shards; 64 as in production). Fewer shards = bigger command batches per request. */
let SHARDS = 64;
/** --batch-per node (distributed shape only): the host holds its shards by lease, the client batches per lease holder. */
let BATCH_PER_NODE = false;
/**
 * --warmup N: before measuring, every host first serves N other actors the same steps (not
 * counted): a node runs for days, and a fresh process spends a share of its first seconds
 * compiling its hot code (V8's optimising compiler on its helper threads). 0: measure from cold.
 */
let WARMUP_ACTORS = 0;
const HOST_PROCESS = fileURLToPath(new URL('./actor-host-process.ts', import.meta.url));

interface Result {
  config: string;
  concurrency: number;
  actors: number;
  commands: number;
  ok: number;
  seconds: number;
  p50: number;
  p99: number;
  commits: number;
  records: number;
  /** Median time of one group commit (whole statement/transaction) and of building its projection writes. */
  commitP50: number;
  projectionP50: number;
  /** Each step of the case life on its own: FILE creates the actors, the later ones go to live ones. */
  phases: PhaseResult[];
  /** CPU (user + system) of the process running the host, per journalled event: load-independent cost. */
  hostCpuUsPerEvent: number;
  /** CPU µs per journalled event of each process taking part (same order in every result). */
  cpu: { process: string; usPerEvent: number }[];
}

type CpuMeter = Awaited<ReturnType<typeof createCpuMeter>>;

/** The rows every configuration shares: nats-server (when used) and Postgres. */
function otherCpuRows(other: OtherProcessesCpu, records: number, withNats: boolean): { process: string; usPerEvent: number }[] {
  const per = (micros: number) => micros / Math.max(records, 1);
  return [
    ...(withNats ? [{ process: 'nats-server', usPerEvent: per(other.natsMicros) }] : []),
    { process: 'postgres backends (bench db)', usPerEvent: per(other.postgresBackendMicros) },
    { process: 'postgres background (wal writer…, shared)', usPerEvent: per(other.postgresBackgroundMicros) },
  ];
}

interface PhaseResult {
  type: string;
  commands: number;
  ok: number;
  seconds: number;
  p50: number;
  p99: number;
}

const percentile = (sorted: Float64Array, p: number) => (sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]! : 0);


/**
 * Sends the first `commandsPerActor` steps of each actor's life, step by step across all actors
 * (FILE to every actor, then BEGIN_REVIEW, …), keeping `concurrency` commands in flight.
 */
async function drive(client: ActorClient, fixture: CourtFixture, actors: number, totalCommands: number, concurrency: number) {
  const lives = Array.from({ length: actors }, (_, index) => ({ id: randomUUID(), commands: caseLifeCommands(fixture, index) }));
  const steps = Math.max(1, Math.ceil(totalCommands / actors));
  const tasks: { actor: number; step: number }[] = [];
  for (let step = 0; step < steps; step++) {
    for (let actor = 0; actor < actors && tasks.length < totalCommands; actor++) {
      if (step < lives[actor]!.commands.length) tasks.push({ actor, step });
    }
  }
  const latencies = new Float64Array(tasks.length);
  const phases: { type: string; first: number; last: number; count: number; ok: number; latencies: number[] }[] = [];
  const done = new Array<Promise<void> | undefined>(actors);
  let next = 0;
  let ok = 0;
  let firstError: unknown;
  const started = performance.now();
  const worker = async () => {
    while (next < tasks.length) {
      const index = next++;
      const task = tasks[index]!;
      const life = lives[task.actor]!;
      // An actor's next step waits for its previous one (it is a different command per state).
      const previous = done[task.actor];
      const run = (async () => {
        if (previous) await previous;
        const sentAt = performance.now();
        const reply = await client.ask({ kind: 'case', id: life.id }, life.commands[task.step]!, { timeoutMs: 30_000 });
        const finishedAt = performance.now();
        latencies[index] = finishedAt - sentAt;
        const phase = (phases[task.step] ??= { type: life.commands[task.step]!.type, first: sentAt, last: finishedAt, count: 0, ok: 0, latencies: [] });
        phase.latencies.push(finishedAt - sentAt);
        if (reply.ok) phase.ok += 1;
        phase.first = Math.min(phase.first, sentAt);
        phase.last = Math.max(phase.last, finishedAt);
        phase.count += 1;
        if (reply.ok) ok += 1;
        else firstError ??= reply.error;
      })();
      done[task.actor] = run;
      await run;
    }
  };
  await Promise.all(Array.from({ length: concurrency }, () => worker()));
  const seconds = (performance.now() - started) / 1000;
  latencies.sort();
  if (firstError) console.error('first refusal:', JSON.stringify(firstError));
  // Per command type: how fast that step went, from its first send to its last reply (steps overlap
  // a little at their edges: the last FILEs run alongside the first BEGIN_REVIEWs).
  const phaseResults: PhaseResult[] = phases.map((p) => {
    const sorted = Float64Array.from(p.latencies).sort();
    return { type: p.type, commands: p.count, ok: p.ok, seconds: (p.last - p.first) / 1000, p50: percentile(sorted, 50), p99: percentile(sorted, 99) };
  });
  return { commands: tasks.length, ok, seconds, p50: percentile(latencies, 50), p99: percentile(latencies, 99), phases: phaseResults };
}

/** The same steps for WARMUP_ACTORS other actors, at the same concurrency; nothing of it is measured. */
async function warmUp(client: ActorClient, fixture: CourtFixture, options: { actors: number; commands: number; concurrency: number }): Promise<void> {
  const stepsPerActor = Math.max(1, Math.ceil(options.commands / options.actors));
  const run = await drive(client, fixture, WARMUP_ACTORS, WARMUP_ACTORS * stepsPerActor, options.concurrency);
  if (run.ok !== run.commands) throw new Error(`warm-up: ${run.commands - run.ok} of ${run.commands} commands refused`);
}

async function runConfig(
  config: string,
  database: Database,
  cipher: PersonalDataCipher,
  fixture: CourtFixture,
  buses: { host: Bus; client: Bus },
  options: { actors: number; commands: number; concurrency: number; hosts: number },
  meter: CpuMeter,
): Promise<Result> {
  // Commit and projection times are measured around the real journal, to show where time goes
  // (the projection only builds its writes; the database runs them within the commit).
  const commitMs: number[] = [];
  const projectionMs: number[] = [];
  const sqlJournal = createSqlJournal({
    db: database.db,
    projections: {
      case: (records) => {
        const started = performance.now();
        const writes = caseProjection(records);
        projectionMs.push(performance.now() - started);
        return writes;
      },
    },
  });
  const journal = timedJournal(sqlJournal, commitMs);
  // Several hosts in one process split the shards like several nodes would: each has its own
  // group commit, so their commits overlap (one host commits one batch at a time).
  const hosts = Array.from(
    { length: options.hosts },
    (_, index) =>
      new ActorHost({
        nodeId: `bench-${config}-${index}`,
        journal,
        bus: buses.host,
        behaviours: [createCaseBehaviour({ reserveCaseNumbers: createCaseNumberReservation(database.db), checkFilingReferences: createFilingReferenceCheck(database.db), cipher })],
        logger: silentLogger,
        shardCount: SHARDS,
      }),
  );
  for (let shard = 0; shard < SHARDS; shard++) hosts[shard % hosts.length]!.serveShard('case', shard);
  const client = createBusActorClient({ bus: buses.client, shardCount: SHARDS });
  try {
    if (WARMUP_ACTORS > 0) await warmUp(client, fixture, options);
    commitMs.length = 0;
    projectionMs.length = 0;
    const statsBefore = hosts.map((host) => host.stats());
    const stopMeter = await meter.start();
    const cpuBefore = process.cpuUsage();
    const run = await drive(client, fixture, options.actors, options.commands, options.concurrency);
    const cpu = process.cpuUsage(cpuBefore);
    const other = await stopMeter();
    const stats = hosts.map((host) => host.stats());
    const commits = stats.reduce((sum, s) => sum + s.commits, 0) - statsBefore.reduce((sum, s) => sum + s.commits, 0);
    const records = stats.reduce((sum, s) => sum + s.records, 0) - statsBefore.reduce((sum, s) => sum + s.records, 0);
    const median = (values: number[]) => (values.length ? [...values].sort((x, y) => x - y)[Math.floor(values.length / 2)]! : 0);
    // Here the client shares the process, so this includes the sending side too.
    const hostCpuUsPerEvent = (cpu.user + cpu.system) / Math.max(records, 1);
    const cpuRows = [{ process: 'bench process (host + client)', usPerEvent: hostCpuUsPerEvent }, ...otherCpuRows(other, records, config.startsWith('nats'))];
    return {
      config,
      concurrency: options.concurrency,
      actors: options.actors,
      ...run,
      commits,
      records,
      commitP50: median(commitMs),
      projectionP50: median(projectionMs),
      hostCpuUsPerEvent,
      cpu: cpuRows,
    };
  } finally {
    await Promise.all(hosts.map((host) => host.stop()));
  }
}

/** The distributed shape: the ActorHost in its own process, this process only sends commands over NATS. */
async function runSeparateHost(
  urls: { database: string; nats: string },
  namespace: string,
  dataKey: string,
  fixture: CourtFixture,
  options: { actors: number; commands: number; concurrency: number },
  meter: CpuMeter,
): Promise<Result> {
  // BENCH_HOST_NODE_ARGS: extra node flags for the host process (e.g. '--cpu-prof --cpu-prof-dir=/tmp/prof').
  const nodeArgs = (process.env.BENCH_HOST_NODE_ARGS ?? '').split(' ').filter(Boolean);
  const child = spawn(process.execPath, [...nodeArgs, '--import', 'tsx', HOST_PROCESS], {
    env: { ...process.env, BENCH_DATABASE_URL: urls.database, BENCH_NATS_URL: urls.nats, BENCH_NAMESPACE: namespace, BENCH_DATA_KEY: dataKey, BENCH_SHARDS: String(SHARDS), BENCH_LEASES: BATCH_PER_NODE ? '1' : '' },
    stdio: ['ignore', 'inherit', 'pipe'],
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  await new Promise<void>((resolve, reject) => {
    let output = '';
    child.stderr!.setEncoding('utf8').on('data', (chunk: string) => {
      output += chunk;
      if (output.includes('"bench host ready"')) resolve();
    });
    child.once('exit', (code) => reject(new Error(`bench host exited (${code}) before ready:\n${output}`)));
  });
  const bus = await createNatsBus({ url: urls.nats, namespace, logger: silentLogger, name: 'bench-client' });
  // --batch-per node: the client reads the lease holders and sends one batch per node, not per shard.
  const routes = BATCH_PER_NODE ? await watchShardRoutes({ connection: bus.connection, namespace: bus.namespace, ttlMs: DEFAULT_LEASE_TTL_MS }) : undefined;
  try {
    const actorClient = createBusActorClient({ bus, shardCount: SHARDS, ...(routes ? { routes } : {}) });
    if (WARMUP_ACTORS > 0) await warmUp(actorClient, fixture, options);
    await bus.request('bench.cpu-reset', null);
    const stopMeter = await meter.start();
    const clientBefore = process.cpuUsage();
    const run = await drive(actorClient, fixture, options.actors, options.commands, options.concurrency);
    const client = process.cpuUsage(clientBefore);
    const other = await stopMeter();
    const stats = (await bus.request('bench.stats', null)) as { commits: number; records: number; commitP50: number; cpuMicros: number };
    const records = Math.max(stats.records, 1);
    return {
      config: 'nats bus, host in own process',
      concurrency: options.concurrency,
      actors: options.actors,
      ...run,
      commits: stats.commits,
      records: stats.records,
      commitP50: stats.commitP50,
      projectionP50: Number.NaN,
      hostCpuUsPerEvent: stats.cpuMicros / records,
      cpu: [
        { process: 'actor host process', usPerEvent: stats.cpuMicros / records },
        { process: 'bench client process', usPerEvent: (client.user + client.system) / records },
        ...otherCpuRows(other, records, true),
      ],
    };
  } finally {
    await routes?.stop();
    await bus.close();
    child.kill('SIGTERM');
    await exited;
  }
}

/** Postgres' own rate for single-row autocommit inserts from a pool of 10: what no group commit gets. */
async function rawInsertRate(url: string, rows: number): Promise<{ seconds: number; p50: number; p99: number }> {
  const pool = new pg.Pool({ connectionString: url, max: 10 });
  // An idle client dying must not end the bench with an unhandled 'error' event.
  pool.on('error', (error) => console.error('bench raw pool:', error.message));
  await pool.query('create table if not exists bench_raw (id uuid primary key, body jsonb not null)');
  const latencies = new Float64Array(rows);
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: 10 }, async () => {
      while (next < rows) {
        const index = next++;
        const sentAt = performance.now();
        await pool.query('insert into bench_raw (id, body) values ($1, $2)', [randomUUID(), { type: 'FILE', index }]);
        latencies[index] = performance.now() - sentAt;
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  await pool.end();
  latencies.sort();
  return { seconds, p50: percentile(latencies, 50), p99: percentile(latencies, 99) };
}

/** The NATS configurations leave a namespace event stream behind; remove it (it may not exist). */
async function removeEventStream(natsUrl: string, namespace: string): Promise<void> {
  const bus = await createNatsBus({ url: natsUrl, namespace, logger: silentLogger, name: 'bench-cleanup' });
  try {
    await (await jetstreamManager(bus.connection)).streams.delete(bus.eventStream).catch(() => undefined);
  } finally {
    await bus.close();
  }
}

function printTable(results: Result[], raw: { rows: number; seconds: number; p50: number; p99: number } | null): void {
  const header = ['config', 'conc.', 'actors', 'commands', 'events/s', 'p50 ms', 'p99 ms', 'commits', 'records/commit', 'commit p50 ms', 'projection build p50 ms', 'cpu µs/event'];
  const rows = results.flatMap((r) => [[
    r.config,
    String(r.concurrency),
    String(r.actors),
    r.ok === r.commands ? String(r.commands) : `${r.ok}/${r.commands} ok`,
    (r.records / r.seconds).toFixed(0),
    r.p50.toFixed(1),
    r.p99.toFixed(1),
    String(r.commits),
    (r.records / Math.max(r.commits, 1)).toFixed(1),
    r.commitP50.toFixed(1),
    Number.isNaN(r.projectionP50) ? '-' : r.projectionP50.toFixed(1),
    r.hostCpuUsPerEvent.toFixed(0),
  ], ...r.phases.map((phase) => [
    `  ${phase.type}${phase.type === 'FILE' ? ' (creates the actors)' : ' (live actors)'}`,
    '',
    String(phase.commands),
    phase.ok === phase.commands ? String(phase.commands) : `${phase.ok}/${phase.commands} ok`,
    (phase.ok / phase.seconds).toFixed(0),
    phase.p50.toFixed(1),
    phase.p99.toFixed(1),
    '-', '-', '-', '-', '-',
  ])]);
  if (raw) rows.push(['postgres raw insert (pool 10)', '10', '-', String(raw.rows), (raw.rows / raw.seconds).toFixed(0), raw.p50.toFixed(1), raw.p99.toFixed(1), String(raw.rows), '1.0', '-', '-', '-']);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i]!.length)));
  const line = (cells: string[]) => '| ' + cells.map((cell, i) => cell.padEnd(widths[i]!)).join(' | ') + ' |';
  console.log(line(header));
  console.log('|' + widths.map((w) => '-'.repeat(w + 2)).join('|') + '|');
  for (const row of rows) console.log(line(row));
  printCpuTable(results);
}

/** Where the CPU goes: one row per process, one column per run (µs of CPU per journalled event). */
function printCpuTable(results: Result[]): void {
  if (results.length === 0) return;
  console.log('');
  console.log('CPU µs per journalled event, by process (user + system):');
  for (const r of results) {
    const total = r.cpu.reduce((sum, row) => sum + (Number.isNaN(row.usPerEvent) ? 0 : row.usPerEvent), 0);
    const rows = [...r.cpu.map((row) => [row.process, Number.isNaN(row.usPerEvent) ? '-' : row.usPerEvent.toFixed(0)]), ['total', total.toFixed(0)]];
    const width = Math.max(...rows.map((row) => row[0]!.length));
    console.log(`  ${r.config}, concurrency ${r.concurrency}: ${(r.records / r.seconds).toFixed(0)} events/s → ${((r.records / r.seconds) * total / 1e4).toFixed(0)} % of one core`);
    for (const [name, value] of rows) console.log(`    ${name!.padEnd(width)}  ${value!.padStart(5)}`);
  }
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      actors: { type: 'string', default: '10000' },
      commands: { type: 'string' },
      concurrency: { type: 'string', default: '256,64' },
      hosts: { type: 'string', default: '1' },
      shards: { type: 'string', default: '64' },
      'batch-per': { type: 'string', default: 'node' },
      'skip-raw': { type: 'boolean', default: false },
      only: { type: 'string' },
      warmup: { type: 'string', default: '0' },
    },
  });
  const actors = Number(values.actors);
  const commands = Number(values.commands ?? actors * 3);
  const concurrencies = values.concurrency.split(',').map(Number);
  const hostCount = Number(values.hosts);
  WARMUP_ACTORS = Number(values.warmup);
  SHARDS = Number(values.shards);
  if (!['shard', 'node'].includes(values['batch-per'])) throw new Error('--batch-per is shard or node');
  BATCH_PER_NODE = values['batch-per'] === 'node';
  if (![actors, commands, ...concurrencies, hostCount, SHARDS].every((n) => Number.isInteger(n) && n > 0)) throw new Error('--actors, --commands, --concurrency (a list), --hosts and --shards must be positive integers');
  if (!Number.isInteger(WARMUP_ACTORS) || WARMUP_ACTORS < 0) throw new Error('--warmup must be a whole number of actors');
  const adminUrl = process.env.BENCH_POSTGRES_URL ?? process.env.TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
  const natsUrl = process.env.BENCH_NATS_URL ?? process.env.NATS_URL ?? 'nats://127.0.0.1:4222';

  const bench = await createScratchDatabase(adminUrl, 'ecourt_bench');
  const database = await openDatabase({ databaseUrl: bench.url });
  const namespace = `bench${randomBytes(3).toString('hex')}`;
  const results: Result[] = [];
  let raw: { rows: number; seconds: number; p50: number; p99: number } | null = null;
  let meter: CpuMeter | undefined;
  try {
    await migrateDatabase(database);
    const dataKey = randomBytes(32).toString('hex');
    const cipher = createPersonalDataCipher(Buffer.from(dataKey, 'hex'));
    const fixture = await createCourtFixture(database.db, cipher);
    const only = values.only ? values.only.split(',') : ['in-process', 'nats', 'nats-process'];
    console.log(`load average at the start (1, 5, 15 min): ${loadavg().map((n) => n.toFixed(2)).join(', ')} on ${availableParallelism()} cores`);
    console.log(`bench: ${actors} case actors, ${commands} commands, concurrency ${concurrencies.join(' and ')}, ${SHARDS} shards, ${hostCount} host(s) in the in-process configurations, Postgres + SQL journal with projections${WARMUP_ACTORS > 0 ? `, after a warm-up of ${WARMUP_ACTORS} other actors per host (not measured)` : ', hosts measured from cold'}`);
    meter = await createCpuMeter(adminUrl, bench.name);
    for (const concurrency of concurrencies) {
      const options = { actors, commands, concurrency, hosts: hostCount };
      if (only.includes('in-process')) {
        const bus = createInProcessBus();
        results.push(await runConfig('in-process bus + postgres', database, cipher, fixture, { host: bus, client: bus }, options, meter));
        await bus.close();
      }
      if (only.includes('nats')) {
        const hostBus = await createNatsBus({ url: natsUrl, namespace, logger: silentLogger, name: 'bench-host', maxPending: 100_000 });
        const clientBus = await createNatsBus({ url: natsUrl, namespace, logger: silentLogger, name: 'bench-client' });
        try {
          results.push(await runConfig('nats bus + postgres', database, cipher, fixture, { host: hostBus, client: clientBus }, options, meter));
        } finally {
          await clientBus.close();
          await hostBus.close();
        }
      }
      if (only.includes('nats-process')) {
        results.push(await runSeparateHost({ database: bench.url, nats: natsUrl }, namespace, dataKey, fixture, options, meter));
      }
    }
    if (!values['skip-raw']) {
      const rows = Math.min(commands, 5000);
      raw = { rows, ...(await rawInsertRate(bench.url, rows)) };
    }
  } finally {
    await meter?.close();
    await database.close();
    await bench.drop();
    await removeEventStream(natsUrl, namespace);
  }
  printTable(results, raw);
  // Other work on the machine takes CPU from the bench: its load is part of the result.
  console.log(`\nload average at the end (1, 5, 15 min): ${loadavg().map((n) => n.toFixed(2)).join(', ')} on ${availableParallelism()} cores`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
