// Seeded fuzz of concurrent edits by several sessions through one room (with the authorisation on):
// every permitted edit is accepted and all replicas, the room and the stored log converge.
import { afterEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import type { DocRoom } from '../../hub/collab/doc-room.ts';
import { addAnnotation, annotationsMap, annotationsOf, commentOnAnnotation, removeAnnotation } from '../../hub/collab/annotation-model.ts';
import { appendSegment, confirmSegment, segmentsArray, segmentsOf, renderTranscriptText } from '../../hub/collab/transcript-model.ts';
import type { TestCollabClient } from '../support/collab-client.ts';
import { settle } from '../support/collab-socket-pair.ts';
import { joinRoom, makeUser, openRoom, seededRandom } from '../support/collab-fixtures.ts';
import type { CollabUser } from '../../hub/collab/access.ts';

const rooms: DocRoom[] = [];
const clients: TestCollabClient[] = [];
afterEach(() => {
  for (const client of clients.splice(0)) client.destroy();
  for (const room of rooms.splice(0)) room.destroy();
});

/** JSON with sorted keys: map key order follows arrival order, which differs between replicas. */
const canonical = (value: unknown): string =>
  JSON.stringify(value, (_key, inner: unknown) =>
    inner && typeof inner === 'object' && !Array.isArray(inner) ? Object.fromEntries(Object.entries(inner).sort(([a], [b]) => a.localeCompare(b))) : inner,
  );
const pick = <T>(random: () => number, items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
const WORDS = ['原告', '被告', '借款', '3000元', '确认', '异议', 'the', 'court', '\n', '。'];

function transcriptEdit(random: () => number, client: TestCollabClient, user: CollabUser): void {
  const doc = client.doc;
  if (user.role === 'judge' || user.role === 'clerk') {
    const segments = segmentsArray(doc);
    const choice = random();
    if (segments.length === 0 || choice < 0.25) {
      appendSegment(doc, { speaker: { participantId: user.userId, role: user.role, displayName: user.displayName }, startMs: Math.floor(random() * 1e6), endMs: 1e6, text: pick(random, WORDS), source: 'human' });
    } else if (choice < 0.85) {
      const segment = segments.get(Math.floor(random() * segments.length));
      const text = segment.get('text') as Y.Text;
      doc.transact(() => {
        if (random() < 0.6 || text.length === 0) text.insert(Math.floor(random() * (text.length + 1)), pick(random, WORDS));
        else text.delete(Math.floor(random() * text.length), 1);
        (segment.get('editedBy') as Y.Array<unknown>).push([{ userId: user.userId, role: user.role, at: 't' }]);
      });
    } else {
      segments.delete(Math.floor(random() * segments.length), 1);
    }
    return;
  }
  const segments = segmentsOf(doc);
  if (segments.length === 0) return;
  const segment = pick(random, segments);
  if (random() < 0.6) {
    confirmSegment(doc, user.userId, segment.id, { status: random() < 0.7 ? 'confirmed' : 'objected', at: 't' });
  } else {
    const comments = doc.getMap<Y.Array<unknown>>('comments');
    doc.transact(() => {
      let own = comments.get(user.userId);
      if (!own) {
        own = new Y.Array();
        comments.set(user.userId, own);
      }
      own.push([{ id: String(random()), segmentId: segment.id, text: pick(random, WORDS), at: 't' }]);
    });
  }
}

function annotationEdit(random: () => number, client: TestCollabClient, user: CollabUser): void {
  const doc = client.doc;
  const self = { userId: user.userId, role: user.role, displayName: user.displayName };
  const existing = annotationsOf(doc);
  const own = existing.filter((annotation) => annotation.author.userId === user.userId);
  const editor = user.role === 'judge' || user.role === 'clerk';
  const choice = random();
  if (existing.length === 0 || choice < 0.35) {
    addAnnotation(doc, self, { shape: pick(random, ['highlight', 'rectangle', 'note', 'stamp'] as const), page: 1 + Math.floor(random() * 5), region: { x: 0.1, y: 0.1, width: 0.2, height: 0.2 } });
  } else if (choice < 0.7) {
    commentOnAnnotation(doc, pick(random, existing).id, self, pick(random, WORDS));
  } else if (choice < 0.85) {
    const target = editor ? pick(random, existing) : own.length > 0 ? pick(random, own) : null;
    if (target) annotationsMap(doc).get(target.id)?.set('color', pick(random, ['#f00', '#0f0', '#00f']));
  } else {
    const target = editor ? pick(random, existing) : own.length > 0 ? pick(random, own) : null;
    if (target) removeAnnotation(doc, target.id);
  }
}

/**
 * Named regressions: these seeds once failed. Transcript seeds 23, 57, 101, 4242, 65537 and annotation
 * seed 23: a clerk typing into a segment the judge had just deleted was refused ("depends on content the
 * server does not have") because the segment was already garbage-collected on the server; Yjs makes such
 * inserts no-ops, and so does the policy now. Seed 11 (transcript): replicas listed map keys in different
 * orders, which is not a divergence (the comparison is key-order independent).
 */
const REGRESSION_SEEDS = [11, 23, 57, 101, 4242, 65537];
const FRESH_SEEDS = [7, 2026, 90210];
const SEEDS = [...REGRESSION_SEEDS, ...FRESH_SEEDS];

describe.each(['transcript', 'annotations'] as const)('convergence of concurrent %s edits', (kind) => {
  it.each(SEEDS)('seed %i', async (seed) => {
    const random = seededRandom(seed);
    const { room, persistence } = await openRoom(kind);
    rooms.push(room);
    const users = [makeUser('judge', '审判长'), makeUser('clerk', '书记员'), makeUser('party', '陈静'), makeUser('lawyer', '律师 王')];
    const sessions = users.map((user) => {
      const client = joinRoom(room, user);
      clients.push(client);
      return { user, client };
    });
    await settle();
    for (let round = 0; round < 40; round++) {
      for (const session of sessions) {
        const edits = Math.floor(random() * 3);
        for (let index = 0; index < edits; index++) {
          if (kind === 'transcript') transcriptEdit(random, session.client, session.user);
          else annotationEdit(random, session.client, session.user);
        }
      }
      // Partial delivery: some edits cross in flight, so they are truly concurrent.
      await settle(Math.floor(random() * 6));
    }
    await settle(400);
    await room.flush();

    for (const session of sessions) expect(session.client.refusals.slice(0, 2), session.user.role).toEqual([]);
    const expected = Buffer.from(Y.encodeStateVector(room.doc)).toString('hex');
    const view = (doc: Y.Doc) =>
      kind === 'transcript'
        ? canonical([renderTranscriptText(doc), doc.getMap('confirmations').toJSON(), doc.getMap('comments').toJSON()])
        : canonical(annotationsOf(doc));
    for (const session of sessions) {
      expect(Buffer.from(Y.encodeStateVector(session.client.doc)).toString('hex')).toBe(expected);
      expect(view(session.client.doc)).toBe(view(room.doc));
    }
    const stored = persistence.docOf(room.name);
    expect(view(stored)).toBe(view(room.doc));
    stored.destroy();
  });
});
