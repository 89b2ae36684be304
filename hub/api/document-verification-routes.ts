// 文书验证 for everyone: anyone who received a court document uploads the PDF and learns whether its
// signatures are intact and trusted to this court's CA, whether it changed after the last signature,
// and whether the court issued it (by SHA-256, kind and date only). Or types (scans) the 验证码 printed on
// it and learns what the court issued under that code — kind, title, date, hash and pages, never the case
// or the parties — and, with the file too, whether this file is that document. Public, so rate limited
// per address (the codes are 80 random bits: the limit is a brake on abuse, not what keeps them secret).
import { z } from 'zod';
import { openCourtCa } from '../../documents/ca/open-court-ca.ts';
import { verifyPdf, type TrustAnchors } from '../../documents/signing/verify-pdf.ts';
import { courtDate, isDocumentOfCode, publicDocumentByCode, signedRevisions, unknownVerificationCode } from '../../documents/verification/code-match.ts';
import { normaliseVerificationCode } from '../../documents/verification/verification-code.ts';
import { findDocumentByCode } from '../../storage/documents/find-document-by-code.ts';
import { findIssuedDocument } from '../../storage/documents/find-issued-document.ts';
import { publicAccess } from '../auth/access.ts';
import { paths } from '../http/paths.ts';
import { defineRoute, rawBodySchema, type AnyRoute } from '../http/route.ts';
import { PhoneCodeAddressLimit } from './registration-rate-limit.ts';

/** A court document with many sealed pages stays well under this; bigger uploads are refused with 413 unread. */
export const MAX_VERIFY_DOCUMENT_BYTES = 20 * 1024 * 1024;
/** Verifications per client address per hour: generous for a person, a brake on using the hub as a free PDF parser. */
export const VERIFICATIONS_PER_ADDRESS_HOUR = 60;
/** Code lookups per client address per hour: cheap to answer, but nobody types a hundred codes in an hour. */
export const CODE_LOOKUPS_PER_ADDRESS_HOUR = 120;

const sha256Hex = z.string().regex(/^[0-9a-f]{64}$/);

export const documentByCodeSchema = z.object({
  code: z.string().describe('The verification code in canonical form, e.g. 7K3M-Q9TX-2F8R-WD4N'),
  kind: z.string().describe('The document kind (template name, or caseFile)'),
  title: z.string().describe('The document title, e.g. 民事判决书'),
  issuedOn: z.iso.date().describe('Court date (UTC+8)'),
  sha256: sha256Hex.describe('SHA-256 of the document as the court holds it now (the sealed file once sealed)'),
  mimeType: z.string().nullable(),
  pageCount: z.number().int().nullable(),
  bundleSha256: sha256Hex.nullable().describe('A case file (a ZIP): SHA-256 of the sealed PDF inside it (case-file.pdf); null for other documents'),
});

/** A code as typed or scanned: case, spaces and dashes do not matter (normaliseVerificationCode). */
const verificationCodeInput = z
  .string()
  .max(64)
  .transform((value, context) => {
    const code = normaliseVerificationCode(value);
    if (code === null) {
      context.addIssue({ code: 'custom', message: 'not a verification code (16 letters and digits, e.g. 7K3M-Q9TX-2F8R-WD4N) / 验证码格式不正确' });
      return z.NEVER;
    }
    return code;
  });

export const signatureVerificationSchema = z.object({
  field: z.string().describe('The signature field name in the PDF'),
  signer: z
    .object({ commonName: z.string().nullable(), organization: z.string().nullable(), organizationalUnit: z.string().nullable(), serial: z.string() })
    .nullable()
    .describe("The signer certificate's subject (the seal's or the judge's name, the court, the department)"),
  seal: z.string().nullable().describe("This court's seal/certificate id when the certificate is one it issued"),
  signingTime: z.string().nullable().describe('ISO 8601 instant the signature claims'),
  intact: z.boolean().describe('The signed bytes are unchanged and the signature verifies'),
  coversWholeDocument: z.boolean(),
  changesAfter: z.enum(['none', 'signatures-only', 'other']).describe('What later revisions changed'),
  trusted: z.boolean().describe("The certificate chains to this court's CA"),
  certificateValidAtSigning: z.boolean(),
  revoked: z.boolean(),
  revokedAt: z.string().nullable(),
  valid: z.boolean(),
  problems: z.array(z.string()).describe('Why the signature is not valid (English)'),
  timestamp: z
    .object({ time: z.string().nullable(), tsa: z.string().nullable(), imprintMatches: z.boolean(), trusted: z.boolean(), valid: z.boolean() })
    .nullable()
    .describe("The RFC 3161 timestamp over the signature (PAdES-T) when it carries one: the TSA's time and whether it holds"),
});

export const documentVerificationSchema = z.object({
  sha256: sha256Hex,
  valid: z.boolean().describe('At least one signature, and every one valid'),
  signatures: z.array(signatureVerificationSchema),
  changedAfterLastSignature: z.boolean().nullable().describe('Bytes were appended after the last signature; null without signatures'),
  inLedger: z.boolean().describe('The file, or a signed revision of it, is a document this court issued'),
  byCode: z
    .object({ document: documentByCodeSchema, matches: z.boolean().describe('This file (or a signed revision of it) is the document issued under the code') })
    .nullable()
    .describe('With ?code=: the document issued under that code and whether the uploaded file is it; null without a code'),
  ledger: z
    .object({ kind: z.string(), issuedOn: z.iso.date().describe('Court date (UTC+8)'), matched: z.enum(['file', 'signed-revision']) })
    .nullable()
    .describe('Only what the document is and when; never its case or parties'),
});

/** One route per hub, with its own per-address budget (the routes list is built per hub). */
export function documentVerificationRoutes(): AnyRoute[] {
  const addressLimit = new PhoneCodeAddressLimit(VERIFICATIONS_PER_ADDRESS_HOUR, 3600_000, 50_000, Date.now, 'Too many documents verified from this address; try again later');
  const lookupLimit = new PhoneCodeAddressLimit(CODE_LOOKUPS_PER_ADDRESS_HOUR, 3600_000, 50_000, Date.now, 'Too many verification codes looked up from this address; try again later');
  const lookUpCode = defineRoute({
    method: 'get',
    path: paths.documentVerifyCode,
    operationId: 'lookUpVerificationCode',
    summary: 'Look up a verification code (验证码) printed on a court document (public): its kind, title, date of issue, SHA-256 and page count — never its case or parties',
    tags: ['documents'],
    access: publicAccess,
    params: z.object({ code: verificationCodeInput }),
    response: documentByCodeSchema,
    errors: ['RATE_LIMITED', 'VERIFICATION_CODE_UNKNOWN'],
    async handle({ params, request, services }) {
      lookupLimit.take(request.address);
      const found = await findDocumentByCode({ db: services.database.db, code: params.code });
      if (!found) throw unknownVerificationCode();
      return publicDocumentByCode(params.code, found);
    },
  });
  const verifyDocument = defineRoute({
    method: 'post',
    path: paths.documentVerify,
    operationId: 'verifyDocument',
    summary: "Verify a court document (public): each signature (signer, seal, time, intact, trusted to this court's CA, revoked) and whether the court issued it. Body: the raw PDF, at most 20 MB",
    tags: ['documents'],
    access: publicAccess,
    query: z.object({ code: verificationCodeInput.optional().describe('The verification code printed on the document: the answer then says whether this file is that document') }),
    body: rawBodySchema,
    rawBody: { mediaTypes: ['application/pdf'], limitBytes: () => MAX_VERIFY_DOCUMENT_BYTES },
    response: documentVerificationSchema,
    errors: ['RATE_LIMITED', 'DOCUMENT_MALFORMED', 'VERIFICATION_CODE_UNKNOWN'],
    async handle({ body, query, request, services }) {
      addressLimit.take(request.address);
      // Read on every request, not cached: `ecourt ca revoke` (another process) reissues the CRL.
      const authority = openCourtCa(services.config);
      const anchors: TrustAnchors = authority.initialised ? { roots: [authority.rootCertificate()], crls: [authority.crl()] } : { roots: [], crls: [] };
      const seals = new Map(authority.initialised ? authority.list().certificates.map((entry) => [entry.serial, entry.id]) : []);
      const report = await verifyPdf(body.bytes, anchors);
      // The court records the hash of what it issued: the whole file, or (when someone signed it again
      // afterwards) the revision one of the signatures covers.
      const { revisionHashes, changedAfterLastSignature } = signedRevisions(body.bytes, report);
      const match = await findIssuedDocument({ db: services.database.db, hashes: [report.sha256, ...revisionHashes] });
      const coded = query.code ? await findDocumentByCode({ db: services.database.db, code: query.code }) : null;
      if (query.code && !coded) throw unknownVerificationCode();
      return {
        sha256: report.sha256,
        valid: report.valid,
        signatures: report.signatures.map((signature) => ({
          field: signature.field,
          signer: signature.signer
            ? { commonName: signature.signer.commonName ?? null, organization: signature.signer.organization ?? null, organizationalUnit: signature.signer.organizationalUnit ?? null, serial: signature.signer.serial }
            : null,
          seal: signature.signer ? (seals.get(signature.signer.serial) ?? null) : null,
          signingTime: signature.signingTime,
          intact: signature.intact,
          coversWholeDocument: signature.coversWholeDocument,
          changesAfter: signature.changesAfter,
          trusted: signature.trusted,
          certificateValidAtSigning: signature.certificateValidAtSigning,
          revoked: signature.revoked,
          revokedAt: signature.revokedAt ?? null,
          valid: signature.valid,
          problems: signature.problems,
          timestamp: signature.timestamp
            ? { time: signature.timestamp.time, tsa: signature.timestamp.tsa, imprintMatches: signature.timestamp.imprintMatches, trusted: signature.timestamp.trusted, valid: signature.timestamp.valid }
            : null,
        })),
        changedAfterLastSignature,
        inLedger: match !== null,
        // The code's document is this file, or a revision of it someone signed again afterwards.
        byCode: query.code && coded ? { document: publicDocumentByCode(query.code, coded), matches: isDocumentOfCode(coded, report.sha256, revisionHashes) } : null,
        ledger: match ? { kind: match.kind, issuedOn: courtDate(match.issuedAt), matched: match.sha256 === report.sha256 ? ('file' as const) : ('signed-revision' as const) } : null,
      };
    },
  });
  return [lookUpCode, verifyDocument];
}
