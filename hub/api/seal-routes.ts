// 用印 and 用印审批 over HTTP: court staff of the case seal one of its PDF documents with the court's
// seal or a judge's signature (who may is configured: ECOURT_SEAL_ROLES), a clerk's sealing is a
// request a judge of the case approves or refuses (ECOURT_SEAL_NEEDS_APPROVAL); the case's seal
// applications are listed for its members. Handlers validate and call documents/sealing.
import { z } from 'zod';
import { openCourtCa } from '../../documents/ca/open-court-ca.ts';
import { approveSealApplication, refuseSealApplication, sealCaseDocument, type CaseSealing, type SealOutcome } from '../../documents/sealing/case-sealing.ts';
import { DEFAULT_SEAL_SIZE, KEYWORD_OCCURRENCES } from '../../documents/seal/apply-seal.ts';
import { COURT_STAFF_ROLES } from '../../platform/roles.ts';
import { listSealApplications } from '../../storage/seal-applications/list-seal-applications.ts';
import type { SealApplication } from '../../storage/seal-applications/seal-applications.ts';
import { SEAL_APPLICATION_STATUSES } from '../../storage/schema.ts';
import { signedInAs } from '../auth/access.ts';
import type { Session } from '../auth/session-token.ts';
import { paths } from '../http/paths.ts';
import { defineRoute } from '../http/route.ts';
import type { HubServices } from '../services.ts';

const size = z.number().min(20).max(600).optional().describe(`Seal diameter (or signature width) in points; default ${DEFAULT_SEAL_SIZE} for a seal`);
const point = z.number().finite().min(0).max(14_400);

const sealId = z.string().regex(/^[a-z0-9][a-z0-9-]{0,62}$/).describe('The seal’s certificate id in the court CA (ecourt ca list)');

/** The seal and its placement (documents/seal/apply-seal.ts, which checks it against the pages). */
const sealBody = z.discriminatedUnion('mode', [
  z.object({ sealId, mode: z.literal('fixed'), page: z.number().int().min(1).max(100_000), x: point, y: point, size }),
  z.object({
    sealId,
    mode: z.literal('keyword'),
    keyword: z.string().trim().min(1).max(100).describe('The text to seal over (e.g. the court name or the date line)'),
    occurrence: z.enum(KEYWORD_OCCURRENCES).optional().describe('Every occurrence (one signature each) or the last (default)'),
    size,
  }),
  z.object({ sealId, mode: z.literal('cross-page'), top: point.optional().describe('The seal’s upper edge from the top of the page (default centred)'), size }),
]);

const instant = z.iso.datetime({ offset: true });
const sha256 = z.string().regex(/^[0-9a-f]{64}$/);

const sealApplicationSchema = z.object({
  id: z.uuid(),
  caseId: z.uuid(),
  documentId: z.uuid(),
  sealId: z.string(),
  mode: z.string(),
  position: z.record(z.string(), z.unknown()).describe('The placement asked for; once applied also `placed` (each seal’s rectangle) and, cross-page, `strips`'),
  status: z.enum(SEAL_APPLICATION_STATUSES),
  requestedBy: z.uuid(),
  requestedRole: z.string(),
  requestedAt: instant,
  decidedBy: z.uuid().nullable(),
  decidedAt: instant.nullable(),
  sha256Before: sha256,
  sha256After: sha256.nullable(),
  reason: z.string().nullable(),
});

const outcomeSchema = z.object({
  application: sealApplicationSchema,
  document: z.object({ id: z.uuid(), sha256, sizeBytes: z.number().int() }).optional().describe('The document’s content after sealing (absent while a request waits)'),
});

const sealers = signedInAs(...COURT_STAFF_ROLES);
const sealErrors = ['SEAL_NOT_FOUND', 'SEAL_ROLE_NOT_ALLOWED', 'SIGNATURE_NOT_YOURS', 'DOCUMENT_NOT_PDF', 'DOCUMENT_CHANGED', 'SEAL_KEYWORD_NOT_FOUND', 'CERTIFICATE_REVOKED', 'CERTIFICATE_EXPIRED', 'CA_NOT_INITIALISED', 'DOCUMENT_MALFORMED', 'DOCUMENT_ENCRYPTED', 'DOCUMENT_SIGNATURE_CONFLICT', 'BLOB_MISSING'] as const;

/** The CA is opened per request: a revocation by `ecourt ca revoke` counts at once. */
const sealingOf = (services: HubServices): CaseSealing => ({ db: services.database.db, blobs: services.blobs, ca: openCourtCa(services.config), config: services.config });
const operatorOf = (session: Session | null) => ({ userId: (session as Session).userId, role: (session as Session).role });
const toBody = (outcome: SealOutcome): z.input<typeof outcomeSchema> => outcome;
const caseParams = z.object({ caseId: z.uuid() });
const applicationParams = caseParams.extend({ applicationId: z.uuid() });

export const sealCaseDocumentRoute = defineRoute({
  method: 'post',
  path: paths.caseDocumentSeal,
  operationId: 'sealCaseDocument',
  summary: 'Seal a PDF document of the case (fixed, keyword or cross-page); a role that needs approval only requests it',
  tags: ['documents'],
  access: sealers,
  caseMember: true,
  params: caseParams.extend({ documentId: z.uuid() }),
  body: sealBody,
  response: outcomeSchema,
  successStatus: 201,
  errors: [...sealErrors],
  async handle({ params, body, session, services }) {
    const { sealId, ...placement } = body;
    return toBody(await sealCaseDocument(sealingOf(services), { operator: operatorOf(session), caseId: params.caseId, documentId: params.documentId, sealId, placement }));
  },
});

export const listSealApplicationsRoute = defineRoute({
  method: 'get',
  path: paths.caseSealApplications,
  operationId: 'listSealApplications',
  summary: 'The case’s seal applications (用印记录), newest first; ?status=requested for those awaiting a judge (court staff: the court’s internal workflow)',
  tags: ['documents'],
  access: sealers,
  caseMember: true,
  params: caseParams,
  query: z.object({ status: z.enum(SEAL_APPLICATION_STATUSES).optional() }),
  response: z.object({ applications: z.array(sealApplicationSchema) }),
  async handle({ params, query, services }) {
    const applications: SealApplication[] = await listSealApplications({ db: services.database.db, caseId: params.caseId, status: query.status });
    return { applications };
  },
});

export const approveSealApplicationRoute = defineRoute({
  method: 'post',
  path: paths.caseSealApplicationApprove,
  operationId: 'approveSealApplication',
  summary: 'A judge of the case approves a seal request: the seal is applied to the document as it was when requested',
  tags: ['documents'],
  access: sealers,
  caseMember: true,
  params: applicationParams,
  response: outcomeSchema,
  errors: [...sealErrors, 'SEAL_APPLICATION_DECIDED'],
  async handle({ params, session, services }) {
    return toBody(await approveSealApplication(sealingOf(services), { operator: operatorOf(session), caseId: params.caseId, applicationId: params.applicationId }));
  },
});

export const refuseSealApplicationRoute = defineRoute({
  method: 'post',
  path: paths.caseSealApplicationRefuse,
  operationId: 'refuseSealApplication',
  summary: 'A judge of the case refuses a seal request, saying why',
  tags: ['documents'],
  access: sealers,
  caseMember: true,
  params: applicationParams,
  body: z.object({ reason: z.string().trim().min(1).max(500) }),
  response: outcomeSchema,
  errors: ['SEAL_NOT_FOUND', 'SEAL_ROLE_NOT_ALLOWED', 'SEAL_APPLICATION_DECIDED', 'CA_NOT_INITIALISED'],
  async handle({ params, body, session, services }) {
    return toBody(await refuseSealApplication(sealingOf(services), { operator: operatorOf(session), caseId: params.caseId, applicationId: params.applicationId, reason: body.reason }));
  },
});

export const sealRoutes = [sealCaseDocumentRoute, listSealApplicationsRoute, approveSealApplicationRoute, refuseSealApplicationRoute];
