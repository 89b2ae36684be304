// Stage hooks (issue 7 point 8) on real Postgres with a real court CA: a case of two plaintiffs against two
// defendants accepted through its actor gets its 受理通知书, an 应诉通知书 per defendant and the 举证通知书, a
// scheduled hearing a 传票 per party, an issued judgment its 民事判决书 — each a PDF that pdftotext reads
// back (parties, case number, verification code) and that pdfsig reports sealed validly by the court. A
// second reconcile issues nothing; a party without an address gets nothing issued that needs it (the other
// parties' summonses and notices are), the refusal recorded with the field and addressee and shown to court
// staff only; documents are served to members with their type and name, 404 to anyone else.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { and, eq } from 'drizzle-orm';
import { logInEach, startDemoPlatform, type DemoPlatform } from '../support/demo-platform.ts';
import { createTestDatabase, probePostgres } from '../support/services.ts';
import { pdfsig, pdftotext } from '../support/pdf-documents.ts';
import { courtCaForNode } from '../support/court-ca.ts';
import type { ScratchDatabase } from '../../storage/scratch-database.ts';
import type { CourtCa } from '../../documents/ca/court-ca.ts';
import { LocalBlobStore } from '../../storage/blobs/local-blob-store.ts';
import { blobDirOf } from '../../platform/config.ts';
import { auditLog, cases, documents } from '../../storage/schema.ts';
import { ISSUE_REFUSED_ACTION } from '../../storage/documents/issue-refusals.ts';
import { readCaseIssuingFacts } from '../../storage/documents/case-issuing-facts.ts';
import { acceptanceDocuments } from '../../documents/issuing/case-document-data.ts';
import { issueCaseDocument } from '../../documents/issuing/issue-document.ts';

const postgres = await probePostgres();
const COURT = '北京市朝阳区人民法院';
const USERS = ['judge1', 'clerk1', 'party1', 'party2', 'lawyer1'] as const;
let scratch: ScratchDatabase;
let demo: DemoPlatform;
let dir: string;
let ca: CourtCa;
const tokens: Record<string, string> = {};
const ids: Record<string, string> = {};
let courtId = '';

const JUDGMENT_TEXT = [
  '本院查明：2026年3月1日被告向原告借款五万元，至今未还。',
  '本院认为：借款事实清楚，被告应当按约还款。',
  '法律依据：《中华人民共和国民法典》第六百七十五条',
  '判决如下：',
  '一、被告于本判决生效之日起十日内偿还原告借款本金50000元；',
  '二、驳回原告的其他诉讼请求。',
  '受理费负担：由被告负担',
  '上诉法院：北京市第三中级人民法院',
].join('\n');

async function ask(caseId: string, command: { type: string } & Record<string, unknown>) {
  const reply = await demo.platform.actors.ask({ kind: 'case', id: caseId }, command);
  if (!reply.ok) throw new Error(`${String(command.type)} refused: ${reply.error.code} ${reply.error.message}`);
}
const by = (user: string, role: string) => ({ userId: ids[user]!, role });

type FiledParty = { name: string; kind: 'person' | 'organisation'; userId?: string; address?: string };
const PLAINTIFF: FiledParty = { name: '陈静', kind: 'person', address: '北京市朝阳区建国路88号' };
const SECOND_PLAINTIFF: FiledParty = { name: '王磊', kind: 'person', address: '北京市东城区东四十条12号' };
const COMPANY = (address?: string): FiledParty => ({ name: '北京示范借贷有限公司', kind: 'organisation', ...(address ? { address } : {}) });
const SECOND_DEFENDANT = (address?: string): FiledParty => ({ name: '赵强', kind: 'person', ...(address ? { address } : {}) });

/** A case filed by party1 (and any other plaintiffs) against the defendants, through review to acceptance. */
async function acceptedCase(defendants: FiledParty[], otherPlaintiffs: FiledParty[] = []): Promise<string> {
  const caseId = randomUUID();
  await ask(caseId, {
    type: 'FILE',
    by: by('party1', 'party'),
    filing: {
      courtId,
      cause: '民间借贷纠纷',
      claims: '判令被告偿还借款本金人民币50000元。\n本案诉讼费用由被告承担。',
      claimAmount: '50000.00',
      facts: '被告向原告借款未还。',
      plaintiffs: [{ ...PLAINTIFF, userId: ids.party1 }, ...otherPlaintiffs],
      defendants,
    },
  });
  await ask(caseId, { type: 'BEGIN_REVIEW', by: by('clerk1', 'clerk') });
  await ask(caseId, { type: 'ACCEPT', by: by('clerk1', 'clerk') });
  return caseId;
}

async function call(path: string, user: string) {
  const response = await fetch(demo.base + path, { headers: { authorization: `Bearer ${tokens[user]}` } });
  const bytes = Buffer.from(await response.arrayBuffer());
  const json = (response.headers.get('content-type') ?? '').includes('json') ? JSON.parse(bytes.toString('utf8')) : null;
  return { status: response.status, headers: response.headers, bytes, json };
}

async function caseNumberOf(id: string): Promise<string> {
  const [row] = await demo.platform.database.db.select({ caseNumber: cases.caseNumber }).from(cases).where(eq(cases.id, id));
  return row!.caseNumber!;
}
const rowsOf = (caseId: string) => demo.platform.database.db.select().from(documents).where(eq(documents.caseId, caseId));
const refusalsOf = (caseId: string) =>
  demo.platform.database.db.select().from(auditLog).where(and(eq(auditLog.action, ISSUE_REFUSED_ACTION), eq(auditLog.subjectId, caseId)));

/** The stored PDF: its text (pdftotext) and pdfsig's report, trusting the court root. */
async function readStored(row: { blobKey: string | null; id: string }) {
  const bytes = await new LocalBlobStore(blobDirOf(demo.platform.config)).get(row.blobKey!);
  const file = join(dir, `${row.id}.pdf`);
  writeFileSync(file, bytes);
  return { text: await pdftotext(file), sig: await pdfsig(file, join(dir, `nss-${row.id}`), [ca.rootCertificate()]) };
}

describe.skipIf(!postgres.available)(`stage documents: the case's transitions issue sealed documents${postgres.skipReason}`, () => {
  let caseId = '';
  let hearingId = '';

  beforeAll(async () => {
    scratch = await createTestDatabase('ecourt_stage_docs');
    dir = mkdtempSync(join(tmpdir(), 'ecourt-stage-docs-'));
    const node = courtCaForNode(dir, { court: COURT, courtCode: '1101050000001' });
    ca = node.ca;
    demo = await startDemoPlatform({
      tempPrefix: 'ecourt-stage-docs-',
      env: { DATABASE_URL: scratch.url, ECOURT_SECRET: randomBytes(32).toString('hex'), ECOURT_SEED_DEMO: 'always', ...node.env },
    });
    await logInEach(demo, USERS, { tokens, userIds: ids });
    courtId = (await demo.logIn('judge1')).user.courtId!;
    // The start-up pass over the demo cases first, so the counts below are this test's own.
    await demo.platform.hub!.documentIssuer.reconcile();
  }, 180_000);

  afterAll(async () => {
    await demo?.stop();
    await scratch?.drop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('the demo: its parties have addresses, so its accepted cases show real notices and summonses, no refusals', async () => {
    expect(await demo.platform.database.db.select().from(auditLog).where(eq(auditLog.action, ISSUE_REFUSED_ACTION))).toEqual([]);
    const [sales] = await demo.platform.database.db.select({ id: cases.id }).from(cases).where(eq(cases.cause, '买卖合同纠纷'));
    const rows = await rowsOf(sales!.id);
    const addressed = (kind: string) => rows.filter((row) => row.kind === kind).map((row) => row.addressee).sort();
    expect(addressed('noticeToRespond')).toEqual(['defendants.0', 'defendants.1']);
    expect(addressed('summons')).toEqual(['defendants.0', 'defendants.1', 'plaintiffs.0']);
    expect(addressed('acceptanceNotice')).toEqual([null]);
  }, 60_000);

  it('acceptance of 2 plaintiffs v. 2 defendants issues the acceptance notice, a notice to respond per defendant and the evidence notice: sealed PDFs with names, case number and verification code', async () => {
    caseId = await acceptedCase([COMPANY('北京市朝阳区示范路1号'), SECOND_DEFENDANT('北京市西城区金融街3号')], [SECOND_PLAINTIFF]);
    await demo.platform.hub!.documentIssuer.reconcile(caseId);
    const rows = await rowsOf(caseId);
    expect(rows.map((row) => row.kind).sort()).toEqual(['acceptanceNotice', 'evidenceNotice', 'noticeToRespond', 'noticeToRespond']);
    expect(rows.filter((row) => row.kind !== 'noticeToRespond').map((row) => row.addressee)).toEqual([null, null]);
    const caseNumber = await caseNumberOf(caseId);
    expect(caseNumber).toMatch(/民初\d+号/);
    for (const row of rows) {
      expect(row).toMatchObject({ mimeType: 'application/pdf', hearingId: null, createdBy: null });
      expect(row.verificationCode).toMatch(/^[0-9A-Z]{4}(-[0-9A-Z]{4}){3}$/);
      const { text, sig } = await readStored(row);
      const flat = text.replace(/\s+/g, '');
      expect(flat).toContain(caseNumber.replace(/\s+/g, ''));
      // A notice to respond names its own defendant; the acceptance and evidence notices every party.
      for (const name of row.kind === 'noticeToRespond' ? [row.details!.addressedTo as string] : ['北京示范借贷有限公司', '赵强', '陈静', '王磊']) expect(flat).toContain(name);
      expect(flat).toContain(row.verificationCode!.replace(/\s+/g, ''));
      expect(sig.signatures).toHaveLength(1);
      expect(sig.signatures[0]).toMatchObject({ valid: true, trusted: true, commonName: COURT });
    }
    // Each notice to respond is addressed to its own defendant, and names it (not the other) as the one it goes to.
    const responds = rows.filter((row) => row.kind === 'noticeToRespond').sort((a, b) => a.addressee!.localeCompare(b.addressee!));
    expect(responds.map((row) => [row.addressee, row.details?.addressedTo])).toEqual([
      ['defendants.0', '北京示范借贷有限公司'],
      ['defendants.1', '赵强'],
    ]);
    const [toCompany, toPerson] = [(await readStored(responds[0]!)).text.replace(/\s+/g, ''), (await readStored(responds[1]!)).text.replace(/\s+/g, '')];
    expect(toCompany).not.toContain('赵强');
    expect(toPerson).toContain('赵强');
    for (const flat of [toCompany, toPerson]) expect(flat).toContain('王磊');
    const notice = rows.find((row) => row.kind === 'acceptanceNotice')!;
    const { text } = await readStored(notice);
    expect(text.replace(/\s+/g, '')).toContain('陈静');
    // 50,000 yuan claimed: 50 + 40,000 × 2.5 % = 1,050 yuan (诉讼费用交纳办法 第十三条).
    expect(text.replace(/\s+/g, '')).toContain('1,050.00元');
    const audit = await demo.platform.database.db.select().from(auditLog).where(and(eq(auditLog.action, 'document.issue'), eq(auditLog.subjectId, notice.id)));
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ actorUserId: null, subjectKind: 'document', detail: { caseId, kind: 'acceptanceNotice', sha256: notice.sha256 } });
  }, 120_000);

  it('scheduling a hearing issues a summons to each of the 4 parties, each naming its party; the judgment issues the civil judgment', async () => {
    hearingId = randomUUID();
    // A minute on: held (RECORD_HEARING_HELD) and judged the same court day, as the judgment's dates must be in order.
    const startsAt = new Date(Date.now() + 60_000).toISOString();
    await ask(caseId, { type: 'SCHEDULE_HEARING', by: by('clerk1', 'clerk'), hearingId, startsAt, courtroom: '第三法庭' });
    await demo.platform.hub!.documentIssuer.reconcile(caseId);
    const summonses = (await rowsOf(caseId)).filter((row) => row.kind === 'summons').sort((a, b) => a.addressee!.localeCompare(b.addressee!));
    expect(summonses.map((row) => row.addressee)).toEqual(['defendants.0', 'defendants.1', 'plaintiffs.0', 'plaintiffs.1']);
    const summonedNames = ['北京示范借贷有限公司', '赵强', '陈静', '王磊'];
    for (const [index, summons] of summonses.entries()) {
      expect(summons).toMatchObject({ hearingId, mimeType: 'application/pdf', title: '传票', details: { summoned: summonedNames[index] } });
      const read = await readStored(summons);
      const flat = read.text.replace(/\s+/g, '');
      expect(flat).toContain('第三法庭');
      // The form's 被传唤人 cell: this party, and no other party of the case.
      expect(flat).toContain(summonedNames[index]!);
      for (const other of summonedNames.filter((name) => name !== summonedNames[index])) expect(flat).not.toContain(other);
      expect(read.sig.signatures[0]).toMatchObject({ valid: true, trusted: true });
    }

    await ask(caseId, { type: 'RECORD_HEARING_HELD', by: by('clerk1', 'clerk'), hearingId });
    await ask(caseId, { type: 'ISSUE_JUDGMENT', by: by('judge1', 'judge'), summary: JUDGMENT_TEXT });
    await demo.platform.hub!.documentIssuer.reconcile(caseId);
    const judgment = (await rowsOf(caseId)).find((row) => row.kind === 'civilJudgment');
    expect(judgment).toMatchObject({ title: '民事判决书', hearingId: null });
    const { text, sig } = await readStored(judgment!);
    const flat = text.replace(/\s+/g, '');
    for (const expected of ['民事判决书', '陈静', '北京示范借贷有限公司', '一、被告于本判决生效之日起十日内偿还原告借款本金50000元；二、驳回原告的其他诉讼请求', '第三中级人民法院', '1,050.00元', '李明']) expect(flat).toContain(expected);
    expect(sig.signatures[0]).toMatchObject({ valid: true, trusted: true });
  }, 120_000);

  it('reconciling twice more issues nothing new and records no refusal twice', async () => {
    const before = (await demo.platform.database.db.select().from(documents)).length;
    const refusalsBefore = (await demo.platform.database.db.select().from(auditLog).where(eq(auditLog.action, ISSUE_REFUSED_ACTION))).length;
    for (let pass = 0; pass < 2; pass++) {
      const tally = await demo.platform.hub!.documentIssuer.reconcile();
      expect(tally.issued).toBe(0);
      expect((await demo.platform.hub!.documentIssuer.reconcile(caseId)).issued).toBe(0);
    }
    expect((await demo.platform.database.db.select().from(documents)).length).toBe(before);
    expect((await demo.platform.database.db.select().from(auditLog).where(eq(auditLog.action, ISSUE_REFUSED_ACTION))).length).toBe(refusalsBefore);
  }, 60_000);

  it('two nodes issuing the same document at once: one row, both answered with it', async () => {
    const racedCase = await acceptedCase([COMPANY('北京市朝阳区示范路2号')]);
    const facts = (await readCaseIssuingFacts({ db: demo.platform.database.db, caseId: racedCase }))!;
    const acceptance = acceptanceDocuments(facts)[0]!;
    const issuing = (await demo.platform.hub!.documentIssuer.issuing())!;
    const request = { caseId: racedCase, template: acceptance.template, data: acceptance.data };
    const [first, second] = await Promise.all([issueCaseDocument(issuing, request), issueCaseDocument(issuing, request)]);
    expect(first.document.id).toBe(second.document.id);
    const rows = (await rowsOf(racedCase)).filter((row) => row.kind === 'acceptanceNotice');
    expect(rows).toHaveLength(1);
    expect(rows[0]!.id).toBe(first.document.id);
  }, 60_000);

  it('a defendant without an address: only what needs its address is refused (its notice and summons), the others issued; the refusals listed for court staff only', async () => {
    const refusedCase = await acceptedCase([COMPANY('北京市朝阳区示范路3号'), SECOND_DEFENDANT(undefined)]);
    const tally = await demo.platform.hub!.documentIssuer.reconcile(refusedCase);
    // The acceptance and evidence notices list every party with their address; the second defendant's notice to respond is its own.
    // (What is issued may have been issued already by the pass the ACCEPT event started; the refusals are met by every pass.)
    expect(tally.refused).toBe(3);
    expect((await rowsOf(refusedCase)).map((row) => [row.kind, row.addressee])).toEqual([['noticeToRespond', 'defendants.0']]);
    const refusals = await refusalsOf(refusedCase);
    expect(refusals.map((row) => `${String(row.detail.kind)}:${String(row.detail.addressee ?? '')}`).sort()).toEqual(['acceptanceNotice:', 'evidenceNotice:', 'noticeToRespond:defendants.1']);
    const acceptance = refusals.find((row) => row.detail.kind === 'acceptanceNotice')!;
    expect(acceptance).toMatchObject({ actorUserId: null, subjectKind: 'case', detail: { code: 'DOCUMENT_DATA_INVALID' } });
    expect((acceptance.detail.fields as { field: string }[]).map((field) => field.field)).toEqual(['defendants.1.address']);

    // The hearing: the plaintiff and the first defendant are summoned; the second defendant's summons alone is refused.
    const refusedHearing = randomUUID();
    await ask(refusedCase, { type: 'SCHEDULE_HEARING', by: by('clerk1', 'clerk'), hearingId: refusedHearing, startsAt: new Date(Date.now() + 86_400_000).toISOString(), courtroom: '第五法庭' });
    expect((await demo.platform.hub!.documentIssuer.reconcile(refusedCase)).refused).toBe(4);
    const summonses = (await rowsOf(refusedCase)).filter((row) => row.kind === 'summons');
    expect(summonses.map((row) => row.addressee).sort()).toEqual(['defendants.0', 'plaintiffs.0']);
    const summonsRefusal = (await refusalsOf(refusedCase)).find((row) => row.detail.kind === 'summons')!;
    // The field as the case names it (the summons itself calls it summoned.address).
    expect(summonsRefusal.detail).toMatchObject({ hearingId: refusedHearing, addressee: 'defendants.1', fields: [{ field: 'defendants.1.address' }] });
    const noticeRefusal = (await refusalsOf(refusedCase)).find((row) => row.detail.kind === 'noticeToRespond')!;
    expect(noticeRefusal.detail).toMatchObject({ addressee: 'defendants.1', fields: [{ field: 'defendants.1.address' }] });

    const problems = await call(`/api/v1/cases/${refusedCase}/document-problems`, 'clerk1');
    expect(problems.status).toBe(200);
    expect(problems.json.problems.map((problem: { kind: string; addressee: string | null }) => `${problem.kind}:${problem.addressee ?? ''}`).sort()).toEqual([
      'acceptanceNotice:',
      'evidenceNotice:',
      'noticeToRespond:defendants.1',
      'summons:defendants.1',
    ]);
    expect(problems.json.problems.find((problem: { kind: string }) => problem.kind === 'acceptanceNotice').fields[0]).toMatchObject({ field: 'defendants.1.address' });
    expect((await call(`/api/v1/cases/${refusedCase}/document-problems`, 'party1')).status).toBe(403);
    expect((await call(`/api/v1/cases/${caseId}/document-problems`, 'clerk1')).json.problems).toEqual([]);
    // Another pass meets the same refusals: none recorded twice.
    const recorded = (await refusalsOf(refusedCase)).length;
    await demo.platform.hub!.documentIssuer.reconcile(refusedCase);
    expect((await refusalsOf(refusedCase)).length).toBe(recorded);
  }, 120_000);

  it('members list and download the documents (PDF, title and case number as the file name); anyone else gets 404', async () => {
    const listing = await call(`/api/v1/cases/${caseId}/documents`, 'party1');
    expect(listing.status).toBe(200);
    const kinds = listing.json.documents.map((document: { kind: string }) => document.kind);
    expect(kinds).toEqual(expect.arrayContaining(['acceptanceNotice', 'noticeToRespond', 'evidenceNotice', 'summons', 'civilJudgment']));
    expect(listing.json.documents.filter((document: { kind: string }) => document.kind === 'summons').map((document: { addressee: string }) => document.addressee).sort()).toEqual([
      'defendants.0',
      'defendants.1',
      'plaintiffs.0',
      'plaintiffs.1',
    ]);
    const judgment = listing.json.documents.find((document: { kind: string }) => document.kind === 'civilJudgment');
    expect(judgment).toMatchObject({ mimeType: 'application/pdf', verificationCode: expect.stringMatching(/^[0-9A-Z-]{19}$/), pageCount: expect.any(Number) });
    const content = await call(judgment.contentPath, 'party1');
    expect(content.status).toBe(200);
    expect(content.headers.get('content-type')).toBe('application/pdf');
    expect(content.bytes.subarray(0, 5).toString()).toBe('%PDF-');
    const disposition = content.headers.get('content-disposition')!;
    const caseNumber = await caseNumberOf(caseId);
    const named = /filename\*=UTF-8''(.+)$/.exec(disposition)?.[1];
    expect(decodeURIComponent(named!)).toBe(`民事判决书-${caseNumber}.pdf`);
    expect(disposition).toMatch(/^attachment; filename="civilJudgment-[0-9a-f-]+\.pdf"; /);

    expect((await call(`/api/v1/cases/${caseId}/documents`, 'party2')).status).toBe(404);
    expect((await call(judgment.contentPath, 'party2')).status).toBe(404);
  }, 60_000);
});
