// 立案草稿 over HTTP: the guided filing form saves its answers as the filer types (PUT under an id the
// form chose), lists and restores them, deletes them; renders the complaint (民事起诉状) from them for
// preview, and on the filer's confirmation stores the signed complaint as a filing material. A filer
// with a face enrolment confirms only after a recent passed live face check for this complaint.
// Drafts are their owner's alone: anyone else gets 404 as for a draft that does not exist.
import { z } from 'zod';
import { courtToday } from '../../models/filing-rules/filing.ts';
import { AppError, NotFoundError } from '../../platform/errors.ts';
import { complaintDataFromFiling } from '../../documents/templates/complaint-from-filing.ts';
import { buildCourtDocument } from '../../documents/templates/index.ts';
import { renderPdf } from '../../documents/render/render-pdf.ts';
import { getCourt } from '../../storage/courts/get-court.ts';
import { deleteFilingDraft } from '../../storage/filing-drafts/delete-filing-draft.ts';
import { draftFiling, draftStep, type FilingDraft } from '../../storage/filing-drafts/filing-draft.ts';
import { getFilingDraft } from '../../storage/filing-drafts/get-filing-draft.ts';
import { listFilingDrafts } from '../../storage/filing-drafts/list-filing-drafts.ts';
import { saveFilingDraft } from '../../storage/filing-drafts/save-filing-draft.ts';
import { addFilingMaterial } from '../../storage/filing-materials/add-filing-material.ts';
import { listFilingMaterials } from '../../storage/filing-materials/list-filing-materials.ts';
import type { Session } from '../auth/session-token.ts';
import { paths } from '../http/paths.ts';
import { defineRoute, RawReply, rawReplySchema } from '../http/route.ts';
import { hasFaceEnrolment } from '../identity/face-enrolments.ts';
import { recentPassedFaceCheck, type LiveCheckPurpose } from '../identity/live-face-check.ts';
import type { HubServices } from '../services.ts';
import { assertMaterialPages, filers, filingMaterialSchema, toMaterialView } from './filing-material-routes.ts';

const instant = z.iso.datetime({ offset: true });
const draftParams = z.object({ draftId: z.uuid() });

const draftSummarySchema = z.object({ id: z.uuid(), courtId: z.uuid().nullable(), cause: z.string().nullable(), step: z.string().nullable(), updatedAt: instant });
const draftSchema = draftSummarySchema.extend({
  filing: draftFiling,
  createdAt: instant,
  materials: z.array(filingMaterialSchema).describe('Files uploaded for this draft, oldest first'),
});

/** How recent the filer's passed face check for this complaint must be when they sign it. */
export const COMPLAINT_FACE_CHECK_WINDOW_MS = 15 * 60_000;

/** The face check purpose a complaint is signed under: the draft it is generated from. */
export const complaintSigningPurpose = (draftId: string): LiveCheckPurpose => ({ kind: 'signing', documentId: `complaint:${draftId.toLowerCase()}` });

async function ownDraft(services: HubServices, session: Session, draftId: string): Promise<FilingDraft> {
  const draft = await getFilingDraft({ db: services.database.db, cipher: services.cipher, draftId, userId: session.userId });
  if (!draft) throw new NotFoundError('Filing draft');
  return draft;
}

async function draftView(services: HubServices, session: Session, draft: FilingDraft): Promise<z.input<typeof draftSchema>> {
  const materials = await listFilingMaterials({ db: services.database.db, userId: session.userId, draftId: draft.id });
  return {
    id: draft.id,
    courtId: draft.courtId,
    cause: draft.cause,
    step: draft.step,
    updatedAt: draft.updatedAt.toISOString(),
    createdAt: draft.createdAt.toISOString(),
    filing: draft.filing,
    materials: materials.map(toMaterialView),
  };
}

/** The complaint as the draft states it today; DOCUMENT_DATA_INVALID names every field still missing. */
async function renderComplaint(services: HubServices, draft: FilingDraft, signedAt?: string) {
  const court = draft.filing.courtId ? await getCourt({ db: services.database.db, courtId: draft.filing.courtId }) : null;
  if (!court) {
    throw new AppError('DOCUMENT_DATA_INVALID', 'Choose the court first / 请先选择法院', { template: 'complaint', fields: [{ field: 'courtId', message: 'choose the court / 请选择法院' }] });
  }
  const data = complaintDataFromFiling(draft.filing, { courtName: court.name, filedOn: courtToday(), ...(signedAt ? { signedAt } : {}) });
  return renderPdf(buildCourtDocument('complaint', data));
}

export const saveFilingDraftRoute = defineRoute({
  method: 'put',
  path: paths.filingDraft,
  operationId: 'saveFilingDraft',
  summary: 'Create or replace your filing draft under this id (the guided form saves as you go); answers are checked for type and size only, ID numbers and phones are sealed at rest',
  tags: ['filing'],
  access: filers,
  params: draftParams,
  body: z.object({ filing: draftFiling, step: draftStep.optional().describe('The form step to reopen at') }),
  response: z.object({ draft: draftSchema }),
  errors: ['NOT_FOUND'],
  async handle({ session, params, body, services }) {
    const caller = session as Session;
    const saved = await saveFilingDraft({ db: services.database.db, cipher: services.cipher, draftId: params.draftId, userId: caller.userId, filing: body.filing, step: body.step ?? null });
    // Someone else's draft id: as if it did not exist (it is not overwritten).
    if (!saved) throw new NotFoundError('Filing draft');
    return { draft: await draftView(services, caller, saved) };
  },
});

export const listFilingDraftsRoute = defineRoute({
  method: 'get',
  path: paths.filingDrafts,
  operationId: 'listFilingDrafts',
  summary: 'Your filing drafts, most recently saved first',
  tags: ['filing'],
  access: filers,
  response: z.object({ drafts: z.array(draftSummarySchema) }),
  async handle({ session, services }) {
    const drafts = await listFilingDrafts({ db: services.database.db, userId: (session as Session).userId });
    return { drafts: drafts.map((draft) => ({ ...draft, updatedAt: draft.updatedAt.toISOString() })) };
  },
});

export const getFilingDraftRoute = defineRoute({
  method: 'get',
  path: paths.filingDraft,
  operationId: 'getFilingDraft',
  summary: 'One of your filing drafts with its answers and the materials uploaded for it',
  tags: ['filing'],
  access: filers,
  params: draftParams,
  response: z.object({ draft: draftSchema }),
  errors: ['NOT_FOUND'],
  async handle({ session, params, services }) {
    const caller = session as Session;
    return { draft: await draftView(services, caller, await ownDraft(services, caller, params.draftId)) };
  },
});

export const deleteFilingDraftRoute = defineRoute({
  method: 'delete',
  path: paths.filingDraft,
  operationId: 'deleteFilingDraft',
  summary: 'Delete one of your filing drafts (its uploaded materials stay yours)',
  tags: ['filing'],
  access: filers,
  params: draftParams,
  response: z.object({ deleted: z.literal(true) }),
  errors: ['NOT_FOUND'],
  async handle({ session, params, services }) {
    const deleted = await deleteFilingDraft({ db: services.database.db, draftId: params.draftId, userId: (session as Session).userId });
    if (!deleted) throw new NotFoundError('Filing draft');
    return { deleted: true as const };
  },
});

export const previewComplaintRoute = defineRoute({
  method: 'post',
  path: paths.filingDraftComplaint,
  operationId: 'previewFilingComplaint',
  summary: 'The complaint (民事起诉状) generated from your draft, as a PDF for preview; DOCUMENT_DATA_INVALID lists every field still missing',
  tags: ['filing'],
  access: filers,
  params: draftParams,
  response: rawReplySchema,
  rawResponse: { mediaTypes: ['application/pdf'] },
  errors: ['NOT_FOUND', 'DOCUMENT_DATA_INVALID'],
  async handle({ session, params, services }) {
    const draft = await ownDraft(services, session as Session, params.draftId);
    const rendered = await renderComplaint(services, draft);
    return new RawReply(200, { 'content-type': 'application/pdf', 'cache-control': 'no-store', 'x-content-type-options': 'nosniff', 'content-disposition': 'inline; filename="complaint-preview.pdf"' }, rendered.bytes);
  },
});

export const signComplaintRoute = defineRoute({
  method: 'post',
  path: paths.filingDraftComplaintSign,
  operationId: 'signFilingComplaint',
  summary:
    'Confirm (sign) the complaint as your draft states it now: stored as a filing material of type complaint with its sha256. With a face enrolment, a passed live face check for this complaint (purpose signing, documentId complaint:<draftId>) in the last 15 minutes is required',
  tags: ['filing'],
  access: filers,
  params: draftParams,
  response: z.object({ material: filingMaterialSchema, signedAt: instant, faceCheckId: z.uuid().nullable() }),
  successStatus: 201,
  errors: ['NOT_FOUND', 'DOCUMENT_DATA_INVALID', 'FACE_CHECK_REQUIRED', 'FILING_MATERIAL_TOO_MANY_PAGES'],
  async handle({ session, params, services }) {
    const caller = session as Session;
    const draft = await ownDraft(services, caller, params.draftId);
    let faceCheckId: string | null = null;
    if (await hasFaceEnrolment(services, caller.userId)) {
      const purpose = complaintSigningPurpose(draft.id);
      const check = await recentPassedFaceCheck(services, caller.userId, purpose, COMPLAINT_FACE_CHECK_WINDOW_MS);
      if (!check) {
        throw new AppError('FACE_CHECK_REQUIRED', 'pass a live face check for this complaint before signing it / 请先完成人脸核验再签名确认起诉状', {
          purpose,
          withinMinutes: COMPLAINT_FACE_CHECK_WINDOW_MS / 60_000,
          messageZh: '请先完成人脸核验再签名确认起诉状',
        });
      }
      faceCheckId = check.checkId;
    }
    const signedAt = new Date().toISOString();
    const rendered = await renderComplaint(services, draft, signedAt);
    assertMaterialPages('complaint', rendered.pageCount);
    const material = await addFilingMaterial({
      db: services.database.db,
      blobs: services.blobs,
      type: 'complaint',
      name: '民事起诉状',
      mimeType: 'application/pdf',
      bytes: rendered.bytes,
      pageCount: rendered.pageCount,
      draftId: draft.id,
      actor: { userId: caller.userId, role: caller.role },
      auditDetail: { signedAt, faceCheckId },
    });
    return { material: toMaterialView(material), signedAt, faceCheckId };
  },
});

export const filingDraftRoutes = [saveFilingDraftRoute, listFilingDraftsRoute, getFilingDraftRoute, deleteFilingDraftRoute, previewComplaintRoute, signComplaintRoute];
