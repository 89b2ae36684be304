// Evidence storage on embedded PGlite and real Postgres: the blob is on disk when the row commits,
// the row and its audit row commit together (or neither does), lists and reads by id.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LocalBlobStore } from '../../storage/blobs/local-blob-store.ts';
import { addEvidence } from '../../storage/evidence/add-evidence.ts';
import { getEvidence } from '../../storage/evidence/get-evidence.ts';
import { listEvidence } from '../../storage/evidence/list-evidence.ts';
import { auditLog, cases, courts, users } from '../../storage/schema.ts';
import { probePostgres } from '../support/services.ts';
import { minimalPdf, solidPng } from '../support/evidence-files.ts';
import { newId, openMigratedPglite, openMigratedPostgres, type OpenedTestDatabase } from '../support/storage.ts';

function evidenceStorageContract(open: () => Promise<OpenedTestDatabase>) {
  let opened: OpenedTestDatabase;
  let blobDir: string;
  let blobs: LocalBlobStore;
  let caseId: string;
  let uploader: string;

  beforeAll(async () => {
    opened = await open();
    blobDir = await mkdtemp(join(tmpdir(), 'ecourt-evidence-blobs-'));
    blobs = new LocalBlobStore(blobDir);
    const db = opened.database.db;
    const [court] = await db.insert(courts).values({ code: `京${Math.floor(Math.random() * 1e6)}`, name: '测试法院', nameEn: 'Test court', region: '北京' }).returning();
    const [user] = await db.insert(users).values({ username: `party-${newId()}`, displayName: '陈静', role: 'party', passwordHash: 'x' }).returning();
    uploader = user!.id;
    const now = new Date();
    const [row] = await db
      .insert(cases)
      .values({ courtId: court!.id, cause: '买卖合同纠纷', claims: '支付货款', state: 'accepted', filedBy: uploader, filedAt: now, updatedAt: now, lastSeq: 1 })
      .returning();
    caseId = row!.id;
  }, 60_000);

  afterAll(async () => {
    await opened?.dispose();
    if (blobDir) await rm(blobDir, { recursive: true, force: true });
  });

  it('adds a PDF and an image: bytes stored first, row and audit row together, listed in order and read by id', async () => {
    const db = opened.database.db;
    const pdf = minimalPdf(2);
    const added = await addEvidence({ db, blobs, caseId, title: '借条', mimeType: 'application/pdf', bytes: pdf, pageCount: 2, actor: { userId: uploader, role: 'party' } });
    expect(added).toMatchObject({ caseId, title: '借条', mimeType: 'application/pdf', sizeBytes: pdf.length, pageCount: 2, createdBy: { userId: uploader, displayName: '陈静' } });
    expect((await blobs.get(added.sha256)).equals(pdf)).toBe(true);
    const png = solidPng(3, 3);
    const image = await addEvidence({ db, blobs, caseId, title: '照片', mimeType: 'image/png', bytes: png, pageCount: null, actor: { userId: uploader, role: 'party' } });

    const listed = await listEvidence({ db, caseId });
    expect(listed.map((file) => [file.title, file.pageCount])).toEqual([
      ['借条', 2],
      ['照片', null],
    ]);
    expect(listed[0]).toEqual(added);
    const stored = await getEvidence({ db, evidenceId: image.id });
    expect(stored).toMatchObject({ id: image.id, blobKey: image.sha256, sizeBytes: png.length, mimeType: 'image/png' });
    expect(await getEvidence({ db, evidenceId: newId() })).toBeNull();
    expect(await getEvidence({ db, evidenceId: 'not-a-uuid' })).toBeNull();
    expect(await listEvidence({ db, caseId: newId() })).toEqual([]);

    const audit = await db.select().from(auditLog).where(and(eq(auditLog.action, 'evidence.upload'), eq(auditLog.subjectId, added.id)));
    expect(audit.map((row) => [row.actorUserId, row.subjectKind, row.detail])).toEqual([
      [uploader, 'document', { caseId, mimeType: 'application/pdf', sizeBytes: pdf.length, pageCount: 2, sha256: added.sha256 }],
    ]);
  });

  it('a row that cannot be written leaves no row and no audit row (the content-addressed blob may stay: harmless)', async () => {
    const db = opened.database.db;
    const missingCase = newId();
    await expect(
      addEvidence({ db, blobs, caseId: missingCase, title: '无主', mimeType: 'application/pdf', bytes: minimalPdf(1), pageCount: 1, actor: { userId: uploader, role: 'party' } }),
    ).rejects.toThrow();
    expect(await listEvidence({ db, caseId: missingCase })).toEqual([]);
    const audit = await db.select().from(auditLog).where(eq(auditLog.action, 'evidence.upload'));
    expect(audit.every((row) => (row.detail as { caseId?: string }).caseId !== missingCase)).toBe(true);
  });
}

describe('evidence storage on PGlite (in memory)', () => {
  evidenceStorageContract(openMigratedPglite);
});

const postgres = await probePostgres();

describe.skipIf(!postgres.available)(`evidence storage on Postgres${postgres.skipReason}`, () => {
  evidenceStorageContract(openMigratedPostgres);
});
