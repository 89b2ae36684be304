// 结案归档 end to end on real Postgres: a case that closes (WITHDRAW then CLOSE through the API, journalled
// by the case actor) gets its case file built once by the archiver the node starts — the ZIP in the blob
// store, one `documents` row of kind caseFile with a 验证码 and one audit row. The stored bundle is what the
// archive route serves; it unzips into a folder verifyCaseFile accepts, its catalogue carries the code as
// text and as a QR that decodes to the public address; the code's public lookup names it. A second
// reconcile (another node, a restart) finds nothing to do, and filing again keeps the first.
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { and, eq } from 'drizzle-orm';
import jsQRModule from 'jsqr';
import { PNG } from 'pngjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fileCaseOnClose, startCaseFileArchiver } from '../../documents/archive/archive-on-close.ts';
import { CASE_FILE_KIND } from '../../documents/archive/case-file-sources.ts';
import { sha256Hex, type CaseFileManifest } from '../../documents/archive/manifest.ts';
import { verifyCaseFile } from '../../documents/archive/verify-case-file.ts';
import type { CourtCa } from '../../documents/ca/court-ca.ts';
import { silentLogger } from '../../platform/logger.ts';
import { LocalBlobStore } from '../../storage/blobs/local-blob-store.ts';
import { blobDirOf } from '../../platform/config.ts';
import type { ScratchDatabase } from '../../storage/scratch-database.ts';
import { auditLog, documents } from '../../storage/schema.ts';
import { demoHearing, startDemoPlatform, type DemoPlatform } from '../support/demo-platform.ts';
import { minimalPdf } from '../support/evidence-files.ts';
import { createTestDatabase } from '../support/services.ts';
import { waitFor } from '../support/wait-for.ts';
import { courtCaForNode } from '../support/court-ca.ts';

const jsQR = ((jsQRModule as unknown as { default?: unknown }).default ?? jsQRModule) as unknown as typeof jsQRModule.default;
const exec = promisify(execFile);
const PUBLIC_URL = 'https://e.court.example.cn';
let dir: string;
let scratch: ScratchDatabase;
let demo: DemoPlatform;
let caca: CourtCa;
let caseId: string;
const tokens: Record<string, string> = {};

const api = (method: string, path: string, token: string, body?: unknown) =>
  fetch(demo.base + path, { method, headers: { authorization: `Bearer ${token}`, ...(body ? { 'content-type': 'application/json' } : {}) }, ...(body ? { body: JSON.stringify(body) } : {}) });

const caseFileRows = () =>
  demo.platform.database.db.select().from(documents).where(and(eq(documents.caseId, caseId), eq(documents.kind, CASE_FILE_KIND)));

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'ecourt-archive-on-close-'));
  scratch = await createTestDatabase('ecourt_archive_close');
  const node = courtCaForNode(dir);
  caca = node.ca;
  demo = await startDemoPlatform({
    tempPrefix: 'ecourt-archive-on-close-hub-',
    env: { DATABASE_URL: scratch.url, ECOURT_SECRET: randomBytes(32).toString('hex'), ...node.env, ECOURT_PUBLIC_URL: PUBLIC_URL, ECOURT_SEED_DEMO: 'always' },
  });
  for (const username of ['judge1', 'clerk1', 'party1']) tokens[username] = (await demo.logIn(username)).token;
  ({ caseId } = await demoHearing(demo.base, tokens.judge1!));
  const upload = await fetch(`${demo.base}/api/v1/cases/${caseId}/evidence?title=${encodeURIComponent('借条')}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${tokens.party1}`, 'content-type': 'application/pdf' },
    body: minimalPdf(2) as BodyInit,
  });
  expect(upload.status).toBe(201);
}, 180_000);

afterAll(async () => {
  await demo?.stop();
  await scratch?.drop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('the case file filed when the case closes', () => {
  it('nothing is filed while the case is open', async () => {
    expect(await caseFileRows()).toHaveLength(0);
  });

  it('CLOSE → one caseFile row with a code, its ZIP stored, one audit row; served by the archive route; verifies offline', async () => {
    const withdrawn = await api('POST', `/api/v1/cases/${caseId}/commands`, tokens.judge1!, { type: 'WITHDRAW', reason: '原告撤回起诉 / plaintiff withdrew' });
    expect(withdrawn.status, await withdrawn.clone().text()).toBe(200);
    // Withdrawn is not closed: still nothing filed.
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(await caseFileRows()).toHaveLength(0);
    const closed = await api('POST', `/api/v1/cases/${caseId}/commands`, tokens.clerk1!, { type: 'CLOSE' });
    expect(closed.status, await closed.clone().text()).toBe(200);

    const [row] = await waitFor(async () => {
      const rows = await caseFileRows();
      return rows.length > 0 ? rows : null;
    }, 'the case file row', 60_000);
    expect(row!.verificationCode).toMatch(/^[0-9A-HJKMNP-TV-Z]{4}(-[0-9A-HJKMNP-TV-Z]{4}){3}$/);
    expect(row).toMatchObject({ title: '电子卷宗', mimeType: 'application/zip', hearingId: null, createdBy: null });
    const blobs = new LocalBlobStore(blobDirOf(demo.platform.config));
    const zip = await blobs.get(row!.blobKey!);
    expect(sha256Hex(zip)).toBe(row!.sha256);
    const issued = await demo.platform.database.db.select().from(auditLog).where(and(eq(auditLog.action, 'document.issue'), eq(auditLog.subjectId, row!.id)));
    expect(issued).toHaveLength(1);
    expect(issued[0]).toMatchObject({ actorUserId: null, detail: { caseId, kind: CASE_FILE_KIND, sha256: row!.sha256 } });

    // The archive route serves the stored bytes, not a new build.
    const response = await api('GET', `/api/v1/cases/${caseId}/archive`, tokens.clerk1!);
    expect(response.status).toBe(200);
    expect(response.headers.get('x-case-file-stored')).toBe('true');
    expect(response.headers.get('x-verification-code')).toBe(row!.verificationCode);
    const served = Buffer.from(await response.arrayBuffer());
    expect(served.equals(zip)).toBe(true);

    writeFileSync(join(dir, 'filed.zip'), served);
    await exec('unzip', ['-q', join(dir, 'filed.zip'), '-d', join(dir, 'filed')]);
    const manifest: CaseFileManifest = JSON.parse(readFileSync(join(dir, 'filed', 'manifest.json'), 'utf8'));
    expect(manifest.case.id).toBe(caseId);
    expect(manifest.verificationCode).toBe(row!.verificationCode);
    expect(manifest.items.map((item) => item.title)).toContain('借条');
    expect(manifest.items.map((item) => item.kind)).not.toContain(CASE_FILE_KIND);
    expect(row!.pageCount).toBe(manifest.totalPages);
    expect(row!.details).toMatchObject({ bundleSha256: manifest.bundle.sha256, itemsSha256: manifest.itemsSha256 });
    expect(response.headers.get('x-case-file-sha256')).toBe(manifest.bundle.sha256);
    const report = await verifyCaseFile(join(dir, 'filed'));
    expect(report.valid, JSON.stringify(report.bundle.problems)).toBe(true);

    // The catalogue carries the code: as text, and as a QR of the public verification address.
    const bundle = join(dir, 'filed', 'case-file.pdf');
    const text = (await exec('pdftotext', ['-f', '1', '-l', '1', bundle, '-'])).stdout;
    expect(text).toContain(row!.verificationCode!);
    await exec('pdftoppm', ['-f', '1', '-l', '1', '-r', '150', '-png', '-singlefile', bundle, join(dir, 'catalogue')]);
    const png = PNG.sync.read(readFileSync(join(dir, 'catalogue.png')));
    const qr = jsQR(new Uint8ClampedArray(png.data.buffer, png.data.byteOffset, png.data.length), png.width, png.height);
    expect(qr?.data).toBe(`${PUBLIC_URL}/#/verify?code=${row!.verificationCode}`);

    // Anyone with the code learns what it is, not whose.
    const lookup = await fetch(`${demo.base}/api/v1/documents/verify/${row!.verificationCode!.toLowerCase()}`);
    expect(lookup.status).toBe(200);
    const found = (await lookup.json()) as Record<string, unknown>;
    expect(found).toMatchObject({ kind: CASE_FILE_KIND, title: '电子卷宗', sha256: row!.sha256, mimeType: 'application/zip', pageCount: manifest.totalPages, bundleSha256: manifest.bundle.sha256 });
    expect(JSON.stringify(found)).not.toContain(caseId);
    // The printed part — the sealed PDF out of the ZIP — uploaded with the code is that case file; an item is not.
    const post = (bytes: Buffer) =>
      fetch(`${demo.base}/api/v1/documents/verify?code=${row!.verificationCode}`, { method: 'POST', headers: { 'content-type': 'application/pdf' }, body: bytes as BodyInit });
    const checked = (await (await post(readFileSync(bundle))).json()) as { valid: boolean; byCode: { matches: boolean } };
    expect(checked).toMatchObject({ valid: true, byCode: { matches: true } });
    const item = manifest.items.find((entry) => entry.title === '借条')!;
    expect(((await (await post(readFileSync(join(dir, 'filed', item.file)))).json()) as { byCode: { matches: boolean } }).byCode.matches).toBe(false);
  }, 90_000);

  it('a second reconcile (another node, a restart) does nothing; filing again keeps the first', async () => {
    const [before] = await caseFileRows();
    const blobs = new LocalBlobStore(blobDirOf(demo.platform.config));
    const other = startCaseFileArchiver({ bus: demo.platform.bus, db: demo.platform.database.db, blobs, config: demo.platform.config, logger: silentLogger, openCa: () => caca });
    try {
      expect(await other.reconcile()).toEqual([]);
      expect(await other.reconcile(caseId)).toEqual([]);
    } finally {
      await other.stop();
    }
    const again = await fileCaseOnClose({ db: demo.platform.database.db, blobs, config: demo.platform.config, ca: caca, caseId });
    expect(again).toMatchObject({ outcome: 'alreadyFiled', documentId: before!.id, verificationCode: before!.verificationCode });
    const rows = await caseFileRows();
    expect(rows).toHaveLength(1);
    expect(rows[0]).toEqual(before);
    const issued = await demo.platform.database.db.select().from(auditLog).where(and(eq(auditLog.action, 'document.issue'), eq(auditLog.subjectId, before!.id)));
    expect(issued).toHaveLength(1);
  });

  it('a case closed while its case file could not be built (no row yet) is filed by the next reconcile, once even when two race', async () => {
    // As if the node had stopped between the CLOSE commit and the build: the row is gone, the case is closed.
    await demo.platform.database.db.delete(documents).where(and(eq(documents.caseId, caseId), eq(documents.kind, CASE_FILE_KIND)));
    const blobs = new LocalBlobStore(blobDirOf(demo.platform.config));
    const start = () => startCaseFileArchiver({ bus: demo.platform.bus, db: demo.platform.database.db, blobs, config: demo.platform.config, logger: silentLogger, openCa: () => caca });
    const [first, second] = [start(), start()];
    try {
      // Each also ran its start-up pass over every closed case: whichever got there first filed it.
      const results = [...(await first.reconcile(caseId)), ...(await second.reconcile(caseId))];
      expect(results.filter((result) => result.outcome === 'failed')).toEqual([]);
    } finally {
      await Promise.all([first.stop(), second.stop()]);
    }
    const rows = await caseFileRows();
    expect(rows).toHaveLength(1);
    const issued = await demo.platform.database.db.select().from(auditLog).where(and(eq(auditLog.action, 'document.issue'), eq(auditLog.subjectId, rows[0]!.id)));
    expect(issued).toHaveLength(1);
    expect((await fetch(`${demo.base}/api/v1/documents/verify/${rows[0]!.verificationCode}`)).status).toBe(200);
  }, 90_000);
});
