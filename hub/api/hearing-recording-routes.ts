// The recordings of a hearing (庭审录音录像): one WebM file per participant track, filed with its
// sha256 (also in the audit trail) when recording stopped. Seen by whoever may see the hearing.
import { z } from 'zod';
import { NotFoundError } from '../../platform/errors.ts';
import { listHearingRecordings, type HearingRecording } from '../../storage/hearings/list-hearing-recordings.ts';
import { anySignedIn } from '../auth/access.ts';
import type { Session } from '../auth/session-token.ts';
import { fillPath, paths } from '../http/paths.ts';
import { defineRoute, RawReply, rawReplySchema } from '../http/route.ts';
import { liveHearingFor } from './hearing-live-routes.ts';

const RECORDING_MEDIA_TYPES = ['audio/webm', 'video/webm'] as const;

const recordingSchema = z.object({
  id: z.uuid(),
  participantId: z.string(),
  kind: z.enum(['audio', 'video']),
  sha256: z.string(),
  sizeBytes: z.number().int(),
  contentType: z.string(),
  recordedAt: z.iso.datetime({ offset: true }).describe('When the recording began (the file’s time 0)'),
  contentPath: z.string().describe('GET this path for the bytes'),
});

const toListing = (recording: HearingRecording): z.input<typeof recordingSchema> => ({
  id: recording.id,
  participantId: recording.participantId,
  kind: recording.kind,
  sha256: recording.sha256,
  sizeBytes: recording.sizeBytes,
  contentType: recording.contentType,
  recordedAt: recording.recordedAt.toISOString(),
  contentPath: fillPath(paths.hearingRecordingContent, { hearingId: recording.hearingId, recordingId: recording.id }),
});

export const listHearingRecordingsRoute = defineRoute({
  method: 'get',
  path: paths.hearingRecordings,
  operationId: 'listHearingRecordings',
  summary: 'The hearing’s recordings: one WebM file per participant track, with its sha256',
  tags: ['hearings'],
  access: anySignedIn,
  params: z.object({ hearingId: z.uuid() }),
  response: z.object({ recordings: z.array(recordingSchema) }),
  errors: ['NOT_FOUND'],
  async handle({ session, params, services }) {
    await liveHearingFor(services, session as Session, params.hearingId);
    return { recordings: (await listHearingRecordings({ db: services.database.db, hearingId: params.hearingId })).map(toListing) };
  },
});

export const getHearingRecordingContentRoute = defineRoute({
  method: 'get',
  path: paths.hearingRecordingContent,
  operationId: 'getHearingRecordingContent',
  summary: 'One recording’s bytes (WebM); ETag is its sha256',
  tags: ['hearings'],
  access: anySignedIn,
  params: z.object({ hearingId: z.uuid(), recordingId: z.uuid() }),
  response: rawReplySchema,
  rawResponse: { mediaTypes: RECORDING_MEDIA_TYPES },
  errors: ['NOT_FOUND', 'BLOB_MISSING'],
  async handle({ session, params, services }) {
    await liveHearingFor(services, session as Session, params.hearingId);
    const [recording] = await listHearingRecordings({ db: services.database.db, hearingId: params.hearingId, recordingId: params.recordingId });
    if (!recording) throw new NotFoundError('Recording');
    const bytes = await services.blobs.get(recording.blobKey);
    return new RawReply(
      200,
      { etag: `"${recording.sha256}"`, 'cache-control': 'private, no-cache', 'x-content-type-options': 'nosniff', 'content-type': recording.contentType },
      bytes,
    );
  },
});

export const hearingRecordingRoutes = [listHearingRecordingsRoute, getHearingRecordingContentRoute];
