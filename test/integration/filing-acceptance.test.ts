// 立案 end to end on real Postgres and the NATS bus (JetStream events, shard leases), with a court CA made
// the way a court makes it (init + court seal): a clean filing is accepted in the POST's answer with a
// sealed receipt pdfsig trusts; a clerk's acceptance sent over NATS is finished by the acceptor hearing
// the filing actor's event batch; an acceptance left undone while no acceptor ran is finished by the next
// acceptor at its start; and running it again creates no second case, receipt or message.
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CourtCa } from '../../documents/ca/court-ca.ts';
import { FILING_KIND } from '../../actors/filing/filing.protocol.ts';
import { startFilingAcceptor } from '../../hub/filings/filing-acceptor.ts';
import { sampleFiling } from '../../models/filing-rules/samples.ts';
import type { FilingInput } from '../../models/filing-rules/filing.ts';
import { silentLogger } from '../../platform/logger.ts';
import { filingMaterials, filings, inboxMessages } from '../../storage/filings/schema.ts';
import { cases, documents } from '../../storage/schema.ts';
import type { ScratchDatabase } from '../../storage/scratch-database.ts';
import { callApi } from '../support/api-call.ts';
import { startDemoPlatform, type DemoPlatform } from '../support/demo-platform.ts';
import { pdfsig } from '../support/pdf-documents.ts';
import { NATS_TEST_URL, createTestDatabase, probeNats, probePostgres, uniqueNamespace } from '../support/services.ts';
import { waitFor } from '../support/wait-for.ts';
import { courtCaForNode } from '../support/court-ca.ts';

const [postgres, nats] = await Promise.all([probePostgres(), probeNats()]);
const skipReason = postgres.skipReason || nats.skipReason;
const COURT = '北京市朝阳区人民法院';

describe.skipIf(!postgres.available || !nats.available)(`filing acceptance on Postgres and NATS${skipReason}`, () => {
  let dir: string;
  let scratch: ScratchDatabase;
  let demo: DemoPlatform;
  let ca: CourtCa;
  let courtId: string;
  const tokens: Record<string, string> = {};
  const userIds: Record<string, string> = {};

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'ecourt-filing-acceptance-'));
    scratch = await createTestDatabase('ecourt_filing_accept');
    const node = courtCaForNode(dir, { court: COURT, courtCode: '0105' });
    ca = node.ca;
    demo = await startDemoPlatform({
      tempPrefix: 'ecourt-filing-acceptance-hub-',
      env: {
        DATABASE_URL: scratch.url,
        NATS_URL: NATS_TEST_URL,
        ECOURT_NATS_NAMESPACE: uniqueNamespace('filing'),
        ECOURT_SECRET: randomBytes(32).toString('hex'),
        ...node.env,
        ECOURT_SEED_DEMO: 'always',
      },
    });
    for (const username of ['party1', 'party2', 'clerk1']) {
      const login = await demo.logIn(username);
      tokens[username] = login.token;
      userIds[username] = login.user.id;
      if (login.user.courtId) courtId = login.user.courtId;
    }
  }, 180_000);

  afterAll(async () => {
    await demo?.stop();
    await scratch?.drop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  const db = () => demo.platform.database.db;

  async function ownFiling(username: string, cause: Parameters<typeof sampleFiling>[0]): Promise<FilingInput> {
    const filing = sampleFiling(cause, courtId);
    for (const material of filing.materials) {
      const id = randomUUID();
      const bytes = randomBytes(32);
      await db()
        .insert(filingMaterials)
        .values({ id, userId: userIds[username]!, type: material.type, name: material.name, sha256: createHash('sha256').update(bytes).digest('hex'), blobKey: `test/${id}`, mimeType: material.mimeType, sizeBytes: bytes.length, pageCount: material.pages });
      for (const item of filing.evidence) if (item.materialId === material.id) item.materialId = id;
      material.id = id;
    }
    return filing;
  }

  /** Causes off the auto-accept list (each filed once: a second would be a duplicate). */
  const needingClerk = async (username: string, cause: 'labourRemuneration' | 'trafficAccident') => {
    const reply = await callApi(demo.base, 'POST', '/api/v1/filings', { token: tokens[username], body: await ownFiling(username, cause) });
    expect(reply.status, reply.text).toBe(201);
    expect(reply.json.filing.status).toBe('needsClerk');
    return reply.json.filing.id as string;
  };
  const decideAccept = (filingId: string) =>
    demo.platform.actors.ask({ kind: FILING_KIND, id: filingId }, { type: 'DECIDE', by: { userId: userIds.clerk1!, role: 'clerk' }, decision: 'accept', reason: '经审查符合立案条件' });
  const rowOf = async (filingId: string) => (await db().select().from(filings).where(eq(filings.id, filingId)))[0]!;

  it('a clean filing is accepted in the answer; the receipt is sealed with the court seal (pdfsig: valid, trusted)', async () => {
    const reply = await callApi(demo.base, 'POST', '/api/v1/filings', { token: tokens.party1, body: await ownFiling('party1', 'creditCard') });
    expect(reply.status, reply.text).toBe(201);
    const filing = reply.json.filing;
    expect(filing.status, JSON.stringify(filing.reasons)).toBe('accepted');
    expect(filing.caseNumber).toMatch(/京0105民初\d+号/);
    const [row] = await db().select().from(cases).where(eq(cases.id, filing.caseId));
    expect(row).toMatchObject({ state: 'accepted', caseNumber: filing.caseNumber, filedBy: userIds.party1 });
    const response = await fetch(demo.base + filing.receipt.contentPath, { headers: { authorization: `Bearer ${tokens.party1}` } });
    const file = join(dir, 'receipt.pdf');
    writeFileSync(file, Buffer.from(await response.arrayBuffer()));
    const { signatures } = await pdfsig(file, join(dir, 'nss'), [ca.rootCertificate()]);
    expect(signatures[0]).toMatchObject({ valid: true, trusted: true, commonName: COURT });
  }, 60_000);

  it('a clerk’s acceptance sent over NATS is finished by the acceptor hearing the filing’s event batch', async () => {
    const filingId = await needingClerk('party2', 'labourRemuneration');
    expect(await decideAccept(filingId)).toMatchObject({ ok: true, state: 'clerkAccepted' });
    const row = await waitFor(async () => {
      const current = await rowOf(filingId);
      return current.status === 'accepted' ? current : null;
    }, 'the acceptor to finish the clerk’s acceptance', 30_000);
    expect(row.caseNumber).toMatch(/京0105民初\d+号/);
    expect(row.receiptDocumentId).not.toBeNull();
  }, 60_000);

  it('an acceptance left undone while no acceptor ran is finished by the next one at its start, once', async () => {
    await demo.platform.hub!.filingAcceptor.stop();
    const filingId = await needingClerk('party2', 'trafficAccident');
    expect(await decideAccept(filingId)).toMatchObject({ ok: true, state: 'clerkAccepted' });
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect((await rowOf(filingId)).state).toBe('clerkAccepted');

    const hubIssuer = demo.platform.hub!.documentIssuer;
    const acceptorOptions = { db: db(), bus: demo.platform.bus, actors: demo.platform.actors, cipher: demo.platform.cipher, logger: silentLogger, issuing: () => hubIssuer.issuing() };
    // Two acceptors at once (two hub nodes starting): one case, one receipt, one message of each kind.
    const first = startFilingAcceptor(acceptorOptions);
    const second = startFilingAcceptor(acceptorOptions);
    try {
      const row = await waitFor(async () => {
        const current = await rowOf(filingId);
        return current.status === 'accepted' ? current : null;
      }, 'the restarted acceptor to finish the acceptance', 30_000);
      await Promise.all([first.reconcile(), second.reconcile()]);
      const receipts = await db().select().from(documents).where(eq(documents.caseId, row.caseId!));
      expect(receipts.filter((document) => document.kind === 'filingReceipt')).toHaveLength(1);
      const messages = await db().select().from(inboxMessages).where(sql`${inboxMessages.body}->>'filingId' = ${filingId}`);
      expect(messages.map((message) => message.kind).sort()).toEqual(['feeNotice', 'filingAccepted']);
      const caseRows = await db().select().from(cases).where(eq(cases.id, row.caseId!));
      expect(caseRows).toHaveLength(1);
    } finally {
      await first.stop();
      await second.stop();
    }
  }, 90_000);
});
