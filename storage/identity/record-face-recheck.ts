// Records one identity re-check during a hearing (庭中人脸复核): a frame of the participant's video
// compared with their enrolled face, as an identity check row and its audit row, in one transaction.
// `details` are the outcome, the distance and the frame's hash only: never the image or a descriptor.
import { SYSTEM_ACTOR } from '../audit/write-audit.ts';
import type { Db } from '../database.ts';
import { recordIdentityCheck, type IdentityCheckRecord } from './record-identity-check.ts';

export interface FaceRecheckDetails extends Record<string, unknown> {
  hearingId: string;
  participantId: string;
  outcome: 'match' | 'mismatch' | 'noFace' | 'severalFaces';
  distance: number | null;
  threshold: number;
  faces: number;
  frameSha256: string;
  /** What the user's own list of checks shows (GET /api/v1/me/identity-checks). */
  summary: { en: string; zh: string };
}

export async function recordFaceRecheck({ db, userId, details }: { db: Db; userId: string; details: FaceRecheckDetails }): Promise<IdentityCheckRecord> {
  return db.transaction((tx) =>
    recordIdentityCheck({
      tx,
      userId,
      kind: 'face_recheck',
      adapter: 'face-api',
      outcome: details.outcome === 'match' ? 'passed' : 'failed',
      details,
      // The server checked, not the user: the audit row names no one.
      actor: SYSTEM_ACTOR,
    }),
  );
}
