// 电子卷宗 over HTTP: court staff of the case's court download the case's electronic case file — the same
// folder `ecourt archive` writes (sealed PDF, originals, manifest, CA root and CRL) as one ZIP. Once the case
// has closed, the case file filed then (documents/archive/archive-on-close.ts, with its 验证码) is served as
// stored; before that it is built on request from the stored files and sealed with the court seal. Parties
// and lawyers are refused.
import { z } from 'zod';
import { CASE_FILE_SEAL_ID, caseFileZip, buildCaseFile } from '../../documents/archive/build-case-file.ts';
import { findStoredCaseFile } from '../../documents/archive/stored-case-file.ts';
import { openCourtCa } from '../../documents/ca/open-court-ca.ts';
import { COURT_STAFF_ROLES } from '../../platform/roles.ts';
import { writeAudit } from '../../storage/audit/write-audit.ts';
import { signedInAs } from '../auth/access.ts';
import { paths } from '../http/paths.ts';
import { defineRoute, RawReply, rawReplySchema } from '../http/route.ts';

export { CASE_FILE_SEAL_ID };

export const getCaseArchiveRoute = defineRoute({
  method: 'get',
  path: paths.caseArchive,
  operationId: 'getCaseArchive',
  summary: 'The case’s electronic case file (电子卷宗) as a ZIP: sealed PDF with catalogue and page numbers, every original, manifest.json, root.crt, crl.pem. The one filed when the case closed (header x-case-file-stored: true, its 验证码 in x-verification-code), else built now',
  tags: ['cases'],
  access: signedInAs(...COURT_STAFF_ROLES),
  caseMember: true,
  params: z.object({ caseId: z.uuid() }),
  response: rawReplySchema,
  rawResponse: { mediaTypes: ['application/zip'] },
  errors: ['BLOB_MISSING', 'CA_NOT_INITIALISED', 'CERTIFICATE_REVOKED', 'CERTIFICATE_EXPIRED'],
  async handle({ params, session, services }) {
    const headers = {
      'content-type': 'application/zip',
      'cache-control': 'private, no-store',
      'x-content-type-options': 'nosniff',
      'content-disposition': `attachment; filename="case-file-${params.caseId}.zip"`,
    };
    const stored = await findStoredCaseFile({ db: services.database.db, caseId: params.caseId });
    if (stored) {
      const bytes = await services.blobs.get(stored.blobKey);
      // Who took the whole file of a case, as for one built on request: which bundle, no titles.
      await writeAudit(services.database.db, {
        actor: { userId: session!.userId, role: session!.role },
        action: 'case.archive',
        subjectKind: 'case',
        subjectId: params.caseId,
        detail: { stored: true, documentId: stored.id, sha256: stored.sha256, bundleSha256: stored.bundleSha256 },
      });
      return new RawReply(
        200,
        {
          ...headers,
          ...(stored.bundleSha256 ? { 'x-case-file-sha256': stored.bundleSha256 } : {}),
          'x-case-file-stored': 'true',
          ...(stored.verificationCode ? { 'x-verification-code': stored.verificationCode } : {}),
        },
        bytes,
      );
    }
    const authority = openCourtCa(services.config);
    const signer = authority.signer(CASE_FILE_SEAL_ID);
    const built = await buildCaseFile({ db: services.database.db, blobs: services.blobs, caseId: params.caseId, signer, trust: { root: authority.rootCertificate(), crl: authority.crl() }, actor: { userId: session!.userId, role: session!.role } });
    return new RawReply(200, { ...headers, 'x-case-file-sha256': built.manifest.bundle.sha256 }, caseFileZip(built));
  },
});
