// checkUpdate on crafted and edge-case updates, straight against a document (no room).
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { checkUpdate, MalformedUpdateError, type UpdateCheck } from '../../hub/collab/update-policy.ts';
import { appendSegment, confirmSegment } from '../../hub/collab/transcript-model.ts';
import { addAnnotation } from '../../hub/collab/annotation-model.ts';
import { makeUser } from '../support/collab-fixtures.ts';

const judge = makeUser('judge');
const party = makeUser('party', '陈静');
const speaker = { participantId: 'p', role: 'judge', displayName: 'j' };

/** The update a change to a replica of `server` produces (one transaction). */
function updateFrom(server: Y.Doc, change: (replica: Y.Doc) => void): Uint8Array {
  const replica = new Y.Doc();
  Y.applyUpdate(replica, Y.encodeStateAsUpdate(server));
  const before = Y.encodeStateVector(replica);
  change(replica);
  const update = Y.encodeStateAsUpdate(replica, before);
  replica.destroy();
  return update;
}

function transcriptWithSegment(): { doc: Y.Doc; segmentId: string } {
  const doc = new Y.Doc();
  const segmentId = appendSegment(doc, { speaker, startMs: 0, endMs: 1, text: 'hello world', source: 'human' });
  return { doc, segmentId };
}

const as = (doc: Y.Doc, user = party, write: UpdateCheck['write'] = 'ownAreas', kind: UpdateCheck['kind'] = 'transcript'): UpdateCheck => ({ doc, kind, write, user });

describe('checkUpdate', () => {
  it('locates inserts whose parent is only implied by their left neighbour (typing in the middle of a text)', () => {
    const { doc } = transcriptWithSegment();
    const typing = updateFrom(doc, (replica) => {
      const text = replica.getArray<Y.Map<unknown>>('segments').get(0).get('text') as Y.Text;
      text.insert(5, ',');
    });
    expect(checkUpdate(as(doc, judge, 'editor'), typing)).toEqual({ ok: true });
    expect(checkUpdate(as(doc), typing)).toMatchObject({ ok: false });
    expect(checkUpdate(as(doc, makeUser('courtAdmin'), 'none'), typing)).toMatchObject({ ok: false, reason: expect.stringMatching(/read this document/) });
  });

  it('allows content created and deleted in one update when the area is the writer’s own', () => {
    const { doc, segmentId } = transcriptWithSegment();
    const update = updateFrom(doc, (replica) => {
      confirmSegment(replica, party.userId, segmentId, { status: 'confirmed', at: 'now' });
      confirmSegment(replica, party.userId, segmentId, { status: 'objected', at: 'later' });
    });
    expect(checkUpdate(as(doc), update)).toEqual({ ok: true });
  });

  it('lets an empty or already-known update through for read-only sessions', () => {
    const { doc } = transcriptWithSegment();
    const observer = makeUser('courtAdmin');
    expect(checkUpdate(as(doc, observer, 'none'), Y.encodeStateAsUpdate(new Y.Doc()))).toEqual({ ok: true });
    expect(checkUpdate(as(doc, observer, 'none'), Y.encodeStateAsUpdate(doc))).toEqual({ ok: true });
  });

  it('refuses writes to roots outside the model for limited writers, and judge notes for anyone but full writers', () => {
    const { doc } = transcriptWithSegment();
    const stray = updateFrom(doc, (replica) => replica.getMap('anything').set('x', 1));
    expect(checkUpdate(as(doc), stray)).toMatchObject({ ok: false });
    const notes = new Y.Doc();
    const noteUpdate = updateFrom(notes, (replica) => replica.getText('notes').insert(0, 'x'));
    expect(checkUpdate(as(notes, judge, 'full', 'judgeNotes'), noteUpdate)).toEqual({ ok: true });
    expect(checkUpdate(as(notes, judge, 'editor', 'judgeNotes'), noteUpdate)).toMatchObject({ ok: false });
  });

  it('checks annotation authors against the writer even for the judge', () => {
    const doc = new Y.Doc();
    const own = updateFrom(doc, (replica) => addAnnotation(replica, { userId: judge.userId, role: judge.role, displayName: judge.displayName }, { shape: 'stamp', page: 1, region: { x: 0, y: 0, width: 0.1, height: 0.1 } }));
    const forged = updateFrom(doc, (replica) => addAnnotation(replica, { userId: party.userId, role: party.role, displayName: party.displayName }, { shape: 'stamp', page: 1, region: { x: 0, y: 0, width: 0.1, height: 0.1 } }));
    expect(checkUpdate(as(doc, judge, 'editor', 'annotations'), own)).toEqual({ ok: true });
    expect(checkUpdate(as(doc, judge, 'editor', 'annotations'), forged)).toMatchObject({ ok: false, reason: expect.stringMatching(/author/) });
  });

  it('throws MalformedUpdateError for bytes that are not an update, and refuses deletions of unknown content', () => {
    const { doc } = transcriptWithSegment();
    expect(() => checkUpdate(as(doc), new Uint8Array([1, 200, 3]))).toThrow(MalformedUpdateError);
    // A delete set naming a client the server never saw.
    const unknown = new Y.Doc();
    unknown.getArray('segments').push(['x']);
    const deletion = updateFrom(unknown, (replica) => replica.getArray('segments').delete(0, 1));
    const deleteOnly = Y.diffUpdate(deletion, Y.encodeStateVector(unknown));
    expect(checkUpdate(as(doc, judge, 'editor'), deleteOnly)).toMatchObject({ ok: false, reason: expect.stringMatching(/does not have/) });
  });

  it('costs little per keystroke on a large transcript', () => {
    const doc = new Y.Doc();
    for (let index = 0; index < 500; index++) appendSegment(doc, { speaker, startMs: index, endMs: index + 1, text: 'x'.repeat(200), source: 'human' });
    const replica = new Y.Doc();
    Y.applyUpdate(replica, Y.encodeStateAsUpdate(doc));
    const updates: Uint8Array[] = [];
    replica.on('update', (update: Uint8Array) => updates.push(update));
    const text = replica.getArray<Y.Map<unknown>>('segments').get(250).get('text') as Y.Text;
    for (let index = 0; index < 1000; index++) text.insert(100, 'y');
    let checking = 0;
    let applying = 0;
    for (const update of updates) {
      const started = performance.now();
      const verdict = checkUpdate(as(doc, judge, 'editor'), update);
      checking += performance.now() - started;
      expect(verdict.ok).toBe(true);
      const applied = performance.now();
      Y.applyUpdate(doc, update);
      applying += performance.now() - applied;
    }
    // Generous bounds for slow CI machines; measured here ≈ 0.035 ms per check, about what applying the update costs.
    expect(checking / updates.length).toBeLessThan(2);
    expect(checking).toBeLessThan(applying * 5);
  });
});

describe('checkUpdate on a frozen transcript (笔录确认)', () => {
  it('refuses segment and meta changes from every session, the judge’s too, but keeps the parties’ own marks open', () => {
    const { doc, segmentId } = transcriptWithSegment();
    doc.getMap('meta').set('frozenAt', '2026-12-01T10:00:00.000Z');
    const typing = updateFrom(doc, (replica) => (replica.getArray<Y.Map<unknown>>('segments').get(0).get('text') as Y.Text).insert(0, 'x'));
    expect(checkUpdate(as(doc, judge, 'editor'), typing)).toMatchObject({ ok: false, reason: expect.stringMatching(/frozen/) });
    const unfreezing = updateFrom(doc, (replica) => replica.getMap('meta').delete('frozenAt'));
    expect(checkUpdate(as(doc, judge, 'editor'), unfreezing)).toMatchObject({ ok: false, reason: expect.stringMatching(/frozen/) });
    const mark = updateFrom(doc, (replica) => confirmSegment(replica, party.userId, segmentId, { status: 'objected', note: '有误', at: 'now' }));
    expect(checkUpdate(as(doc), mark)).toEqual({ ok: true });
    // The server's own work (the judge's correction) is a system update, never checked here.
    expect(checkUpdate(as(doc, judge, 'full'), typing)).toEqual({ ok: true });
  });
});
