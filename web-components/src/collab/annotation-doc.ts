// The evidence annotations Y.Doc in the browser: the model itself is hub/collab/annotation-model.ts
// (shared with the hub, so the browser writes exactly the layout the hub checks); here is only what
// drawing adds: a region from a pointer drag.
import type { AnnotationRegion } from '../../../hub/collab/annotation-model.ts';

export {
  ANNOTATION_SHAPES,
  addAnnotation,
  annotationsMap,
  annotationsOf,
  commentOnAnnotation,
  removeAnnotation,
  type Annotation,
  type AnnotationAuthor,
  type AnnotationComment,
  type AnnotationRegion,
  type AnnotationShape,
} from '../../../hub/collab/annotation-model.ts';

const clamp = (value: number) => Math.min(1, Math.max(0, value));

/** A region inside the page (fractions 0..1), whatever way the pointer was dragged. */
export function regionBetween(a: { x: number; y: number }, b: { x: number; y: number }): AnnotationRegion {
  const x = clamp(Math.min(a.x, b.x));
  const y = clamp(Math.min(a.y, b.y));
  return { x, y, width: clamp(Math.max(a.x, b.x)) - x, height: clamp(Math.max(a.y, b.y)) - y };
}
