// The hearing transcript as a file for case members: WebVTT or SRT subtitles (lined up with one of
// the hearing's recordings when asked) or plain text. Read from the live room, so unsaved edits count.
import { z } from 'zod';
import { AppError, NotFoundError } from '../../platform/errors.ts';
import { getHearingStart } from '../../storage/hearings/get-hearing-start.ts';
import { listHearingRecordings } from '../../storage/hearings/list-hearing-recordings.ts';
import { anySignedIn } from '../auth/access.ts';
import type { Session } from '../auth/session-token.ts';
import { transcriptDocName } from '../collab/doc-names.ts';
import { EXPORT_MEDIA_TYPES, exportTranscript, TRANSCRIPT_EXPORT_FORMATS, type TranscriptExportFormat } from '../collab/transcript-export.ts';
import { paths } from '../http/paths.ts';
import { defineRoute, RawReply, rawReplySchema } from '../http/route.ts';
import type { HubServices } from '../services.ts';
import { hearingOfCaseMember } from './hearing-of-member.ts';

/**
 * Where a recording's time 0 lies in hearing time: when it began (recordedAt, its first packet) minus
 * when the hearing started. A hearing that never started has no hearing time to line up with.
 */
async function recordingOffsetMs(services: HubServices, hearingId: string, recordingId: string): Promise<number> {
  const db = services.database.db;
  const [recording] = await listHearingRecordings({ db, hearingId, recordingId });
  if (!recording) throw new NotFoundError('Recording');
  const startedAt = await getHearingStart({ db, hearingId });
  if (!startedAt) throw new AppError('INVALID_STATE', 'The hearing has not started: its transcript has no times to line up with a recording');
  return recording.recordedAt.getTime() - startedAt.getTime();
}

const fileName = (hearingId: string, recordingId: string | undefined, format: TranscriptExportFormat): string =>
  `transcript-${hearingId}${recordingId ? `-recording-${recordingId}` : ''}.${format}`;

export const exportTranscriptRoute = defineRoute({
  method: 'get',
  path: paths.hearingTranscriptExport,
  operationId: 'exportHearingTranscript',
  summary:
    'The hearing transcript (笔录) as a file: WebVTT or SRT (speaker per cue; with `recording`, times from that recording’s start, so it plays as its subtitles) or plain text',
  tags: ['transcripts'],
  access: anySignedIn,
  params: z.object({ hearingId: z.uuid() }),
  query: z.object({
    format: z.enum(TRANSCRIPT_EXPORT_FORMATS).describe('vtt (WebVTT), srt (SubRip) or txt (plain text)'),
    recording: z.uuid().optional().describe('A recording of this hearing (GET …/recordings) to line the times up with'),
  }),
  response: rawReplySchema,
  rawResponse: { mediaTypes: ['text/vtt', 'application/x-subrip', 'text/plain'] },
  errors: ['NOT_FOUND', 'INVALID_STATE'],
  async handle({ session, params, query, services }) {
    const hearing = await hearingOfCaseMember(services, session as Session, params.hearingId);
    const offsetMs = query.recording ? await recordingOffsetMs(services, hearing.id, query.recording) : 0;
    const segments = await services.transcripts.segments(transcriptDocName(hearing.caseId, hearing.id));
    return new RawReply(
      200,
      {
        'content-type': EXPORT_MEDIA_TYPES[query.format],
        'content-disposition': `attachment; filename="${fileName(hearing.id, query.recording, query.format)}"`,
        // The transcript changes while the hearing goes on, and access can be taken away.
        'cache-control': 'private, no-store',
        'x-content-type-options': 'nosniff',
        'access-control-expose-headers': 'content-disposition, x-request-id',
      },
      exportTranscript(query.format, segments, { offsetMs }),
    );
  },
});
