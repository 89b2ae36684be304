// Files a hearing's recordings (WebM per participant track): the bytes into the blob store (on disk
// before anything refers to them), then their rows and one audit row per file — with its sha256 — in
// one transaction, so what the court may have to prove later is hashed into the audit trail.
import { readFile, rm } from 'node:fs/promises';
import type { Db } from '../database.ts';
import type { BlobStore } from '../blobs/blob-store.ts';
import { SYSTEM_ACTOR, writeAudit } from '../audit/write-audit.ts';
import { hearingRecordings } from './live-schema.ts';

export interface RecordedTrackFile {
  participantId: string;
  kind: 'audio' | 'video';
  /** A temporary file, removed once filed. */
  path: string;
  sha256: string;
  /** When the recording began (its first packet); filed as its recordedAt. Without it, the filing time. */
  startedAt?: Date;
}

export interface FiledRecording {
  id: string;
  participantId: string;
  kind: 'audio' | 'video';
  sha256: string;
  sizeBytes: number;
}

export async function recordHearingRecordings({
  db,
  blobs,
  hearingId,
  caseId,
  files,
  recordedAt = new Date(),
}: {
  db: Db;
  blobs: BlobStore;
  hearingId: string;
  caseId: string;
  files: readonly RecordedTrackFile[];
  /** For files that do not say when they began. */
  recordedAt?: Date;
}): Promise<FiledRecording[]> {
  const stored: { file: RecordedTrackFile; blob: Awaited<ReturnType<BlobStore['put']>> }[] = [];
  for (const file of files) {
    const bytes = await readFile(file.path);
    const blob = await blobs.put(bytes);
    // The recorder hashed the file as written; a mismatch means it changed on disk meanwhile.
    if (blob.sha256 !== file.sha256) throw new Error(`recording ${file.path} changed after it was hashed`);
    stored.push({ file, blob });
  }
  const filed = await db.transaction(async (tx) => {
    const rows = stored.length === 0 ? [] : await tx
      .insert(hearingRecordings)
      .values(
        stored.map(({ file, blob }) => ({
          hearingId,
          caseId,
          participantId: file.participantId,
          kind: file.kind,
          blobKey: blob.key,
          sha256: blob.sha256,
          sizeBytes: blob.sizeBytes,
          contentType: file.kind === 'audio' ? 'audio/webm' : 'video/webm',
          recordedAt: file.startedAt ?? recordedAt,
        })),
      )
      .returning({ id: hearingRecordings.id, participantId: hearingRecordings.participantId, kind: hearingRecordings.kind, sha256: hearingRecordings.sha256, sizeBytes: hearingRecordings.sizeBytes });
    await writeAudit(
      tx,
      rows.map((row) => ({
        actor: SYSTEM_ACTOR,
        action: 'hearing.recording',
        subjectKind: 'hearing',
        subjectId: hearingId,
        detail: { recordingId: row.id, caseId, participantId: row.participantId, kind: row.kind, sha256: row.sha256, sizeBytes: row.sizeBytes },
      })),
    );
    return rows;
  });
  await Promise.all(files.map((file) => rm(file.path, { force: true })));
  return filed;
}
