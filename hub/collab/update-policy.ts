// Decides whether a Yjs update (v1 encoding) from a session may be applied, without cloning the
// document: every inserted and deleted item is located (root name + keys of its ancestors) in the
// room's current document or in the update itself, and checked against the writer's right.
import * as Y from 'yjs';
import type { CollabUser, WriteRight } from './access.ts';
import type { DocKind } from './doc-names.ts';

/** The id of content the document must hold (its client's state past `clock`) before a re-check can change anything. */
export interface NeededContent {
  client: number;
  clock: number;
}

/**
 * `missing`: the update's only known problem is content the server does not have (yet): a clock gap or an
 * unknown parent, origin or deleted id (`needs`: the first one found). The room may hold it until that
 * content arrives (doc-room.ts).
 */
export type UpdateVerdict =
  | { ok: true }
  | { ok: false; reason: string; missing: false }
  | { ok: false; reason: string; missing: true; needs: NeededContent };

export interface UpdateCheck {
  doc: Y.Doc;
  kind: DocKind;
  write: WriteRight;
  user: CollabUser;
}

/** The update's bytes do not decode: a protocol error, not a refusal. */
export class MalformedUpdateError extends Error {
  constructor(options?: { cause?: unknown }) {
    super('malformed Yjs update', options);
    this.name = 'MalformedUpdateError';
  }
}

type Struct = Y.Item | Y.GC | Y.Skip;

/** One ancestor of a located item: the item and its key in its parent map (null in an array). */
interface PathNode {
  item: Y.Item;
  key: string | null;
  inUpdate: boolean;
}
/** Where an item lives: the root type's name and its ancestors from the top-level item down to itself. */
interface ItemPath {
  root: string;
  chain: PathNode[];
}

/** The item lands in content the server already collected (GC): Yjs turns it into a no-op. */
const VOID = 'void' as const;
type Location = ItemPath | typeof VOID | null;

const ALLOWED: UpdateVerdict = { ok: true };
const refuse = (reason: string): UpdateVerdict => ({ ok: false, reason, missing: false });
export const UNPLACEABLE_REASON = 'the update depends on content the server does not have (perhaps an earlier refused change): reload the document';
const UNRESOLVED = refuse(UNPLACEABLE_REASON);
const missing = (needs: NeededContent): UpdateVerdict => ({ ok: false, reason: UNPLACEABLE_REASON, missing: true, needs });
const MAX_DEPTH = 64;
/** Roots of the transcript where each user owns the entry under their own user id. */
const PERSONAL_AREAS = new Set(['confirmations', 'comments']);

function findStruct(list: readonly Struct[] | undefined, clock: number): Struct | null {
  if (!list || list.length === 0) return null;
  let low = 0;
  let high = list.length - 1;
  while (low <= high) {
    const middle = (low + high) >>> 1;
    const struct = list[middle]!;
    if (clock < struct.id.clock) high = middle - 1;
    else if (clock >= struct.id.clock + struct.length) low = middle + 1;
    else return struct;
  }
  return null;
}

/** Locates items of the update and of the document; results are memoised per item. */
class Locator {
  private readonly paths = new Map<Y.Item, Location>();
  readonly updateStructs = new Map<number, Struct[]>();
  readonly updateItems = new Set<Y.Item>();
  /** The first id a lookup found in neither the document nor the update (content not here yet). */
  missing: NeededContent | null = null;

  constructor(
    private readonly doc: Y.Doc,
    structs: readonly Struct[],
  ) {
    for (const struct of structs) {
      const list = this.updateStructs.get(struct.id.client);
      if (list) list.push(struct);
      else this.updateStructs.set(struct.id.client, [struct]);
      if (struct instanceof Y.Item) this.updateItems.add(struct);
    }
    // A malicious update may list structs out of order; the binary search needs them sorted.
    for (const list of this.updateStructs.values()) list.sort((a, b) => a.id.clock - b.id.clock);
  }

  /** The struct holding this id, preferring what the document already has. */
  find(id: Y.ID): { struct: Struct; inUpdate: boolean } | null {
    const inDoc = findStruct(this.doc.store.clients.get(id.client) as Struct[] | undefined, id.clock);
    if (inDoc) return { struct: inDoc, inUpdate: false };
    const inUpdate = findStruct(this.updateStructs.get(id.client), id.clock);
    if (!inUpdate || inUpdate instanceof Y.Skip) this.missing ??= { client: id.client, clock: id.clock };
    return inUpdate ? { struct: inUpdate, inUpdate: true } : null;
  }

  locate(item: Y.Item, inUpdate: boolean, depth = 0): Location {
    const known = this.paths.get(item);
    if (known !== undefined) return known;
    // Marked before recursing, so a cycle of origins in a crafted update resolves to null.
    this.paths.set(item, null);
    const path = depth > MAX_DEPTH ? null : inUpdate ? this.locateInUpdate(item, depth) : this.locateInDoc(item, depth);
    this.paths.set(item, path);
    return path;
  }

  private locateInDoc(item: Y.Item, depth: number): Location {
    const parent = item.parent as Y.AbstractType<unknown> | null;
    if (!parent) return null;
    const node: PathNode = { item, key: item.parentSub, inUpdate: false };
    if (parent._item === null) return { root: Y.findRootTypeKey(parent), chain: [node] };
    const above = this.locate(parent._item, false, depth + 1);
    return above && above !== VOID ? { root: above.root, chain: [...above.chain, node] } : above;
  }

  private locateInUpdate(item: Y.Item, depth: number): Location {
    const parent = item.parent as unknown as string | Y.ID | null;
    if (typeof parent === 'string') return { root: parent, chain: [{ item, key: item.parentSub, inUpdate: true }] };
    if (parent !== null) {
      const found = this.find(parent);
      if (!found) return null;
      // A parent the server already collected (deleted and GC'd): Yjs makes the item a no-op.
      if (!found.inUpdate && (found.struct instanceof Y.GC || (found.struct instanceof Y.Item && found.struct.content instanceof Y.ContentDeleted))) {
        return VOID;
      }
      if (!(found.struct instanceof Y.Item) || !(found.struct.content instanceof Y.ContentType)) return null;
      const above = this.locate(found.struct, found.inUpdate, depth + 1);
      return above && above !== VOID ? { root: above.root, chain: [...above.chain, { item, key: item.parentSub, inUpdate: true }] } : above;
    }
    // No parent written: Yjs takes parent and key from the left neighbour, else the right one; when
    // neither is a live item (both collected), the item becomes a no-op.
    let collected = false;
    for (const neighbourId of [item.origin, item.rightOrigin]) {
      if (neighbourId === null) continue;
      const found = this.find(neighbourId);
      if (!found) return null;
      if (!(found.struct instanceof Y.Item)) {
        if (found.inUpdate || found.struct instanceof Y.Skip) return null;
        collected = true;
        continue;
      }
      const neighbour = this.locate(found.struct, found.inUpdate, depth + 1);
      if (!neighbour || neighbour === VOID) return neighbour;
      const last = neighbour.chain[neighbour.chain.length - 1]!;
      return { root: neighbour.root, chain: [...neighbour.chain.slice(0, -1), { item, key: last.key, inUpdate: true }] };
    }
    return collected ? VOID : null;
  }
}

const sameAuthor = (value: unknown, user: CollabUser): boolean => {
  if (typeof value !== 'object' || value === null) return false;
  const author = value as Record<string, unknown>;
  return author.userId === user.userId && author.role === user.role && author.displayName === user.displayName;
};

/** The plain values an item carries (ContentAny / ContentJSON), or null for other content. */
function plainValues(item: Y.Item): unknown[] | null {
  const content = item.content as { arr?: unknown[] };
  return item.content instanceof Y.ContentAny || item.content instanceof Y.ContentJSON ? (content.arr ?? []) : null;
}

function annotationAuthorId(annotation: Y.Item): string | null {
  if (!(annotation.content instanceof Y.ContentType) || !(annotation.content.type instanceof Y.Map)) return null;
  const author = (annotation.content.type as Y.Map<unknown>).get('author') as { userId?: unknown } | undefined;
  return typeof author?.userId === 'string' ? author.userId : null;
}

// 笔录确认: once the hearing's end froze the transcript (meta.frozenAt, set by the server), sessions
// may still mark and comment in their own areas, but segments and meta change only through the
// judge's correction API (hub/collab/transcript-freeze.ts), which applies a system update.
export const FROZEN_REASON = 'the transcript is frozen for confirmation: the judge corrects it by resolving an objection';
const isFrozenTranscript = (doc: Y.Doc): boolean => typeof doc.getMap('meta').get('frozenAt') === 'string';

/** The rules of one check: what one inserted or deleted item means for this writer. */
class Rules {
  /** New annotations of this update → whether their author entry was seen (and was the writer). */
  readonly newAnnotations = new Map<Y.Item, boolean>();

  constructor(private readonly check: UpdateCheck) {}

  transcript(path: ItemPath): UpdateVerdict {
    const { write, user } = this.check;
    if (PERSONAL_AREAS.has(path.root)) {
      return path.chain[0]!.key === user.userId ? ALLOWED : refuse(`only its owner may write in another user's ${path.root}`);
    }
    if (isFrozenTranscript(this.check.doc)) return refuse(FROZEN_REASON);
    return write === 'editor' ? ALLOWED : refuse('parties may write only their own confirmations and comments');
  }

  annotationInsert(path: ItemPath): UpdateVerdict {
    const { write, user } = this.check;
    if (path.root !== 'annotations') return refuse('annotations live only in the annotations map');
    const [top, child, grandchild] = path.chain as [PathNode, PathNode | undefined, PathNode | undefined];
    if (!child) {
      if (!(top.item.content instanceof Y.ContentType)) return refuse('an annotation must be a map');
      if (!this.newAnnotations.has(top.item)) this.newAnnotations.set(top.item, false);
      return ALLOWED;
    }
    if (child.key === 'author') {
      if (!top.inUpdate || grandchild) return refuse("an annotation's author cannot be changed");
      const values = plainValues(child.item);
      if (!values || values.length !== 1 || !sameAuthor(values[0], user)) return refuse('the author of a new annotation must be you');
      this.newAnnotations.set(top.item, true);
      return ALLOWED;
    }
    if (child.key === 'comments' && grandchild && path.chain.length === 3) {
      const values = plainValues(grandchild.item);
      const own = values !== null && values.every((comment) => sameAuthor((comment as { author?: unknown } | null)?.author, user));
      return own ? ALLOWED : refuse('the author of a comment must be you');
    }
    if (top.inUpdate) return ALLOWED;
    return write === 'editor' || annotationAuthorId(top.item) === user.userId
      ? ALLOWED
      : refuse('only its author or the judge and clerk may change an annotation');
  }

  annotationDelete(path: ItemPath): UpdateVerdict {
    const { write, user } = this.check;
    if (path.root !== 'annotations') return refuse('annotations live only in the annotations map');
    const [top, child, grandchild] = path.chain as [PathNode, PathNode | undefined, PathNode | undefined];
    if (top.inUpdate || write === 'editor' || annotationAuthorId(top.item) === user.userId) return ALLOWED;
    if (child?.key === 'comments' && grandchild && path.chain.length === 3) {
      const values = plainValues(grandchild.item);
      if (values !== null && values.every((comment) => (comment as { author?: { userId?: unknown } } | null)?.author?.userId === user.userId)) {
        return ALLOWED;
      }
    }
    return refuse('only its author or the judge and clerk may delete an annotation or comment');
  }
}

function decode(update: Uint8Array): { structs: Struct[]; ds: { clients: Map<number, { clock: number; len: number }[]> } } {
  try {
    return Y.decodeUpdate(update) as never;
  } catch (error) {
    throw new MalformedUpdateError({ cause: error });
  }
}

/**
 * Checks one update. Items the document already has and deletions of already deleted content have
 * no effect and pass; anything whose place cannot be determined is refused (unless write is `full`),
 * marked `missing` when what is lacking is content the server may still receive.
 * Throws MalformedUpdateError when the bytes do not decode.
 */
export function checkUpdate(check: UpdateCheck, update: Uint8Array): UpdateVerdict {
  const { structs, ds } = decode(update);
  if (check.write === 'full') return ALLOWED;
  if (check.kind === 'judgeNotes') return refuse('only judges may write judge notes');

  const { doc, kind, write } = check;
  const locator = new Locator(doc, structs);
  const rules = new Rules(check);
  const noWrite = refuse('you may read this document but not change it');

  // Structs that do not continue what the document has from their client would wait as pending
  // structs, to be applied later without any check: refuse them instead.
  for (const [client, list] of locator.updateStructs) {
    const first = list[0]!.id.clock;
    if (first > Y.getState(doc.store, client)) return missing({ client, clock: first - 1 });
  }

  for (const struct of structs) {
    if (!(struct instanceof Y.Item)) continue;
    // Already integrated in full: applying it again changes nothing.
    if (struct.id.clock + struct.length <= Y.getState(doc.store, struct.id.client)) continue;
    const path = locator.locate(struct, true);
    if (!path) return locator.missing ? missing(locator.missing) : UNRESOLVED;
    if (path === VOID) continue;
    if (write === 'none') return noWrite;
    const verdict = kind === 'transcript' ? rules.transcript(path) : rules.annotationInsert(path);
    if (!verdict.ok) return verdict;
  }

  for (const [client, ranges] of ds.clients) {
    for (const range of ranges) {
      let clock = range.clock;
      const end = range.clock + range.len;
      while (clock < end) {
        const found = locator.find(Y.createID(client, clock));
        if (!found || found.struct instanceof Y.Skip) return missing({ client, clock });
        const struct = found.struct;
        clock = struct.id.clock + struct.length;
        if (!(struct instanceof Y.Item) || (!found.inUpdate && struct.deleted)) continue;
        const path = locator.locate(struct, found.inUpdate);
        if (!path) return locator.missing ? missing(locator.missing) : UNRESOLVED;
        if (path === VOID) continue;
        if (write === 'none') return noWrite;
        const verdict = kind === 'transcript' ? rules.transcript(path) : rules.annotationDelete(path);
        if (!verdict.ok) return verdict;
      }
    }
  }

  for (const authored of rules.newAnnotations.values()) {
    if (!authored) return refuse('a new annotation must carry its author (you)');
  }
  return ALLOWED;
}
