// A judge's signature bound to the judge's account (issue 7, points 2 and 6), through the sealing API on
// real Postgres with a real court CA: judge A signs with A's certificate (verifyPdf and pdfsig: valid,
// trusted, signed 李明); judge B, a clerk and a court administrator get 403 SIGNATURE_NOT_YOURS (bilingual)
// and nothing is stored; a clerk's request for a signature made before this rule is approved only by the
// signature's holder; an unbound (older) certificate works only for the judge whose account name it bears.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { eq } from 'drizzle-orm';
import { demoHearing, logInDemo, logInEach, startDemoPlatform, type DemoPlatform } from '../support/demo-platform.ts';
import { callApi } from '../support/api-call.ts';
import { courtCaForNode } from '../support/court-ca.ts';
import { createTestDatabase } from '../support/services.ts';
import { judgmentPdf, pdfsig } from '../support/pdf-documents.ts';
import type { ScratchDatabase } from '../../storage/scratch-database.ts';
import type { CourtCa } from '../../documents/ca/court-ca.ts';
import { verifyPdf } from '../../documents/signing/verify-pdf.ts';
import { hashPassword } from '../../hub/auth/password.ts';
import { LocalBlobStore } from '../../storage/blobs/local-blob-store.ts';
import { requestSeal } from '../../storage/seal-applications/request-seal.ts';
import { createUser } from '../../storage/users/create-user.ts';
import { blobDirOf } from '../../platform/config.ts';
import { auditLog, documents, sealApplications } from '../../storage/schema.ts';

const COURT = '北京市海淀区人民法院';
const PASSWORD = 'judge two pass 1';
let scratch: ScratchDatabase;
let demo: DemoPlatform;
let dir: string;
let ca: CourtCa;
let caseId: string;
const tokens: Record<string, string> = {};
const userIds: Record<string, string> = {};

const call = (method: string, path: string, token: string, body?: unknown) => callApi(demo.base, method, path, { token, body });

const sealPath = (documentId: string) => `/api/v1/cases/${caseId}/documents/${documentId}/seal`;
const blobs = () => new LocalBlobStore(blobDirOf(demo.platform.config));
const signature = (sealId: string) => ({ sealId, mode: 'keyword', keyword: COURT });

async function fileDocument(): Promise<{ id: string; sha256: string }> {
  const blob = await blobs().put(await judgmentPdf(1));
  const [row] = await demo.platform.database.db
    .insert(documents)
    .values({ caseId, kind: 'civilJudgment', title: '民事判决书', sha256: blob.sha256, blobKey: blob.key, mimeType: 'application/pdf', sizeBytes: blob.sizeBytes })
    .returning({ id: documents.id, sha256: documents.sha256 });
  return row!;
}

async function storedPdf(documentId: string): Promise<{ sha256: string; bytes: Buffer }> {
  const [row] = await demo.platform.database.db.select().from(documents).where(eq(documents.id, documentId));
  return { sha256: row!.sha256, bytes: await blobs().get(row!.blobKey!) };
}

/** Nothing happened to the document: same bytes, no application, no audit row. */
async function untouched(document: { id: string; sha256: string }) {
  expect((await storedPdf(document.id)).sha256).toBe(document.sha256);
  const db = demo.platform.database.db;
  expect(await db.select().from(sealApplications).where(eq(sealApplications.documentId, document.id))).toHaveLength(0);
  expect(await db.select().from(auditLog).where(eq(auditLog.subjectId, document.id))).toHaveLength(0);
}

/** Judge A's signature on the stored content: verifyPdf (court root and CRL) and pdfsig, valid and trusted. */
async function expectSignedByJudgeA(documentId: string, name: string) {
  const { bytes } = await storedPdf(documentId);
  const report = await verifyPdf(bytes, { roots: [ca.rootCertificate()], crls: [ca.crl()] });
  expect(report.valid).toBe(true);
  expect(report.signatures.map((entry) => [entry.signer?.commonName, entry.trusted, entry.revoked])).toEqual([['李明', true, false]]);
  const file = join(dir, `${name}.pdf`);
  writeFileSync(file, bytes);
  const { signatures } = await pdfsig(file, join(dir, `nss-${name}`), [ca.rootCertificate()]);
  expect(signatures.map((entry) => [entry.valid, entry.trusted, entry.commonName])).toEqual([[true, true, '李明']]);
}

beforeAll(async () => {
  scratch = await createTestDatabase('ecourt_signature');
  dir = mkdtempSync(join(tmpdir(), 'ecourt-signature-holder-'));
  const node = courtCaForNode(dir, { court: COURT });
  ca = node.ca;
  // Issued before binding existed: unbound, one in judge1's account name (李明), one in nobody's.
  ca.issue({ id: 'li-old', kind: 'person', name: '李明', department: '审判员' });
  ca.issue({ id: 'wang-old', kind: 'person', name: '王法官', department: '审判员' });
  demo = await startDemoPlatform({
    tempPrefix: 'ecourt-signature-holder-',
    env: {
      DATABASE_URL: scratch.url,
      ECOURT_SECRET: randomBytes(32).toString('hex'),
      ECOURT_SEED_DEMO: 'always',
      ...node.env,
    },
  });
  await logInEach(demo, ['judge1', 'clerk1', 'admin1'], { tokens, userIds });
  // Judge B: a second judge of the same court (a member of the case like judge A), named differently.
  const judge1 = await demo.logIn('judge1');
  const judgeB = await createUser({
    db: demo.platform.database.db,
    cipher: demo.platform.cipher,
    user: { username: 'judge2', displayName: '王芳', role: 'judge', courtId: judge1.user.courtId, passwordHash: await hashPassword(PASSWORD) },
    actor: { userId: null, role: null },
  });
  tokens.judge2 = (await logInDemo(demo.base, 'judge2', PASSWORD)).token;
  userIds.judge2 = judgeB.id;
  // Bound as `ecourt ca issue --kind person --user judge1` does (the CLI checks the account; tested in test/unit/ca-person-binding-cli.test.ts).
  ca.issue({ id: 'li', kind: 'person', name: '李明', department: '审判员', holder: { userId: userIds.judge1!, username: 'judge1' } });
  ({ caseId } = await demoHearing(demo.base, tokens.judge1!));
}, 180_000);

afterAll(async () => {
  await demo?.stop();
  await scratch?.drop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('a judge’s signature is applied only by the judge it belongs to', () => {
  it('judge A signs with A’s own certificate at once: verifyPdf and pdfsig say valid and trusted, signed 李明', async () => {
    const document = await fileDocument();
    const { status, json } = await call('POST', sealPath(document.id), tokens.judge1!, signature('li'));
    expect(status, JSON.stringify(json)).toBe(201);
    expect(json.application).toMatchObject({ sealId: 'li', status: 'applied', requestedBy: userIds.judge1, decidedBy: userIds.judge1 });
    await expectSignedByJudgeA(document.id, 'judge-a');
  });

  it('judge B, a clerk and a court administrator are refused with SIGNATURE_NOT_YOURS (Chinese and English); nothing is stored, no request waits', async () => {
    const document = await fileDocument();
    for (const who of ['judge2', 'clerk1', 'admin1']) {
      const { status, json } = await call('POST', sealPath(document.id), tokens[who]!, signature('li'));
      expect([status, json.error?.code], who).toEqual([403, 'SIGNATURE_NOT_YOURS']);
      expect(json.error.message).toMatch(/belongs to another person.*仅本人可以使用/);
    }
    await untouched(document);
  });

  it('a clerk’s request for a signature from before this rule: judge B may not approve it (SIGNATURE_NOT_YOURS), judge A applies it', async () => {
    const document = await fileDocument();
    const request = await requestSeal({
      db: demo.platform.database.db,
      operator: { userId: userIds.clerk1!, role: 'clerk' },
      facts: { caseId, documentId: document.id, sealId: 'li', mode: 'keyword', position: { keyword: COURT } },
      sha256Before: document.sha256,
    });
    const approvePath = `/api/v1/cases/${caseId}/seal-applications/${request.id}/approve`;
    const byJudgeB = await call('POST', approvePath, tokens.judge2!);
    expect([byJudgeB.status, byJudgeB.json.error?.code]).toEqual([403, 'SIGNATURE_NOT_YOURS']);
    expect((await storedPdf(document.id)).sha256).toBe(document.sha256);
    const byHolder = await call('POST', approvePath, tokens.judge1!);
    expect(byHolder.status, JSON.stringify(byHolder.json)).toBe(200);
    expect(byHolder.json.application).toMatchObject({ status: 'applied', requestedBy: userIds.clerk1, decidedBy: userIds.judge1 });
    await expectSignedByJudgeA(document.id, 'approved-by-holder');
  });

  it('an unbound (older) certificate: only a judge whose account name is the certificate’s — judge A signs 李明’s, nobody signs 王法官’s', async () => {
    const document = await fileDocument();
    for (const [who, sealId] of [['judge2', 'li-old'], ['clerk1', 'li-old'], ['judge1', 'wang-old'], ['judge2', 'wang-old']] as const) {
      const { status, json } = await call('POST', sealPath(document.id), tokens[who]!, signature(sealId));
      expect([status, json.error?.code, json.error?.details?.unbound], `${who} ${sealId}`).toEqual([403, 'SIGNATURE_NOT_YOURS', true]);
    }
    await untouched(document);
    const signed = await call('POST', sealPath(document.id), tokens.judge1!, signature('li-old'));
    expect(signed.status, JSON.stringify(signed.json)).toBe(201);
    await expectSignedByJudgeA(document.id, 'unbound-by-name');
  });

  it('the court seal is unchanged: a clerk still only requests it and any judge of the case approves', async () => {
    const document = await fileDocument();
    const requested = await call('POST', sealPath(document.id), tokens.clerk1!, { sealId: 'court', mode: 'fixed', page: 1, x: 380, y: 80 });
    expect([requested.status, requested.json.application?.status]).toEqual([201, 'requested']);
    const approved = await call('POST', `/api/v1/cases/${caseId}/seal-applications/${requested.json.application.id}/approve`, tokens.judge2!);
    expect([approved.status, approved.json.application?.decidedBy]).toEqual([200, userIds.judge2]);
  });
});
