// Stage hooks for service (issue 7 follow-up), on real Postgres with a real court CA: once the clerk records that
// the judgment has been served (the case actor's RECORD_SERVICE), a 送达回证 is issued to each plaintiff and
// defendant — electronic service through the platform, naming that party, the 民事判决书 among the documents
// served, the clerk as the server — each a PDF pdftotext reads back and pdfsig reports sealed validly by the
// court. Reconciling again issues nothing; a defendant without an address has its own 回证 refused alone.
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
import { auditLog, cases, documents, users } from '../../storage/schema.ts';
import { ISSUE_REFUSED_ACTION } from '../../storage/documents/issue-refusals.ts';
import { listCasesWithDocumentsDue } from '../../storage/documents/list-cases-with-documents-due.ts';

const postgres = await probePostgres();
const COURT = '北京市朝阳区人民法院';
const USERS = ['judge1', 'clerk1', 'party1'] as const;
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
  '受理费负担：由被告负担',
  '上诉法院：北京市第三中级人民法院',
].join('\n');

async function ask(caseId: string, command: { type: string } & Record<string, unknown>) {
  const reply = await demo.platform.actors.ask({ kind: 'case', id: caseId }, command);
  if (!reply.ok) throw new Error(`${String(command.type)} refused: ${reply.error.code} ${reply.error.message}`);
}
const by = (user: string, role: string) => ({ userId: ids[user]!, role });
const issuer = () => demo.platform.hub!.documentIssuer;
const db = () => demo.platform.database.db;

type FiledParty = { name: string; kind: 'person' | 'organisation'; userId?: string; address?: string };
const PLAINTIFF: FiledParty = { name: '陈静', kind: 'person', address: '北京市朝阳区建国路88号' };
const COMPANY: FiledParty = { name: '北京示范借贷有限公司', kind: 'organisation', address: '北京市朝阳区示范路1号' };
const PERSON = (address?: string): FiledParty => ({ name: '赵强', kind: 'person', ...(address ? { address } : {}) });

/** A case filed by party1 against the defendants, accepted, heard and judged (its documents issued). */
async function judgedCase(defendants: FiledParty[]): Promise<string> {
  const caseId = randomUUID();
  await ask(caseId, {
    type: 'FILE',
    by: by('party1', 'party'),
    filing: {
      courtId,
      cause: '民间借贷纠纷',
      claims: '判令被告偿还借款本金人民币50000元。',
      claimAmount: '50000.00',
      facts: '被告向原告借款未还。',
      plaintiffs: [{ ...PLAINTIFF, userId: ids.party1 }],
      defendants,
    },
  });
  await ask(caseId, { type: 'BEGIN_REVIEW', by: by('clerk1', 'clerk') });
  await ask(caseId, { type: 'ACCEPT', by: by('clerk1', 'clerk') });
  const hearingId = randomUUID();
  // A minute on: held and judged the same court day, as the judgment's dates must be in order.
  await ask(caseId, { type: 'SCHEDULE_HEARING', by: by('clerk1', 'clerk'), hearingId, startsAt: new Date(Date.now() + 60_000).toISOString(), courtroom: '第三法庭' });
  // Its summonses while the hearing is still scheduled (a held hearing owes none).
  await issuer().reconcile(caseId);
  await ask(caseId, { type: 'RECORD_HEARING_HELD', by: by('clerk1', 'clerk'), hearingId });
  await ask(caseId, { type: 'ISSUE_JUDGMENT', by: by('judge1', 'judge'), summary: JUDGMENT_TEXT });
  await issuer().reconcile(caseId);
  return caseId;
}

const rowsOf = (caseId: string) => db().select().from(documents).where(eq(documents.caseId, caseId));
const proofsOf = async (caseId: string) =>
  (await rowsOf(caseId)).filter((row) => row.kind === 'proofOfService').sort((a, b) => b.addressee!.localeCompare(a.addressee!));
const refusalsOf = (caseId: string) => db().select().from(auditLog).where(and(eq(auditLog.action, ISSUE_REFUSED_ACTION), eq(auditLog.subjectId, caseId)));

async function readStored(row: { blobKey: string | null; id: string }) {
  const bytes = await new LocalBlobStore(blobDirOf(demo.platform.config)).get(row.blobKey!);
  const file = join(dir, `${row.id}.pdf`);
  writeFileSync(file, bytes);
  return { text: (await pdftotext(file)).replace(/\s+/g, ''), sig: await pdfsig(file, join(dir, `nss-${row.id}`), [ca.rootCertificate()]) };
}

describe.skipIf(!postgres.available)(`stage documents: recorded service issues a proof of service per party${postgres.skipReason}`, () => {
  let caseId = '';
  let clerkName = '';

  beforeAll(async () => {
    scratch = await createTestDatabase('ecourt_stage_service');
    dir = mkdtempSync(join(tmpdir(), 'ecourt-stage-service-'));
    const node = courtCaForNode(dir, { court: COURT, courtCode: '1101050000001' });
    ca = node.ca;
    demo = await startDemoPlatform({
      tempPrefix: 'ecourt-stage-service-',
      env: { DATABASE_URL: scratch.url, ECOURT_SECRET: randomBytes(32).toString('hex'), ECOURT_SEED_DEMO: 'always', ...node.env },
    });
    await logInEach(demo, USERS, { tokens, userIds: ids });
    courtId = (await demo.logIn('judge1')).user.courtId!;
    clerkName = (await db().select({ name: users.displayName }).from(users).where(eq(users.id, ids.clerk1!)))[0]!.name;
    await issuer().reconcile();
  }, 180_000);

  afterAll(async () => {
    await demo?.stop();
    await scratch?.drop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('judgment, then the clerk records service: one proof of service per party, electronic, naming the party and the judgment, sealed validly', async () => {
    caseId = await judgedCase([COMPANY, PERSON('北京市西城区金融街3号')]);
    expect(await proofsOf(caseId)).toEqual([]);
    await ask(caseId, { type: 'RECORD_SERVICE', by: by('clerk1', 'clerk') });
    expect(await listCasesWithDocumentsDue({ db: db() })).toContain(caseId);
    const tally = await issuer().reconcile(caseId);
    expect(tally.refused).toBe(0);
    const proofs = await proofsOf(caseId);
    // (The pass the RECORD_SERVICE event started may have issued some already; together, one per party.)
    expect(proofs.map((row) => [row.addressee, row.details?.addressedTo])).toEqual([
      ['plaintiffs.0', '陈静'],
      ['defendants.1', '赵强'],
      ['defendants.0', '北京示范借贷有限公司'],
    ]);
    const [caseRow] = await db().select({ caseNumber: cases.caseNumber, state: cases.state }).from(cases).where(eq(cases.id, caseId));
    expect(caseRow!.state).toBe('served');
    const names = ['陈静', '赵强', '北京示范借贷有限公司'];
    for (const [index, row] of proofs.entries()) {
      expect(row).toMatchObject({ title: '送达回证', mimeType: 'application/pdf', hearingId: null, createdBy: null, details: { method: '电子送达' } });
      const { text, sig } = await readStored(row);
      for (const expected of ['送达回证', caseRow!.caseNumber!.replace(/\s+/g, ''), names[index]!, '民事判决书', '电子送达', clerkName, row.verificationCode!]) expect(text).toContain(expected);
      // Addressed to that party: no other party of the case on it.
      for (const other of names.filter((name) => name !== names[index])) expect(text).not.toContain(other);
      // The plaintiff was served the 受理通知书, a defendant its 应诉通知书; every party the summons and the evidence notice.
      expect(text).toContain(index === 0 ? '受理通知书' : '应诉通知书');
      for (const served of ['举证通知书', '传票']) expect(text).toContain(served);
      expect(sig.signatures).toHaveLength(1);
      expect(sig.signatures[0]).toMatchObject({ valid: true, trusted: true, commonName: COURT });
    }
  }, 180_000);

  it('reconciling again issues nothing new and the case no longer owes a document', async () => {
    const before = (await db().select().from(documents)).length;
    for (let pass = 0; pass < 2; pass++) {
      expect((await issuer().reconcile()).issued).toBe(0);
      expect((await issuer().reconcile(caseId)).issued).toBe(0);
    }
    expect((await db().select().from(documents)).length).toBe(before);
    expect(await listCasesWithDocumentsDue({ db: db() })).not.toContain(caseId);
  }, 120_000);

  it('a defendant without an address: its own proof of service refused (defendants.1.address), the other parties’ issued', async () => {
    const refusedCase = await judgedCase([COMPANY, PERSON(undefined)]);
    const refusalsBefore = (await refusalsOf(refusedCase)).length;
    await ask(refusedCase, { type: 'RECORD_SERVICE', by: by('judge1', 'judge') });
    const tally = await issuer().reconcile(refusedCase);
    expect(tally.refused).toBeGreaterThanOrEqual(1);
    expect((await proofsOf(refusedCase)).map((row) => row.addressee)).toEqual(['plaintiffs.0', 'defendants.0']);
    const refusals = (await refusalsOf(refusedCase)).filter((row) => row.detail.kind === 'proofOfService');
    expect(refusals).toHaveLength(1);
    expect(refusals[0]!.detail).toMatchObject({ addressee: 'defendants.1', code: 'DOCUMENT_DATA_INVALID', fields: [{ field: 'defendants.1.address' }] });
    expect((await refusalsOf(refusedCase)).length).toBeGreaterThan(refusalsBefore);
    // Still owed, so still listed; another pass records the refusal no second time.
    expect(await listCasesWithDocumentsDue({ db: db() })).toContain(refusedCase);
    await issuer().reconcile(refusedCase);
    expect((await refusalsOf(refusedCase)).filter((row) => row.detail.kind === 'proofOfService')).toHaveLength(1);
  }, 180_000);
});
