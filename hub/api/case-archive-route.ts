// 电子卷宗 over HTTP: court staff of the case's court download the case's electronic case file — the same
// folder `ecourt archive` writes (sealed PDF, originals, manifest, CA root and CRL) as one ZIP. Built on
// request from the stored files and sealed with the court seal; parties and lawyers are refused.
import { z } from 'zod';
import { caseFileZip, buildCaseFile } from '../../documents/archive/build-case-file.ts';
import { openCourtCa } from '../../documents/ca/open-court-ca.ts';
import { COURT_STAFF_ROLES } from '../../platform/roles.ts';
import { signedInAs } from '../auth/access.ts';
import { paths } from '../http/paths.ts';
import { defineRoute, RawReply, rawReplySchema } from '../http/route.ts';

/** The court seal the case file carries: the CA's certificate of this id (ecourt ca issue court --kind court-seal). */
export const CASE_FILE_SEAL_ID = 'court';

export const getCaseArchiveRoute = defineRoute({
  method: 'get',
  path: paths.caseArchive,
  operationId: 'getCaseArchive',
  summary: 'The case’s electronic case file (电子卷宗) as a ZIP: sealed PDF with catalogue and page numbers, every original, manifest.json, root.crt, crl.pem',
  tags: ['cases'],
  access: signedInAs(...COURT_STAFF_ROLES),
  caseMember: true,
  params: z.object({ caseId: z.uuid() }),
  response: rawReplySchema,
  rawResponse: { mediaTypes: ['application/zip'] },
  errors: ['BLOB_MISSING', 'CA_NOT_INITIALISED', 'CERTIFICATE_REVOKED', 'CERTIFICATE_EXPIRED'],
  async handle({ params, session, services }) {
    const authority = openCourtCa(services.config);
    const signer = authority.signer(CASE_FILE_SEAL_ID);
    const built = await buildCaseFile({ db: services.database.db, blobs: services.blobs, caseId: params.caseId, signer, trust: { root: authority.rootCertificate(), crl: authority.crl() }, actor: { userId: session!.userId, role: session!.role } });
    return new RawReply(
      200,
      {
        'content-type': 'application/zip',
        'cache-control': 'private, no-store',
        'x-content-type-options': 'nosniff',
        'x-case-file-sha256': built.manifest.bundle.sha256,
        'content-disposition': `attachment; filename="case-file-${params.caseId}.zip"`,
      },
      caseFileZip(built),
    );
  },
});
