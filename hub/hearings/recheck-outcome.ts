// What one re-check frame says about a participant: every face the detector found in it, compared
// with the enrolled descriptor. Pure; the face service only finds the faces.
import { matchDescriptors, type FaceAnalysis } from '../../models/face/face-match.ts';

export type RecheckOutcome = 'match' | 'mismatch' | 'noFace' | 'severalFaces';

export type RecheckVerdict =
  | { outcome: RecheckOutcome; distance: number | null; faces: number; facePx: number | null }
  /** One face, too small to compare reliably (the party sits far back): not an alert, checked again later. */
  | { outcome: null; reason: 'faceTooSmall'; faces: 1; facePx: number };

export function recheckVerdict(analysis: FaceAnalysis, enrolledDescriptor: readonly number[], options: { threshold: number; minFacePx: number }): RecheckVerdict {
  const { faces } = analysis;
  if (faces.length === 0) return { outcome: 'noFace', distance: null, faces: 0, facePx: null };
  // A second face of any size counts: someone beside or behind the party is what the clerk must see.
  if (faces.length > 1) return { outcome: 'severalFaces', distance: null, faces: faces.length, facePx: null };
  const face = faces[0]!;
  const facePx = Math.round(Math.min(face.box.width, face.box.height));
  if (facePx < options.minFacePx) return { outcome: null, reason: 'faceTooSmall', faces: 1, facePx };
  const { distance, samePerson } = matchDescriptors(enrolledDescriptor, face.descriptor, options.threshold);
  return { outcome: samePerson ? 'match' : 'mismatch', distance, faces: 1, facePx };
}
