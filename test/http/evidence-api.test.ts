// Evidence files over HTTP (issue 3, point 7): upload (raw bytes, type checked against content,
// size limit), list with annotation documents, details and bytes; each role as member and
// non-member; coded refusals. The whole platform in-process (PGlite in memory, demo data).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomUUID, createHash } from 'node:crypto';
import { rmSync } from 'node:fs';
import { and, eq } from 'drizzle-orm';
import { demoHearing, startDemoPlatform, type DemoPlatform } from '../support/demo-platform.ts';
import { minimalPdf, solidPng } from '../support/evidence-files.ts';
import { auditLog } from '../../storage/schema.ts';
import { LocalBlobStore } from '../../storage/blobs/local-blob-store.ts';
import { blobDirOf } from '../../platform/config.ts';

let demo: DemoPlatform;
let base: string;
const tokens: Record<string, string> = {};
/** The demo sales case: filed by lawyer1 for party1; party2 and bank1 are not in it. */
let caseId: string;

const USERS = ['judge1', 'clerk1', 'admin1', 'party1', 'party2', 'lawyer1', 'bank1'] as const;

async function call(method: string, path: string, options: { token?: string; body?: Uint8Array | string; type?: string; headers?: Record<string, string> } = {}) {
  const headers: Record<string, string> = { ...options.headers };
  if (options.token) headers.authorization = `Bearer ${options.token}`;
  if (options.type) headers['content-type'] = options.type;
  const response = await fetch(base + path, { method, headers, body: options.body as BodyInit | undefined });
  const bytes = Buffer.from(await response.arrayBuffer());
  const isJson = (response.headers.get('content-type') ?? '').startsWith('application/json');
  return { status: response.status, headers: response.headers, bytes, json: isJson && bytes.length > 0 ? JSON.parse(bytes.toString('utf8')) : null };
}

const uploadPath = (title: string, id = caseId) => `/api/v1/cases/${id}/evidence?title=${encodeURIComponent(title)}`;
const upload = (username: string, title: string, body: Uint8Array, type = 'application/pdf', id = caseId) =>
  call('POST', uploadPath(title, id), { token: tokens[username], body, type });

beforeAll(async () => {
  demo = await startDemoPlatform({ tempPrefix: 'ecourt-evidence-api-' });
  base = demo.base;
  for (const username of USERS) tokens[username] = (await demo.logIn(username)).token;
  ({ caseId } = await demoHearing(base, tokens.judge1!));
}, 120_000);

afterAll(async () => {
  await demo?.stop();
});

describe('evidence upload, list and download', () => {
  it('a party uploads a PDF: stored by sha256, pages counted, listed with its annotations document, served back byte for byte', async () => {
    const pdf = minimalPdf(2);
    const title = '借条（原件扫描）';
    const created = await upload('party1', title, pdf);
    expect(created.status, created.bytes.toString()).toBe(201);
    const evidence = created.json.evidence;
    const sha256 = createHash('sha256').update(pdf).digest('hex');
    expect(evidence).toMatchObject({ caseId, title, mimeType: 'application/pdf', sizeBytes: pdf.length, pageCount: 2, sha256, createdBy: { displayName: '陈静' } });
    expect(evidence.annotationsDoc).toBe(`cases/${caseId}/evidence/${evidence.id}/annotations`);
    expect(evidence.contentPath).toBe(`/api/v1/evidence/${evidence.id}/content`);

    // On disk under its hash, before the row was written (the row names it).
    const store = new LocalBlobStore(blobDirOf(demo.platform.config));
    expect((await store.get(sha256)).equals(pdf)).toBe(true);

    const listed = await call('GET', `/api/v1/cases/${caseId}/evidence`, { token: tokens.judge1 });
    expect(listed.status).toBe(200);
    expect(listed.json.evidence.map((e: { id: string }) => e.id)).toContain(evidence.id);

    const content = await call('GET', evidence.contentPath, { token: tokens.lawyer1 });
    expect(content.status).toBe(200);
    expect(content.headers.get('content-type')).toBe('application/pdf');
    expect(content.headers.get('etag')).toBe(`"${sha256}"`);
    expect(content.headers.get('content-disposition')).toBe(
      `inline; filename="evidence-${evidence.id}.pdf"; filename*=UTF-8''${encodeURIComponent(`${title}.pdf`).replace(/[()]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`)}`,
    );
    expect(content.bytes.equals(pdf)).toBe(true);

    const again = await call('GET', evidence.contentPath, { token: tokens.party1, headers: { 'if-none-match': `"${sha256}"` } });
    expect(again.status).toBe(304);
    expect(again.bytes.length).toBe(0);

    const details = await call('GET', `/api/v1/evidence/${evidence.id}`, { token: tokens.admin1 });
    expect(details.status).toBe(200);
    expect(details.json.evidence).toEqual(evidence);

    // The upload's audit row, written with the row, names the file but not its title.
    const audit = await demo.platform.database.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.action, 'evidence.upload'), eq(auditLog.subjectId, evidence.id)));
    expect(audit).toHaveLength(1);
    expect(audit[0]!.detail).toEqual({ caseId, mimeType: 'application/pdf', sizeBytes: pdf.length, pageCount: 2, sha256 });
    expect(JSON.stringify(audit[0]!.detail)).not.toContain('借条');
  });

  it('takes PNG and JPEG images (no page count)', async () => {
    const png = await upload('judge1', '现场照片', solidPng(4, 3), 'image/png');
    expect(png.status).toBe(201);
    expect(png.json.evidence).toMatchObject({ mimeType: 'image/png', pageCount: null });
    const jpeg = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.alloc(64, 1), Buffer.from([0xff, 0xd9])]);
    const created = await upload('clerk1', 'photo.jpg', jpeg, 'image/jpeg');
    expect(created.status).toBe(201);
    const content = await call('GET', created.json.evidence.contentPath, { token: tokens.party1 });
    expect(content.headers.get('content-type')).toBe('image/jpeg');
    // A title that already ends with the extension keeps one.
    expect(content.headers.get('content-disposition')).toContain("filename*=UTF-8''photo.jpg");
  });

  it('each role as a member and as a non-member', async () => {
    const pdf = minimalPdf(1);
    const expectations: Record<(typeof USERS)[number], { upload: number; read: number }> = {
      judge1: { upload: 201, read: 200 },
      clerk1: { upload: 201, read: 200 },
      admin1: { upload: 403, read: 200 },
      party1: { upload: 201, read: 200 },
      lawyer1: { upload: 201, read: 200 },
      // Not in this case: exactly like a case or file that does not exist.
      party2: { upload: 404, read: 404 },
      bank1: { upload: 404, read: 404 },
    };
    const own = await upload('party1', '合同', pdf);
    expect(own.status).toBe(201);
    const id = own.json.evidence.id as string;
    for (const [username, expected] of Object.entries(expectations)) {
      const uploaded = await upload(username, `${username} 的证据`, pdf);
      expect(uploaded.status, `${username} upload`).toBe(expected.upload);
      if (expected.upload !== 201) expect(uploaded.json.error.code).toBe(expected.upload === 403 ? 'FORBIDDEN' : 'NOT_FOUND');
      const token = tokens[username];
      for (const path of [`/api/v1/cases/${caseId}/evidence`, `/api/v1/evidence/${id}`, `/api/v1/evidence/${id}/content`]) {
        const read = await call('GET', path, { token });
        expect(read.status, `${username} GET ${path}`).toBe(expected.read);
        if (expected.read === 404) expect(read.json.error.code).toBe('NOT_FOUND');
      }
    }
    // Without a session: 401 for every route.
    for (const response of [
      await call('POST', uploadPath('x'), { body: pdf, type: 'application/pdf' }),
      await call('GET', `/api/v1/cases/${caseId}/evidence`),
      await call('GET', `/api/v1/evidence/${id}/content`),
    ]) {
      expect(response.status).toBe(401);
      expect(response.json.error.code).toBe('UNAUTHENTICATED');
    }
  });
});

describe('evidence refusals', () => {
  it('a type that is not PDF, PNG or JPEG: 415 before reading', async () => {
    const response = await upload('party1', '说明', Buffer.from('just text'), 'text/plain');
    expect(response.status).toBe(415);
    expect(response.json.error).toMatchObject({ code: 'UNSUPPORTED_MEDIA_TYPE', details: { received: 'text/plain' } });
    const none = await call('POST', uploadPath('x'), { token: tokens.party1, body: minimalPdf(1) });
    expect(none.status).toBe(415);
  });

  it('bytes that are not what the type says, or a PDF pdf.js cannot open: 422 EVIDENCE_CONTENT_MISMATCH', async () => {
    const png = await upload('party1', '伪装', solidPng(2, 2), 'application/pdf');
    expect(png.status).toBe(422);
    expect(png.json.error).toMatchObject({ code: 'EVIDENCE_CONTENT_MISMATCH', details: { mediaType: 'application/pdf', reason: 'signature' } });
    const pdfAsPng = await upload('party1', '伪装', minimalPdf(1), 'image/png');
    expect(pdfAsPng.json.error).toMatchObject({ code: 'EVIDENCE_CONTENT_MISMATCH', details: { reason: 'signature' } });
    const broken = await upload('party1', '损坏', Buffer.from('%PDF-1.7\nnot really a pdf\n'), 'application/pdf');
    expect(broken.status).toBe(422);
    expect(broken.json.error.details.reason).toBe('unreadable');
    // Nothing of a refused upload is listed.
    const listed = await call('GET', `/api/v1/cases/${caseId}/evidence`, { token: tokens.party1 });
    expect(listed.json.evidence.map((e: { title: string }) => e.title)).not.toContain('伪装');
  });

  it('a file over ECOURT_MAX_EVIDENCE_BYTES (20 MiB) is refused with 413, while files above the JSON body limit pass', async () => {
    const limit = demo.platform.config.ECOURT_MAX_EVIDENCE_BYTES;
    expect(limit).toBe(20 * 1024 * 1024);
    const large = Buffer.concat([minimalPdf(1), Buffer.alloc(demo.platform.config.ECOURT_MAX_BODY_BYTES + 1024, 0x20)]);
    const accepted = await upload('party1', '大文件', large);
    expect(accepted.status, accepted.bytes.toString()).toBe(201);
    expect(accepted.json.evidence.sizeBytes).toBe(large.length);
    const tooBig = await upload('party1', '过大', Buffer.alloc(limit + 1, 0x25));
    expect(tooBig.status).toBe(413);
    expect(tooBig.json.error).toMatchObject({ code: 'PAYLOAD_TOO_LARGE', details: { limitBytes: limit } });
  });

  it('bad or unknown ids, a missing title, a case that does not exist', async () => {
    const unknown = await call('GET', `/api/v1/evidence/${randomUUID()}/content`, { token: tokens.judge1 });
    expect(unknown.status).toBe(404);
    expect(unknown.json.error.code).toBe('NOT_FOUND');
    const malformed = await call('GET', '/api/v1/evidence/not-a-uuid', { token: tokens.judge1 });
    expect(malformed.status).toBe(422);
    expect(malformed.json.error.code).toBe('VALIDATION_FAILED');
    const untitled = await call('POST', `/api/v1/cases/${caseId}/evidence`, { token: tokens.party1, body: minimalPdf(1), type: 'application/pdf' });
    expect(untitled.status).toBe(422);
    expect(untitled.json.error.details.issues[0].path).toBe('query.title');
    const noCase = await upload('judge1', '证据', minimalPdf(1), 'application/pdf', randomUUID());
    expect(noCase.status).toBe(404);
  });

  it('content lost from the blob store is reported with its own code (BLOB_MISSING), not as a missing file', async () => {
    const pdf = minimalPdf(3);
    const created = await upload('clerk1', '将丢失', pdf);
    expect(created.status).toBe(201);
    const store = new LocalBlobStore(blobDirOf(demo.platform.config));
    rmSync(store.pathOf(created.json.evidence.sha256));
    const response = await call('GET', created.json.evidence.contentPath, { token: tokens.clerk1 });
    expect(response.status).toBe(500);
    expect(response.json.error.code).toBe('BLOB_MISSING');
  });
});

describe('evidence in the OpenAPI document', () => {
  it('declares the raw body and the binary answer', async () => {
    const document = (await call('GET', '/api/v1/openapi.json')).json;
    const upload = document.paths['/api/v1/cases/{caseId}/evidence'].post;
    expect(Object.keys(upload.requestBody.content)).toEqual(['application/pdf', 'image/png', 'image/jpeg']);
    expect(Object.keys(upload.responses)).toEqual(expect.arrayContaining(['201', '413', '415', '422', '404', '403']));
    const content = document.paths['/api/v1/evidence/{evidenceId}/content'].get;
    expect(Object.keys(content.responses['200'].content)).toEqual(['application/pdf', 'image/png', 'image/jpeg']);
  });
});
