// Evidence files (证据材料) of a case: upload (raw bytes, the type checked against the content),
// list with each file's annotations document, the file's details, and its bytes. Members only:
// litigants of the case and staff of its court; anyone else gets 404 as for a missing file.
import { z } from 'zod';
import { subjects } from '../../actors/bus/subjects.ts';
import { NotFoundError } from '../../platform/errors.ts';
import { isCaseMember } from '../../storage/cases/is-case-member.ts';
import { addEvidence } from '../../storage/evidence/add-evidence.ts';
import { EVIDENCE_MEDIA_TYPES, type EvidenceFile, type EvidenceMediaType, type StoredEvidenceFile } from '../../storage/evidence/evidence.ts';
import { getEvidence } from '../../storage/evidence/get-evidence.ts';
import { inspectEvidenceFile } from '../../storage/evidence/inspect-evidence-file.ts';
import { listEvidence } from '../../storage/evidence/list-evidence.ts';
import { anySignedIn, assertCaseMember, signedInAs } from '../auth/access.ts';
import type { Session } from '../auth/session-token.ts';
import { annotationsDocName } from '../collab/doc-names.ts';
import { fillPath, paths } from '../http/paths.ts';
import { defineRoute, rawBodySchema, rawReplySchema } from '../http/route.ts';
import type { CaseNotice } from '../realtime/protocol.ts';
import type { HubServices } from '../services.ts';
import { uploadedFileReply } from './uploaded-file-content.ts';

const instant = z.iso.datetime({ offset: true }).describe('ISO 8601 instant');

export const evidenceFileSchema = z.object({
  id: z.uuid(),
  caseId: z.uuid(),
  title: z.string(),
  mimeType: z.enum(EVIDENCE_MEDIA_TYPES),
  sizeBytes: z.number().int().nonnegative(),
  pageCount: z.number().int().positive().nullable().describe('PDF pages; null for images'),
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
  createdAt: instant,
  createdBy: z.object({ userId: z.uuid(), displayName: z.string() }).nullable(),
  annotationsDoc: z.string().describe('The Yjs document of its annotations on /yjs (cases/<caseId>/evidence/<id>/annotations)'),
  contentPath: z.string().describe('GET this path for the bytes'),
});

/**
 * Those who put evidence before the court: the case's litigants (a party, its lawyer, an institution
 * that is a party) and the judge and clerk. Court administrators read only.
 */
const evidenceSubmitters = signedInAs('party', 'lawyer', 'institution', 'judge', 'clerk');
const caseParams = z.object({ caseId: z.uuid() });
const evidenceParams = z.object({ evidenceId: z.uuid() });

const toListing = (file: EvidenceFile): z.input<typeof evidenceFileSchema> => ({
  id: file.id,
  caseId: file.caseId,
  title: file.title,
  mimeType: file.mimeType,
  sizeBytes: file.sizeBytes,
  pageCount: file.pageCount,
  sha256: file.sha256,
  createdAt: file.createdAt.toISOString(),
  createdBy: file.createdBy,
  annotationsDoc: annotationsDocName(file.caseId, file.id),
  contentPath: fillPath(paths.evidenceContent, { evidenceId: file.id }),
});

/** The file, for a member of its case; to anyone else exactly like a file that does not exist. */
async function evidenceOfMember(services: HubServices, session: Session, evidenceId: string): Promise<StoredEvidenceFile> {
  const file = await getEvidence({ db: services.database.db, evidenceId });
  if (!file) throw new NotFoundError('Evidence');
  const member = await isCaseMember({ db: services.database.db, caseId: file.caseId, viewer: { userId: session.userId, role: session.role, courtId: session.courtId } });
  if (!member) throw new NotFoundError('Evidence');
  return file;
}

export const uploadEvidenceRoute = defineRoute({
  method: 'post',
  path: paths.caseEvidence,
  operationId: 'uploadEvidence',
  summary: 'Upload an evidence file (证据) to a case: the raw bytes of a PDF, PNG or JPEG, its title as a query parameter',
  tags: ['evidence'],
  access: evidenceSubmitters,
  caseMember: true,
  params: caseParams,
  query: z.object({ title: z.string().trim().min(1).max(200).describe('What the file is, e.g. 借条 / IOU (UTF-8, URL-encoded)') }),
  body: rawBodySchema,
  rawBody: { mediaTypes: EVIDENCE_MEDIA_TYPES, limitBytes: (config) => config.ECOURT_MAX_EVIDENCE_BYTES },
  response: z.object({ evidence: evidenceFileSchema }),
  successStatus: 201,
  errors: ['EVIDENCE_CONTENT_MISMATCH', 'NOT_FOUND', 'SERVICE_BUSY'],
  async handle({ session, params, query, body, services }) {
    const caller = session as Session;
    const mimeType = body.mediaType as EvidenceMediaType;
    const { pageCount } = await inspectEvidenceFile(body.bytes, mimeType);
    const file = await addEvidence({
      db: services.database.db,
      blobs: services.blobs,
      caseId: params.caseId.toLowerCase(),
      title: query.title,
      mimeType,
      bytes: body.bytes,
      pageCount,
      actor: { userId: caller.userId, role: caller.role },
    });
    // Everyone on the case page (on any hub node) refetches the list: uploads are not actor events.
    const notice: CaseNotice = { caseId: file.caseId, type: 'evidence.added', evidenceId: file.id, at: file.createdAt.toISOString() };
    services.bus.publish(subjects.caseNotice(), notice);
    return { evidence: toListing(file) };
  },
});

export const listEvidenceRoute = defineRoute({
  method: 'get',
  path: paths.caseEvidence,
  operationId: 'listEvidence',
  summary: 'The evidence files of a case, oldest first, each with its annotations document',
  tags: ['evidence'],
  access: anySignedIn,
  caseMember: true,
  params: caseParams,
  response: z.object({ evidence: z.array(evidenceFileSchema) }),
  async handle({ params, services }) {
    const files = await listEvidence({ db: services.database.db, caseId: params.caseId });
    return { evidence: files.map(toListing) };
  },
});

export const getEvidenceRoute = defineRoute({
  method: 'get',
  path: paths.evidence,
  operationId: 'getEvidence',
  summary: 'One evidence file’s details (title, type, pages, uploader, annotations document)',
  tags: ['evidence'],
  access: anySignedIn,
  params: evidenceParams,
  response: z.object({ evidence: evidenceFileSchema }),
  errors: ['NOT_FOUND'],
  async handle({ session, params, services }) {
    const { blobKey: _blobKey, ...file } = await evidenceOfMember(services, session as Session, params.evidenceId);
    return { evidence: toListing(file) };
  },
});

export const getEvidenceContentRoute = defineRoute({
  method: 'get',
  path: paths.evidenceContent,
  operationId: 'getEvidenceContent',
  summary: 'The evidence file’s bytes with its media type; ETag is its sha256 (If-None-Match answers 304)',
  tags: ['evidence'],
  access: anySignedIn,
  params: evidenceParams,
  response: rawReplySchema,
  rawResponse: { mediaTypes: EVIDENCE_MEDIA_TYPES },
  errors: ['NOT_FOUND', 'BLOB_MISSING'],
  async handle({ session, params, services, request, logger }) {
    const file = await evidenceOfMember(services, session as Session, params.evidenceId);
    return uploadedFileReply({
      file: { id: file.id, name: file.title, mimeType: file.mimeType, sha256: file.sha256, blobKey: file.blobKey },
      prefix: 'evidence',
      request,
      blobs: services.blobs,
      logger,
      missing: { message: 'evidence content missing from the blob store', fields: { evidenceId: file.id } },
    });
  },
});

export const evidenceRoutes = [uploadEvidenceRoute, listEvidenceRoute, getEvidenceRoute, getEvidenceContentRoute];
