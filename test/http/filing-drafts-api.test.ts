// Filing drafts over HTTP (issue 8, point 1): saved as the filer types (PUT under the form's id),
// restored, listed, deleted — owner only, identifiers sealed at rest; the complaint (民事起诉状)
// rendered from the draft for preview (missing fields listed) and signed into a filing material,
// behind a live face check for filers with a face enrolment. The whole platform in-process.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHash, randomUUID } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { and, eq } from 'drizzle-orm';
import { logInEach, startDemoPlatform, type DemoPlatform } from '../support/demo-platform.ts';
import { auditLog } from '../../storage/schema.ts';
import { filingDrafts } from '../../storage/filings/schema.ts';
import { recordFaceEnrolment } from '../../storage/identity/record-face-enrolment.ts';
import { recordIdentityCheck } from '../../storage/identity/record-identity-check.ts';
import { complaintSigningPurpose } from '../../hub/api/filing-draft-routes.ts';

let demo: DemoPlatform;
const tokens: Record<string, string> = {};
const userIds: Record<string, string> = {};
let courtId: string;

async function call(method: string, path: string, token?: string, body?: unknown) {
  const headers: Record<string, string> = {};
  if (token) headers.authorization = `Bearer ${token}`;
  if (body !== undefined) headers['content-type'] = 'application/json';
  const response = await fetch(demo.base + path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  const bytes = Buffer.from(await response.arrayBuffer());
  const isJson = (response.headers.get('content-type') ?? '').startsWith('application/json');
  return { status: response.status, headers: response.headers, bytes, json: isJson && bytes.length > 0 ? JSON.parse(bytes.toString('utf8')) : null };
}

const draftPath = (id: string) => `/api/v1/filing-drafts/${id}`;

function creditCardDraft() {
  return {
    courtId,
    cause: 'creditCard',
    plaintiffs: [{ kind: 'person', name: '陈静', idNumber: '11010519491231002X', phone: '13800138000', address: '北京市朝阳区建国路88号', domicile: '北京市朝阳区' }],
    defendants: [{ kind: 'organisation', name: '某某银行股份有限公司', address: '北京市朝阳区东三环中路1号', domicile: '北京市朝阳区' }],
    claims: [{ text: '判令被告退还多收取的年费及利息', amount: '1288.50' }, { text: '本案诉讼费用由被告负担' }],
    facts: '原告持有被告发行的信用卡。\n被告违规收取年费，经交涉未果。',
    causeFacts: { cardIssuedOn: '2020-05-01' },
    jurisdiction: { basis: 'defendantDomicile', place: '北京市朝阳区' },
    evidence: [{ name: '信用卡账单', purpose: '证明被告收取年费' }],
    electronicService: { consent: true, addresses: [{ kind: 'phone', value: '13800138000' }] },
  };
}

beforeAll(async () => {
  demo = await startDemoPlatform({ tempPrefix: 'ecourt-filing-drafts-' });
  await logInEach(demo, ['party1', 'party2', 'lawyer1', 'clerk1'], { tokens, userIds });
  const courts = await call('GET', '/api/v1/courts');
  courtId = courts.json.courts[0].id;
}, 120_000);

afterAll(async () => {
  await demo?.stop();
});

describe('filing drafts', () => {
  it('saves a half-typed draft, restores it exactly, and keeps ID numbers and phones sealed at rest', async () => {
    const id = randomUUID();
    const partial = { courtId, cause: 'creditCard', claims: [{ text: '判', amount: '12.' }], plaintiffs: [{ name: '陈静', idNumber: '11010519491231002X', phone: '13800138000' }] };
    const saved = await call('PUT', draftPath(id), tokens.party1, { filing: partial, step: 'claims' });
    expect(saved.status, saved.bytes.toString()).toBe(200);
    expect(saved.json.draft).toMatchObject({ id, courtId, cause: 'creditCard', step: 'claims', filing: partial, materials: [] });

    const [row] = await demo.platform.database.db.select().from(filingDrafts).where(eq(filingDrafts.id, id));
    const stored = JSON.stringify(row!.data);
    expect(stored).not.toContain('11010519491231002X');
    expect(stored).not.toContain('13800138000');
    expect(stored).toContain('pd1.');

    const restored = await call('GET', draftPath(id), tokens.party1);
    expect(restored.status).toBe(200);
    expect(restored.json.draft.filing).toEqual(partial);

    // Replaced as a whole on the next save.
    const full = creditCardDraft();
    const again = await call('PUT', draftPath(id), tokens.party1, { filing: full, step: 'review' });
    expect(again.status).toBe(200);
    expect((await call('GET', draftPath(id), tokens.party1)).json.draft).toMatchObject({ step: 'review', filing: full });
    expect(Date.parse(again.json.draft.updatedAt)).toBeGreaterThanOrEqual(Date.parse(saved.json.draft.updatedAt));

    const list = await call('GET', '/api/v1/filing-drafts', tokens.party1);
    expect(list.status).toBe(200);
    expect(list.json.drafts[0]).toMatchObject({ id, courtId, cause: 'creditCard', step: 'review' });
  });

  it('is the owner’s alone: others get 404 and cannot overwrite; court staff may not keep drafts', async () => {
    const id = randomUUID();
    expect((await call('PUT', draftPath(id), tokens.party1, { filing: { facts: '原稿' } })).status).toBe(200);
    expect((await call('GET', draftPath(id), tokens.party2)).status).toBe(404);
    const hijack = await call('PUT', draftPath(id), tokens.party2, { filing: { facts: '篡改' } });
    expect(hijack.status).toBe(404);
    expect(hijack.json.error.code).toBe('NOT_FOUND');
    expect((await call('GET', draftPath(id), tokens.party1)).json.draft.filing).toEqual({ facts: '原稿' });
    expect((await call('DELETE', draftPath(id), tokens.party2)).status).toBe(404);
    expect((await call('GET', '/api/v1/filing-drafts', tokens.party2)).json.drafts.map((d: { id: string }) => d.id)).not.toContain(id);
    expect((await call('PUT', draftPath(randomUUID()), tokens.clerk1, { filing: {} })).status).toBe(403);
    expect((await call('GET', draftPath(id))).status).toBe(401);
  });

  it('refuses answers of the wrong type or size with the field named', async () => {
    const bad = await call('PUT', draftPath(randomUUID()), tokens.party1, { filing: { courtId: 'not-a-uuid', claims: [{ text: 5 }], facts: 'x'.repeat(20001) } });
    expect(bad.status).toBe(422);
    expect(bad.json.error.code).toBe('VALIDATION_FAILED');
    const fields = JSON.stringify(bad.json.error.details);
    for (const field of ['courtId', 'claims', 'facts']) expect(fields).toContain(field);
  });

  it('deletes a draft', async () => {
    const id = randomUUID();
    await call('PUT', draftPath(id), tokens.lawyer1, { filing: { facts: '待删除' } });
    const deleted = await call('DELETE', draftPath(id), tokens.lawyer1);
    expect(deleted.status).toBe(200);
    expect(deleted.json).toEqual({ deleted: true });
    expect((await call('GET', draftPath(id), tokens.lawyer1)).status).toBe(404);
  });
});

describe('the complaint (民事起诉状) from a draft', () => {
  it('lists every field still missing before it can be rendered', async () => {
    const id = randomUUID();
    await call('PUT', draftPath(id), tokens.party1, { filing: { courtId, cause: 'creditCard', plaintiffs: [{ name: '陈静' }] } });
    const missing = await call('POST', `${draftPath(id)}/complaint`, tokens.party1);
    expect(missing.status).toBe(422);
    expect(missing.json.error.code).toBe('DOCUMENT_DATA_INVALID');
    const fields = missing.json.error.details.fields.map((f: { field: string }) => f.field);
    expect(fields).toEqual(expect.arrayContaining(['plaintiffs.0.address', 'defendants', 'claims', 'facts']));

    const noCourt = randomUUID();
    await call('PUT', draftPath(noCourt), tokens.party1, { filing: { facts: '…' } });
    const court = await call('POST', `${draftPath(noCourt)}/complaint`, tokens.party1);
    expect(court.json.error.details.fields).toEqual([{ field: 'courtId', message: expect.any(String) }]);
  });

  it('renders the preview PDF, then signs it into a complaint material with its sha256 (audited)', async () => {
    const id = randomUUID();
    await call('PUT', draftPath(id), tokens.party1, { filing: creditCardDraft() });
    const preview = await call('POST', `${draftPath(id)}/complaint`, tokens.party1);
    expect(preview.status, preview.bytes.toString()).toBe(200);
    expect(preview.headers.get('content-type')).toBe('application/pdf');
    const dir = mkdtempSync(join(tmpdir(), 'ecourt-complaint-http-'));
    try {
      writeFileSync(join(dir, 'preview.pdf'), preview.bytes);
      const text = execFileSync('pdftotext', ['-enc', 'UTF-8', join(dir, 'preview.pdf'), '-'], { encoding: 'utf8' }).replace(/\s+/g, '');
      for (const expected of ['民事起诉状', '原告：陈静', '信用卡纠纷', '1,288.50', '此致', '具状人']) expect(text).toContain(expected);
      // Identifiers are printed masked, never in clear.
      expect(text).not.toContain('11010519491231002X');
      expect(text).toContain('110105********002X');
      expect(text).not.toContain('在线确认签名');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    expect((await call('POST', `${draftPath(id)}/complaint`, tokens.party2)).status).toBe(404);

    const signed = await call('POST', `${draftPath(id)}/complaint/sign`, tokens.party1);
    expect(signed.status, signed.bytes.toString()).toBe(201);
    const material = signed.json.material;
    expect(material).toMatchObject({ type: 'complaint', name: '民事起诉状', mimeType: 'application/pdf', draftId: id, filingId: null });
    expect(signed.json.faceCheckId).toBeNull();
    const content = await call('GET', material.contentPath, tokens.party1);
    expect(content.status).toBe(200);
    expect(createHash('sha256').update(content.bytes).digest('hex')).toBe(material.sha256);
    expect(content.bytes.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    // The draft lists it; another account cannot read it.
    expect((await call('GET', draftPath(id), tokens.party1)).json.draft.materials.map((m: { id: string }) => m.id)).toContain(material.id);
    expect((await call('GET', material.contentPath, tokens.party2)).status).toBe(404);
    const audit = await demo.platform.database.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.subjectKind, 'filingMaterial'), eq(auditLog.subjectId, material.id)));
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ action: 'filingMaterial.signComplaint', actorUserId: userIds.party1, detail: { sha256: material.sha256, type: 'complaint' } });
  });

  it('a filer with a face enrolment signs only after a passed live face check for this complaint', async () => {
    const db = demo.platform.database.db;
    const userId = userIds.party2!;
    await recordFaceEnrolment({ db, userId, source: 'selfie', descriptorSealed: demo.platform.cipher.seal(JSON.stringify(Array(128).fill(0))), imageSha256: '0'.repeat(64), imageBlobKey: null, imageDeleteAfter: null, details: {} });
    const id = randomUUID();
    await call('PUT', draftPath(id), tokens.party2, { filing: creditCardDraft() });
    const refused = await call('POST', `${draftPath(id)}/complaint/sign`, tokens.party2);
    expect(refused.status).toBe(403);
    expect(refused.json.error).toMatchObject({ code: 'FACE_CHECK_REQUIRED', details: { purpose: { kind: 'signing', documentId: `complaint:${id}` }, withinMinutes: 15 } });

    // A passed check for another complaint does not count; one for this complaint does.
    const actor = { userId, role: 'party' };
    await recordIdentityCheck({ tx: db, userId, kind: 'face_live', adapter: 'face-api', outcome: 'passed', details: { purpose: complaintSigningPurpose(randomUUID()) }, actor });
    expect((await call('POST', `${draftPath(id)}/complaint/sign`, tokens.party2)).status).toBe(403);
    const check = await recordIdentityCheck({ tx: db, userId, kind: 'face_live', adapter: 'face-api', outcome: 'passed', details: { purpose: complaintSigningPurpose(id) }, actor });
    const signed = await call('POST', `${draftPath(id)}/complaint/sign`, tokens.party2);
    expect(signed.status, signed.bytes.toString()).toBe(201);
    expect(signed.json.faceCheckId).toBe(check.id);
  });
});
