// The hearing transcript over HTTP: plain text + hash for case members; versions (list, save, restore)
// and the change audit for the judge and clerk of the case's court. Work goes through the live room.
import { z } from 'zod';
import { NotFoundError } from '../../platform/errors.ts';
import { anySignedIn, signedInAs } from '../auth/access.ts';
import type { Session } from '../auth/session-token.ts';
import { transcriptDocName } from '../collab/doc-names.ts';
import { TranscriptVersionNotFoundError } from '../collab/transcript-service.ts';
import { frozenAtOf } from '../collab/transcript-freeze.ts';
import { AppError } from '../../platform/errors.ts';
import { hearingOfCaseMember } from './hearing-of-member.ts';
import { defineRoute } from '../http/route.ts';
import { paths } from '../http/paths.ts';
import type { HubServices } from '../services.ts';
import { transcriptChangeSchema, transcriptTextSchema, transcriptVersionSchema } from './schemas.ts';

/** Those who keep the record (书记员) and preside: court staff of the case's court, checked with membership. */
const transcriptKeepers = signedInAs('judge', 'clerk');
const hearingParams = z.object({ hearingId: z.uuid() });
const versionParams = hearingParams.extend({ versionId: z.uuid() });

/**
 * The hearing's transcript document, for a member of its case. A hearing the caller may not see is
 * answered exactly like one that does not exist (404), as for cases.
 */
async function transcriptOfMember(services: HubServices, session: Session, hearingId: string): Promise<{ docName: string; hearingId: string }> {
  const hearing = await hearingOfCaseMember(services, session, hearingId);
  return { docName: transcriptDocName(hearing.caseId, hearing.id), hearingId: hearing.id };
}

const toVersion = ({ id, label, createdBy, createdAt, size }: z.input<typeof transcriptVersionSchema>) => ({ id, label, createdBy, createdAt, size });

export const getTranscriptRoute = defineRoute({
  method: 'get',
  path: paths.hearingTranscript,
  operationId: 'getHearingTranscript',
  summary: 'The hearing transcript (笔录) as plain text with its sha256, including edits not yet saved',
  tags: ['transcripts'],
  access: anySignedIn,
  params: hearingParams,
  response: transcriptTextSchema,
  errors: ['NOT_FOUND'],
  async handle({ session, params, services }) {
    const { docName } = await transcriptOfMember(services, session as Session, params.hearingId);
    return services.transcripts.read(docName);
  },
});

export const listTranscriptVersionsRoute = defineRoute({
  method: 'get',
  path: paths.hearingTranscriptVersions,
  operationId: 'listHearingTranscriptVersions',
  summary: 'Saved versions of the hearing transcript, oldest first (judge, clerk)',
  tags: ['transcripts'],
  access: transcriptKeepers,
  params: hearingParams,
  response: z.object({ versions: z.array(transcriptVersionSchema) }),
  errors: ['NOT_FOUND'],
  async handle({ session, params, services }) {
    const { docName } = await transcriptOfMember(services, session as Session, params.hearingId);
    const versions = await services.transcripts.listVersions(docName);
    return { versions: versions.map(toVersion) };
  },
});

export const saveTranscriptVersionRoute = defineRoute({
  method: 'post',
  path: paths.hearingTranscriptVersions,
  operationId: 'saveHearingTranscriptVersion',
  summary: 'Save the transcript’s current state as a named version (judge, clerk)',
  tags: ['transcripts'],
  access: transcriptKeepers,
  params: hearingParams,
  body: z.object({ label: z.string().trim().min(1).max(200).describe('e.g. 庭审结束 / end of hearing') }),
  response: z.object({ version: transcriptVersionSchema }),
  successStatus: 201,
  errors: ['NOT_FOUND'],
  async handle({ session, params, body, services }) {
    const caller = session as Session;
    const { docName } = await transcriptOfMember(services, caller, params.hearingId);
    const version = await services.transcripts.saveVersion(docName, body.label, { userId: caller.userId, role: caller.role });
    return { version: toVersion(version) };
  },
});

export const restoreTranscriptVersionRoute = defineRoute({
  method: 'post',
  path: paths.hearingTranscriptRestore,
  operationId: 'restoreHearingTranscriptVersion',
  summary:
    'Put a saved version’s segments back into the live transcript (connected editors see it at once); the state before is saved as a version first (judge, clerk)',
  tags: ['transcripts'],
  access: transcriptKeepers,
  params: versionParams,
  response: transcriptTextSchema.omit({ segmentCount: true }).extend({
    backupVersionId: z.uuid().describe('The version holding the state before the restore (restore it to undo)'),
  }),
  errors: ['NOT_FOUND', 'INVALID_STATE'],
  async handle({ session, params, services }) {
    const caller = session as Session;
    const { docName } = await transcriptOfMember(services, caller, params.hearingId);
    // A restore would replace the frozen body (and its frozenAt) that the parties are reviewing.
    if ((await services.transcripts.rooms.withRoom(docName, 'transcript', (room) => frozenAtOf(room.doc))) !== null) {
      throw new AppError('INVALID_STATE', 'the transcript is frozen for confirmation: the judge corrects it by resolving an objection');
    }
    try {
      const restored = await services.transcripts.restore(docName, params.versionId, { userId: caller.userId, role: caller.role });
      return { docName: restored.docName, text: restored.text, sha256: restored.sha256, backupVersionId: restored.backup.id };
    } catch (error) {
      if (error instanceof TranscriptVersionNotFoundError) throw new NotFoundError('Version', { cause: error });
      throw error;
    }
  },
});

export const listTranscriptChangesRoute = defineRoute({
  method: 'get',
  path: paths.hearingTranscriptChanges,
  operationId: 'listHearingTranscriptChanges',
  summary: 'Who changed which transcript segments when: users, ASR engines, the system (judge, clerk)',
  tags: ['transcripts'],
  access: transcriptKeepers,
  params: hearingParams,
  response: z.object({ changes: z.array(transcriptChangeSchema) }),
  errors: ['NOT_FOUND'],
  async handle({ session, params, services }) {
    const { docName, hearingId } = await transcriptOfMember(services, session as Session, params.hearingId);
    const changes = await services.transcripts.changes(docName, hearingId);
    return {
      changes: changes.map(({ seq, at, userId, source, engine, reason, segmentIds }) => ({ seq, at, userId, source, engine, reason, segmentIds: segmentIds ?? [] })),
    };
  },
});

export const transcriptRoutes = [
  getTranscriptRoute,
  listTranscriptVersionsRoute,
  saveTranscriptVersionRoute,
  restoreTranscriptVersionRoute,
  listTranscriptChangesRoute,
];
