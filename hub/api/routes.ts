// Every HTTP route of the hub, in one list: what is mounted is what the OpenAPI document shows.
import type { AnyRoute } from '../http/route.ts';
import { buildOpenApiDocument } from '../http/openapi.ts';
import { healthRoute } from './health-route.ts';
import { loginRoute, meRoute } from './auth-routes.ts';
import { oauthRoutes } from './oauth-routes.ts';
import { listCourtsRoute } from './court-routes.ts';
import { fileCaseRoute, getCaseRoute, listCasesRoute, sendCaseCommandRoute } from './case-routes.ts';
import { listHearingsRoute } from './hearing-routes.ts';
import { getLiveHearingRoute, sendHearingCommandRoute } from './hearing-live-routes.ts';
import { hearingRecordingRoutes } from './hearing-recording-routes.ts';
import { transcriptRoutes } from './transcript-routes.ts';
import { exportTranscriptRoute } from './transcript-export-route.ts';
import { evidenceRoutes } from './evidence-routes.ts';
import { transcriptReviewRoutes } from './transcript-review-routes.ts';
import { caseDocumentRoutes } from './case-document-routes.ts';
import { getCaseArchiveRoute } from './case-archive-route.ts';
import { sealRoutes } from './seal-routes.ts';
import { documentVerificationRoutes } from './document-verification-routes.ts';
import { tsaRoutes } from './tsa-route.ts';
import { deviceCheckRoutes } from './device-check-routes.ts';
import { probeRoutes } from './probe-routes.ts';
import { registrationRoutes } from './registration-routes.ts';
import { faceCheckRoutes } from './face-check-routes.ts';
import { hearingIdentityRoutes } from './hearing-identity-routes.ts';
import { filingDraftRoutes } from './filing-draft-routes.ts';
import { filingMaterialRoutes } from './filing-material-routes.ts';
import { inboxRoutes } from './inbox-routes.ts';
import { filingQueueRoutes } from './filing-queue-routes.ts';
import { filingRuleRoutes } from './filing-rule-routes.ts';
import { filingRoutes } from './filing-routes.ts';
import { createOpenApiRoute } from './openapi-route.ts';

export function hubRoutes(): AnyRoute[] {
  let document: Record<string, unknown> | undefined;
  const routes: AnyRoute[] = [
    healthRoute,
    loginRoute,
    meRoute,
    ...oauthRoutes,
    listCourtsRoute,
    listCasesRoute,
    fileCaseRoute,
    getCaseRoute,
    sendCaseCommandRoute,
    listHearingsRoute,
    getLiveHearingRoute,
    sendHearingCommandRoute,
    ...hearingRecordingRoutes,
    ...transcriptRoutes,
    exportTranscriptRoute,
    ...evidenceRoutes,
    ...transcriptReviewRoutes,
    ...caseDocumentRoutes,
    getCaseArchiveRoute,
    ...sealRoutes,
    // Each hub its own per-address verification budget.
    ...documentVerificationRoutes(),
    ...tsaRoutes(),
    ...deviceCheckRoutes,
    // Each hub gets its own probe budget per account.
    ...probeRoutes(),
    // Each hub its own SMS channel and per-address code budget.
    ...registrationRoutes(),
    ...faceCheckRoutes,
    ...hearingIdentityRoutes,
    ...filingRoutes,
    ...filingDraftRoutes,
    ...filingMaterialRoutes,
    ...inboxRoutes,
    ...filingQueueRoutes,
    ...filingRuleRoutes,
    createOpenApiRoute(() => (document ??= openApiDocument(routes))),
  ];
  return routes;
}

export function openApiDocument(routes: readonly AnyRoute[]): Record<string, unknown> {
  return buildOpenApiDocument(routes, {
    title: 'ecourt API',
    version: '1.0.0',
    description: 'Online litigation platform of a people’s court. Errors are always { error: { code, message, details? } }.',
  });
}
