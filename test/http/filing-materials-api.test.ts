// Filing materials over HTTP (issue 8, point 1): a filer uploads PDF/PNG/JPEG files for a draft; the
// bytes are checked against the declared media type, PDF pages counted and held to the material type's
// limit; the owner reads details and bytes, nobody else (until a filing lists it). Whole platform in-process.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHash, randomUUID } from 'node:crypto';
import { and, eq } from 'drizzle-orm';
import { startDemoPlatform, type DemoPlatform } from '../support/demo-platform.ts';
import { minimalPdf, solidPng } from '../support/evidence-files.ts';
import { auditLog } from '../../storage/schema.ts';
import { MAX_PAGES } from '../../storage/filing-materials/filing-material.ts';
import { residentIdCheckCharacter } from '../../platform/identity/resident-id.ts';
import { creditCodeCheckCharacter, organisationCodeCheckCharacter } from '../../hub/filings/checks/unified-social-credit-code.ts';

let demo: DemoPlatform;
const tokens: Record<string, string> = {};

async function call(method: string, path: string, options: { token?: string; body?: Uint8Array | string; type?: string; json?: unknown; headers?: Record<string, string> } = {}) {
  const headers: Record<string, string> = { ...options.headers };
  if (options.token) headers.authorization = `Bearer ${options.token}`;
  if (options.type) headers['content-type'] = options.type;
  let body = options.body as BodyInit | undefined;
  if (options.json !== undefined) {
    headers['content-type'] = 'application/json';
    body = JSON.stringify(options.json);
  }
  const response = await fetch(demo.base + path, { method, headers, body });
  const bytes = Buffer.from(await response.arrayBuffer());
  const isJson = (response.headers.get('content-type') ?? '').startsWith('application/json');
  return { status: response.status, headers: response.headers, bytes, json: isJson && bytes.length > 0 ? JSON.parse(bytes.toString('utf8')) : null };
}

const uploadPath = (type: string, name: string, draftId?: string) =>
  `/api/v1/filing-materials?type=${type}&name=${encodeURIComponent(name)}${draftId ? `&draftId=${draftId}` : ''}`;
const upload = (username: string, type: string, name: string, body: Uint8Array, mediaType = 'application/pdf', draftId?: string) =>
  call('POST', uploadPath(type, name, draftId), { token: tokens[username], body, type: mediaType });

beforeAll(async () => {
  demo = await startDemoPlatform({ tempPrefix: 'ecourt-filing-materials-' });
  for (const username of ['party1', 'party2', 'lawyer1', 'bank1', 'clerk1']) tokens[username] = (await demo.logIn(username)).token;
}, 120_000);

afterAll(async () => {
  await demo?.stop();
});

describe('filing materials', () => {
  it('a party uploads a PDF for a draft: pages counted, listed with the draft, served back byte for byte (audited)', async () => {
    const draftId = randomUUID();
    expect((await call('PUT', `/api/v1/filing-drafts/${draftId}`, { token: tokens.party1, json: { filing: {} } })).status).toBe(200);
    const pdf = minimalPdf(3);
    const created = await upload('party1', 'evidence', '信用卡账单', pdf, 'application/pdf', draftId);
    expect(created.status, created.bytes.toString()).toBe(201);
    const material = created.json.material;
    const sha256 = createHash('sha256').update(pdf).digest('hex');
    expect(material).toMatchObject({ type: 'evidence', name: '信用卡账单', mimeType: 'application/pdf', sizeBytes: pdf.length, pages: 3, sha256, draftId, filingId: null });
    expect(material.contentPath).toBe(`/api/v1/filing-materials/${material.id}/content`);

    const draft = await call('GET', `/api/v1/filing-drafts/${draftId}`, { token: tokens.party1 });
    expect(draft.json.draft.materials).toEqual([material]);
    expect((await call('GET', `/api/v1/filing-materials/${material.id}`, { token: tokens.party1 })).json.material).toEqual(material);

    const content = await call('GET', material.contentPath, { token: tokens.party1 });
    expect(content.status).toBe(200);
    expect(content.headers.get('content-type')).toBe('application/pdf');
    expect(content.headers.get('etag')).toBe(`"${sha256}"`);
    expect(content.bytes.equals(pdf)).toBe(true);
    expect((await call('GET', material.contentPath, { token: tokens.party1, headers: { 'if-none-match': `"${sha256}"` } })).status).toBe(304);

    const audit = await demo.platform.database.db.select().from(auditLog).where(and(eq(auditLog.subjectKind, 'filingMaterial'), eq(auditLog.subjectId, material.id)));
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ action: 'filingMaterial.upload', detail: { type: 'evidence', draftId, pageCount: 3, sha256 } });
  });

  it('an image counts as one page; a lawyer uploads a power of attorney', async () => {
    const png = await upload('lawyer1', 'identityProof', '身份证正面', solidPng(64, 40), 'image/png');
    expect(png.status, png.bytes.toString()).toBe(201);
    expect(png.json.material).toMatchObject({ type: 'identityProof', mimeType: 'image/png', pages: 1, draftId: null });
    const letter = await upload('lawyer1', 'powerOfAttorney', '授权委托书', minimalPdf(1));
    expect(letter.status).toBe(201);
    expect(letter.json.material).toMatchObject({ type: 'powerOfAttorney', pages: 1 });
  });

  it('refuses a file longer than its type allows, naming type and pages', async () => {
    const refused = await upload('party1', 'identityProof', '身份证', minimalPdf(MAX_PAGES.identityProof + 1));
    expect(refused.status).toBe(422);
    expect(refused.json.error).toMatchObject({ code: 'FILING_MATERIAL_TOO_MANY_PAGES', details: { type: 'identityProof', pages: 5, maxPages: 4 } });
    expect((await upload('party1', 'powerOfAttorney', '授权委托书', minimalPdf(11))).json.error.code).toBe('FILING_MATERIAL_TOO_MANY_PAGES');
  });

  it('refuses bytes that are not their declared type, unknown media types and unknown material types', async () => {
    const fake = await upload('party1', 'evidence', '伪装文件', Buffer.from('MZ\x90\x00 not a pdf at all'), 'application/pdf');
    expect(fake.status).toBe(422);
    expect(fake.json.error).toMatchObject({ code: 'EVIDENCE_CONTENT_MISMATCH', details: { reason: 'signature' } });
    const broken = await upload('party1', 'evidence', '损坏文件', Buffer.from('%PDF-1.7\nthis is not a real pdf'), 'application/pdf');
    expect(broken.json.error).toMatchObject({ code: 'EVIDENCE_CONTENT_MISMATCH', details: { reason: 'unreadable' } });
    const word = await upload('party1', 'evidence', '文档', Buffer.from('PK\x03\x04'), 'application/msword');
    expect(word.status).toBe(415);
    const badType = await upload('party1', 'selfie', '照片', minimalPdf(1));
    expect(badType.status).toBe(422);
    expect(JSON.stringify(badType.json.error.details)).toContain('type');
  });

  it('is the owner’s alone: others get 404, a draft of someone else is not found, court staff may not upload', async () => {
    const mine = await upload('party1', 'contract', '信用卡领用合约', minimalPdf(2));
    const id = mine.json.material.id;
    expect((await call('GET', `/api/v1/filing-materials/${id}`, { token: tokens.party2 })).status).toBe(404);
    expect((await call('GET', `/api/v1/filing-materials/${id}/content`, { token: tokens.clerk1 })).status).toBe(404);
    expect((await call('GET', `/api/v1/filing-materials/${id}/content`)).status).toBe(401);
    const othersDraft = randomUUID();
    await call('PUT', `/api/v1/filing-drafts/${othersDraft}`, { token: tokens.party2, json: { filing: {} } });
    expect((await upload('party1', 'evidence', '借条', minimalPdf(1), 'application/pdf', othersDraft)).status).toBe(404);
    expect((await upload('clerk1', 'evidence', '借条', minimalPdf(1))).status).toBe(403);
  });

  it('once a filing that lists it is accepted, the staff of that court read it too (others still 404)', async () => {
    const ids: Record<string, { id: string; type: string; name: string; pages: number; mimeType: string }> = {};
    for (const [type, name, body, mediaType] of [
      ['complaint', '民事起诉状', minimalPdf(2), 'application/pdf'],
      ['identityProof', '身份证', solidPng(64, 40), 'image/png'],
      ['contract', '信用卡领用合约', minimalPdf(2), 'application/pdf'],
      ['evidence', '信用卡账单', minimalPdf(1), 'application/pdf'],
    ] as const) {
      const { material } = (await upload('party1', type, name, body, mediaType)).json;
      ids[type] = { id: material.id, type, name, pages: material.pages, mimeType: material.mimeType };
    }
    const party = await demo.logIn('party1');
    const courtId = (await call('GET', '/api/v1/courts')).json.courts[0].id;
    const first17 = `91110105MA01ABCD${organisationCodeCheckCharacter('MA01ABCD')}`;
    const filing = {
      courtId,
      cause: 'creditCard',
      plaintiffs: [{ kind: 'person', name: '陈静', idNumber: `11010519880512302${residentIdCheckCharacter('11010519880512302')}`, phone: '13800138001', address: '北京市朝阳区建国路88号', domicile: '北京市朝阳区', userId: party.user.id }],
      defendants: [{ kind: 'organisation', name: '示范商业银行股份有限公司北京朝阳支行', idNumber: first17 + creditCodeCheckCharacter(first17), address: '北京市朝阳区金融街1号', domicile: '北京市朝阳区' }],
      claims: [{ text: '判令被告退还违规收取的年费共计866.00元', amount: '866.00' }],
      facts: '原告持有被告发行的信用卡，被告在原告未开通服务的情况下扣收年费，经交涉未退还。',
      causeFacts: { cardLastDigits: '4321', overdueSince: '2025-07-01', outstandingAmount: '866.00' },
      knewOn: '2025-07-01',
      jurisdiction: { basis: 'defendantDomicile', place: '北京市朝阳区' },
      evidence: [{ name: '信用卡账单', purpose: '证明被告扣收年费', materialId: ids.evidence!.id }],
      electronicService: { consent: true, addresses: [{ kind: 'phone', value: '13800138001' }] },
      materials: Object.values(ids),
    };
    const filed = await call('POST', '/api/v1/filings', { token: tokens.party1, json: filing });
    expect(filed.status, filed.bytes.toString()).toBe(201);
    expect(filed.json.filing.status).toBe('accepted');
    const path = `/api/v1/filing-materials/${ids.evidence!.id}`;
    const details = await call('GET', path, { token: tokens.clerk1 });
    expect(details.status).toBe(200);
    expect(details.json.material.filingId).toBe(filed.json.filing.id);
    expect((await call('GET', `${path}/content`, { token: tokens.clerk1 })).status).toBe(200);
    expect((await call('GET', `${path}/content`, { token: tokens.party2 })).status).toBe(404);
  });
});
