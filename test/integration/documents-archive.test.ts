// The electronic case file (电子卷宗): built from a database with two rendered court documents, a PNG and a
// PDF evidence file and one file that cannot be printed; read back with pdftotext (catalogue, page numbers
// on every page), pdfsig (the seal) and verifyCaseFile (hashes, seal, item list); a changed file is named.
// Then the same through the CLI against Postgres. Real database, blob store, keys and poppler.
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildCaseFile, writeCaseFile } from '../../documents/archive/build-case-file.ts';
import { sha256Hex, type CaseFileManifest } from '../../documents/archive/manifest.ts';
import { verifyCaseFile } from '../../documents/archive/verify-case-file.ts';
import { CourtCa } from '../../documents/ca/court-ca.ts';
import { renderPdf } from '../../documents/render/render-pdf.ts';
import { buildCourtDocument } from '../../documents/templates/index.ts';
import { SAMPLE_DATA } from '../../documents/templates/samples.ts';
import { SYSTEM_ACTOR } from '../../storage/audit/write-audit.ts';
import { LocalBlobStore } from '../../storage/blobs/local-blob-store.ts';
import type { Db } from '../../storage/database.ts';
import { auditLog, cases, courts, documents, users } from '../../storage/schema.ts';
import { runEcourtToEnd } from '../support/cli-process.ts';
import { minimalPdf, solidPng } from '../support/evidence-files.ts';
import { pdfsig } from '../support/pdf-documents.ts';
import { probePostgres } from '../support/services.ts';
import { newId, openMigratedPglite, openMigratedPostgres, type OpenedTestDatabase } from '../support/storage.ts';

const run = promisify(execFile);
const pageText = async (file: string, page: number) => (await run('pdftotext', ['-f', String(page), '-l', String(page), file, '-'])).stdout;
const squash = (text: string) => text.replace(/\s+/g, '');

interface SeededCase {
  caseId: string;
  originals: { title: string; bytes: Buffer; mimeType: string }[];
}

/** A case with (in filing order) 受理通知书, a PNG, 传票, a 2-page PDF and a text file. */
async function seedCase(db: Db, blobs: LocalBlobStore): Promise<SeededCase> {
  const [court] = await db.insert(courts).values({ code: `京${Math.floor(Math.random() * 1e6)}`, name: '北京市海淀区人民法院', nameEn: 'Haidian court', region: '北京' }).returning();
  const [user] = await db.insert(users).values({ username: `clerk-${newId()}`, displayName: '王书记', role: 'clerk', courtId: court!.id, passwordHash: 'x' }).returning();
  const now = new Date('2026-11-20T02:00:00Z');
  const [row] = await db
    .insert(cases)
    .values({ courtId: court!.id, caseNumber: `（2026）京0108民初${Math.floor(Math.random() * 1e5)}号`, cause: '买卖合同纠纷', claims: '支付货款', state: 'accepted', filedBy: user!.id, filedAt: now, updatedAt: now, lastSeq: 1 })
    .returning();
  const render = async (name: 'acceptanceNotice' | 'summons') => Buffer.from((await renderPdf(buildCourtDocument(name, SAMPLE_DATA[name]))).bytes);
  const originals = [
    { kind: 'acceptanceNotice', title: '受理通知书', mimeType: 'application/pdf', bytes: await render('acceptanceNotice') },
    { kind: 'evidence', title: '现场照片', mimeType: 'image/png', bytes: solidPng(300, 200) },
    { kind: 'summons', title: '传票', mimeType: 'application/pdf', bytes: await render('summons') },
    { kind: 'evidence', title: '买卖合同', mimeType: 'application/pdf', bytes: minimalPdf(2) },
    { kind: 'evidence', title: '聊天记录导出', mimeType: 'text/plain', bytes: Buffer.from('2026-11-01 付款已到账\n') },
  ];
  for (const [index, original] of originals.entries()) {
    const stored = await blobs.put(original.bytes);
    await db.insert(documents).values({
      caseId: row!.id,
      kind: original.kind,
      title: original.title,
      sha256: stored.sha256,
      blobKey: stored.key,
      mimeType: original.mimeType,
      sizeBytes: original.bytes.length,
      createdBy: user!.id,
      createdAt: new Date(now.getTime() + index * 60_000),
    });
  }
  return { caseId: row!.id, originals };
}

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'ecourt-archive-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('buildCaseFile and verifyCaseFile', () => {
  let opened: OpenedTestDatabase;
  let ca: CourtCa;
  let seeded: SeededCase;
  let bundleDir: string;
  let manifest: CaseFileManifest;

  beforeAll(async () => {
    opened = await openMigratedPglite();
    const blobs = new LocalBlobStore(join(dir, 'blobs'));
    seeded = await seedCase(opened.database.db, blobs);
    ca = new CourtCa(join(dir, 'ca'), randomBytes(32));
    ca.init({ court: '北京市海淀区人民法院', courtCode: '1101080000001' });
    ca.issue({ id: 'court', kind: 'court-seal', name: '北京市海淀区人民法院' });
    const built = await buildCaseFile({ db: opened.database.db, blobs, caseId: seeded.caseId, signer: ca.signer('court'), trust: { root: ca.rootCertificate(), crl: ca.crl() }, actor: SYSTEM_ACTOR });
    bundleDir = join(dir, 'bundle');
    await writeCaseFile(bundleDir, built);
    manifest = JSON.parse(readFileSync(join(bundleDir, 'manifest.json'), 'utf8'));
  }, 120_000);
  afterAll(async () => opened?.dispose());

  it('lists every item in filing order in the catalogue, with page ranges that follow one another', async () => {
    expect(manifest.items.map((item) => [item.number, item.title, item.kindLabel, item.printable])).toEqual([
      [1, '受理通知书', '受理通知书', true],
      [2, '现场照片', '证据', true],
      [3, '传票', '传票', true],
      [4, '买卖合同', '证据', true],
      [5, '聊天记录导出', '证据', false],
    ]);
    expect(manifest.cataloguePages).toBe(1);
    let next = 2;
    for (const item of manifest.items.filter((entry) => entry.printable)) {
      expect(item.pages!.first).toBe(next);
      next = item.pages!.last + 1;
    }
    expect(manifest.items[1]!.pages).toEqual({ first: manifest.items[1]!.pages!.first, last: manifest.items[1]!.pages!.first });
    expect(manifest.items[3]!.pages!.last - manifest.items[3]!.pages!.first).toBe(1);
    expect(manifest.items[4]!.pages).toBeNull();
    expect(manifest.totalPages).toBe(next - 1);

    const catalogue = squash(await pageText(join(bundleDir, 'case-file.pdf'), 1));
    expect(catalogue).toContain('电子卷宗目录');
    for (const item of manifest.items) {
      expect(catalogue).toContain(squash(item.title));
      if (item.pages) expect(catalogue).toContain(item.pages.first === item.pages.last ? `${item.pages.first}` : `${item.pages.first}–${item.pages.last}`);
    }
    expect(catalogue).toContain('不可打印');
    expect(catalogue).toContain(manifest.items[4]!.sha256);
  });

  it('stamps 第 n 页 / 共 N 页 on every page', async () => {
    const file = join(bundleDir, 'case-file.pdf');
    for (let page = 1; page <= manifest.totalPages; page++) {
      expect(squash(await pageText(file, page))).toContain(`第${page}页/共${manifest.totalPages}页`);
    }
  });

  it('hashes the original bytes of every item and of the sealed bundle', () => {
    manifest.items.forEach((item, index) => {
      expect(item.sha256).toBe(sha256Hex(seeded.originals[index]!.bytes));
      expect(readFileSync(join(bundleDir, item.file)).equals(seeded.originals[index]!.bytes)).toBe(true);
    });
    expect(manifest.bundle.sha256).toBe(sha256Hex(readFileSync(join(bundleDir, 'case-file.pdf'))));
  });

  it('carries a court seal pdfsig accepts against the root in the bundle, and verifies offline', async () => {
    const { signatures } = await pdfsig(join(bundleDir, 'case-file.pdf'), join(dir, 'nss'), [ca.rootCertificate()]);
    expect(signatures).toHaveLength(1);
    expect(signatures[0]).toMatchObject({ valid: true, trusted: true, wholeDocument: true });
    const report = await verifyCaseFile(bundleDir);
    expect(report.valid).toBe(true);
    expect(report.bundle).toMatchObject({ hashOk: true, signatureValid: true, itemsDigestOk: true, pagesOk: true, problems: [] });
    expect(report.items.every((item) => item.ok)).toBe(true);
    const audit = await opened.database.db.select().from(auditLog).where(eq(auditLog.action, 'case.archive'));
    expect(audit.map((row) => [row.subjectId, row.actorUserId, (row.detail as { bundleSha256: string }).bundleSha256])).toEqual([[seeded.caseId, null, manifest.bundle.sha256]]);
  });

  it('refuses a bad case id, an unknown case, a person\'s signature and a folder without a manifest, with codes', async () => {
    const request = { db: opened.database.db, blobs: new LocalBlobStore(join(dir, 'blobs')), trust: { root: ca.rootCertificate(), crl: ca.crl() }, actor: SYSTEM_ACTOR };
    await expect(buildCaseFile({ ...request, caseId: 'not-a-case', signer: ca.signer('court') })).rejects.toMatchObject({ code: 'VALIDATION_FAILED' });
    await expect(buildCaseFile({ ...request, caseId: newId(), signer: ca.signer('court') })).rejects.toMatchObject({ code: 'NOT_FOUND' });
    ca.issue({ id: 'judge-li', kind: 'person', name: '李明', department: '审判员' });
    await expect(buildCaseFile({ ...request, caseId: seeded.caseId, signer: ca.signer('judge-li') })).rejects.toMatchObject({ code: 'VALIDATION_FAILED' });
    await expect(verifyCaseFile(join(dir, 'blobs'))).rejects.toMatchObject({ code: 'DOCUMENT_MALFORMED' });
  });

  it('names the item whose file changed, and catches a manifest edited to match it', async () => {
    const tampered = join(dir, 'tampered');
    cpSync(bundleDir, tampered, { recursive: true });
    const photo = manifest.items[1]!;
    writeFileSync(join(tampered, photo.file), solidPng(300, 200, [0, 0, 0]));
    const report = await verifyCaseFile(tampered);
    expect(report.valid).toBe(false);
    expect(report.items.filter((item) => !item.ok)).toEqual([{ number: 2, title: '现场照片', file: photo.file, ok: false, problem: expect.stringContaining('SHA-256') }]);
    expect(report.bundle.signatureValid).toBe(true);

    const edited: CaseFileManifest = JSON.parse(readFileSync(join(tampered, 'manifest.json'), 'utf8'));
    edited.items[1]!.sha256 = sha256Hex(readFileSync(join(tampered, photo.file)));
    writeFileSync(join(tampered, 'manifest.json'), JSON.stringify(edited));
    const second = await verifyCaseFile(tampered);
    expect(second.items.every((item) => item.ok)).toBe(true);
    expect(second.bundle.itemsDigestOk).toBe(false);
    expect(second.valid).toBe(false);

    // A changed byte inside the sealed PDF's signed range: its hash and its seal both fail.
    const pdf = readFileSync(join(tampered, 'case-file.pdf'));
    const at = pdf.indexOf('stream') + 20;
    pdf[at] = pdf[at]! ^ 0xff;
    writeFileSync(join(tampered, 'case-file.pdf'), pdf);
    const third = await verifyCaseFile(tampered);
    expect(third.bundle).toMatchObject({ hashOk: false, signatureValid: false });
    expect(third.valid).toBe(false);
  });
});

const postgres = await probePostgres();

describe.skipIf(!postgres.available)(`ecourt archive on Postgres${postgres.skipReason}`, () => {
  let opened: OpenedTestDatabase;
  let env: Record<string, string>;
  let seeded: SeededCase;

  beforeAll(async () => {
    opened = await openMigratedPostgres();
    // With DATABASE_URL a node needs the shared secret and data key (the key also unlocks the CA's keys).
    env = { ECOURT_DATA_DIR: join(dir, 'cli-data'), DATABASE_URL: opened.url!, ECOURT_SECRET: randomBytes(24).toString('hex'), ECOURT_DATA_KEY: randomBytes(32).toString('hex') };
    seeded = await seedCase(opened.database.db, new LocalBlobStore(join(dir, 'cli-data', 'blobs')));
  }, 120_000);
  afterAll(async () => opened?.dispose());

  it('writes the case file, verifies it, and reports a changed file by item (exit 1)', async () => {
    expect((await runEcourtToEnd(['ca', 'init', '--court', '北京市海淀区人民法院', '--code', '1101080000001'], env)).code).toBe(0);
    expect((await runEcourtToEnd(['ca', 'issue', 'court', '--kind', 'court-seal', '--name', '北京市海淀区人民法院'], env)).code).toBe(0);
    const out = join(dir, 'cli-bundle');
    const built = await runEcourtToEnd(['archive', seeded.caseId, '--out', out, '--json'], env);
    expect(built.code, built.stderr).toBe(0);
    expect(JSON.parse(built.stdout).items).toHaveLength(5);
    expect((await runEcourtToEnd(['archive', seeded.caseId, '--out', out], env)).code).toBe(1);
    expect((await runEcourtToEnd(['archive', newId(), '--out', join(dir, 'none'), '--json'], env)).code).toBe(1);

    const verified = await runEcourtToEnd(['archive', 'verify', out, '--json'], {});
    expect(verified.code, verified.stderr).toBe(0);
    expect(JSON.parse(verified.stdout).valid).toBe(true);
    const manifest: CaseFileManifest = JSON.parse(readFileSync(join(out, 'manifest.json'), 'utf8'));
    writeFileSync(join(out, manifest.items[3]!.file), minimalPdf(3));
    const failed = await runEcourtToEnd(['archive', 'verify', out, '--json'], {});
    expect(failed.code).toBe(1);
    expect(JSON.parse(failed.stdout).items.filter((item: { ok: boolean }) => !item.ok).map((item: { number: number }) => item.number)).toEqual([4]);
    expect((await runEcourtToEnd(['archive'], env)).code).toBe(2);
  }, 120_000);
});
