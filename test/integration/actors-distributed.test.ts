// Actors across real processes: `ecourt start --role actors` nodes on one Postgres and one NATS.
// (a) an actor survives its node's restart, resuming from the journal; (b) a node killed with
// SIGKILL mid-traffic loses nothing that was acknowledged, and its actors come back elsewhere.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { asc, eq, sql } from 'drizzle-orm';
import { createNatsBus, type NatsBus } from '../../actors/bus/nats-bus.ts';
import { createBusActorClient } from '../../actors/runtime/bus-actor-client.ts';
import { watchShardRoutes, type ShardRoutes } from '../../actors/runtime/shard-routes.ts';
import type { ActorClient, CommandReply } from '../../actors/runtime/types.ts';
import { silentLogger } from '../../platform/logger.ts';
import { createPersonalDataCipher } from '../../platform/personal-data.ts';
import { openDatabase, type Database } from '../../storage/database.ts';
import { migrateDatabase } from '../../storage/migrate.ts';
import { actorJournal, cases } from '../../storage/schema.ts';
import { CASE_LIFE_STATES, caseLifeCommands, createCourtFixture, type CourtFixture } from '../../scripts/bench/case-flow.ts';
import { leaseOwners, removeNatsNamespace, startActorNode, testNodeSecrets, type ActorNode } from '../support/actor-node-process.ts';
import { NATS_TEST_URL, createTestDatabase, probeNats, probePostgres, uniqueNamespace } from '../support/services.ts';

const [postgres, nats] = await Promise.all([probePostgres(), probeNats()]);
const skipReason = postgres.skipReason || nats.skipReason;
const SHARDS = 16;
const LEASE_TTL_MS = 3000;
/** Kinds every actor node serves (platform/node.ts): case, hearing, filing. */
const ACTOR_KINDS = 3;

describe.skipIf(!postgres.available || !nats.available)(`distributed case actors${skipReason}`, () => {
  const namespace = uniqueNamespace('ad');
  const secrets = testNodeSecrets();
  let dropDatabase: () => Promise<void>;
  let databaseUrl: string;
  let database: Database;
  let fixture: CourtFixture;
  let bus: NatsBus;
  let client: ActorClient;
  let routes: ShardRoutes | undefined;
  const nodes: ActorNode[] = [];

  const start = async (nodeId: string) => {
    const node = await startActorNode({ databaseUrl, namespace, nodeId, secrets, shards: SHARDS, leaseTtlMs: LEASE_TTL_MS });
    nodes.push(node);
    return node;
  };

  const journalOf = (id: string) =>
    database.db.select().from(actorJournal).where(eq(actorJournal.actorId, id)).orderBy(asc(actorJournal.seq));

  beforeAll(async () => {
    const created = await createTestDatabase();
    databaseUrl = created.url;
    dropDatabase = created.drop;
    database = await openDatabase({ databaseUrl });
    await migrateDatabase(database);
    fixture = await createCourtFixture(database.db, createPersonalDataCipher(Buffer.from(secrets.dataKey, 'hex')));
    bus = await createNatsBus({ url: NATS_TEST_URL, namespace, logger: silentLogger, name: 'test-client' });
    client = createBusActorClient({ bus, shardCount: SHARDS });
  });

  afterAll(async () => {
    await routes?.stop();
    await Promise.all(nodes.map((node) => node.stop('SIGKILL')));
    if (bus) {
      await removeNatsNamespace(bus.connection, namespace);
      await bus.close();
    }
    await database?.close();
    await dropDatabase?.();
  });

  it('an actor resumes from the journal on a new process after its node stops', async () => {
    const id = randomUUID();
    const ref = { kind: 'case', id };
    const commands = caseLifeCommands(fixture);
    const first = await start('node-1');

    const filed = await client.ask(ref, commands[0]!, { timeoutMs: 10_000 });
    expect(filed).toMatchObject({ ok: true, seq: 1, state: 'filed' });
    const reviewing = await client.ask(ref, commands[1]!, { timeoutMs: 10_000 });
    expect(reviewing).toMatchObject({ ok: true, seq: 2, state: 'underReview' });

    const exit = await first.stop('SIGTERM');
    expect(exit.code).toBe(0);
    // A graceful stop gave the leases back: nobody serves the shard now.
    const refused = await client.ask(ref, commands[2]!, { timeoutMs: 300 });
    expect(refused).toMatchObject({ ok: false, error: { code: 'ACTOR_UNAVAILABLE' } });

    await start('node-2');
    // A command that is illegal in 'underReview' is refused: the new node knows the state from the journal.
    const illegal = await client.ask(ref, commands[4]!, { timeoutMs: 10_000 });
    expect(illegal).toMatchObject({ ok: false, error: { code: 'CASE_TRANSITION_NOT_ALLOWED' } });
    const accepted = await client.ask(ref, commands[2]!, { timeoutMs: 10_000 });
    expect(accepted).toMatchObject({ ok: true, seq: 3, state: 'accepted' });
    if (!accepted.ok) throw new Error('unreachable');
    expect(accepted.summary).toMatchObject({ caseNumber: expect.stringMatching(/^\(\d{4}\)京0105民初1号$/) });

    const rows = await journalOf(id);
    expect(rows.map((row) => [row.seq, row.event.type, row.state])).toEqual([
      [1, 'FILE', 'filed'],
      [2, 'BEGIN_REVIEW', 'underReview'],
      [3, 'ACCEPT', 'accepted'],
    ]);
    const [projected] = await database.db.select().from(cases).where(eq(cases.id, id));
    expect(projected).toMatchObject({ state: 'accepted', lastSeq: 3 });
  }, 90_000);

  it('a node killed mid-traffic loses no acknowledged command; its actors come back on the survivor', async () => {
    for (const node of nodes.splice(0)) await node.stop('SIGTERM');
    const shardClient = client;
    const a = await start('node-a');
    const b = await start('node-b');
    const CASES = 24;
    const flows = Array.from({ length: CASES }, (_, index) => ({ id: randomUUID(), commands: caseLifeCommands(fixture, index) }));
    const acknowledged: { id: string; seq: number; type: string; state: string }[] = [];
    let killed = false;
    let acknowledgedAtKill = 0;
    let unavailableAfterKill = 0;

    // Wait until b has its share, so the kill hits shards that are really in use. The keepers balance
    // the leases of every kind (case, hearing, filing) together: b holds half of them, some of them case shards.
    await expect
      .poll(
        async () => {
          const held = [...(await leaseOwners(bus.connection, namespace))].filter(([, node]) => node === 'node-b').map(([key]) => key);
          return held.length === (SHARDS * ACTOR_KINDS) / 2 && held.some((key) => key.startsWith('case.'));
        },
        { timeout: 4 * LEASE_TTL_MS, interval: 100 },
      )
      .toBe(true);

    // Half the flows go through a client that batches per node from the lease bucket: its view of
    // the leases must match them, and after the kill its routes to node-b are stale (no responders),
    // which must cost retries, never a lost or doubled command.
    routes = await watchShardRoutes({ connection: bus.connection, namespace, ttlMs: LEASE_TTL_MS });
    const owners = await leaseOwners(bus.connection, namespace);
    await expect.poll(() => [...owners].every(([key, node]) => routes!.nodeOf(key.split('.')[0]!, Number(key.split('.')[1])) === node)).toBe(true);
    const perNodeClient = createBusActorClient({ bus, shardCount: SHARDS, routes });

    const runFlow = async (flow: (typeof flows)[number], index: number) => {
      const client = index % 2 === 0 ? perNodeClient : shardClient;
      const ref = { kind: 'case', id: flow.id };
      for (let step = 0; step < flow.commands.length; step++) {
        const command = flow.commands[step]!;
        let uncertain = false;
        const deadline = Date.now() + 30_000;
        for (;;) {
          const reply: CommandReply = await client.ask(ref, command, { timeoutMs: 4000 });
          if (reply.ok) {
            acknowledged.push({ id: flow.id, seq: reply.seq, type: command.type, state: reply.state });
            if (!killed && acknowledged.length >= CASES * 2) {
              killed = true;
              acknowledgedAtKill = acknowledged.length;
              b.child.kill('SIGKILL');
            }
            break;
          }
          // The node died after applying the command but before answering: the retry is refused because
          // the case already moved on. Only allowed after an unanswered attempt.
          if (reply.error.code === 'CASE_TRANSITION_NOT_ALLOWED' && uncertain) break;
          expect(reply.error.code).toBe('ACTOR_UNAVAILABLE');
          if (killed) unavailableAfterKill += 1;
          uncertain = true;
          if (Date.now() > deadline) throw new Error(`case ${flow.id} step ${command.type} unavailable for 30 s`);
        }
      }
    };
    await Promise.all(flows.map((flow, index) => runFlow(flow, index)));

    expect(killed).toBe(true);
    expect(await b.exited).toMatchObject({ signal: 'SIGKILL' });
    expect(acknowledged.length).toBeGreaterThan(acknowledgedAtKill);
    // The kill really interrupted traffic: some commands found no one serving their shard for a while.
    expect(unavailableAfterKill).toBeGreaterThan(0);

    // Every acknowledged command is in the journal with the seq and state it was acknowledged with.
    const rows = await database.db
      .select({ id: actorJournal.actorId, seq: actorJournal.seq, type: sql<string>`${actorJournal.event}->>'type'`, state: actorJournal.state })
      .from(actorJournal)
      .where(sql`${actorJournal.actorId} in ${flows.map((flow) => flow.id)}`);
    const stored = new Set(rows.map((row) => `${row.id}#${row.seq}#${row.type}#${row.state}`));
    for (const ack of acknowledged) expect(stored).toContain(`${ack.id}#${ack.seq}#${ack.type}#${ack.state}`);

    // Every case went through its whole life exactly once: seq 1..8 without gaps or repeats, and the
    // read model agrees with the journal.
    for (const flow of flows) {
      const journal = rows.filter((row) => row.id === flow.id).sort((x, y) => x.seq - y.seq);
      expect(journal.map((row) => row.seq)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
      expect(journal.map((row) => row.state)).toEqual([...CASE_LIFE_STATES]);
    }
    const projected = await database.db
      .select({ id: cases.id, state: cases.state, lastSeq: cases.lastSeq })
      .from(cases)
      .where(sql`${cases.id} in ${flows.map((flow) => flow.id)}`);
    expect(projected).toHaveLength(CASES);
    for (const row of projected) expect(row).toMatchObject({ state: 'closed', lastSeq: 8 });

    // The survivor serves every shard now, also for the per-node client once the leases moved.
    const late = await perNodeClient.ask({ kind: 'case', id: flows[0]!.id }, { type: 'ARCHIVE', by: fixture.judge }, { timeoutMs: 10_000 });
    expect(late).toMatchObject({ ok: true, seq: 9, state: 'archived' });
    expect(a.child.exitCode).toBeNull();
  }, 120_000);
});
