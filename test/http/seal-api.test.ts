// Sealing through the API with roles, approval and audit (issue 7, point 6), on real Postgres with a
// real court CA: a judge seals at once (pdfsig accepts it, hashes and audit row recorded); a clerk's
// request waits until a judge approves (or refuses) it; a party, a clerk approving, an unknown or
// revoked seal, a keyword that is not there and a document that is no PDF are refused with codes,
// and a refusal stores nothing.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { and, eq } from 'drizzle-orm';
import { demoHearing, logInEach, startDemoPlatform, type DemoPlatform } from '../support/demo-platform.ts';
import { callApi } from '../support/api-call.ts';
import { courtCaForNode } from '../support/court-ca.ts';
import { createTestDatabase } from '../support/services.ts';
import { judgmentPdf, pdfsig } from '../support/pdf-documents.ts';
import type { ScratchDatabase } from '../../storage/scratch-database.ts';
import type { CourtCa } from '../../documents/ca/court-ca.ts';
import { LocalBlobStore } from '../../storage/blobs/local-blob-store.ts';
import { blobDirOf } from '../../platform/config.ts';
import { auditLog, documents, sealApplications } from '../../storage/schema.ts';

const COURT = '北京市海淀区人民法院';
const USERS = ['judge1', 'clerk1', 'admin1', 'party1'] as const;
let scratch: ScratchDatabase;
let demo: DemoPlatform;
let dir: string;
let ca: CourtCa;
let caseId: string;
const tokens: Record<string, string> = {};
const userIds: Record<string, string> = {};

const call = (method: string, path: string, token: string, body?: unknown) => callApi(demo.base, method, path, { token, body });

const sealPath = (documentId: string) => `/api/v1/cases/${caseId}/documents/${documentId}/seal`;
const decidePath = (applicationId: string, verb: 'approve' | 'refuse') => `/api/v1/cases/${caseId}/seal-applications/${applicationId}/${verb}`;
const sha256Of = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

/** A court document of the demo case whose bytes are in the node's blob store. */
async function fileDocument(bytes: Buffer, mimeType = 'application/pdf'): Promise<{ id: string; sha256: string }> {
  const blob = await new LocalBlobStore(blobDirOf(demo.platform.config)).put(bytes);
  const [row] = await demo.platform.database.db
    .insert(documents)
    .values({ caseId, kind: 'civilJudgment', title: '民事判决书', sha256: blob.sha256, blobKey: blob.key, mimeType, sizeBytes: blob.sizeBytes })
    .returning({ id: documents.id, sha256: documents.sha256 });
  return row!;
}

async function documentRow(id: string) {
  const [row] = await demo.platform.database.db.select().from(documents).where(eq(documents.id, id));
  return row!;
}

const applicationsOf = (documentId: string) => demo.platform.database.db.select().from(sealApplications).where(eq(sealApplications.documentId, documentId));
const auditOf = (documentId: string) =>
  demo.platform.database.db.select().from(auditLog).where(and(eq(auditLog.subjectKind, 'document'), eq(auditLog.subjectId, documentId)));

/** pdfsig on the document's stored content, trusting the court root. */
async function pdfsigOfStored(documentId: string, name: string) {
  const row = await documentRow(documentId);
  const bytes = await new LocalBlobStore(blobDirOf(demo.platform.config)).get(row.blobKey!);
  expect(sha256Of(bytes)).toBe(row.sha256);
  const file = join(dir, `${name}.pdf`);
  writeFileSync(file, bytes);
  return pdfsig(file, join(dir, `nss-${name}`), [ca.rootCertificate()]);
}

beforeAll(async () => {
  scratch = await createTestDatabase('ecourt_seal');
  dir = mkdtempSync(join(tmpdir(), 'ecourt-seal-api-'));
  const node = courtCaForNode(dir, { court: COURT });
  ca = node.ca;
  ca.issue({ id: 'judge-wang', kind: 'person', name: '王法官', department: '民事审判庭' });
  ca.issue({ id: 'old-seal', kind: 'court-seal', name: COURT });
  ca.revoke('old-seal', 'superseded');
  demo = await startDemoPlatform({
    tempPrefix: 'ecourt-seal-api-',
    env: {
      DATABASE_URL: scratch.url,
      ECOURT_SECRET: randomBytes(32).toString('hex'),
      ECOURT_SEED_DEMO: 'always',
      ...node.env,
    },
  });
  await logInEach(demo, USERS, { tokens, userIds });
  ({ caseId } = await demoHearing(demo.base, tokens.judge1!));
}, 180_000);

afterAll(async () => {
  await demo?.stop();
  await scratch?.drop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('sealing a case document through the API', () => {
  it('a judge seals at once: the document now holds the sealed PDF (pdfsig: valid, trusted), the application and the audit row carry both hashes', async () => {
    const document = await fileDocument(await judgmentPdf(2));
    const { status, json } = await call('POST', sealPath(document.id), tokens.judge1!, { sealId: 'court', mode: 'fixed', page: 1, x: 380, y: 80 });
    expect(status, JSON.stringify(json)).toBe(201);
    const { application } = json;
    expect(application).toMatchObject({ caseId, documentId: document.id, sealId: 'court', mode: 'fixed', status: 'applied', requestedBy: userIds.judge1, requestedRole: 'judge', decidedBy: userIds.judge1, sha256Before: document.sha256, reason: null });
    expect(application.position).toMatchObject({ page: 1, x: 380, y: 80, placed: [{ page: 1, x: 380, y: 80 }] });
    expect(application.sha256After).not.toBe(document.sha256);
    expect(json.document).toEqual({ id: document.id, sha256: application.sha256After, sizeBytes: expect.any(Number) });

    const row = await documentRow(document.id);
    expect(row.sha256).toBe(application.sha256After);
    const { signatures } = await pdfsigOfStored(document.id, 'judge-fixed');
    expect(signatures).toHaveLength(1);
    expect(signatures[0]).toMatchObject({ valid: true, trusted: true, commonName: COURT });

    const audit = await auditOf(document.id);
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ action: 'seal.apply', actorUserId: userIds.judge1, actorRole: 'judge' });
    expect(audit[0]!.detail).toMatchObject({ applicationId: application.id, caseId, sealId: 'court', mode: 'fixed', sha256Before: document.sha256, sha256After: application.sha256After, approvedBy: null });
  });

  it('a clerk only requests: nothing changes until a judge of the case approves; then the seal is applied and the approval audited', async () => {
    const document = await fileDocument(await judgmentPdf(2));
    const requested = await call('POST', sealPath(document.id), tokens.clerk1!, { sealId: 'court', mode: 'keyword', keyword: COURT });
    expect(requested.status, JSON.stringify(requested.json)).toBe(201);
    const application = requested.json.application;
    expect(application).toMatchObject({ status: 'requested', requestedBy: userIds.clerk1, requestedRole: 'clerk', decidedBy: null, sha256Before: document.sha256, sha256After: null });
    expect(requested.json.document).toBeUndefined();
    expect((await documentRow(document.id)).sha256).toBe(document.sha256);

    const pending = await call('GET', `/api/v1/cases/${caseId}/seal-applications?status=requested`, tokens.judge1!);
    expect(pending.status).toBe(200);
    expect(pending.json.applications.map((a: { id: string }) => a.id)).toContain(application.id);

    // The clerk may not approve their own (or any) request.
    const byClerk = await call('POST', decidePath(application.id, 'approve'), tokens.clerk1!);
    expect(byClerk.status).toBe(403);
    expect(byClerk.json.error.code).toBe('SEAL_ROLE_NOT_ALLOWED');
    expect((await documentRow(document.id)).sha256).toBe(document.sha256);

    const approved = await call('POST', decidePath(application.id, 'approve'), tokens.judge1!);
    expect(approved.status, JSON.stringify(approved.json)).toBe(200);
    expect(approved.json.application).toMatchObject({ id: application.id, status: 'applied', requestedBy: userIds.clerk1, decidedBy: userIds.judge1, sha256Before: document.sha256 });
    expect(approved.json.application.position.placed).toHaveLength(1);
    expect((await documentRow(document.id)).sha256).toBe(approved.json.application.sha256After);
    const { signatures } = await pdfsigOfStored(document.id, 'clerk-approved');
    expect(signatures).toHaveLength(1);
    expect(signatures[0]!.valid).toBe(true);

    const audit = await auditOf(document.id);
    expect(audit.map((entry) => entry.action).sort()).toEqual(['seal.apply', 'seal.request']);
    const applied = audit.find((entry) => entry.action === 'seal.apply')!;
    expect(applied).toMatchObject({ actorUserId: userIds.judge1, actorRole: 'judge' });
    expect(applied.detail).toMatchObject({ requestedBy: userIds.clerk1, approvedBy: userIds.judge1, sha256Before: document.sha256 });

    const again = await call('POST', decidePath(application.id, 'approve'), tokens.judge1!);
    expect(again.status).toBe(409);
    expect(again.json.error.code).toBe('SEAL_APPLICATION_DECIDED');
  });

  it('a judge refuses a clerk’s request with a reason: refused, document untouched, audited', async () => {
    const document = await fileDocument(await judgmentPdf(1));
    const requested = await call('POST', sealPath(document.id), tokens.clerk1!, { sealId: 'court', mode: 'fixed', page: 1, x: 100, y: 100 });
    expect(requested.status).toBe(201);
    const noReason = await call('POST', decidePath(requested.json.application.id, 'refuse'), tokens.judge1!, { reason: ' ' });
    expect(noReason.status).toBe(422);
    const refused = await call('POST', decidePath(requested.json.application.id, 'refuse'), tokens.judge1!, { reason: '文书尚未定稿' });
    expect(refused.status, JSON.stringify(refused.json)).toBe(200);
    expect(refused.json.application).toMatchObject({ status: 'refused', decidedBy: userIds.judge1, reason: '文书尚未定稿', sha256After: null });
    expect((await documentRow(document.id)).sha256).toBe(document.sha256);
    expect((await auditOf(document.id)).map((entry) => entry.action).sort()).toEqual(['seal.refuse', 'seal.request']);
  });

  it('roles: a party is refused (403, also the list), a court administrator may not apply a judge’s signature (not theirs)', async () => {
    const document = await fileDocument(await judgmentPdf(1));
    const party = await call('POST', sealPath(document.id), tokens.party1!, { sealId: 'court', mode: 'fixed', page: 1, x: 100, y: 100 });
    expect(party.status).toBe(403);
    expect(party.json.error.code).toBe('FORBIDDEN');
    // A judge's signature is refused as someone else's before any role rule (test/http/seal-api-signature-holder.test.ts).
    const admin = await call('POST', sealPath(document.id), tokens.admin1!, { sealId: 'judge-wang', mode: 'fixed', page: 1, x: 100, y: 100 });
    expect(admin.status).toBe(403);
    expect(admin.json.error.code).toBe('SIGNATURE_NOT_YOURS');
    const list = await call('GET', `/api/v1/cases/${caseId}/seal-applications`, tokens.party1!);
    expect(list.status).toBe(403);
    expect(await applicationsOf(document.id)).toHaveLength(0);
    expect(await auditOf(document.id)).toHaveLength(0);
  });

  it('keyword not found, unknown seal, revoked certificate, a document that is no PDF, a bad placement: coded refusals, nothing stored', async () => {
    const document = await fileDocument(await judgmentPdf(1));
    const cases: { token: string; body: unknown; status: number; code: string }[] = [
      { token: tokens.judge1!, body: { sealId: 'court', mode: 'keyword', keyword: '上海市第一中级人民法院' }, status: 422, code: 'SEAL_KEYWORD_NOT_FOUND' },
      // A clerk's request is checked when made, not only at approval.
      { token: tokens.clerk1!, body: { sealId: 'court', mode: 'keyword', keyword: '上海市第一中级人民法院' }, status: 422, code: 'SEAL_KEYWORD_NOT_FOUND' },
      { token: tokens.judge1!, body: { sealId: 'no-such-seal', mode: 'fixed', page: 1, x: 100, y: 100 }, status: 422, code: 'SEAL_NOT_FOUND' },
      { token: tokens.judge1!, body: { sealId: 'old-seal', mode: 'fixed', page: 1, x: 100, y: 100 }, status: 409, code: 'CERTIFICATE_REVOKED' },
      { token: tokens.judge1!, body: { sealId: 'court', mode: 'fixed', page: 5, x: 100, y: 100 }, status: 422, code: 'VALIDATION_FAILED' },
      { token: tokens.judge1!, body: { sealId: 'court', mode: 'stamp' }, status: 422, code: 'VALIDATION_FAILED' },
    ];
    for (const refusal of cases) {
      const { status, json } = await call('POST', sealPath(document.id), refusal.token, refusal.body);
      expect([status, json.error?.code], JSON.stringify(refusal.body)).toEqual([refusal.status, refusal.code]);
    }
    const text = await fileDocument(Buffer.from('庭审笔录', 'utf8'), 'text/plain; charset=utf-8');
    const notPdf = await call('POST', sealPath(text.id), tokens.judge1!, { sealId: 'court', mode: 'fixed', page: 1, x: 100, y: 100 });
    expect([notPdf.status, notPdf.json.error.code]).toEqual([415, 'DOCUMENT_NOT_PDF']);

    for (const id of [document.id, text.id]) {
      expect(await applicationsOf(id)).toHaveLength(0);
      expect(await auditOf(id)).toHaveLength(0);
    }
    expect((await documentRow(document.id)).sha256).toBe(document.sha256);
  });

  it('a document of another case, or an unknown one, is not found', async () => {
    const { status } = await call('POST', `/api/v1/cases/${caseId}/documents/00000000-0000-4000-8000-000000000000/seal`, tokens.judge1!, { sealId: 'court', mode: 'fixed', page: 1, x: 100, y: 100 });
    expect(status).toBe(404);
  });
});
