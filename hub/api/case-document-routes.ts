// Documents the court filed with or issued for a case (案卷材料, 文书): the stage hooks' sealed notices,
// summonses and judgment, the hearing transcripts with their confirmation lists. Members of the case only
// (404 to anyone else): every kind here is addressed to the case's parties or records what they said, so
// parties and lawyers of the case see them all. The bytes are served with their own type and a name made
// of the title and the case number (RFC 5987 for the Chinese). Court staff also see what could not be
// issued and why (the missing fields), to complete the case.
// The parties' evidence, kept in the same table, has its own routes (evidence-routes.ts).
import { z } from 'zod';
import { NotFoundError } from '../../platform/errors.ts';
import { COURT_STAFF_ROLES } from '../../platform/roles.ts';
import { BlobMissingError } from '../../storage/blobs/blob-store.ts';
import type { CourtDocument } from '../../storage/documents/court-documents.ts';
import { getCourtDocument } from '../../storage/documents/get-court-document.ts';
import { listIssueProblems } from '../../storage/documents/issue-refusals.ts';
import { listCourtDocuments } from '../../storage/documents/list-court-documents.ts';
import { anySignedIn, signedInAs } from '../auth/access.ts';
import { fillPath, paths } from '../http/paths.ts';
import { defineRoute, RawReply, rawReplySchema } from '../http/route.ts';

const caseParams = z.object({ caseId: z.uuid() });

const caseDocumentSchema = z.object({
  id: z.uuid(),
  caseId: z.uuid(),
  hearingId: z.uuid().nullable().describe('The hearing it belongs to (summons, hearing transcript), null for a document of the whole case'),
  kind: z.string().describe('The template: acceptanceNotice, noticeToRespond, evidenceNotice, summons, hearingTranscript, civilJudgment …'),
  addressee: z.string().nullable().describe("The party it is addressed to ('plaintiffs.0', 'defendants.1' …): a summons per party, a notice to respond per defendant; null otherwise"),
  title: z.string(),
  sha256: z.string(),
  mimeType: z.string(),
  sizeBytes: z.number().int(),
  pageCount: z.number().int().nullable(),
  verificationCode: z.string().nullable().describe('验证码 printed on the document (text and QR); null for a transcript filed as text'),
  details: z.record(z.string(), z.unknown()).nullable().describe('For a hearing transcript: the confirmation list and why the review ended'),
  createdAt: z.string(),
  contentPath: z.string(),
});

const toListing = (document: CourtDocument) => ({
  ...document,
  contentPath: fillPath(paths.caseDocumentContent, { caseId: document.caseId, documentId: document.id }),
});

export const listCaseDocumentsRoute = defineRoute({
  method: 'get',
  path: paths.caseDocuments,
  operationId: 'listCaseDocuments',
  summary: 'Documents the court issued or filed for the case (受理通知书, 传票, 庭审笔录, 判决书 …), oldest first',
  tags: ['cases'],
  access: anySignedIn,
  caseMember: true,
  params: caseParams,
  response: z.object({ documents: z.array(caseDocumentSchema) }),
  async handle({ params, services }) {
    return { documents: (await listCourtDocuments({ db: services.database.db, caseId: params.caseId })).map(toListing) };
  },
});

/** What a file name may not hold (path separators, quotes, controls), and spaces around them. */
const UNSAFE_IN_NAME = /[\s]*[\\/:*?"<>|\u0000-\u001f\u007f]+[\s]*/g;
const EXTENSIONS: Record<string, string> = { 'application/pdf': 'pdf', 'text/plain; charset=utf-8': 'txt' };

/** `<title>-<caseNumber>.pdf` as `filename*` (RFC 5987, UTF-8), with an ASCII `filename` for old clients. */
export function contentDisposition(document: { id: string; kind: string; title: string; mimeType: string }, caseNumber: string | null): string {
  const extension = EXTENSIONS[document.mimeType] ?? 'bin';
  const name = `${[document.title, caseNumber].filter(Boolean).join('-').replace(UNSAFE_IN_NAME, '_')}.${extension}`;
  const encoded = encodeURIComponent(name).replace(/['()*]/g, (character) => `%${character.charCodeAt(0).toString(16).toUpperCase()}`);
  return `attachment; filename="${document.kind}-${document.id}.${extension}"; filename*=UTF-8''${encoded}`;
}

export const getCaseDocumentContentRoute = defineRoute({
  method: 'get',
  path: paths.caseDocumentContent,
  operationId: 'getCaseDocumentContent',
  summary: 'A court document’s bytes (a sealed PDF, or a transcript filed as text); ETag is its sha256',
  tags: ['cases'],
  access: anySignedIn,
  caseMember: true,
  params: caseParams.extend({ documentId: z.uuid() }),
  response: rawReplySchema,
  rawResponse: { mediaTypes: ['application/pdf', 'text/plain; charset=utf-8'] },
  errors: ['BLOB_MISSING'],
  async handle({ params, services, logger }) {
    const document = await getCourtDocument({ db: services.database.db, caseId: params.caseId, documentId: params.documentId });
    if (!document) throw new NotFoundError('Document');
    let bytes: Buffer;
    try {
      bytes = await services.blobs.get(document.blobKey);
    } catch (error) {
      if (error instanceof BlobMissingError) logger.error('case document content missing from the blob store', { documentId: document.id, blobKey: error.key });
      throw error;
    }
    return new RawReply(
      200,
      {
        etag: `"${document.sha256}"`,
        'cache-control': 'private, no-cache',
        'x-content-type-options': 'nosniff',
        'content-type': document.mimeType,
        'content-disposition': contentDisposition(document, document.caseNumber),
      },
      bytes,
    );
  },
});

const issueProblemSchema = z.object({
  kind: z.string().describe('The document that could not be issued (its template)'),
  hearingId: z.uuid().nullable(),
  addressee: z.string().nullable().describe("The party the document goes to ('defendants.1' …), null for one to nobody in particular"),
  code: z.string().describe('DOCUMENT_DATA_INVALID (fields say what is missing), SEAL_NOT_FOUND, CERTIFICATE_REVOKED …'),
  message: z.string(),
  fields: z.array(z.object({ field: z.string(), message: z.string() })),
  at: z.string(),
});

export const listCaseDocumentProblemsRoute = defineRoute({
  method: 'get',
  path: paths.caseDocumentProblems,
  operationId: 'listCaseDocumentProblems',
  summary: 'Court staff: the case’s documents a stage could not issue yet and why (e.g. a party without an address)',
  tags: ['cases'],
  access: signedInAs(...COURT_STAFF_ROLES),
  caseMember: true,
  params: caseParams,
  response: z.object({ problems: z.array(issueProblemSchema) }),
  async handle({ params, services }) {
    const problems = await listIssueProblems({ db: services.database.db, caseId: params.caseId });
    return { problems: problems.map(({ caseId: _caseId, ...problem }) => problem) };
  },
});

export const caseDocumentRoutes = [listCaseDocumentsRoute, getCaseDocumentContentRoute, listCaseDocumentProblemsRoute];
