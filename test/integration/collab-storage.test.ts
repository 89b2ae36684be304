// Collaborative document persistence, run against embedded PGlite (in memory) and real Postgres:
// group-committed appends, loads that reproduce the document, compaction, versions, the
// per-hearing audit, atomic failures, and (PGlite data folder) a restart.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { listAudit } from '../../storage/audit/list-audit.ts';
import { createCollabStore, type CollabStore } from '../../storage/collab/collab-store.ts';
import { compactDocument } from '../../storage/collab/compact-document.ts';
import { GroupCommitKeyFailedError } from '../../storage/collab/group-commit.ts';
import { InvalidCollabUpdateError, type PersistedUpdateOrigin } from '../../storage/collab/update-origin.ts';
import { openDatabase, type Database } from '../../storage/database.ts';
import { migrateDatabase } from '../../storage/migrate.ts';
import { rowsOf } from '../../storage/raw-rows.ts';
import { probePostgres } from '../support/services.ts';
import { newId, openMigratedPglite, openMigratedPostgres, type OpenedTestDatabase } from '../support/storage.ts';

const transcriptName = (caseId: string, hearingId: string) => `cases/${caseId}/hearings/${hearingId}/transcript`;

/** A transcript Y.Doc in the shape of hub/collab/document-model.md, recording every update it makes. */
function transcriptDoc() {
  const doc = new Y.Doc();
  const updates: Uint8Array[] = [];
  doc.on('update', (update: Uint8Array) => updates.push(update));
  const segments = doc.getArray<Y.Map<unknown>>('segments');
  const addSegment = (text: string, speaker: string) => {
    const id = newId();
    const segment = new Y.Map<unknown>();
    doc.transact(() => {
      segment.set('id', id);
      segment.set('speaker', { participantId: speaker, role: 'judge', displayName: speaker });
      segment.set('startMs', segments.length * 1000);
      segment.set('endMs', segments.length * 1000 + 900);
      segment.set('source', 'human');
      segment.set('text', new Y.Text(text));
      segment.set('editedBy', new Y.Array());
      segments.push([segment]);
    });
    return id;
  };
  const textOf = (index: number) => segments.get(index).get('text') as Y.Text;
  return { doc, updates, segments, addSegment, textOf };
}

function contentOf(update: Uint8Array | null): unknown {
  expect(update).not.toBeNull();
  const doc = new Y.Doc();
  Y.applyUpdate(doc, update!);
  return { segments: doc.getArray('segments').toJSON(), confirmations: doc.getMap('confirmations').toJSON() };
}

const session = (userId: string, segmentIds?: string[]): PersistedUpdateOrigin => ({
  source: 'session',
  sessionId: `s-${userId.slice(0, 8)}`,
  userId,
  ...(segmentIds ? { segmentIds } : {}),
});

async function countRows(database: Database, query: ReturnType<typeof sql>): Promise<number> {
  return rowsOf<{ n: number }>(await database.db.execute(query))[0]!.n;
}

function collabStorageContract(open: () => Promise<OpenedTestDatabase>) {
  let opened: OpenedTestDatabase;
  let database: Database;
  let store: CollabStore;

  beforeAll(async () => {
    opened = await open();
    database = opened.database;
    store = createCollabStore({ db: database.db, compactEvery: 1000 });
  });
  afterAll(async () => {
    await store?.close();
    await opened?.dispose();
  });

  it('commits concurrent appends of many documents in groups, numbered per document in append order', async () => {
    const docs = Array.from({ length: 12 }, () => ({ name: `cases/${newId()}/evidence/${newId()}/annotations`, ...transcriptDoc() }));
    for (const d of docs) for (let i = 0; i < 40; i++) d.addSegment(`segment ${i}`, 'judge');
    const userId = newId();
    const before = store.stats().commits;
    // Interleaved across documents, all in flight at once, as many rooms would send them.
    const appends: Promise<void>[] = [];
    for (let i = 0; i < 40; i++) for (const d of docs) appends.push(store.append(d.name, d.updates[i]!, session(userId)));
    await Promise.all(appends);
    const commits = store.stats().commits - before;
    expect(commits).toBeGreaterThan(0);
    expect(commits).toBeLessThan(appends.length / 4);

    for (const d of docs) {
      const rows = rowsOf<{ n: number; update: Uint8Array }>(
        await database.db.execute(sql`select seq::int as n, update from collab_updates where doc_name = ${d.name} order by seq`),
      );
      expect(rows.map((r) => r.n)).toEqual(Array.from({ length: 40 }, (_, i) => i + 1));
      rows.forEach((row, i) => expect(Buffer.from(row.update).equals(Buffer.from(d.updates[i]!))).toBe(true));
      expect(contentOf(await store.load(d.name))).toEqual({ segments: d.segments.toJSON(), confirmations: {} });
    }
  });

  it('loads a state that reproduces the document, including later edits; an unknown document is null', async () => {
    const name = transcriptName(newId(), newId());
    const t = transcriptDoc();
    const judge = newId();
    const first = t.addSegment('原告：我方请求被告偿还借款。', 'p1');
    t.addSegment('被告：对借款事实无异议。', 'p2');
    t.textOf(0).insert(0, '【更正】');
    t.textOf(1).delete(0, 3);
    t.doc.getMap('confirmations').set(newId(), new Y.Map());
    for (const update of t.updates) await store.append(name, update, session(judge, [first]));
    expect(contentOf(await store.load(name))).toEqual({
      segments: t.segments.toJSON(),
      confirmations: t.doc.getMap('confirmations').toJSON(),
    });
    expect(await store.load(transcriptName(newId(), newId()))).toBeNull();
  });

  it('lets a load see an update that was queued but not yet committed', async () => {
    const name = transcriptName(newId(), newId());
    const t = transcriptDoc();
    t.addSegment('queued', 'judge');
    const appended = store.append(name, t.updates[0]!, { source: 'system', reason: 'test' });
    const loaded = await store.load(name);
    await appended;
    expect(contentOf(loaded)).toEqual({ segments: t.segments.toJSON(), confirmations: {} });
  });

  it('compacts into a snapshot with identical content, and the per-hearing audit still answers', async () => {
    const compacting = createCollabStore({ db: database.db, compactEvery: 10 });
    try {
      const hearingId = newId();
      const name = transcriptName(newId(), hearingId);
      const t = transcriptDoc();
      const [clerk, judge] = [newId(), newId()];
      const origins: PersistedUpdateOrigin[] = [];
      for (let i = 0; i < 25; i++) {
        const segmentId = t.addSegment(`第${i}段`, 'judge');
        origins.push(i % 5 === 0 ? { source: 'asr', engine: 'pocketsphinx', segmentIds: [segmentId] } : session(i % 2 ? clerk : judge, [segmentId]));
      }
      t.textOf(3).insert(0, 'corrected ');
      origins.push(session(judge, [(t.segments.get(3).get('id') as string)]));
      for (let i = 0; i < t.updates.length; i++) await compacting.append(name, t.updates[i]!, origins[i]!);
      await compacting.flush();

      const [snapshot] = rowsOf<{ through_seq: string }>(
        await database.db.execute(sql`select through_seq::text from collab_snapshots where doc_name = ${name}`),
      );
      expect(Number(snapshot!.through_seq)).toBeGreaterThanOrEqual(20);
      expect(compacting.stats().compactions).toBeGreaterThanOrEqual(2);
      const kept = await countRows(database, sql`select count(*)::int as n from collab_updates where doc_name = ${name} and update is not null`);
      expect(kept).toBe(26 - Number(snapshot!.through_seq));
      expect(contentOf(await compacting.load(name))).toEqual({ segments: t.segments.toJSON(), confirmations: {} });
      // A manual compaction folds the rest; content still identical.
      const result = await compacting.compact(name);
      expect(result.throughSeq).toBe(26);
      expect(contentOf(await store.load(name))).toEqual({ segments: t.segments.toJSON(), confirmations: {} });

      const changes = await compacting.listTranscriptChanges({ hearingId });
      expect(changes.map((c) => c.seq)).toEqual(Array.from({ length: 26 }, (_, i) => i + 1));
      changes.forEach((change, i) => {
        const origin = origins[i]!;
        expect(change.source).toBe(origin.source);
        expect(change.userId).toBe(origin.source === 'session' ? origin.userId : null);
        expect(change.engine).toBe(origin.source === 'asr' ? origin.engine : null);
        expect(change.segmentIds).toEqual(origin.segmentIds);
        expect(Number.isNaN(Date.parse(change.at))).toBe(false);
      });
      const segment3 = t.segments.get(3).get('id') as string;
      expect((await listTranscriptChangesFor(compacting, hearingId, segment3)).map((c) => c.seq)).toEqual([4, 26]);
      expect(await compacting.listTranscriptChanges({ hearingId: newId() })).toEqual([]);
      const audit = await listAudit({ db: database.db, subjectKind: 'collabDocument', subjectId: name });
      expect(audit.filter((a) => a.action === 'collabDocument.compact').length).toBeGreaterThanOrEqual(3);

      // Appends after compaction continue the numbering.
      t.textOf(0).insert(0, 'x');
      await compacting.append(name, t.updates[26]!, session(judge));
      expect((await compacting.listTranscriptChanges({ hearingId, afterSeq: 26 })).map((c) => c.seq)).toEqual([27]);
      expect(contentOf(await compacting.load(name))).toEqual({ segments: t.segments.toJSON(), confirmations: {} });
    } finally {
      await compacting.close();
    }
  });

  it('with an idle time, compacts a due document only once it fell idle, or at the ceiling while it is busy', async () => {
    const idle = createCollabStore({ db: database.db, compactEvery: 5, compactIdleMs: 150, compactCeiling: 15 });
    try {
      const name = transcriptName(newId(), newId());
      const t = transcriptDoc();
      const judge = newId();
      const throughSeq = async () =>
        Number(rowsOf<{ through_seq: string }>(await database.db.execute(sql`select through_seq::text from collab_snapshots where doc_name = ${name}`))[0]?.through_seq ?? 0);
      for (let i = 0; i < 8; i++) t.addSegment(`段落 ${i}`, 'judge');
      for (const update of t.updates.slice(0, 8)) await idle.append(name, update, session(judge));
      // Due (8 ≥ 5) but still being written: not compacted yet.
      expect(idle.stats()).toMatchObject({ compactions: 0, compactionsDue: 1 });
      expect(await throughSeq()).toBe(0);
      // Idle for compactIdleMs: folded, content unchanged.
      await expect.poll(() => idle.stats().compactions, { timeout: 3000 }).toBe(1);
      expect(await throughSeq()).toBe(8);
      expect(contentOf(await idle.load(name))).toEqual({ segments: t.segments.toJSON(), confirmations: {} });

      // Written without pause past the ceiling (15 after the snapshot): compacted while busy, without waiting for idle.
      for (let i = 0; i < 16; i++) t.addSegment(`忙 ${i}`, 'judge');
      for (const update of t.updates.slice(8)) await idle.append(name, update, session(judge));
      await expect.poll(() => idle.stats().compactions, { timeout: 1000, interval: 10 }).toBe(2);
      expect(await throughSeq()).toBeGreaterThanOrEqual(8 + 15);
      expect(contentOf(await idle.load(name))).toEqual({ segments: t.segments.toJSON(), confirmations: {} });
    } finally {
      await idle.close();
    }
    // close() stops the idle timers: nothing is left to fire after shutdown.
    expect(idle.stats().compactionsDue).toBe(0);
  });

  it('folds in steps of at most maxUpdates, each step leaving a loadable document', async () => {
    const name = transcriptName(newId(), newId());
    const t = transcriptDoc();
    const judge = newId();
    for (let i = 0; i < 12; i++) t.addSegment(`分步 ${i}`, 'judge');
    await Promise.all(t.updates.map((update) => store.append(name, update, session(judge))));
    const steps: number[] = [];
    for (;;) {
      const result = await compactDocument({ db: database.db, docName: name, maxUpdates: 5 });
      if (result.folded === 0) break;
      steps.push(result.throughSeq);
      expect(contentOf(await store.load(name))).toEqual({ segments: t.segments.toJSON(), confirmations: {} });
    }
    expect(steps).toEqual([5, 10, 12]);
  });

  it('saves, lists and gets versions, each save with its audit row', async () => {
    const name = transcriptName(newId(), newId());
    const t = transcriptDoc();
    const judge = newId();
    t.addSegment('first draft', 'judge');
    const draft = await store.saveVersion({ docName: name, label: '草稿', createdBy: judge, createdByRole: 'judge', state: Y.encodeStateAsUpdate(t.doc) });
    const draftContent = t.segments.toJSON();
    t.textOf(0).insert(0, 'final: ');
    const final = await store.saveVersion({ docName: name, label: '定稿', createdBy: null, state: Y.encodeStateAsUpdate(t.doc) });

    const listed = await store.listVersions({ docName: name });
    expect(listed.map((v) => [v.id, v.label, v.createdBy])).toEqual([
      [draft.id, '草稿', judge],
      [final.id, '定稿', null],
    ]);
    expect(listed[1]!.size).toBe(Y.encodeStateAsUpdate(t.doc).byteLength);
    expect(await store.listVersions({ docName: transcriptName(newId(), newId()) })).toEqual([]);

    const got = await store.getVersion({ versionId: draft.id });
    expect(got).toMatchObject({ id: draft.id, docName: name, label: '草稿', createdBy: judge });
    expect(contentOf(got!.state)).toEqual({ segments: draftContent, confirmations: {} });
    expect(await store.getVersion({ versionId: newId() })).toBeNull();
    expect(await store.getVersion({ versionId: 'not-a-uuid' })).toBeNull();

    const audit = await listAudit({ db: database.db, subjectKind: 'collabDocument', subjectId: name });
    expect(audit.map((a) => [a.action, a.actorUserId, a.detail.versionId])).toEqual([
      ['collabDocument.saveVersion', judge, draft.id],
      ['collabDocument.saveVersion', null, final.id],
    ]);
    await expect(store.saveVersion({ docName: name, label: '  ', createdBy: judge, state: Y.encodeStateAsUpdate(t.doc) })).rejects.toBeInstanceOf(InvalidCollabUpdateError);
  });

  it('refuses malformed appends before they can join a batch', async () => {
    const name = transcriptName(newId(), newId());
    await expect(store.append(name, new Uint8Array(), { source: 'system', reason: 'x' })).rejects.toBeInstanceOf(InvalidCollabUpdateError);
    await expect(store.append(name, new Uint8Array([0, 0]), { source: 'session', sessionId: 's', userId: 'nobody' })).rejects.toBeInstanceOf(InvalidCollabUpdateError);
    await expect(store.append(name, new Uint8Array([0, 0]), { source: 'other' } as unknown as PersistedUpdateOrigin)).rejects.toBeInstanceOf(InvalidCollabUpdateError);
    expect(await store.load(name)).toBeNull();
  });

  it('leaves nothing half-written when a transaction fails: the failing document only, and a failed compaction', async () => {
    const poisoned = `cases/${newId()}/evidence/${newId()}/annotations`;
    const fragile = transcriptName(newId(), newId());
    // One statement per call: PGlite's extended protocol takes no multi-statement strings.
    await database.db.execute(
      sql.raw(`create function collab_test_refuse() returns trigger language plpgsql as $$ begin raise exception 'refused by test trigger'; end $$`),
    );
    await database.db.execute(
      sql.raw(`create trigger collab_test_refuse_update before insert on collab_updates for each row
        when (new.doc_name = '${poisoned}') execute function collab_test_refuse()`),
    );
    await database.db.execute(
      sql.raw(`create trigger collab_test_refuse_snapshot before insert or update on collab_snapshots for each row
        when (new.doc_name = '${fragile}') execute function collab_test_refuse()`),
    );
    try {
      const innocent = transcriptDoc();
      const bad = transcriptDoc();
      for (let i = 0; i < 5; i++) {
        innocent.addSegment(`ok ${i}`, 'judge');
        bad.addSegment(`bad ${i}`, 'judge');
      }
      const innocentName = transcriptName(newId(), newId());
      const results = await Promise.allSettled(
        innocent.updates.flatMap((update, i) => [
          store.append(innocentName, update, { source: 'system', reason: 'test' }),
          store.append(poisoned, bad.updates[i]!, { source: 'system', reason: 'test' }),
        ]),
      );
      expect(results.map((r) => r.status)).toEqual(Array.from({ length: 5 }, () => ['fulfilled', 'rejected']).flat());
      expect(await countRows(database, sql`select count(*)::int as n from collab_updates where doc_name = ${poisoned}`)).toBe(0);
      await expect(store.append(poisoned, bad.updates[0]!, { source: 'system', reason: 'retry' })).rejects.toBeInstanceOf(GroupCommitKeyFailedError);
      expect(contentOf(await store.load(innocentName))).toEqual({ segments: innocent.segments.toJSON(), confirmations: {} });
      // No gaps: once refused, the document takes no more appends until it is loaded again.
      await database.db.execute(sql.raw('drop trigger collab_test_refuse_update on collab_updates'));
      expect(await store.load(poisoned)).toBeNull();
      await store.append(poisoned, bad.updates[0]!, { source: 'system', reason: 'retry' });
      expect(await countRows(database, sql`select count(*)::int as n from collab_updates where doc_name = ${poisoned}`)).toBe(1);

      const t = transcriptDoc();
      for (let i = 0; i < 6; i++) t.addSegment(`kept ${i}`, 'clerk');
      for (const update of t.updates) await store.append(fragile, update, { source: 'asr', engine: 'whisper' });
      await expect(store.compact(fragile)).rejects.toThrow();
      expect(await countRows(database, sql`select count(*)::int as n from collab_updates where doc_name = ${fragile} and update is not null`)).toBe(6);
      expect(await countRows(database, sql`select count(*)::int as n from collab_snapshots where doc_name = ${fragile}`)).toBe(0);
      const audit = await listAudit({ db: database.db, subjectKind: 'collabDocument', subjectId: fragile });
      expect(audit).toEqual([]);
      expect(contentOf(await store.load(fragile))).toEqual({ segments: t.segments.toJSON(), confirmations: {} });
    } finally {
      await database.db.execute(sql.raw('drop trigger if exists collab_test_refuse_update on collab_updates'));
      await database.db.execute(sql.raw('drop trigger if exists collab_test_refuse_snapshot on collab_snapshots'));
      await database.db.execute(sql.raw('drop function if exists collab_test_refuse()'));
    }
  });

  it('refuses appends after close, having committed the queued ones', async () => {
    const closing = createCollabStore({ db: database.db, maxDelayMs: 50 });
    const name = transcriptName(newId(), newId());
    const t = transcriptDoc();
    t.addSegment('last words', 'judge');
    const queued = closing.append(name, t.updates[0]!, { source: 'system', reason: 'shutdown' });
    await closing.close();
    await queued;
    expect(contentOf(await store.load(name))).toEqual({ segments: t.segments.toJSON(), confirmations: {} });
    await expect(closing.append(name, t.updates[0]!, { source: 'system', reason: 'late' })).rejects.toThrow(/closed/);
  });
}

const listTranscriptChangesFor = (store: CollabStore, hearingId: string, segmentId: string) => store.listTranscriptChanges({ hearingId, segmentId });

describe('collab storage on PGlite (in memory)', () => {
  collabStorageContract(openMigratedPglite);

  it('keeps documents, snapshots, versions and the audit across a restart of a PGlite data folder', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'ecourt-collab-'));
    try {
      const hearingId = newId();
      const name = transcriptName(newId(), hearingId);
      const t = transcriptDoc();
      const judge = newId();
      for (let i = 0; i < 12; i++) t.addSegment(`段落 ${i}`, 'judge');
      {
        const database = await openDatabase({ dataDir });
        await migrateDatabase(database);
        const store = createCollabStore({ db: database.db, compactEvery: 5 });
        await Promise.all(t.updates.map((update) => store.append(name, update, session(judge))));
        await store.saveVersion({ docName: name, label: 'v1', createdBy: judge, state: Y.encodeStateAsUpdate(t.doc) });
        await store.close();
        await database.close();
      }
      const database = await openDatabase({ dataDir });
      try {
        await migrateDatabase(database);
        const store = createCollabStore({ db: database.db, compactEvery: 5 });
        expect(contentOf(await store.load(name))).toEqual({ segments: t.segments.toJSON(), confirmations: {} });
        expect(await countRows(database, sql`select count(*)::int as n from collab_snapshots where doc_name = ${name}`)).toBe(1);
        expect((await store.listTranscriptChanges({ hearingId })).map((c) => c.userId)).toEqual(Array.from({ length: 12 }, () => judge));
        expect((await store.listVersions({ docName: name })).map((v) => v.label)).toEqual(['v1']);
        t.textOf(11).insert(0, 'after restart ');
        await store.append(name, t.updates[12]!, session(judge));
        expect((await store.listTranscriptChanges({ hearingId })).at(-1)!.seq).toBe(13);
        await store.close();
      } finally {
        await database.close();
      }
    } finally {
      await rm(dataDir, { recursive: true, force: true });
    }
  });
});

const postgres = await probePostgres();

describe.skipIf(!postgres.available)(`collab storage on Postgres${postgres.skipReason}`, () => {
  collabStorageContract(openMigratedPostgres);
});
