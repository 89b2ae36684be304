// `ecourt verify --code` as the README shows it, against a real Postgres: a sealed judgment recorded as issued
// under a 验证码; the code alone prints what the public API prints (never the case), with the file it says
// whether the file is that document (also after someone signs it again), and exit codes are 0 found / the
// file is it, 1 unknown code / another file, 2 bad usage. Real child processes, court CA and database.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sha256Hex } from '../../documents/archive/manifest.ts';
import { newVerificationCode } from '../../documents/verification/verification-code.ts';
import { cases, courts, documents, users } from '../../storage/schema.ts';
import { runEcourtToEnd } from '../support/cli-process.ts';
import { judgmentPdf } from '../support/pdf-documents.ts';
import { probePostgres } from '../support/services.ts';
import { newId, openMigratedPostgres, type OpenedTestDatabase } from '../support/storage.ts';

const postgres = await probePostgres();

describe.skipIf(!postgres.available)(`ecourt verify --code on Postgres${postgres.skipReason}`, () => {
  let dir: string;
  let opened: OpenedTestDatabase;
  let env: Record<string, string>;
  const code = newVerificationCode();
  const caseNumber = `（2026）京0108民初${Math.floor(Math.random() * 1e5)}号`;
  const ecourt = (args: string[]) => runEcourtToEnd(args, env);

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'ecourt-cli-verify-code-'));
    opened = await openMigratedPostgres();
    env = { ECOURT_DATA_DIR: join(dir, 'data'), DATABASE_URL: opened.url!, ECOURT_SECRET: randomBytes(24).toString('hex'), ECOURT_DATA_KEY: randomBytes(32).toString('hex') };
    writeFileSync(join(dir, 'judgment.pdf'), await judgmentPdf());
    expect((await ecourt(['ca', 'init', '--court', '北京市海淀区人民法院', '--code', '1101080000001'])).code).toBe(0);
    expect((await ecourt(['ca', 'issue', 'court', '--kind', 'court-seal', '--name', '北京市海淀区人民法院'])).code).toBe(0);
    expect((await ecourt(['ca', 'issue', 'judge-li', '--kind', 'person', '--name', '李明'])).code).toBe(0);
    const sealed = await ecourt(['seal', join(dir, 'judgment.pdf'), '--out', join(dir, 'sealed.pdf'), '--mode', 'fixed', '--page', '2', '--x', '380', '--y', '80']);
    expect(sealed.code, sealed.stderr).toBe(0);
    // The court's record of what it issued under the code: the sealed file's hash, as the issuer stores it.
    const bytes = readFileSync(join(dir, 'sealed.pdf'));
    const db = opened.database.db;
    const [court] = await db.insert(courts).values({ code: `京${Math.floor(Math.random() * 1e6)}`, name: '北京市海淀区人民法院', nameEn: 'Haidian court', region: '北京' }).returning();
    const [user] = await db.insert(users).values({ username: `judge-${newId()}`, displayName: '李明', role: 'judge', courtId: court!.id, passwordHash: 'x' }).returning();
    const at = new Date('2026-11-20T18:00:00Z'); // 2026-11-21 in Beijing
    const [row] = await db
      .insert(cases)
      .values({ courtId: court!.id, caseNumber, cause: '买卖合同纠纷', claims: '支付货款', state: 'judged', filedBy: user!.id, filedAt: at, updatedAt: at, lastSeq: 1 })
      .returning();
    await db.insert(documents).values({
      caseId: row!.id,
      kind: 'civilJudgment',
      title: '民事判决书',
      sha256: sha256Hex(bytes),
      blobKey: 'not-read-by-the-lookup',
      mimeType: 'application/pdf',
      sizeBytes: bytes.length,
      pageCount: 2,
      createdBy: user!.id,
      verificationCode: code,
      createdAt: at,
    });
  }, 120_000);

  afterAll(async () => {
    await opened?.dispose();
    rmSync(dir, { recursive: true, force: true });
  });

  it('looks a code up as typed (lower case, no dashes): kind, title, court date, hash, pages — never the case', async () => {
    const typed = code.replace(/-/g, '').toLowerCase();
    const found = await ecourt(['verify', '--code', typed, '--json']);
    expect(found.code, found.stderr).toBe(0);
    const sealedSha = sha256Hex(readFileSync(join(dir, 'sealed.pdf')));
    expect(JSON.parse(found.stdout)).toEqual({ code, kind: 'civilJudgment', title: '民事判决书', issuedOn: '2026-11-21', sha256: sealedSha, mimeType: 'application/pdf', pageCount: 2, bundleSha256: null });
    expect(found.stdout).not.toContain(caseNumber);

    const text = await ecourt(['verify', '--code', code]);
    expect(text.code).toBe(0);
    expect(text.stdout).toContain('民事判决书');
    expect(text.stdout).toContain('2026-11-21');
    expect(text.stdout).toContain(sealedSha);
    expect(text.stdout).not.toContain(caseNumber);
    expect(text.stdout).not.toContain('买卖合同纠纷');
  }, 60_000);

  it('an unknown code exits 1 with VERIFICATION_CODE_UNKNOWN; a malformed code or no file and no code is bad usage (2)', async () => {
    const unknown = await ecourt(['verify', '--code', newVerificationCode(), '--json']);
    expect(unknown.code).toBe(1);
    expect(JSON.parse(unknown.stdout).error.code).toBe('VERIFICATION_CODE_UNKNOWN');
    const unknownText = await ecourt(['verify', '--code', newVerificationCode()]);
    expect(unknownText.code).toBe(1);
    expect(unknownText.stderr).toContain('VERIFICATION_CODE_UNKNOWN');
    const malformed = await ecourt(['verify', '--code', 'UUUU-1234']);
    expect(malformed.code).toBe(2);
    expect(malformed.stderr).toContain('验证码格式不正确');
    expect((await ecourt(['verify'])).code).toBe(2);
    expect((await ecourt(['verify', 'a.pdf', 'b.pdf', '--code', code])).code).toBe(2);
  }, 60_000);

  it('with the file: the sealed file and a later signed revision of it are the document (0); the unsealed original is not (1)', async () => {
    const same = await ecourt(['verify', join(dir, 'sealed.pdf'), '--code', code, '--json']);
    expect(same.code, same.stdout + same.stderr).toBe(0);
    const report = JSON.parse(same.stdout);
    expect(report.byCode).toMatchObject({ matches: true, document: { code, title: '民事判决书' } });
    expect(report.signatures.map((signature: { seal: string; valid: boolean }) => [signature.seal, signature.valid])).toEqual([['court', true]]);
    expect(same.stdout).not.toContain(caseNumber);

    // A judge signs the issued file again: the file changed, but the revision the court issued is inside it.
    const again = await ecourt(['seal', join(dir, 'sealed.pdf'), '--out', join(dir, 'countersigned.pdf'), '--seal', 'judge-li', '--mode', 'fixed', '--page', '1', '--x', '100', '--y', '100']);
    expect(again.code, again.stderr).toBe(0);
    const revision = await ecourt(['verify', join(dir, 'countersigned.pdf'), '--code', code]);
    expect(revision.code, revision.stdout + revision.stderr).toBe(0);
    expect(revision.stdout).toContain('IS the document issued under');

    const other = await ecourt(['verify', join(dir, 'judgment.pdf'), '--code', code]);
    expect(other.code).toBe(1);
    expect(other.stdout).toContain('is NOT the document issued under');
    expect(other.stdout).toContain('no signatures');
    const otherJson = JSON.parse((await ecourt(['verify', join(dir, 'judgment.pdf'), '--code', code, '--json'])).stdout);
    expect(otherJson.byCode.matches).toBe(false);

    const unknown = await ecourt(['verify', join(dir, 'sealed.pdf'), '--code', newVerificationCode(), '--json']);
    expect(unknown.code).toBe(1);
    expect(JSON.parse(unknown.stdout).error.code).toBe('VERIFICATION_CODE_UNKNOWN');
  }, 120_000);
});
