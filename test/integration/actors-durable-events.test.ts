// The actor host over the real NATS bus with the real SQL journal (PGlite): every acknowledged
// command's domain event is stored in the JetStream event stream — as one batch message per
// group commit, not one per event — and the same events also go out live per case.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomBytes, randomUUID } from 'node:crypto';
import { AckPolicy, DeliverPolicy, jetstreamManager } from '@nats-io/jetstream';
import { NATS_TEST_URL, probeNats, uniqueNamespace } from '../support/services.ts';
import { createNatsBus, type NatsBus } from '../../actors/bus/nats-bus.ts';
import { subjects } from '../../actors/bus/subjects.ts';
import { ActorHost } from '../../actors/runtime/actor-host.ts';
import { createBusActorClient } from '../../actors/runtime/bus-actor-client.ts';
import type { DomainEvent, DomainEventBatch } from '../../actors/runtime/types.ts';
import { createCaseBehaviour } from '../../actors/case/case-behaviour.ts';
import { createFilingReferenceCheck } from '../../storage/journal/filing-references.ts';
import { createCaseNumberReservation } from '../../platform/case-numbering.ts';
import { silentLogger } from '../../platform/logger.ts';
import { createPersonalDataCipher } from '../../platform/personal-data.ts';
import { openDatabase, type Database } from '../../storage/database.ts';
import { migrateDatabase } from '../../storage/migrate.ts';
import { createSqlJournal } from '../../storage/journal/sql-journal.ts';
import { caseProjection } from '../../storage/journal/case-projection.ts';
import { caseLifeCommands, createCourtFixture, type CourtFixture } from '../../scripts/bench/case-flow.ts';

const nats = await probeNats();
const SHARDS = 4;
const CASES = 40;

describe.skipIf(!nats.available)(`durable domain events${nats.skipReason}`, () => {
  let database: Database;
  let bus: NatsBus;
  let host: ActorHost;
  let fixture: CourtFixture;
  const namespace = uniqueNamespace('de');

  beforeAll(async () => {
    database = await openDatabase({ inMemory: true });
    await migrateDatabase(database);
    const cipher = createPersonalDataCipher(randomBytes(32));
    fixture = await createCourtFixture(database.db, cipher);
    bus = await createNatsBus({ url: NATS_TEST_URL, namespace, logger: silentLogger });
    host = new ActorHost({
      nodeId: 'durable-events-test',
      journal: createSqlJournal({ db: database.db, projections: { case: caseProjection } }),
      bus,
      behaviours: [createCaseBehaviour({ reserveCaseNumbers: createCaseNumberReservation(database.db), checkFilingReferences: createFilingReferenceCheck(database.db), cipher })],
      logger: silentLogger,
      shardCount: SHARDS,
    });
    host.serveAllShards();
  });

  afterAll(async () => {
    await host?.stop();
    if (bus) {
      const jsm = await jetstreamManager(bus.connection);
      await jsm.streams.delete(bus.eventStream).catch(() => undefined);
      await bus.close();
    }
    await database?.close();
  });

  it('stores every acknowledged event in JetStream, batched per group commit, and live subscribers hear the batches', async () => {
    const live: DomainEvent[] = [];
    const sub = bus.subscribe(subjects.actorEventBatch('case'), (payload) => live.push(...(payload as DomainEventBatch).events));
    await bus.connection.flush();

    const client = createBusActorClient({ bus, shardCount: SHARDS });
    const ids = Array.from({ length: CASES }, () => randomUUID());
    const replies = await Promise.all(ids.map((id) => client.ask({ kind: 'case', id }, caseLifeCommands(fixture)[0]!)));
    expect(replies.every((reply) => reply.ok)).toBe(true);

    const jsm = await jetstreamManager(bus.connection);
    // One stored message per group commit (the events of a commit travel together), not one per event.
    const commits = host.stats().commits;
    await expect.poll(async () => (await jsm.streams.info(bus.eventStream)).state.messages).toBe(commits);
    const info = await jsm.streams.info(bus.eventStream);

    await jsm.consumers.add(bus.eventStream, { durable_name: 'check', deliver_policy: DeliverPolicy.All, ack_policy: AckPolicy.None });
    const consumer = await bus.jetstream().consumers.get(bus.eventStream, 'check');
    const stored: DomainEvent[] = [];
    const messages = await consumer.fetch({ max_messages: info.state.messages, expires: 2000 });
    for await (const message of messages) {
      const batch = message.json<DomainEventBatch>();
      expect(batch.kind).toBe('case');
      stored.push(...batch.events);
    }
    expect(stored.map((event) => event.id).sort()).toEqual([...ids].sort());
    expect(stored.every((event) => event.type === 'FILE' && event.state === 'filed' && event.seq === 1)).toBe(true);

    await expect.poll(() => live.length).toBe(CASES);
    expect(live.map((event) => event.id).sort()).toEqual([...ids].sort());
    sub.unsubscribe();
  });
});
