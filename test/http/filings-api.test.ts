// The filings API end to end on the demo platform (PGlite, in-process bus, the node's court CA): a clean
// credit-card filing is accepted at once — case number, fee, the sealed 立案回执 (pdfsig and verifyPdf:
// valid, trusted), inbox messages — all in the POST's answer; a defective one is returned with the
// fields to fix; the same dispute again is refused as a duplicate; bad input and someone else's
// materials are refused with the field; outsiders get 404; a clerk's acceptance is finished by the
// acceptor from the bus, and a second run of the acceptor makes nothing new.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { and, eq, sql } from 'drizzle-orm';
import { logInEach, startDemoPlatform, type DemoPlatform } from '../support/demo-platform.ts';
import { callApi } from '../support/api-call.ts';
import { pdfsig, pdftotext } from '../support/pdf-documents.ts';
import { waitFor } from '../support/wait-for.ts';
import { sampleFiling } from '../../models/filing-rules/samples.ts';
import type { FilingInput } from '../../models/filing-rules/filing.ts';
import { filingMaterials, inboxMessages } from '../../storage/filings/schema.ts';
import { auditLog, documents } from '../../storage/schema.ts';
import { openCourtCa } from '../../documents/ca/open-court-ca.ts';
import { verifyPdf } from '../../documents/signing/verify-pdf.ts';
import { FILING_KIND } from '../../actors/filing/filing.protocol.ts';
import { caseIdOfFiling } from '../../hub/filings/filing-acceptor.ts';

let demo: DemoPlatform;
const tokens: Record<string, string> = {};
const userIds: Record<string, string> = {};
let courtId: string;

beforeAll(async () => {
  demo = await startDemoPlatform({ tempPrefix: 'ecourt-filings-api-' });
  await logInEach(demo, ['party1', 'party2', 'clerk1', 'judge1'], { tokens, userIds });
  const clerk = await demo.logIn('clerk1');
  courtId = clerk.user.courtId!;
}, 120_000);

afterAll(async () => {
  await demo?.stop();
});

const api = (method: string, path: string, token: string | undefined, body?: unknown) => callApi(demo.base, method, path, { token, body });
const db = () => demo.platform.database.db;

/** A filing of the demo court whose materials `username` uploaded (rows as the upload route writes them, fresh ids). */
async function ownFiling(username: string, cause: Parameters<typeof sampleFiling>[0] = 'creditCard', change?: (filing: FilingInput) => void): Promise<FilingInput> {
  const filing = sampleFiling(cause, courtId);
  const ids = new Map<string, string>();
  for (const material of filing.materials) {
    const id = randomUUID();
    ids.set(material.id, id);
    const bytes = randomBytes(64);
    await db()
      .insert(filingMaterials)
      .values({ id, userId: userIds[username]!, type: material.type, name: material.name, sha256: createHash('sha256').update(bytes).digest('hex'), blobKey: `test/${id}`, mimeType: material.mimeType, sizeBytes: bytes.length, pageCount: material.pages });
    material.id = id;
  }
  for (const item of filing.evidence) if (item.materialId) item.materialId = ids.get(item.materialId) ?? item.materialId;
  change?.(filing);
  return filing;
}

describe('POST /api/v1/filings: accepted at once with a sealed receipt', () => {
  let filingId: string;
  let answer: any;
  let elapsedMs: number;

  beforeAll(async () => {
    const filing = await ownFiling('party1');
    const started = performance.now();
    const reply = await api('POST', '/api/v1/filings', tokens.party1, filing);
    elapsedMs = performance.now() - started;
    expect(reply.status, reply.text).toBe(201);
    answer = reply.json.filing;
    filingId = answer.id;
  }, 60_000);

  it('answers accepted with the case number, the fee and the receipt, within seconds', () => {
    // On failure, say why the rules did not accept it.
    expect(answer.state, JSON.stringify({ reasons: answer.reasons, decision: answer.decision?.decision })).toBe('accepted');
    expect(answer).toMatchObject({ status: 'accepted', state: 'accepted', cause: 'creditCard', causeName: '信用卡纠纷', claimAmount: '18650.32' });
    expect(answer.caseNumber).toMatch(/京0105民初\d+号/);
    expect(answer.caseId).toBe(caseIdOfFiling(filingId));
    expect(answer.fee).toBe(answer.decision.fee.fee);
    expect(Number(answer.fee)).toBeGreaterThan(0);
    expect(answer.decision).toMatchObject({ decision: 'autoAccept', ruleSetVersion: 1 });
    expect(answer.decision.trace.length).toBeGreaterThan(10);
    expect(answer.receipt.contentPath).toBe(`/api/v1/cases/${answer.caseId}/documents/${answer.receipt.documentId}/content`);
    // Identifiers masked in the view.
    expect(JSON.stringify(answer)).not.toContain('110105198503122317');
    expect(answer.filing.defendants[0].idNumberMasked).toBe('110105********2317');
    expect(elapsedMs).toBeLessThan(10_000);
  });

  it('the receipt is the sealed 立案回执: names the case number and parties; pdfsig and verifyPdf say valid and trusted', async () => {
    const response = await fetch(demo.base + answer.receipt.contentPath, { headers: { authorization: `Bearer ${tokens.party1}` } });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toContain('application/pdf');
    const bytes = Buffer.from(await response.arrayBuffer());
    const file = join(demo.dataDir, 'receipt.pdf');
    writeFileSync(file, bytes);
    const text = (await pdftotext(file)).replace(/\s+/g, '');
    expect(text).toContain('立案回执');
    expect(text).toContain(answer.caseNumber.replace(/\s+/g, ''));
    expect(text).toContain('张伟');
    expect(text).toContain('起诉状.pdf');
    const ca = openCourtCa(demo.platform.config);
    const { signatures } = await pdfsig(file, join(demo.dataDir, 'nss'), [ca.rootCertificate()]);
    expect(signatures).toHaveLength(1);
    expect(signatures[0]).toMatchObject({ valid: true, trusted: true, commonName: '北京市朝阳区人民法院' });
    const report = await verifyPdf(bytes, { roots: [ca.rootCertificate()], crls: [ca.crl()] });
    expect(report.valid).toBe(true);
  });

  it('the filer finds the acceptance (with the receipt) and the fee notice in the inbox; materials are bound to the filing', async () => {
    const messages = await db().select().from(inboxMessages).where(eq(inboxMessages.userId, userIds.party1!));
    const kinds = messages.filter((m) => (m.body as { filingId?: string }).filingId === filingId).map((m) => m.kind);
    expect(kinds.sort()).toEqual(['feeNotice', 'filingAccepted']);
    const accepted = messages.find((m) => m.kind === 'filingAccepted' && (m.body as { filingId?: string }).filingId === filingId)!;
    expect(accepted.documentId).toBe(answer.receipt.documentId);
    expect((messages.find((m) => m.kind === 'feeNotice')!.body as any).fee.fee).toBe(answer.fee);
    const bound = await db().select().from(filingMaterials).where(eq(filingMaterials.filingId, filingId));
    expect(bound).toHaveLength(answer.filing.materials.length);
  });

  it('the case exists, accepted, for the filer', async () => {
    const reply = await api('GET', `/api/v1/cases/${answer.caseId}`, tokens.party1);
    expect(reply.status).toBe(200);
    expect(reply.json.case).toMatchObject({ state: 'accepted', caseNumber: answer.caseNumber, cause: '信用卡纠纷' });
  });

  it('GET /filings/:id for the filer and the court’s clerk; 404 for another party; GET /filings lists one’s own', async () => {
    expect((await api('GET', `/api/v1/filings/${filingId}`, tokens.party1)).json.filing.caseNumber).toBe(answer.caseNumber);
    expect((await api('GET', `/api/v1/filings/${filingId}`, tokens.clerk1)).status).toBe(200);
    const outsider = await api('GET', `/api/v1/filings/${filingId}`, tokens.party2);
    expect(outsider.status).toBe(404);
    expect(outsider.json.error.code).toBe('NOT_FOUND');
    expect((await api('GET', `/api/v1/filings/${randomUUID()}`, tokens.party1)).status).toBe(404);
    expect((await api('GET', '/api/v1/filings', tokens.party1)).json.filings.map((f: { id: string }) => f.id)).toContain(filingId);
    expect((await api('GET', '/api/v1/filings', tokens.party2)).json.filings).toEqual([]);
  });

  it('the same dispute filed again is rejected as a duplicate, with the legal basis', async () => {
    const reply = await api('POST', '/api/v1/filings', tokens.party1, await ownFiling('party1'));
    expect(reply.status).toBe(201);
    expect(reply.json.filing).toMatchObject({ status: 'rejected', caseId: null, receipt: null });
    expect(reply.json.filing.reasons[0]).toMatchObject({ ruleId: 'duplicate' });
    expect(reply.json.filing.reasons[0].legalBasis).toContain('民事诉讼法');
  });

  it('a second run of the acceptor finds everything done: no new case document, no new message', async () => {
    const count = async () => {
      const [docs] = await db().select({ n: sql<number>`count(*)::int` }).from(documents).where(eq(documents.caseId, answer.caseId));
      const [messages] = await db().select({ n: sql<number>`count(*)::int` }).from(inboxMessages).where(sql`${inboxMessages.body}->>'filingId' = ${filingId}`);
      return [docs!.n, messages!.n];
    };
    const before = await count();
    await demo.platform.hub!.filingAcceptor.reconcile();
    expect(await demo.platform.hub!.filingAcceptor.accept(filingId)).toBeNull();
    expect(await count()).toEqual(before);
  });
});

describe('POST /api/v1/filings: returned, refused, reviewed by a clerk', () => {
  it('a filing without its complaint is returned with the fields to fix and a deadline; the corrected filing is accepted', async () => {
    const filing = await ownFiling('party2', 'privateLending', (f) => {
      f.materials = f.materials.filter((m) => m.type !== 'complaint');
    });
    const reply = await api('POST', '/api/v1/filings', tokens.party2, filing);
    expect(reply.status).toBe(201);
    expect(reply.json.filing).toMatchObject({ status: 'returned', caseNumber: null });
    expect(reply.json.filing.correction.fields.some((field: string) => field.startsWith('materials'))).toBe(true);
    expect(reply.json.filing.correction.deadline).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect(reply.json.filing.reasons.map((r: { ruleId: string }) => r.ruleId)).toContain('materials');

    // The filer is told in the inbox: 补正通知 with the deadline and the fields.
    const notice = await waitFor(async () => {
      const rows = await db().select().from(inboxMessages).where(and(eq(inboxMessages.userId, userIds.party2!), eq(inboxMessages.kind, 'filingReturned')));
      return rows.find((row) => (row.body as { filingId?: string }).filingId === reply.json.filing.id);
    }, 'the correction notice');
    expect(notice.title).toContain(reply.json.filing.correction.deadline);
    expect((notice.body as any).correction.fields).toEqual(reply.json.filing.correction.fields);

    // 补正: the filer adds the complaint and resubmits; checked again, accepted with the receipt. Nobody else may.
    const corrected = await ownFiling('party2', 'privateLending');
    const path = `/api/v1/filings/${reply.json.filing.id}/resubmit`;
    expect((await api('POST', path, tokens.party1, corrected)).status).toBe(404);
    const again = await api('POST', path, tokens.party2, corrected);
    expect(again.status, again.text).toBe(200);
    expect(again.json.filing).toMatchObject({ id: reply.json.filing.id, status: 'accepted', correction: null });
    expect(again.json.filing.receipt).not.toBeNull();
    expect((await api('POST', path, tokens.party2, corrected)).json.error.code).toBe('FILING_TRANSITION_NOT_ALLOWED');
  });

  it('bad input is refused with the field: an amount with three decimals', async () => {
    const filing = await ownFiling('party2', 'privateLending', (f) => {
      f.claims[0]!.amount = '80000.123';
    });
    const reply = await api('POST', '/api/v1/filings', tokens.party2, filing);
    expect(reply.status).toBe(422);
    expect(reply.json.error.details.issues.map((i: { path: string }) => i.path)).toContain('body.claims.0.amount');
  });

  it('materials someone else uploaded are refused with their path; court staff may not file', async () => {
    const filing = await ownFiling('party1', 'privateLending');
    const reply = await api('POST', '/api/v1/filings', tokens.party2, filing);
    expect(reply.status).toBe(422);
    expect(reply.json.error.details.issues.map((i: { path: string }) => i.path)).toContain('body.materials.0.id');
    expect((await api('POST', '/api/v1/filings', tokens.clerk1, filing)).status).toBe(403);
    expect((await api('POST', '/api/v1/filings', undefined, filing)).status).toBe(401);
  });

  it('a cause a clerk must review waits for the clerk; the clerk’s acceptance (audited) is finished by the acceptor', async () => {
    const reply = await api('POST', '/api/v1/filings', tokens.party2, await ownFiling('party2', 'labourRemuneration'));
    expect(reply.status).toBe(201);
    const filing = reply.json.filing;
    expect(filing).toMatchObject({ status: 'needsClerk', caseId: null });
    expect(filing.reasons.map((r: { ruleId: string }) => r.ruleId)).toContain('autoAcceptCause');

    const decided = await demo.platform.actors.ask(
      { kind: FILING_KIND, id: filing.id },
      { type: 'DECIDE', by: { userId: userIds.clerk1!, role: 'clerk' }, decision: 'accept', reason: '已经劳动仲裁，符合立案条件' },
    );
    expect(decided).toMatchObject({ ok: true, state: 'clerkAccepted' });
    const accepted = await waitFor(async () => {
      const view = (await api('GET', `/api/v1/filings/${filing.id}`, tokens.party2)).json.filing;
      return view.status === 'accepted' ? view : null;
    }, 'the clerk-accepted filing to be accepted', 30_000);
    expect(accepted.caseNumber).toMatch(/京0105民初\d+号/);
    expect(accepted.receipt).not.toBeNull();
    expect(accepted.clerkDecision).toMatchObject({ decidedBy: userIds.clerk1 });
    const [audit] = await db().select().from(auditLog).where(and(eq(auditLog.subjectKind, 'filing'), eq(auditLog.subjectId, filing.id)));
    expect(audit).toMatchObject({ action: 'filing.DECIDE', actorUserId: userIds.clerk1, detail: expect.objectContaining({ decision: 'accept', reason: '已经劳动仲裁，符合立案条件' }) });
    // The case was accepted in the clerk's name.
    const caseReply = await api('GET', `/api/v1/cases/${accepted.caseId}`, tokens.clerk1);
    expect(caseReply.json.case.state).toBe('accepted');
  }, 60_000);
});
