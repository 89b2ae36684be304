// Documents filed with a case by the court (案卷材料), e.g. the confirmed hearing transcript with its
// list of confirmations: the list and the bytes, for members of the case only (404 to anyone else).
// The parties' evidence, kept in the same table, has its own routes (evidence-routes.ts).
import { z } from 'zod';
import { NotFoundError } from '../../platform/errors.ts';
import { BlobMissingError } from '../../storage/blobs/blob-store.ts';
import type { CourtDocument } from '../../storage/documents/court-documents.ts';
import { getCourtDocument } from '../../storage/documents/get-court-document.ts';
import { listCourtDocuments } from '../../storage/documents/list-court-documents.ts';
import { anySignedIn } from '../auth/access.ts';
import { fillPath, paths } from '../http/paths.ts';
import { defineRoute, RawReply, rawReplySchema } from '../http/route.ts';

const caseParams = z.object({ caseId: z.uuid() });

const caseDocumentSchema = z.object({
  id: z.uuid(),
  caseId: z.uuid(),
  hearingId: z.uuid().nullable().describe('The hearing it comes from (a hearing transcript), null for a document of the whole case'),
  kind: z.string(),
  title: z.string(),
  sha256: z.string(),
  mimeType: z.string(),
  sizeBytes: z.number().int(),
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
  summary: 'Documents filed with the case by the court (the confirmed hearing transcript …), oldest first',
  tags: ['cases'],
  access: anySignedIn,
  caseMember: true,
  params: caseParams,
  response: z.object({ documents: z.array(caseDocumentSchema) }),
  async handle({ params, services }) {
    return { documents: (await listCourtDocuments({ db: services.database.db, caseId: params.caseId })).map(toListing) };
  },
});

export const getCaseDocumentContentRoute = defineRoute({
  method: 'get',
  path: paths.caseDocumentContent,
  operationId: 'getCaseDocumentContent',
  summary: 'A filed document’s bytes; ETag is its sha256',
  tags: ['cases'],
  access: anySignedIn,
  caseMember: true,
  params: caseParams.extend({ documentId: z.uuid() }),
  response: rawReplySchema,
  rawResponse: { mediaTypes: ['text/plain; charset=utf-8'] },
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
        'content-disposition': `attachment; filename="${document.kind}-${document.id}.txt"`,
      },
      bytes,
    );
  },
});

export const caseDocumentRoutes = [listCaseDocumentsRoute, getCaseDocumentContentRoute];
