// 立案材料 over HTTP: a filer uploads a file for their filing (raw PDF/PNG/JPEG; content checked against
// the declared type, pages counted and held to the material type's limit), reads its details and bytes.
// The owner sees their materials; once a filing lists one, the staff of that filing's court too.
// Anyone else gets 404, as for a material that does not exist.
import { z } from 'zod';
import { AppError, NotFoundError } from '../../platform/errors.ts';
import { isCourtStaff } from '../../platform/roles.ts';
import { MATERIAL_TYPES, type MaterialType } from '../../models/filing-rules/filing.ts';
import { inspectEvidenceFile } from '../../storage/evidence/inspect-evidence-file.ts';
import { addFilingMaterial } from '../../storage/filing-materials/add-filing-material.ts';
import { FILING_MATERIAL_MEDIA_TYPES, MAX_PAGES, type FilingMaterialFile, type FilingMaterialMediaType } from '../../storage/filing-materials/filing-material.ts';
import { getFilingMaterial } from '../../storage/filing-materials/get-filing-material.ts';
import { getFilingDraft } from '../../storage/filing-drafts/get-filing-draft.ts';
import { anySignedIn, signedInAs } from '../auth/access.ts';
import type { Session } from '../auth/session-token.ts';
import { fillPath, paths } from '../http/paths.ts';
import { defineRoute, rawBodySchema, rawReplySchema } from '../http/route.ts';
import type { HubServices } from '../services.ts';
import { uploadedFileReply } from './uploaded-file-content.ts';

const instant = z.iso.datetime({ offset: true });

export const filingMaterialSchema = z.object({
  id: z.uuid(),
  type: z.enum(MATERIAL_TYPES),
  name: z.string(),
  mimeType: z.enum(FILING_MATERIAL_MEDIA_TYPES),
  sizeBytes: z.number().int().nonnegative(),
  pages: z.number().int().positive().describe('PDF pages; an image counts as one page'),
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
  draftId: z.uuid().nullable(),
  filingId: z.uuid().nullable(),
  createdAt: instant,
  contentPath: z.string().describe('GET this path for the bytes'),
});

export const toMaterialView = (file: FilingMaterialFile): z.input<typeof filingMaterialSchema> => ({
  id: file.id,
  type: file.type,
  name: file.name,
  mimeType: file.mimeType,
  sizeBytes: file.sizeBytes,
  pages: file.pageCount,
  sha256: file.sha256,
  draftId: file.draftId,
  filingId: file.filingId,
  createdAt: file.createdAt.toISOString(),
  contentPath: fillPath(paths.filingMaterialContent, { materialId: file.id }),
});

/** Those who file: parties, lawyers (for clients) and institutions. */
export const filers = signedInAs('party', 'lawyer', 'institution');

/** Refuses a file longer than its type allows, naming the type and both numbers. */
export function assertMaterialPages(type: MaterialType, pages: number): void {
  const maxPages = MAX_PAGES[type];
  if (pages > maxPages) {
    throw new AppError('FILING_MATERIAL_TOO_MANY_PAGES', `A ${type} material may have at most ${maxPages} pages, this file has ${pages} / 该类材料最多${maxPages}页，此文件有${pages}页`, {
      field: 'type',
      type,
      pages,
      maxPages,
      messageZh: `该类材料最多${maxPages}页，此文件有${pages}页`,
    });
  }
}

async function materialOfViewer(services: HubServices, session: Session, materialId: string) {
  const material = await getFilingMaterial({ db: services.database.db, materialId });
  if (!material) throw new NotFoundError('Filing material');
  const owner = material.userId === session.userId;
  const courtStaff = material.filingCourtId !== null && isCourtStaff(session.role) && session.courtId === material.filingCourtId;
  if (!owner && !courtStaff) throw new NotFoundError('Filing material');
  return material;
}

const materialParams = z.object({ materialId: z.uuid() });

export const uploadFilingMaterialRoute = defineRoute({
  method: 'post',
  path: paths.filingMaterials,
  operationId: 'uploadFilingMaterial',
  summary: 'Upload a filing material (立案材料): the raw bytes of a PDF, PNG or JPEG; its type, name and (optionally) your draft as query parameters',
  tags: ['filing'],
  access: filers,
  query: z.object({
    type: z.enum(MATERIAL_TYPES).describe('What the file is: complaint, identityProof, evidence, powerOfAttorney, contract, other'),
    name: z.string().trim().min(1).max(200).describe('Its name, e.g. 身份证 / ID card (UTF-8, URL-encoded)'),
    draftId: z.uuid().optional().describe('Your filing draft it belongs to'),
  }),
  body: rawBodySchema,
  rawBody: { mediaTypes: FILING_MATERIAL_MEDIA_TYPES, limitBytes: (config) => config.ECOURT_MAX_EVIDENCE_BYTES },
  response: z.object({ material: filingMaterialSchema }),
  successStatus: 201,
  errors: ['EVIDENCE_CONTENT_MISMATCH', 'FILING_MATERIAL_TOO_MANY_PAGES', 'NOT_FOUND', 'SERVICE_BUSY'],
  async handle({ session, query, body, services }) {
    const caller = session as Session;
    if (query.draftId && !(await getFilingDraft({ db: services.database.db, cipher: services.cipher, draftId: query.draftId, userId: caller.userId }))) {
      throw new NotFoundError('Filing draft');
    }
    const mimeType = body.mediaType as FilingMaterialMediaType;
    const { pageCount } = await inspectEvidenceFile(body.bytes, mimeType);
    const pages = pageCount ?? 1;
    assertMaterialPages(query.type, pages);
    const material = await addFilingMaterial({
      db: services.database.db,
      blobs: services.blobs,
      type: query.type,
      name: query.name,
      mimeType,
      bytes: body.bytes,
      pageCount: pages,
      draftId: query.draftId?.toLowerCase() ?? null,
      actor: { userId: caller.userId, role: caller.role },
    });
    return { material: toMaterialView(material) };
  },
});

export const getFilingMaterialRoute = defineRoute({
  method: 'get',
  path: paths.filingMaterial,
  operationId: 'getFilingMaterial',
  summary: 'A filing material’s details (type, pages, hash): its owner, and once filed the staff of the filing’s court',
  tags: ['filing'],
  access: anySignedIn,
  params: materialParams,
  response: z.object({ material: filingMaterialSchema }),
  errors: ['NOT_FOUND'],
  async handle({ session, params, services }) {
    const { userId: _u, blobKey: _b, filingCourtId: _c, ...material } = await materialOfViewer(services, session as Session, params.materialId);
    return { material: toMaterialView(material) };
  },
});

export const getFilingMaterialContentRoute = defineRoute({
  method: 'get',
  path: paths.filingMaterialContent,
  operationId: 'getFilingMaterialContent',
  summary: 'A filing material’s bytes with its media type; ETag is its sha256 (If-None-Match answers 304)',
  tags: ['filing'],
  access: anySignedIn,
  params: materialParams,
  response: rawReplySchema,
  rawResponse: { mediaTypes: FILING_MATERIAL_MEDIA_TYPES },
  errors: ['NOT_FOUND', 'BLOB_MISSING'],
  async handle({ session, params, services, request, logger }) {
    const material = await materialOfViewer(services, session as Session, params.materialId);
    return uploadedFileReply({
      file: material,
      prefix: 'material',
      request,
      blobs: services.blobs,
      logger,
      missing: { message: 'filing material content missing from the blob store', fields: { materialId: material.id } },
    });
  },
});

export const filingMaterialRoutes = [uploadFilingMaterialRoute, getFilingMaterialRoute, getFilingMaterialContentRoute];
