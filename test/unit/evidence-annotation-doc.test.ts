// The browser's annotation writes (web-components/src/collab/annotation-doc.ts, over the model shared with
// the hub) must be exactly what the hub's update policy accepts, also in a page served over plain http.
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import * as Y from 'yjs';
import { checkUpdate, type UpdateCheck } from '../../hub/collab/update-policy.ts';
import { makeUser } from '../support/collab-fixtures.ts';
import type { CollabUser } from '../../hub/collab/access.ts';

type BrowserModel = typeof import('../../web-components/src/collab/annotation-doc.ts');
let browser: BrowserModel;

const party = makeUser('party', '陈静');
const judge = makeUser('judge', '李明');
const authorOf = (user: CollabUser) => ({ userId: user.userId, role: user.role, displayName: user.displayName });

/** The update a client sends after `change`, and the hub's verdict on it. */
function verdict(server: Y.Doc, user: CollabUser, write: UpdateCheck['write'], change: (replica: Y.Doc) => void) {
  const replica = new Y.Doc();
  Y.applyUpdate(replica, Y.encodeStateAsUpdate(server));
  const before = Y.encodeStateVector(replica);
  change(replica);
  const update = Y.encodeStateAsUpdate(replica, before);
  const result = checkUpdate({ doc: server, kind: 'annotations', write, user }, update);
  if (result.ok) Y.applyUpdate(server, update);
  return result;
}

beforeAll(async () => {
  // A court intranet page on plain http is not a secure context: crypto.randomUUID is unavailable there.
  vi.stubGlobal('isSecureContext', false);
  browser = await import('../../web-components/src/collab/annotation-doc.ts');
});

afterAll(() => {
  vi.unstubAllGlobals();
});

describe('browser annotation writes under the hub’s rules', () => {
  it('a party’s shape, a judge’s comment on it: accepted, and read the same by the hub’s model', () => {
    const server = new Y.Doc();
    let id = '';
    expect(
      verdict(server, party, 'ownAreas', (doc) => {
        id = browser.addAnnotation(doc, authorOf(party), { shape: 'rectangle', page: 2, region: browser.regionBetween({ x: 0.6, y: 0.5 }, { x: 0.2, y: 0.3 }) });
      }),
    ).toEqual({ ok: true });
    expect(verdict(server, judge, 'editor', (doc) => browser.commentOnAnnotation(doc, id, authorOf(judge), '请提交原件'))).toEqual({ ok: true });
    const [annotation] = browser.annotationsOf(server);
    expect(annotation).toMatchObject({ id, shape: 'rectangle', page: 2, author: authorOf(party), comments: [{ author: authorOf(judge), text: '请提交原件' }] });
    expect(annotation!.region.x).toBeCloseTo(0.2);
    expect(annotation!.region.width).toBeCloseTo(0.4);
    expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });

  it('notes and stamps carry their text; only the author (or judge/clerk) may delete', () => {
    const server = new Y.Doc();
    let stampId = '';
    verdict(server, judge, 'editor', (doc) => {
      stampId = browser.addAnnotation(doc, authorOf(judge), { shape: 'stamp', page: 1, region: { x: 0.6, y: 0, width: 0.26, height: 0.07 }, text: '已核实' });
    });
    expect(browser.annotationsOf(server)[0]).toMatchObject({ shape: 'stamp', text: '已核实' });
    expect(verdict(server, party, 'ownAreas', (doc) => browser.removeAnnotation(doc, stampId)).ok).toBe(false);
    let noteId = '';
    verdict(server, party, 'ownAreas', (doc) => {
      noteId = browser.addAnnotation(doc, authorOf(party), { shape: 'note', page: 1, region: { x: 0, y: 0, width: 0.22, height: 0.08 }, text: '见第3条' });
    });
    expect(verdict(server, party, 'ownAreas', (doc) => browser.removeAnnotation(doc, noteId))).toEqual({ ok: true });
    expect(browser.annotationsOf(server).map((a) => a.id)).toEqual([stampId]);
  });

  it('regions are clamped into the page whichever way the pointer moved', () => {
    expect(browser.regionBetween({ x: 1.2, y: -0.1 }, { x: 0.5, y: 0.25 })).toEqual({ x: 0.5, y: 0, width: 0.5, height: 0.25 });
  });
});
