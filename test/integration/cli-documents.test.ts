// `ecourt ca`, `ecourt seal` and `ecourt verify` as the README shows them: real child processes,
// a court CA in a fresh data dir, exit codes 0 done / 1 refused or invalid / 2 bad usage.
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runEcourtToEnd } from '../support/cli-process.ts';
import { judgmentPdf } from '../support/pdf-documents.ts';

let dir: string;
let env: Record<string, string>;
const ecourt = (args: string[]) => runEcourtToEnd(args, env);

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'ecourt-cli-documents-'));
  env = { ECOURT_DATA_DIR: join(dir, 'data') };
  writeFileSync(join(dir, 'judgment.pdf'), await judgmentPdf());
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('ecourt ca, seal and verify', () => {
  it('creates the court CA, issues seal and judge certificates, seals twice and verifies both signatures', async () => {
    const init = await ecourt(['ca', 'init', '--court', '北京市海淀区人民法院', '--code', '1101080000001', '--json']);
    expect(init.code, init.stderr).toBe(0);
    expect(JSON.parse(init.stdout).root.name).toContain('北京市海淀区人民法院');
    // Private keys are encrypted at rest and readable by the owner only.
    expect(statSync(join(dir, 'data', 'ca', 'root.key')).mode & 0o777).toBe(0o600);
    expect(readFileSync(join(dir, 'data', 'ca', 'root.key'), 'utf8')).toContain('ENCRYPTED PRIVATE KEY');
    expect((await ecourt(['ca', 'init', '--court', 'x', '--code', '1'])).code).toBe(1);

    expect((await ecourt(['ca', 'issue', 'court', '--kind', 'court-seal', '--name', '北京市海淀区人民法院'])).code).toBe(0);
    const judge = await ecourt(['ca', 'issue', 'judge-li', '--kind', 'person', '--name', '李明', '--department', '审判员', '--json']);
    expect(judge.code, judge.stderr).toBe(0);
    const listing = JSON.parse((await ecourt(['ca', 'list', '--json'])).stdout);
    expect(listing.certificates.map((entry: { id: string }) => entry.id)).toEqual(['court', 'judge-li']);

    const first = await ecourt(['seal', join(dir, 'judgment.pdf'), '--out', join(dir, 'signed.pdf'), '--seal', 'judge-li', '--mode', 'fixed', '--page', '2', '--x', '100', '--y', '100']);
    expect(first.code, first.stderr).toBe(0);
    const second = await ecourt(['seal', join(dir, 'signed.pdf'), '--out', join(dir, 'sealed.pdf'), '--mode', 'fixed', '--page', '2', '--x', '380', '--y', '80', '--json']);
    expect(second.code, second.stderr).toBe(0);
    expect(JSON.parse(second.stdout)).toMatchObject({ seal: 'court', field: 'Signature2' });

    const verified = await ecourt(['verify', join(dir, 'sealed.pdf'), '--json']);
    expect(verified.code, verified.stdout + verified.stderr).toBe(0);
    const report = JSON.parse(verified.stdout);
    expect(report.signatures.map((signature: { seal: string; valid: boolean }) => [signature.seal, signature.valid])).toEqual([
      ['judge-li', true],
      ['court', true],
    ]);

    const tampered = readFileSync(join(dir, 'sealed.pdf'));
    tampered[tampered.indexOf('\n') + 2]! ^= 0x01;
    writeFileSync(join(dir, 'tampered.pdf'), tampered);
    const broken = await ecourt(['verify', join(dir, 'tampered.pdf')]);
    expect(broken.code).toBe(1);
    expect(broken.stdout).toContain('INVALID');
    expect(broken.stdout).toContain('digest mismatch');

    expect((await ecourt(['ca', 'revoke', 'judge-li', '--reason', 'left the court'])).code).toBe(0);
    const refused = await ecourt(['seal', join(dir, 'judgment.pdf'), '--out', join(dir, 'late.pdf'), '--seal', 'judge-li', '--mode', 'fixed', '--page', '1', '--x', '10', '--y', '10', '--json']);
    expect(refused.code).toBe(1);
    expect(JSON.parse(refused.stdout).error.code).toBe('CERTIFICATE_REVOKED');
    const afterRevocation = JSON.parse((await ecourt(['verify', join(dir, 'sealed.pdf'), '--json'])).stdout);
    expect(afterRevocation.signatures[0]).toMatchObject({ revoked: true, valid: false });
  }, 120_000);

  it('verifies without a court CA on the node: signatures reported, none trusted, no keys created', async () => {
    const sealed = join(dir, 'sealed.pdf');
    const elsewhere = join(dir, 'no-ca');
    const result = await runEcourtToEnd(['verify', sealed, '--json'], { ECOURT_DATA_DIR: elsewhere });
    expect(result.code).toBe(1);
    const report = JSON.parse(result.stdout);
    expect(report.signatures.map((signature: { intact: boolean; trusted: boolean }) => [signature.intact, signature.trusted])).toEqual([
      [true, false],
      [true, false],
    ]);
    expect(existsSync(elsewhere)).toBe(false);
  }, 60_000);

  it('refuses a file that is not a PDF (exit 1) and bad usage (exit 2)', async () => {
    writeFileSync(join(dir, 'notes.pdf'), 'plain text, not a PDF');
    const malformed = await ecourt(['seal', join(dir, 'notes.pdf'), '--out', join(dir, 'x.pdf'), '--mode', 'fixed', '--page', '1', '--x', '1', '--y', '1']);
    expect(malformed.code).toBe(1);
    expect(malformed.stderr).toContain('DOCUMENT_MALFORMED');
    for (const args of [
      ['seal', join(dir, 'judgment.pdf')],
      ['seal', join(dir, 'judgment.pdf'), '--out', join(dir, 'x.pdf'), '--mode', 'keyword'],
      ['seal', join(dir, 'judgment.pdf'), '--out', join(dir, 'x.pdf'), '--mode', 'fixed'],
      ['verify'],
      ['ca', 'issue', 'x', '--kind', 'stamp', '--name', 'x'],
      ['ca', 'frobnicate'],
    ]) {
      const result = await ecourt(args);
      expect(result.code, args.join(' ')).toBe(2);
      expect(result.stderr).not.toBe('');
    }
  }, 120_000);
});
