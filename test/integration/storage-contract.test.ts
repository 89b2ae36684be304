// One storage contract, run against embedded PGlite (in memory) and real Postgres: migrations,
// courts and users (sealed at rest), case visibility, the journal and its case projection, audit
// rows in the use-case's transaction, atomic case-number sequences, and the documents of a case (a
// hearing transcript filed once, beside evidence).
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { JournalConflictError, type JournalRecord } from '../../actors/runtime/types.ts';
import { ConflictError } from '../../platform/errors.ts';
import { maskIdentifier } from '../../platform/personal-data.ts';
import { openDatabase, type Database } from '../../storage/database.ts';
import { MIGRATIONS_FOLDER, migrateDatabase } from '../../storage/migrate.ts';
import { auditLog, caseParties, courts, users } from '../../storage/schema.ts';
import { rowsOf } from '../../storage/raw-rows.ts';
import { createCourt } from '../../storage/courts/create-court.ts';
import { listCourts } from '../../storage/courts/list-courts.ts';
import { getCourt } from '../../storage/courts/get-court.ts';
import { createUser } from '../../storage/users/create-user.ts';
import { findUserByUsername } from '../../storage/users/find-user-by-username.ts';
import { getUser } from '../../storage/users/get-user.ts';
import { countUsers } from '../../storage/users/count-users.ts';
import { listVisibleCases } from '../../storage/cases/list-visible-cases.ts';
import { getCaseDetail } from '../../storage/cases/get-case-detail.ts';
import { isCaseMember } from '../../storage/cases/is-case-member.ts';
import { nextCaseSequence } from '../../storage/cases/next-case-sequence.ts';
import { listVisibleHearings } from '../../storage/hearings/list-visible-hearings.ts';
import { recordDeviceCheck } from '../../storage/hearings/record-device-check.ts';
import { listDeviceChecks } from '../../storage/hearings/list-device-checks.ts';
import { listAudit } from '../../storage/audit/list-audit.ts';
import { createSqlJournal } from '../../storage/journal/sql-journal.ts';
import { caseProjection } from '../../storage/journal/case-projection.ts';
import { LocalBlobStore } from '../../storage/blobs/local-blob-store.ts';
import { fileHearingTranscript } from '../../storage/documents/file-hearing-transcript.ts';
import { insertIssuedDocument } from '../../storage/documents/insert-issued-document.ts';
import { getCourtDocument } from '../../storage/documents/get-court-document.ts';
import { listCourtDocuments } from '../../storage/documents/list-court-documents.ts';
import { addEvidence } from '../../storage/evidence/add-evidence.ts';
import { listEvidence } from '../../storage/evidence/list-evidence.ts';
import { createTestDatabase, probePostgres } from '../support/services.ts';
import { caseRecord, newId, openMigratedPglite, openMigratedPostgres, testCipher, type OpenedTestDatabase } from '../support/storage.ts';

const SYSTEM = { userId: null, role: null };
const cipher = testCipher();
const migrationCount = (JSON.parse(readFileSync(join(MIGRATIONS_FOLDER, 'meta', '_journal.json'), 'utf8')) as { entries: unknown[] })
  .entries.length;

async function countRows(database: Database, table: string, where = sql`true`): Promise<number> {
  const result = await database.db.execute(sql`select count(*)::int as n from ${sql.identifier(table)} where ${where}`);
  return rowsOf<{ n: number }>(result)[0]!.n;
}

/** What load() gives back: the record less its context (replay recomputes it). */
const withoutContext = ({ context: _context, ...loaded }: JournalRecord) => loaded;

function storageContract(open: () => Promise<OpenedTestDatabase>) {
  let opened: OpenedTestDatabase;
  let database: Database;
  const ids = {} as Record<'courtA' | 'courtB' | 'judgeA' | 'judgeB' | 'plaintiff' | 'defendant' | 'otherParty' | 'idleLawyer', string>;
  const caseA = newId();
  const caseB = newId();
  const hearingA = newId();
  const PLAINTIFF_ID = '110105199001011234';
  const PLAINTIFF_PHONE = '13800138000';
  const PARTY_ID_NUMBER = '11010519850202567X';

  beforeAll(async () => {
    opened = await open();
    database = opened.database;
  });
  afterAll(async () => {
    await opened?.dispose();
  });

  it('applies the migrations, and applying them again changes nothing', async () => {
    expect(await database.ping()).toBe(true);
    await migrateDatabase(database);
    const result = await database.db.execute(sql`select count(*)::int as n from drizzle.__drizzle_migrations`);
    expect(rowsOf<{ n: number }>(result)[0]!.n).toBe(migrationCount);
    expect(await countRows(database, 'courts')).toBe(0);
  });

  it('creates courts, refuses a duplicate court code, and lists and finds them', async () => {
    const a = await createCourt({ db: database.db, court: { code: '京0105', name: '北京市朝阳区人民法院', nameEn: 'Chaoyang District People’s Court', region: '北京市' }, actor: SYSTEM });
    const b = await createCourt({ db: database.db, court: { code: '京0108', name: '北京市海淀区人民法院', nameEn: 'Haidian District People’s Court', region: '北京市' }, actor: SYSTEM });
    ids.courtA = a.id;
    ids.courtB = b.id;
    expect(a.timeZone).toBe('Asia/Shanghai');
    await expect(
      createCourt({ db: database.db, court: { code: '京0105', name: 'dup', nameEn: 'dup', region: 'x' }, actor: SYSTEM }),
    ).rejects.toBeInstanceOf(ConflictError);
    expect((await listCourts({ db: database.db })).map((c) => c.code)).toEqual(['京0105', '京0108']);
    expect((await getCourt({ db: database.db, code: '京0108' }))?.id).toBe(b.id);
    expect((await getCourt({ db: database.db, courtId: a.id }))?.name).toBe('北京市朝阳区人民法院');
    expect(await getCourt({ db: database.db, courtId: 'not-a-uuid' })).toBeNull();
    expect(await countRows(database, 'audit_log', sql`action = 'court.create'`)).toBe(2);
  });

  it('creates users with identifiers sealed at rest, refusing duplicate usernames and identities', async () => {
    const staff = (username: string, role: 'judge' | 'clerk', courtId: string) =>
      createUser({ db: database.db, cipher, user: { username, displayName: username, role, courtId, passwordHash: 'h' }, actor: SYSTEM });
    ids.judgeA = (await staff('judge.a', 'judge', ids.courtA)).id;
    ids.judgeB = (await staff('judge.b', 'judge', ids.courtB)).id;
    const plaintiff = await createUser({
      db: database.db,
      cipher,
      user: { username: 'zhang.san', displayName: '张三', role: 'party', passwordHash: 'scrypt$abc', idType: 'resident', idNumber: PLAINTIFF_ID, phone: PLAINTIFF_PHONE },
      actor: SYSTEM,
    });
    ids.plaintiff = plaintiff.id;
    expect(plaintiff).toEqual({ id: plaintiff.id, username: 'zhang.san', displayName: '张三', role: 'party', courtId: null });

    const [raw] = await database.db.select().from(users).where(eq(users.id, plaintiff.id));
    const rawText = JSON.stringify(raw);
    expect(rawText).not.toContain(PLAINTIFF_ID);
    expect(rawText).not.toContain(PLAINTIFF_PHONE);
    expect(cipher.open(raw!.idNumberSealed!)).toBe(PLAINTIFF_ID);
    expect(cipher.open(raw!.phoneSealed!)).toBe(PLAINTIFF_PHONE);
    expect(raw!.idNumberIndex).toBe(cipher.blindIndex(PLAINTIFF_ID));

    const auditBefore = await countRows(database, 'audit_log');
    ids.defendant = (
      await createUser({ db: database.db, cipher, user: { username: 'li.si', displayName: '李四', role: 'party', passwordHash: 'h', idNumber: PARTY_ID_NUMBER }, actor: SYSTEM })
    ).id;
    // Same identity under another username (a lower-case check letter normalises to the same index).
    await expect(
      createUser({
        db: database.db,
        cipher,
        user: { username: 'someone.else', displayName: 'x', role: 'party', passwordHash: 'h', idNumber: PARTY_ID_NUMBER.replace('X', 'x') },
        actor: SYSTEM,
      }),
    ).rejects.toThrow(/identity/);
    await expect(
      createUser({ db: database.db, cipher, user: { username: 'li.si', displayName: 'y', role: 'lawyer', passwordHash: 'h' }, actor: SYSTEM }),
    ).rejects.toMatchObject({ code: 'CONFLICT', message: expect.stringContaining('li.si') });
    // Only the successful creation left an audit row; the refused ones rolled theirs back.
    expect(await countRows(database, 'audit_log')).toBe(auditBefore + 1);

    ids.otherParty = (await createUser({ db: database.db, cipher, user: { username: 'wang.wu', displayName: '王五', role: 'institution', passwordHash: 'h' }, actor: SYSTEM })).id;
    ids.idleLawyer = (await createUser({ db: database.db, cipher, user: { username: 'lawyer.zhao', displayName: '赵律师', role: 'lawyer', passwordHash: 'h', lawyerLicence: '11101200010000001' }, actor: { userId: ids.judgeA, role: 'courtAdmin' } })).id;

    expect((await findUserByUsername({ db: database.db, username: 'zhang.san' }))?.passwordHash).toBe('scrypt$abc');
    expect(await findUserByUsername({ db: database.db, username: 'nobody' })).toBeNull();
    const publicUser = await getUser({ db: database.db, userId: ids.judgeA });
    expect(publicUser).toEqual({ id: ids.judgeA, username: 'judge.a', displayName: 'judge.a', role: 'judge', courtId: ids.courtA });
    expect(await countUsers({ db: database.db })).toBe(6);
    const trail = await listAudit({ db: database.db, subjectKind: 'user', subjectId: ids.idleLawyer });
    expect(trail).toMatchObject([{ action: 'user.create', actorUserId: ids.judgeA, actorRole: 'courtAdmin' }]);
  });

  it('refuses unknown roles, staff without a court, and courts that do not exist', async () => {
    const attempt = (username: string, role: string, courtId?: string) =>
      createUser({ db: database.db, cipher, user: { username, displayName: 'x', role: role as never, courtId, passwordHash: 'h' }, actor: SYSTEM });
    await expect(attempt('bad.role', 'admin')).rejects.toMatchObject({ code: 'VALIDATION_FAILED' });
    await expect(attempt('lonely.judge', 'judge')).rejects.toMatchObject({ code: 'VALIDATION_FAILED', message: expect.stringContaining('court') });
    await expect(attempt('lost.clerk', 'clerk', newId())).rejects.toMatchObject({ code: 'NOT_FOUND' });
    for (const username of ['bad.role', 'lonely.judge', 'lost.clerk']) expect(await findUserByUsername({ db: database.db, username })).toBeNull();
  });

  it('projects FILE → ACCEPT → SCHEDULE_HEARING into cases, parties, hearings and audit rows', async () => {
    const journal = createSqlJournal({ db: database.db, projections: { case: caseProjection } });
    const filer = { userId: ids.plaintiff, role: 'party' };
    const clerk = { userId: ids.judgeA, role: 'judge' };
    const startsAt = '2026-12-01T02:00:00.000Z';
    await journal.commit([
      caseRecord(caseA, 1, 'filed', {
        type: 'FILE',
        by: filer,
        filing: {
          courtId: ids.courtA,
          cause: '民间借贷纠纷',
          claims: '判令被告归还借款本金50000元',
          claimAmount: '50000.50',
          facts: '被告于2025年借款未还',
          plaintiffs: [{ name: '张三', kind: 'person', userId: ids.plaintiff, idNumberSealed: cipher.seal(PLAINTIFF_ID), phoneSealed: cipher.seal(PLAINTIFF_PHONE) }],
          defendants: [
            { name: '李四', kind: 'person', userId: ids.defendant, address: '北京市朝阳区某街1号' },
            { name: '某某贸易有限公司', kind: 'organisation' },
          ],
        },
      }, '2026-11-01T01:00:00.000Z'),
    ]);
    await journal.commit([
      caseRecord(caseA, 2, 'accepted', { type: 'ACCEPT', by: clerk, caseNumber: '(2026)京0105民初1号' }, '2026-11-02T01:00:00.000Z'),
      caseRecord(caseA, 3, 'hearingScheduled', { type: 'SCHEDULE_HEARING', by: clerk, hearingId: hearingA, startsAt, courtroom: '第一法庭' }, '2026-11-03T01:00:00.000Z'),
    ]);
    // A second case filed and accepted within one batch: inserted directly in its final state.
    await journal.commit([
      caseRecord(caseB, 1, 'filed', {
        type: 'FILE',
        by: { userId: ids.otherParty, role: 'institution' },
        filing: { courtId: ids.courtB, cause: '信用卡纠纷', claims: '归还透支款', plaintiffs: [{ name: '王五银行', kind: 'organisation', userId: ids.otherParty }], defendants: [{ name: '赵六', kind: 'person' }] },
      }, '2026-11-04T01:00:00.000Z'),
      caseRecord(caseB, 2, 'accepted', { type: 'ACCEPT', by: { userId: ids.judgeB, role: 'judge' }, caseNumber: '(2026)京0108民初1号' }, '2026-11-05T01:00:00.000Z'),
    ]);

    const detail = await getCaseDetail({ db: database.db, cipher, caseId: caseA });
    expect(detail).toMatchObject({
      id: caseA,
      caseNumber: '(2026)京0105民初1号',
      courtId: ids.courtA,
      courtName: '北京市朝阳区人民法院',
      cause: '民间借贷纠纷',
      claimAmount: '50000.50',
      state: 'hearingScheduled',
      filedAt: '2026-11-01T01:00:00.000Z',
      updatedAt: '2026-11-03T01:00:00.000Z',
      plaintiffs: ['张三'],
      defendants: ['李四', '某某贸易有限公司'],
      filedBy: ids.plaintiff,
      rejectionReasons: null,
      hearings: [{ id: hearingA, startsAt, courtroom: '第一法庭', state: 'scheduled' }],
    });
    const plaintiffView = detail!.parties.find((p) => p.side === 'plaintiff')!;
    expect(plaintiffView.idNumberMasked).toBe(maskIdentifier(PLAINTIFF_ID));
    expect(plaintiffView.phoneMasked).toBe(maskIdentifier(PLAINTIFF_PHONE));
    expect(JSON.stringify(detail)).not.toContain(PLAINTIFF_ID);
    const rawParties = JSON.stringify(await database.db.select().from(caseParties).where(eq(caseParties.caseId, caseA)));
    expect(rawParties).not.toContain(PLAINTIFF_ID);
    expect(rawParties).not.toContain(PLAINTIFF_PHONE);

    const caseRow = rowsOf<{ last_seq: number }>(await database.db.execute(sql`select last_seq from cases where id = ${caseA}`));
    expect(caseRow[0]!.last_seq).toBe(3);
    const trail = await listAudit({ db: database.db, subjectKind: 'case', subjectId: caseA });
    expect(trail.map((row) => [row.action, row.actorUserId, row.actorRole])).toEqual([
      ['case.FILE', ids.plaintiff, 'party'],
      ['case.ACCEPT', ids.judgeA, 'judge'],
      ['case.SCHEDULE_HEARING', ids.judgeA, 'judge'],
    ]);
    expect(JSON.stringify(trail)).not.toContain('pd1.');
    expect((await getCaseDetail({ db: database.db, cipher, caseId: caseB }))).toMatchObject({ state: 'accepted', caseNumber: '(2026)京0108民初1号', claimAmount: null, defendants: ['赵六'] });
    expect(await getCaseDetail({ db: database.db, cipher, caseId: newId() })).toBeNull();

    const loaded = await journal.load({ kind: 'case', id: caseA });
    expect(loaded.snapshot).toBeNull();
    expect(loaded.records.map((r) => [r.seq, r.state, r.event.type])).toEqual([
      [1, 'filed', 'FILE'],
      [2, 'accepted', 'ACCEPT'],
      [3, 'hearingScheduled', 'SCHEDULE_HEARING'],
    ]);
    expect(loaded.records[1]).toEqual(withoutContext(caseRecord(caseA, 2, 'accepted', { type: 'ACCEPT', by: clerk, caseNumber: '(2026)京0105民初1号' }, '2026-11-02T01:00:00.000Z')));
  });

  it('shows staff only their court’s cases and litigants only their own', async () => {
    const viewer = (userId: string, role: string, courtId: string | null = null) => ({ userId, role, courtId });
    const seen = async (v: ReturnType<typeof viewer>) => (await listVisibleCases({ db: database.db, viewer: v })).map((c) => c.id);
    expect(await seen(viewer(ids.judgeA, 'judge', ids.courtA))).toEqual([caseA]);
    expect(await seen(viewer(ids.judgeB, 'clerk', ids.courtB))).toEqual([caseB]);
    expect(await seen(viewer(ids.plaintiff, 'party'))).toEqual([caseA]);
    expect(await seen(viewer(ids.defendant, 'party'))).toEqual([caseA]);
    expect(await seen(viewer(ids.otherParty, 'institution'))).toEqual([caseB]);
    expect(await seen(viewer(ids.idleLawyer, 'lawyer'))).toEqual([]);
    // A litigant role with a court id still sees only its own cases; staff without a court see none.
    expect(await seen(viewer(ids.otherParty, 'institution', ids.courtA))).toEqual([caseB]);
    expect(await seen(viewer(ids.judgeA, 'judge', null))).toEqual([]);
    expect(await seen(viewer(ids.judgeA, 'superuser', ids.courtA))).toEqual([]);

    const [summary] = await listVisibleCases({ db: database.db, viewer: viewer(ids.plaintiff, 'party') });
    expect(summary).toEqual({
      id: caseA,
      caseNumber: '(2026)京0105民初1号',
      courtId: ids.courtA,
      courtName: '北京市朝阳区人民法院',
      cause: '民间借贷纠纷',
      claimAmount: '50000.50',
      state: 'hearingScheduled',
      filedAt: '2026-11-01T01:00:00.000Z',
      updatedAt: '2026-11-03T01:00:00.000Z',
      plaintiffs: ['张三'],
      defendants: ['李四', '某某贸易有限公司'],
    });

    expect(await isCaseMember({ db: database.db, caseId: caseA, viewer: viewer(ids.defendant, 'party') })).toBe(true);
    expect(await isCaseMember({ db: database.db, caseId: caseA, viewer: viewer(ids.otherParty, 'institution') })).toBe(false);
    expect(await isCaseMember({ db: database.db, caseId: caseA, viewer: viewer(ids.judgeB, 'judge', ids.courtB) })).toBe(false);
    expect(await isCaseMember({ db: database.db, caseId: caseB, viewer: viewer(ids.judgeB, 'judge', ids.courtB) })).toBe(true);
    expect(await isCaseMember({ db: database.db, caseId: 'nonsense', viewer: viewer(ids.judgeA, 'judge', ids.courtA) })).toBe(false);

    const hearingsA = await listVisibleHearings({ db: database.db, viewer: viewer(ids.judgeA, 'judge', ids.courtA) });
    expect(hearingsA).toEqual([{ id: hearingA, caseId: caseA, caseNumber: '(2026)京0105民初1号', startsAt: '2026-12-01T02:00:00.000Z', courtroom: '第一法庭', state: 'scheduled' }]);
    expect(await listVisibleHearings({ db: database.db, viewer: viewer(ids.judgeB, 'judge', ids.courtB) })).toEqual([]);
    expect(await listVisibleHearings({ db: database.db, viewer: viewer(ids.defendant, 'party'), from: new Date('2027-01-01T00:00:00Z') })).toEqual([]);
  });

  it('marks a hearing held, and records rejection reasons and closing summaries', async () => {
    const journal = createSqlJournal({ db: database.db, projections: { case: caseProjection } });
    const judge = { userId: ids.judgeA, role: 'judge' };
    await journal.commit([
      caseRecord(caseA, 4, 'heard', { type: 'RECORD_HEARING_HELD', by: judge, hearingId: hearingA }),
      caseRecord(caseA, 5, 'judgmentIssued', { type: 'ISSUE_JUDGMENT', by: judge, summary: '被告于判决生效之日起十日内归还借款' }),
    ]);
    const rejected = newId();
    await journal.commit([
      caseRecord(rejected, 1, 'filed', { type: 'FILE', by: { userId: ids.defendant, role: 'party' }, filing: { courtId: ids.courtA, cause: '合同纠纷', claims: '请求解除合同', plaintiffs: [{ name: '李四', kind: 'person', userId: ids.defendant }], defendants: [{ name: '某公司', kind: 'organisation' }] } }),
      caseRecord(rejected, 2, 'underReview', { type: 'BEGIN_REVIEW', by: judge }),
    ]);
    await journal.commit([caseRecord(rejected, 3, 'rejected', { type: 'REJECT', by: judge, reasons: ['不属于本院管辖'] })]);
    const heard = await getCaseDetail({ db: database.db, cipher, caseId: caseA });
    expect(heard).toMatchObject({ state: 'judgmentIssued', closingSummary: '被告于判决生效之日起十日内归还借款', hearings: [{ id: hearingA, state: 'held' }] });
    expect(await getCaseDetail({ db: database.db, cipher, caseId: rejected })).toMatchObject({ state: 'rejected', caseNumber: null, rejectionReasons: ['不属于本院管辖'] });
    expect((await listAudit({ db: database.db, subjectKind: 'case', subjectId: rejected })).map((r) => r.detail)).toEqual([
      expect.objectContaining({ seq: 1, state: 'filed', cause: '合同纠纷', plaintiffs: 1, defendants: 1 }),
      { seq: 2, state: 'underReview' },
      { seq: 3, state: 'rejected', reasons: ['不属于本院管辖'] },
    ]);
  });

  it('files a hearing transcript as one documents row: filing it again, also concurrently, returns the first; evidence stays apart', async () => {
    const blobDir = await mkdtemp(join(tmpdir(), 'ecourt-contract-blobs-'));
    try {
      const blobs = new LocalBlobStore(blobDir);
      const party = { userId: ids.plaintiff, role: 'party' };
      // Two evidence files (no hearing): the one-per-hearing index leaves them alone.
      const evidence = [];
      for (const title of ['借条', '转账记录']) {
        evidence.push(await addEvidence({ db: database.db, blobs, caseId: caseA, title, mimeType: 'image/png', bytes: Buffer.from(title), pageCount: null, actor: party }));
      }
      const details = { confirmations: [{ participantId: 'p1', role: 'party', status: 'confirmed' }], archivedBecause: 'allReviewed' };
      const file = (hearingId: string, content: string) =>
        fileHearingTranscript({ db: database.db, blobs, caseId: caseA, hearingId, title: '庭审笔录 / Hearing transcript 2026-12-01', content, details });

      const first = await file(hearingA, '审判长：现在开庭。');
      expect(first.filed).toBe(true);
      expect(first.document).toEqual({
        id: expect.any(String),
        caseId: caseA,
        hearingId: hearingA,
        kind: 'hearingTranscript',
        // A transcript is the hearing's own record, addressed to nobody in particular.
        addressee: null,
        title: '庭审笔录 / Hearing transcript 2026-12-01',
        sha256: createHash('sha256').update('审判长：现在开庭。').digest('hex'),
        mimeType: 'text/plain; charset=utf-8',
        sizeBytes: Buffer.byteLength('审判长：现在开庭。'),
        details,
        // Filed as text: no verification code printed, no pages counted.
        verificationCode: null,
        pageCount: null,
        createdAt: expect.any(String),
      });
      const again = await file(hearingA, 'another rendering');
      expect(again).toEqual({ document: first.document, filed: false });

      // Two nodes filing one hearing at once: one row, both told its id.
      const hearingB = newId();
      const racing = await Promise.all([file(hearingB, 'node one'), file(hearingB, 'node two')]);
      expect(racing.map((r) => r.filed).sort()).toEqual([false, true]);
      expect(racing[0]!.document.id).toBe(racing[1]!.document.id);
      expect(await countRows(database, 'documents', sql`hearing_id = ${hearingA}`)).toBe(1);
      expect(await countRows(database, 'documents', sql`hearing_id = ${hearingB}`)).toBe(1);

      // The court's documents list has the transcripts, the evidence list the evidence.
      expect((await listCourtDocuments({ db: database.db, caseId: caseA })).map((d) => d.id)).toEqual([first.document.id, racing[0]!.document.id]);
      expect((await listEvidence({ db: database.db, caseId: caseA })).map((e) => e.id)).toEqual(evidence.map((e) => e.id));
      expect(await listCourtDocuments({ db: database.db, caseId: caseB })).toEqual([]);
      const stored = await getCourtDocument({ db: database.db, caseId: caseA, documentId: first.document.id });
      expect((await blobs.get(stored!.blobKey)).toString('utf8')).toBe('审判长：现在开庭。');
      expect(await getCourtDocument({ db: database.db, caseId: caseB, documentId: first.document.id })).toBeNull();
      expect(await getCourtDocument({ db: database.db, caseId: caseA, documentId: evidence[0]!.id })).toBeNull();
      expect(await getCourtDocument({ db: database.db, caseId: caseA, documentId: 'nope' })).toBeNull();

      // One audit row per filed document, by the system.
      const trail = await listAudit({ db: database.db, subjectKind: 'document', subjectId: first.document.id });
      expect(trail.map((r) => [r.action, r.actorUserId, r.detail])).toEqual([
        ['document.file', null, { caseId: caseA, hearingId: hearingA, kind: 'hearingTranscript', sha256: first.document.sha256, sizeBytes: first.document.sizeBytes }],
      ]);
      expect(await countRows(database, 'audit_log', sql`action = 'document.file'`)).toBe(2);
    } finally {
      await rm(blobDir, { recursive: true, force: true });
    }
  });

  it('issues one document per kind and addressee (a summons per party, a notice to respond per defendant): again, also concurrently, returns the first', async () => {
    const blobDir = await mkdtemp(join(tmpdir(), 'ecourt-contract-blobs-'));
    try {
      const blobs = new LocalBlobStore(blobDir);
      const hearing = newId();
      let serial = 0;
      const issue = async (kind: 'summons' | 'noticeToRespond' | 'acceptanceNotice', addressee: string | null, hearingId: string | null) =>
        insertIssuedDocument({
          db: database.db,
          blob: await blobs.put(Buffer.from(`${kind} ${addressee} ${serial}`)),
          mimeType: 'application/pdf',
          facts: { caseId: caseB, hearingId, kind, addressee, title: kind, verificationCode: `CODE-${hearing.slice(0, 8)}-${++serial}`, pageCount: 1, details: null },
        });
      // A summons to each of two parties of one hearing: two rows; the same party again: the first.
      const toPlaintiff = await issue('summons', 'plaintiffs.0', hearing);
      const toDefendant = await issue('summons', 'defendants.0', hearing);
      expect([toPlaintiff.issued, toDefendant.issued]).toEqual([true, true]);
      expect(toPlaintiff.document).toMatchObject({ addressee: 'plaintiffs.0', hearingId: hearing, kind: 'summons' });
      expect(await issue('summons', 'plaintiffs.0', hearing)).toEqual({ document: toPlaintiff.document, issued: false });
      const racing = await Promise.all([issue('summons', 'defendants.1', hearing), issue('summons', 'defendants.1', hearing)]);
      expect(racing.map((r) => r.issued).sort()).toEqual([false, true]);
      expect(racing[0]!.document.id).toBe(racing[1]!.document.id);
      expect(await countRows(database, 'documents', sql`hearing_id = ${hearing} and kind = 'summons'`)).toBe(3);
      // The case's own documents: one per defendant for a notice to respond, one without an addressee (null counts as one value).
      const respond = await Promise.all([issue('noticeToRespond', 'defendants.0', null), issue('noticeToRespond', 'defendants.1', null)]);
      expect(respond.map((r) => r.issued)).toEqual([true, true]);
      expect((await issue('noticeToRespond', 'defendants.0', null)).issued).toBe(false);
      const acceptance = await Promise.all([issue('acceptanceNotice', null, null), issue('acceptanceNotice', null, null)]);
      expect(acceptance.map((r) => r.issued).sort()).toEqual([false, true]);
      expect(acceptance[0]!.document).toMatchObject({ addressee: null, id: acceptance[1]!.document.id });
      expect(await countRows(database, 'documents', sql`case_id = ${caseB} and kind in ('noticeToRespond', 'acceptanceNotice')`)).toBe(3);
      const trail = await listAudit({ db: database.db, subjectKind: 'document', subjectId: toDefendant.document.id });
      expect(trail.map((r) => r.detail)).toEqual([expect.objectContaining({ caseId: caseB, hearingId: hearing, kind: 'summons', addressee: 'defendants.0' })]);
    } finally {
      await rm(blobDir, { recursive: true, force: true });
    }
  });

  it('commits a large group in one transaction and refuses a batch holding one conflicting record', async () => {
    const journal = createSqlJournal({ db: database.db });
    const actors = Array.from({ length: 100 }, () => newId());
    const group: JournalRecord[] = actors.flatMap((id) =>
      [1, 2, 3].map((seq) => ({ kind: 'probe', id, seq, event: { type: `STEP_${seq}` }, state: `s${seq}`, context: { n: seq }, at: new Date().toISOString() })),
    );
    await journal.commit(group);
    expect(await countRows(database, 'actor_journal', sql`kind = 'probe'`)).toBe(300);

    const fresh = Array.from({ length: 50 }, () => ({ kind: 'probe', id: newId(), seq: 1, event: { type: 'STEP_1' }, state: 's1', context: {}, at: new Date().toISOString() }));
    const clash = { kind: 'probe', id: actors[7]!, seq: 2, event: { type: 'OTHER' }, state: 'x', context: {}, at: new Date().toISOString() };
    const failure = await journal.commit([...fresh.slice(0, 25), clash, ...fresh.slice(25)]).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(JournalConflictError);
    expect((failure as JournalConflictError).ref).toEqual({ kind: 'probe', id: actors[7] });
    expect((failure as JournalConflictError).seq).toBe(2);
    expect(await countRows(database, 'actor_journal', sql`kind = 'probe'`)).toBe(300);
    expect((await journal.load({ kind: 'probe', id: actors[7]! })).records[1]!.event).toEqual({ type: 'STEP_2' });
  });

  it('rolls back the journal rows when a projection check fails; case events write no audit_log rows', async () => {
    const journal = createSqlJournal({ db: database.db, projections: { case: caseProjection } });
    const good = newId();
    const auditBefore = await countRows(database, 'audit_log');
    const batch = [
      caseRecord(good, 1, 'filed', { type: 'FILE', by: { userId: ids.plaintiff, role: 'party' }, filing: { courtId: ids.courtA, cause: '借款纠纷', claims: '还款', plaintiffs: [{ name: '张三', kind: 'person' }], defendants: [{ name: '某', kind: 'person' }] } }),
      // A record for a case that was never filed: refused rather than silently dropped, with the good case's rows.
      caseRecord(newId(), 2, 'accepted', { type: 'ACCEPT', by: { userId: ids.judgeA, role: 'judge' }, caseNumber: '(2026)京0105民初99号' }),
    ];
    await expect(journal.commit(batch)).rejects.toThrow(/never filed/);
    expect(await countRows(database, 'actor_journal', sql`actor_id = ${good}`)).toBe(0);
    expect(await countRows(database, 'cases', sql`id = ${good}`)).toBe(0);
    expect(await countRows(database, 'case_parties', sql`case_id = ${good}`)).toBe(0);
    // The journal is the audit trail of case events: listAudit reads it, audit_log gets no duplicate.
    await journal.commit(batch.slice(0, 1));
    expect(await countRows(database, 'audit_log')).toBe(auditBefore);
    expect(await countRows(database, 'audit_log', sql`subject_kind = 'case'`)).toBe(0);
    expect((await listAudit({ db: database.db, subjectKind: 'case', subjectId: good })).map((r) => [r.action, r.actorUserId, r.source])).toEqual([
      ['case.FILE', ids.plaintiff, 'actor_journal'],
    ]);
  });

  it('loads the latest snapshot and only the records after it; an older snapshot never replaces a newer one', async () => {
    const journal = createSqlJournal({ db: database.db });
    const ref = { kind: 'probe', id: newId() };
    const records = [1, 2, 3, 4, 5].map((seq) => ({ ...ref, seq, event: { type: 'TICK', n: seq }, state: `s${seq}`, context: { n: seq }, at: new Date(Date.UTC(2026, 0, seq)).toISOString() }));
    await journal.commit(records);
    await journal.saveSnapshot(ref, { seq: 3, state: { value: 's3', context: { n: 3 } } });
    await journal.saveSnapshot(ref, { seq: 2, state: { value: 's2' } });
    const loaded = await journal.load(ref);
    expect(loaded.snapshot).toEqual({ seq: 3, state: { value: 's3', context: { n: 3 } } });
    expect(loaded.records).toEqual(records.slice(3).map(withoutContext));
    await journal.saveSnapshot(ref, { seq: 5, state: { value: 's5' } });
    expect(await journal.load(ref)).toEqual({ snapshot: { seq: 5, state: { value: 's5' } }, records: [] });
    expect(await journal.load({ kind: 'probe', id: newId() })).toEqual({ snapshot: null, records: [] });
  });

  it('records hearing device checks with their audit row and lists each participant’s latest', async () => {
    const hearing = { id: hearingA, caseId: caseA };
    const measurements = {
      camera: { ok: true, width: 1280, height: 720 },
      microphone: { ok: true, peakLevel: 0.25 },
      speaker: { confirmed: true },
      browser: { webRtc: true, getUserMedia: true, webAudio: true, opus: true, vp8: true },
      network: { roundTripP50Ms: 12.5, roundTripP95Ms: 30, downloadMbps: 80.25, uploadMbps: 40.5 },
    };
    const first = await recordDeviceCheck({ db: database.db, hearing, measurements: { ...measurements, speaker: { confirmed: false } }, actor: { userId: ids.plaintiff, role: 'party' } });
    expect(first).toMatchObject({ verdict: 'fail', reasons: ['speaker.unconfirmed'], account: { userId: ids.plaintiff, role: 'party' } });
    const latest = await recordDeviceCheck({ db: database.db, hearing, measurements, actor: { userId: ids.plaintiff, role: 'party' } });
    const judges = await recordDeviceCheck({ db: database.db, hearing, measurements: { ...measurements, camera: { ok: false, width: null, height: null } }, actor: { userId: ids.judgeA, role: 'judge' } });
    const all = await listDeviceChecks({ db: database.db, hearingId: hearingA });
    expect(all.map((c) => [c.id, c.verdict])).toEqual([[judges.id, 'fail'], [latest.id, 'pass']]);
    // The figures come back as stored (double precision, as measured).
    expect(all[1]).toEqual(latest);
    expect((await listDeviceChecks({ db: database.db, hearingId: hearingA, userId: ids.plaintiff })).map((c) => c.id)).toEqual([latest.id]);
    expect(await listDeviceChecks({ db: database.db, hearingId: newId() })).toEqual([]);
    expect(await listDeviceChecks({ db: database.db, hearingId: 'nope' })).toEqual([]);
    const trail = (await listAudit({ db: database.db, subjectKind: 'hearing', subjectId: hearingA })).filter((r) => r.action === 'hearing.deviceCheck');
    expect(trail.map((r) => r.detail)).toEqual([first, latest, judges].map((c) => ({ deviceCheckId: c.id, caseId: caseA, verdict: c.verdict, reasons: c.reasons })));
    // Check and audit row commit together: an outer rollback removes both.
    const before = [await countRows(database, 'hearing_device_checks'), await countRows(database, 'audit_log')];
    const abort = new Error('abort');
    await expect(
      database.db.transaction(async (tx) => {
        await recordDeviceCheck({ db: tx, hearing, measurements, actor: { userId: ids.defendant, role: 'party' } });
        throw abort;
      }),
    ).rejects.toBe(abort);
    expect([await countRows(database, 'hearing_device_checks'), await countRows(database, 'audit_log')]).toEqual(before);
  });

  it('writes a use-case’s audit row in its transaction: an outer rollback removes both', async () => {
    const auditBefore = await countRows(database, 'audit_log');
    const abort = new Error('abort after the use-case');
    await expect(
      database.db.transaction(async (tx) => {
        await createCourt({ db: tx, court: { code: '京0101', name: '北京市东城区人民法院', nameEn: 'Dongcheng', region: '北京市' }, actor: SYSTEM });
        expect(await tx.select().from(courts).where(eq(courts.code, '京0101'))).toHaveLength(1);
        throw abort;
      }),
    ).rejects.toBe(abort);
    expect(await getCourt({ db: database.db, code: '京0101' })).toBeNull();
    expect(await countRows(database, 'audit_log')).toBe(auditBefore);
    expect(await database.db.select().from(auditLog).where(eq(auditLog.action, 'court.create'))).toHaveLength(2);
  });

  it('hands out case numbers atomically, also under concurrency', async () => {
    const next = (typeCode: string) => nextCaseSequence({ db: database.db, courtId: ids.courtA, year: 2026, typeCode });
    expect([await next('民初'), await next('民初'), await next('民终')]).toEqual([1, 2, 1]);
    const parallel = await Promise.all(Array.from({ length: 20 }, () => nextCaseSequence({ db: database.db, courtId: ids.courtB, year: 2026, typeCode: '民初' })));
    expect([...parallel].sort((a, b) => a - b)).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
    expect(await countRows(database, 'audit_log', sql`action = 'caseNumber.next' and subject_id = ${ids.courtB}`)).toBe(20);
    expect((await listAudit({ db: database.db, subjectKind: 'court', subjectId: ids.courtA })).filter((r) => r.action === 'caseNumber.next').map((r) => r.detail)).toEqual([
      { year: 2026, typeCode: '民初', value: 1, count: 1 },
      { year: 2026, typeCode: '民初', value: 2, count: 1 },
      { year: 2026, typeCode: '民终', value: 1, count: 1 },
    ]);
  });

  it('reserves a run of case numbers in one step', async () => {
    const reserve = (count: number) => nextCaseSequence({ db: database.db, courtId: ids.courtA, year: 2030, typeCode: '民初', count });
    expect(await reserve(5)).toBe(5);
    expect(await reserve(3)).toBe(8);
    expect(await reserve(1)).toBe(9);
    await expect(reserve(0)).rejects.toThrow(RangeError);
  });

  it('draws a case number inside a caller’s transaction without touching its durability, and rolls back with it', async () => {
    const rollback = new Error('rollback');
    await expect(
      database.db.transaction(async (tx) => {
        expect(await nextCaseSequence({ db: tx, courtId: ids.courtA, year: 2027, typeCode: '民初' })).toBe(1);
        const setting = rowsOf<{ synchronous_commit: string }>(await tx.execute(sql`show synchronous_commit`));
        expect(setting[0]!.synchronous_commit).toBe('on');
        throw rollback;
      }),
    ).rejects.toBe(rollback);
    expect(await nextCaseSequence({ db: database.db, courtId: ids.courtA, year: 2027, typeCode: '民初' })).toBe(1);
  });
}

describe('storage contract on PGlite (in memory)', () => {
  storageContract(openMigratedPglite);
});

describe('embedded PGlite in a data folder', () => {
  it('creates <dataDir>/pglite and keeps the data across a restart', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'ecourt-storage-'));
    try {
      const first = await openDatabase({ dataDir });
      try {
        await migrateDatabase(first);
        await createCourt({ db: first.db, court: { code: '京0105', name: '北京市朝阳区人民法院', nameEn: 'Chaoyang', region: '北京市' }, actor: SYSTEM });
      } finally {
        await first.close();
      }
      expect(existsSync(join(dataDir, 'pglite', 'PG_VERSION'))).toBe(true);
      const second = await openDatabase({ dataDir });
      try {
        await migrateDatabase(second);
        expect((await listCourts({ db: second.db })).map((c) => c.code)).toEqual(['京0105']);
      } finally {
        await second.close();
      }
    } finally {
      await rm(dataDir, { recursive: true, force: true });
    }
  });
});

const postgres = await probePostgres();

describe.skipIf(!postgres.available)(`storage contract on Postgres${postgres.skipReason}`, () => {
  storageContract(openMigratedPostgres);

  it('lets two nodes migrate one fresh database at the same time', async () => {
    const fresh = await createTestDatabase('ecourt_migrate');
    try {
      const [a, b] = [await openDatabase({ databaseUrl: fresh.url }), await openDatabase({ databaseUrl: fresh.url })];
      try {
        await Promise.all([migrateDatabase(a), migrateDatabase(b)]);
        const result = await a.db.execute(sql`select count(*)::int as n from drizzle.__drizzle_migrations`);
        expect(rowsOf<{ n: number }>(result)[0]!.n).toBe(migrationCount);
      } finally {
        await a.close();
        await b.close();
      }
    } finally {
      await fresh.drop();
    }
  });
});

