// GET /api/v1/cases/:caseId/archive (电子卷宗 as a ZIP): court staff of the case get the sealed case file,
// which unzips (Info-ZIP's unzip) into a folder verifyCaseFile accepts against the root it carries; a party
// and a lawyer of the case are refused, an unknown case is 404. The whole platform in-process.
import { execFile } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sha256Hex, type CaseFileManifest } from '../../documents/archive/manifest.ts';
import { verifyCaseFile } from '../../documents/archive/verify-case-file.ts';
import { CourtCa } from '../../documents/ca/court-ca.ts';
import { auditLog } from '../../storage/schema.ts';
import { demoHearing, startDemoPlatform, type DemoPlatform } from '../support/demo-platform.ts';
import { minimalPdf, solidPng } from '../support/evidence-files.ts';

const exec = promisify(execFile);
let dir: string;
let demo: DemoPlatform;
let caseId: string;
const tokens: Record<string, string> = {};

const get = (path: string, token: string) => fetch(demo.base + path, { headers: { authorization: `Bearer ${token}` } });
const upload = (title: string, body: Buffer, type: string) =>
  fetch(`${demo.base}/api/v1/cases/${caseId}/evidence?title=${encodeURIComponent(title)}`, { method: 'POST', headers: { authorization: `Bearer ${tokens.party1}`, 'content-type': type }, body: body as BodyInit });

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'ecourt-archive-api-'));
  // The hub unlocks the CA's keys with its data key: the CA is made with the same one.
  const dataKey = randomBytes(32).toString('hex');
  const ca = new CourtCa(join(dir, 'ca'), Buffer.from(dataKey, 'hex'));
  ca.init({ court: '北京市海淀区人民法院', courtCode: '1101080000001' });
  ca.issue({ id: 'court', kind: 'court-seal', name: '北京市海淀区人民法院' });
  demo = await startDemoPlatform({ tempPrefix: 'ecourt-archive-hub-', env: { ECOURT_DATA_KEY: dataKey, ECOURT_CA_DIR: join(dir, 'ca') } });
  for (const username of ['judge1', 'clerk1', 'party1', 'lawyer1']) tokens[username] = (await demo.logIn(username)).token;
  ({ caseId } = await demoHearing(demo.base, tokens.judge1!));
  expect((await upload('借条', minimalPdf(2), 'application/pdf')).status).toBe(201);
  expect((await upload('转账截图', solidPng(40, 30), 'image/png')).status).toBe(201);
}, 180_000);

afterAll(async () => {
  await demo?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('GET /api/v1/cases/:caseId/archive', () => {
  it('gives the clerk a sealed case file that unzips into a folder that verifies offline', async () => {
    const response = await get(`/api/v1/cases/${caseId}/archive`, tokens.clerk1!);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/zip');
    writeFileSync(join(dir, 'case-file.zip'), Buffer.from(await response.arrayBuffer()));
    await exec('unzip', ['-q', join(dir, 'case-file.zip'), '-d', join(dir, 'unzipped')]);
    const manifest: CaseFileManifest = JSON.parse(readFileSync(join(dir, 'unzipped', 'manifest.json'), 'utf8'));
    expect(manifest.case.id).toBe(caseId);
    expect(manifest.items.map((item) => item.title)).toEqual(expect.arrayContaining(['借条', '转账截图']));
    expect(response.headers.get('x-case-file-sha256')).toBe(sha256Hex(readFileSync(join(dir, 'unzipped', 'case-file.pdf'))));
    const report = await verifyCaseFile(join(dir, 'unzipped'));
    expect(report.valid).toBe(true);

    // Who took the file, and which bundle: hashes and counts, no titles.
    const audit = await demo.platform.database.db.select().from(auditLog).where(and(eq(auditLog.action, 'case.archive'), eq(auditLog.subjectId, caseId)));
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ actorRole: 'clerk', subjectKind: 'case', detail: { items: manifest.items.length, bundleSha256: manifest.bundle.sha256, seal: 'court' } });
    expect(JSON.stringify(audit[0]!.detail)).not.toContain('借条');
  });

  it('refuses the parties\' side and answers 404 for a case that does not exist', async () => {
    expect((await get(`/api/v1/cases/${caseId}/archive`, tokens.party1!)).status).toBe(403);
    expect((await get(`/api/v1/cases/${caseId}/archive`, tokens.lawyer1!)).status).toBe(403);
    expect((await get(`/api/v1/cases/${randomUUID()}/archive`, tokens.judge1!)).status).toBe(404);
  });
});
