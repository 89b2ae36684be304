// Benchmark: real case commands to many case actors, journalled through the SQL journal (with
// projections) on Postgres, once over the in-process bus (the named peer) and once over NATS
// request/reply; plus Postgres' raw single-row insert rate as a baseline. Prints one table.
//   node --import tsx scripts/bench/actors.ts [--actors 10000] [--commands N] [--concurrency C]
//     [--only in-process|nats] [--skip-raw]   (BENCH_POSTGRES_URL, BENCH_NATS_URL override the servers)
import { parseArgs } from 'node:util';
import { randomBytes, randomUUID } from 'node:crypto';
import pg from 'pg';
import { jetstreamManager } from '@nats-io/jetstream';
import { createInProcessBus } from '../../actors/bus/in-process-bus.ts';
import { createNatsBus } from '../../actors/bus/nats-bus.ts';
import type { Bus } from '../../actors/bus/bus.ts';
import { createCaseBehaviour } from '../../actors/case/case-behaviour.ts';
import { ActorHost } from '../../actors/runtime/actor-host.ts';
import { createBusActorClient } from '../../actors/runtime/bus-actor-client.ts';
import type { ActorClient, ActorJournal } from '../../actors/runtime/types.ts';
import { createCaseNumberReservation } from '../../platform/case-numbering.ts';
import { silentLogger } from '../../platform/logger.ts';
import { createPersonalDataCipher, type PersonalDataCipher } from '../../platform/personal-data.ts';
import { openDatabase, type Database } from '../../storage/database.ts';
import { caseProjection } from '../../storage/journal/case-projection.ts';
import { createSqlJournal } from '../../storage/journal/sql-journal.ts';
import { migrateDatabase } from '../../storage/migrate.ts';
import { caseLifeCommands, createCourtFixture, type CourtFixture } from './case-flow.ts';

const SHARDS = 64;

interface Result {
  config: string;
  actors: number;
  commands: number;
  ok: number;
  seconds: number;
  p50: number;
  p99: number;
  commits: number;
  records: number;
  /** Median time of one group commit (whole transaction) and of its projection part. */
  commitP50: number;
  projectionP50: number;
}

const percentile = (sorted: Float64Array, p: number) => (sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]! : 0);

/** A fresh database on the server, dropped at the end (the bench never touches existing data). */
async function createBenchDatabase(adminUrl: string): Promise<{ url: string; drop: () => Promise<void> }> {
  const name = `ecourt_bench_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: async () => {
      const client = new pg.Client({ connectionString: adminUrl });
      await client.connect();
      await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await client.end();
    },
  };
}

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
  const phases: { type: string; first: number; last: number; count: number }[] = [];
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
        const phase = (phases[task.step] ??= { type: life.commands[task.step]!.type, first: sentAt, last: finishedAt, count: 0 });
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
  // Per command type: how fast that step went (steps overlap a little at their edges).
  console.error(phases.map((p) => `${p.type} ${(p.count / ((p.last - p.first) / 1000)).toFixed(0)}/s`).join(', '));
  return { commands: tasks.length, ok, seconds, p50: percentile(latencies, 50), p99: percentile(latencies, 99) };
}

async function runConfig(
  config: string,
  database: Database,
  cipher: PersonalDataCipher,
  fixture: CourtFixture,
  buses: { host: Bus; client: Bus },
  options: { actors: number; commands: number; concurrency: number },
): Promise<Result> {
  // Commit and projection times are measured around the real journal, to show where time goes.
  const commitMs: number[] = [];
  const projectionMs: number[] = [];
  const sqlJournal = createSqlJournal({
    db: database.db,
    projections: {
      case: async (tx, records) => {
        const started = performance.now();
        await caseProjection(tx, records);
        projectionMs.push(performance.now() - started);
      },
    },
  });
  const journal: ActorJournal = {
    ...sqlJournal,
    async commit(records) {
      const started = performance.now();
      await sqlJournal.commit(records);
      commitMs.push(performance.now() - started);
    },
  };
  const host = new ActorHost({
    nodeId: `bench-${config}`,
    journal,
    bus: buses.host,
    behaviours: [createCaseBehaviour({ reserveCaseNumbers: createCaseNumberReservation(database.db), cipher })],
    logger: silentLogger,
    shardCount: SHARDS,
  });
  host.serveAllShards();
  const client = createBusActorClient({ bus: buses.client, shardCount: SHARDS });
  try {
    const run = await drive(client, fixture, options.actors, options.commands, options.concurrency);
    const { commits, records } = host.stats();
    const median = (values: number[]) => (values.length ? [...values].sort((x, y) => x - y)[Math.floor(values.length / 2)]! : 0);
    return { config, actors: options.actors, ...run, commits, records, commitP50: median(commitMs), projectionP50: median(projectionMs) };
  } finally {
    await host.stop();
  }
}

/** Postgres' own rate for single-row autocommit inserts from a pool of 10: what no group commit gets. */
async function rawInsertRate(url: string, rows: number): Promise<{ seconds: number; p50: number; p99: number }> {
  const pool = new pg.Pool({ connectionString: url, max: 10 });
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

function printTable(results: Result[], raw: { rows: number; seconds: number; p50: number; p99: number } | null): void {
  const header = ['config', 'actors', 'commands', 'events/s', 'p50 ms', 'p99 ms', 'commits', 'records/commit', 'commit p50 ms', 'projection p50 ms'];
  const rows = results.map((r) => [
    r.config,
    String(r.actors),
    r.ok === r.commands ? String(r.commands) : `${r.ok}/${r.commands} ok`,
    (r.records / r.seconds).toFixed(0),
    r.p50.toFixed(1),
    r.p99.toFixed(1),
    String(r.commits),
    (r.records / Math.max(r.commits, 1)).toFixed(1),
    r.commitP50.toFixed(1),
    r.projectionP50.toFixed(1),
  ]);
  if (raw) rows.push(['postgres raw insert (pool 10)', '-', String(raw.rows), (raw.rows / raw.seconds).toFixed(0), raw.p50.toFixed(1), raw.p99.toFixed(1), String(raw.rows), '1.0', '-', '-']);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i]!.length)));
  const line = (cells: string[]) => '| ' + cells.map((cell, i) => cell.padEnd(widths[i]!)).join(' | ') + ' |';
  console.log(line(header));
  console.log('|' + widths.map((w) => '-'.repeat(w + 2)).join('|') + '|');
  for (const row of rows) console.log(line(row));
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      actors: { type: 'string', default: '10000' },
      commands: { type: 'string' },
      concurrency: { type: 'string', default: '256' },
      'skip-raw': { type: 'boolean', default: false },
      only: { type: 'string' },
    },
  });
  const actors = Number(values.actors);
  const commands = Number(values.commands ?? actors * 3);
  const concurrency = Number(values.concurrency);
  if (![actors, commands, concurrency].every((n) => Number.isInteger(n) && n > 0)) throw new Error('--actors, --commands and --concurrency must be positive integers');
  const adminUrl = process.env.BENCH_POSTGRES_URL ?? process.env.TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
  const natsUrl = process.env.BENCH_NATS_URL ?? process.env.NATS_URL ?? 'nats://127.0.0.1:4222';

  const bench = await createBenchDatabase(adminUrl);
  const database = await openDatabase({ databaseUrl: bench.url });
  const namespace = `bench${randomBytes(3).toString('hex')}`;
  const results: Result[] = [];
  let raw: { rows: number; seconds: number; p50: number; p99: number } | null = null;
  try {
    await migrateDatabase(database);
    const cipher = createPersonalDataCipher(randomBytes(32));
    const fixture = await createCourtFixture(database.db, cipher);
    const options = { actors, commands, concurrency };
    console.log(`bench: ${actors} case actors, ${commands} commands, concurrency ${concurrency}, ${SHARDS} shards, Postgres + SQL journal with projections`);

    if (!values.only || values.only === 'in-process') {
      const bus = createInProcessBus();
      results.push(await runConfig('in-process bus + postgres', database, cipher, fixture, { host: bus, client: bus }, options));
      await bus.close();
    }
    if (!values.only || values.only === 'nats') {
      const hostBus = await createNatsBus({ url: natsUrl, namespace, logger: silentLogger, name: 'bench-host', maxPending: 100_000 });
      const clientBus = await createNatsBus({ url: natsUrl, namespace, logger: silentLogger, name: 'bench-client' });
      try {
        results.push(await runConfig('nats bus + postgres', database, cipher, fixture, { host: hostBus, client: clientBus }, options));
      } finally {
        await (await jetstreamManager(clientBus.connection)).streams.delete(clientBus.eventStream).catch(() => undefined);
        await clientBus.close();
        await hostBus.close();
      }
    }
    if (!values['skip-raw']) {
      const rows = Math.min(commands, 5000);
      raw = { rows, ...(await rawInsertRate(bench.url, rows)) };
    }
  } finally {
    await database.close();
    await bench.drop();
  }
  printTable(results, raw);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
