// The transcript's freeze and the judge's correction on a real room registry and a migrated PGlite
// (the document store in memory): one freeze per document however often it is asked for — also when
// a stop fell between the version and the submission — and the correction as a system change with a version.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { randomUUID } from 'node:crypto';
import { silentLogger } from '../../platform/logger.ts';
import { RoomRegistry } from '../../hub/collab/room-registry.ts';
import { transcriptDocName } from '../../hub/collab/doc-names.ts';
import { appendSegment, segmentsOf } from '../../hub/collab/transcript-model.ts';
import { transcriptHash } from '../../hub/collab/transcript-hash.ts';
import { FREEZE_LABEL, correctFrozenSegment, freezeTranscript, frozenAtOf, SegmentNotFoundError } from '../../hub/collab/transcript-freeze.ts';
import { transcriptRoomWriter } from '../../hub/hearings/live-transcription.ts';
import { listVersions } from '../../storage/collab/list-versions.ts';
import { getVersion } from '../../storage/collab/get-version.ts';
import { MemoryDocPersistence } from '../support/collab-memory-persistence.ts';
import { openMigratedPglite, type OpenedTestDatabase } from '../support/storage.ts';

const docName = transcriptDocName(randomUUID(), randomUUID());
const judge = { userId: randomUUID(), role: 'judge' };
let opened: OpenedTestDatabase;
let persistence: MemoryDocPersistence;
let registry: RoomRegistry;
let segmentId: string;

beforeEach(async () => {
  opened = await openMigratedPglite();
  persistence = new MemoryDocPersistence();
  const seed = new Y.Doc();
  segmentId = appendSegment(seed, { speaker: { participantId: 'p1', role: 'party', displayName: '陈静' }, startMs: 0, endMs: 1000, text: '三千元', source: 'human' });
  persistence.seed(docName, Y.encodeStateAsUpdate(seed));
  registry = new RoomRegistry({ persistence, logger: silentLogger });
});
afterEach(async () => {
  await registry.closeAll();
  await opened.dispose();
});

describe('freezeTranscript', () => {
  it('freezes once: a second call (a restart before the submission, another caller) reuses the version and its hash', async () => {
    const db = opened.database.db;
    const [first, concurrent] = await Promise.all([
      freezeTranscript({ registry, db, docName, at: new Date('2026-12-01T10:00:00Z') }),
      freezeTranscript({ registry, db, docName, at: new Date('2026-12-01T10:00:01Z') }),
    ]);
    expect(concurrent).toEqual(first);
    // Later, from a fresh registry (a restarted node) on the same stores.
    await registry.closeAll();
    registry = new RoomRegistry({ persistence, logger: silentLogger });
    const again = await freezeTranscript({ registry, db, docName, at: new Date('2026-12-02T10:00:00Z') });
    expect(again).toEqual(first);
    expect(first.frozenAt).toBe('2026-12-01T10:00:00.000Z');
    const versions = (await listVersions({ db, docName })).filter((version) => version.label === FREEZE_LABEL);
    expect(versions.map((version) => version.id)).toEqual([first.versionId]);
    const stored = new Y.Doc();
    Y.applyUpdate(stored, (await getVersion({ db, versionId: first.versionId }))!.state);
    expect(frozenAtOf(stored)).toBe(first.frozenAt);
    expect(transcriptHash(stored)).toBe(first.sha256);
    // The freeze itself is a stored system change, so it survives the room.
    expect(persistence.appended.map((entry) => entry.origin)).toContainEqual(expect.objectContaining({ source: 'system', reason: 'freeze' }));
  });

  it('two hub nodes freezing at the same moment save one version (its id is fixed by the document)', async () => {
    const db = opened.database.db;
    const otherNode = new RoomRegistry({ persistence, logger: silentLogger });
    try {
      const [here, there] = await Promise.all([
        freezeTranscript({ registry, db, docName, at: new Date('2026-12-01T10:00:00Z') }),
        freezeTranscript({ registry: otherNode, db, docName, at: new Date('2026-12-01T10:00:00Z') }),
      ]);
      expect(there.versionId).toBe(here.versionId);
      expect(there.sha256).toBe(here.sha256);
      expect((await listVersions({ db, docName })).filter((version) => version.label === FREEZE_LABEL)).toHaveLength(1);
    } finally {
      await otherNode.closeAll();
    }
  });

  it('takes no speech recognition result once frozen: what the parties review is what is filed', async () => {
    const db = opened.database.db;
    const write = transcriptRoomWriter(registry, docName, 'pocketsphinx', silentLogger);
    const late = { speaker: { participantId: 'p1', role: 'party', displayName: '陈静' }, startMs: 2000, endMs: 3000, text: 'late words', source: 'asr:pocketsphinx' };
    await write((doc) => void appendSegment(doc, late));
    expect(await registry.withRoom(docName, 'transcript', (room) => segmentsOf(room.doc).length)).toBe(2);
    await freezeTranscript({ registry, db, docName });
    await write((doc) => void appendSegment(doc, { ...late, text: 'too late' }));
    expect(await registry.withRoom(docName, 'transcript', (room) => segmentsOf(room.doc).map((segment) => segment.text))).toEqual(['三千元', 'late words']);
  });

  it('the judge’s correction changes the frozen segment as a system change, records the judge, and saves a version', async () => {
    const db = opened.database.db;
    await freezeTranscript({ registry, db, docName });
    const corrected = await correctFrozenSegment({ registry, db, docName, segmentId, text: '三万元', judge });
    expect(corrected.changed).toBe(true);
    const text = await registry.withRoom(docName, 'transcript', (room) => segmentsOf(room.doc)[0]!);
    expect(text.text).toBe('三万元');
    expect(text.editedBy.at(-1)).toMatchObject(judge);
    expect((await listVersions({ db, docName })).map((version) => version.id)).toContain(corrected.versionId);
    await expect(correctFrozenSegment({ registry, db, docName, segmentId: 'nope', text: 'x', judge })).rejects.toBeInstanceOf(SegmentNotFoundError);
  });
});
