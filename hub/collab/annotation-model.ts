// The evidence annotation document model (one Y.Doc per evidence file): typed accessors over the
// `annotations` map described in document-model.md. Authors are always the acting user. Shared with
// the browser's evidence viewer (web-components/src/collab/annotation-doc.ts).
import * as Y from 'yjs';
import { newUuid } from './new-id.ts';

export const ANNOTATION_SHAPES = ['highlight', 'rectangle', 'note', 'stamp'] as const;
export type AnnotationShape = (typeof ANNOTATION_SHAPES)[number];

export interface AnnotationAuthor {
  userId: string;
  role: string;
  displayName: string;
}

export interface AnnotationRegion {
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface AnnotationComment {
  id: string;
  author: AnnotationAuthor;
  text: string;
  at: string;
}

export interface Annotation {
  id: string;
  shape: AnnotationShape;
  page: number;
  region: AnnotationRegion;
  author: AnnotationAuthor;
  createdAt: string;
  color?: string;
  text?: string;
  comments: AnnotationComment[];
}

export interface NewAnnotation {
  id?: string;
  shape: AnnotationShape;
  page: number;
  region: AnnotationRegion;
  color?: string;
  text?: string;
}

export class InvalidAnnotationError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'InvalidAnnotationError';
  }
}

export const annotationsMap = (doc: Y.Doc): Y.Map<Y.Map<unknown>> => doc.getMap<Y.Map<unknown>>('annotations');

function assertRegion(page: number, region: AnnotationRegion): void {
  if (!Number.isInteger(page) || page < 1) throw new InvalidAnnotationError('page must be a whole number from 1');
  const inside = (value: number) => Number.isFinite(value) && value >= 0 && value <= 1;
  if (![region.x, region.y, region.width, region.height].every(inside) || region.x + region.width > 1 + 1e-9 || region.y + region.height > 1 + 1e-9) {
    throw new InvalidAnnotationError('region must lie within the page (fractions 0..1)');
  }
}

/** Adds an annotation authored by `author` in one transaction (author set with the map, as the server requires). */
export function addAnnotation(doc: Y.Doc, author: AnnotationAuthor, annotation: NewAnnotation, at = new Date()): string {
  if (!(ANNOTATION_SHAPES as readonly string[]).includes(annotation.shape)) throw new InvalidAnnotationError(`unknown shape ${annotation.shape}`);
  assertRegion(annotation.page, annotation.region);
  const id = annotation.id ?? newUuid();
  const map = new Y.Map<unknown>();
  map.set('id', id);
  map.set('shape', annotation.shape);
  map.set('page', annotation.page);
  map.set('region', { ...annotation.region });
  map.set('author', { userId: author.userId, role: author.role, displayName: author.displayName });
  map.set('createdAt', at.toISOString());
  if (annotation.color !== undefined) map.set('color', annotation.color);
  if (annotation.text !== undefined) map.set('text', annotation.text);
  map.set('comments', new Y.Array<AnnotationComment>());
  doc.transact(() => annotationsMap(doc).set(id, map));
  return id;
}

/** Appends a comment by `author` to an annotation; null when the annotation does not exist. */
export function commentOnAnnotation(doc: Y.Doc, annotationId: string, author: AnnotationAuthor, text: string, at = new Date()): string | null {
  const comments = annotationsMap(doc).get(annotationId)?.get('comments');
  if (!(comments instanceof Y.Array)) return null;
  const id = newUuid();
  comments.push([{ id, author: { userId: author.userId, role: author.role, displayName: author.displayName }, text, at: at.toISOString() }]);
  return id;
}

export function removeAnnotation(doc: Y.Doc, annotationId: string): boolean {
  const annotations = annotationsMap(doc);
  if (!annotations.has(annotationId)) return false;
  annotations.delete(annotationId);
  return true;
}

/** One annotation as stored, or null when it is malformed (skipped rather than shown broken). */
function readAnnotation(map: Y.Map<unknown>): Annotation | null {
  const region = map.get('region') as AnnotationRegion | undefined;
  const author = map.get('author') as AnnotationAuthor | undefined;
  const shape = map.get('shape') as AnnotationShape;
  if (!region || !author || !ANNOTATION_SHAPES.includes(shape)) return null;
  const comments = map.get('comments');
  const color = map.get('color');
  const text = map.get('text');
  return {
    id: String(map.get('id') ?? ''),
    shape,
    page: Number(map.get('page') ?? 1),
    region,
    author,
    createdAt: String(map.get('createdAt') ?? ''),
    ...(typeof color === 'string' ? { color } : {}),
    ...(typeof text === 'string' ? { text } : {}),
    comments: comments instanceof Y.Array ? (comments.toArray() as AnnotationComment[]) : [],
  };
}

/** All well-formed annotations, ordered by page then creation time (then id, for a stable order). */
export function annotationsOf(doc: Y.Doc): Annotation[] {
  return [...annotationsMap(doc).values()]
    .filter((entry): entry is Y.Map<unknown> => entry instanceof Y.Map)
    .map(readAnnotation)
    .filter((annotation): annotation is Annotation => annotation !== null)
    .sort((a, b) => a.page - b.page || a.createdAt.localeCompare(b.createdAt) || a.id.localeCompare(b.id));
}
