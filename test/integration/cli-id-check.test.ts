// `ecourt id check` as the README shows it: the real command in a child process, its output and
// exit codes (0 valid, 1 invalid, 2 bad usage).
import { describe, expect, it } from 'vitest';
import { runEcourtToEnd } from '../support/cli-process.ts';

const run = (args: string[]) => runEcourtToEnd(['id', ...args]);

describe('ecourt id check', () => {
  it('prints a valid resident ID with the birth date, sex and region it carries', async () => {
    const result = await run(['check', '11010519491231002x']);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain('valid / 有效');
    expect(result.stdout).toContain('1949-12-31');
    expect(result.stdout).toContain('female');
    expect(result.stdout).toContain('北京市 (110105)');
  });

  it('prints the coded reasons of an invalid number as JSON, without the number, and exits 1', async () => {
    const result = await run(['check', '110105194902300021', '--json']);
    expect(result.code, result.stderr).toBe(1);
    const printed = JSON.parse(result.stdout);
    expect(printed.valid).toBe(false);
    expect(printed.reasons.map((reason: { code: string }) => reason.code)).toEqual(['ID_BIRTH_DATE', 'ID_CHECK_DIGIT']);
    expect(printed.reasons[0].zh).toContain('出生日期');
    expect(result.stdout).not.toContain('110105194902300021');
  });

  it('checks other document types with --type', async () => {
    expect((await run(['check', 'H12345678', '--type', 'hkmo'])).code).toBe(0);
    const wrong = await run(['check', 'H1234567', '--type', 'hkmo']);
    expect(wrong.code).toBe(1);
    expect(wrong.stdout).toContain('ID_LENGTH');
  });

  it('exits 2 on bad usage', async () => {
    for (const args of [[], ['check'], ['check', '1', '2'], ['check', '1', '--type', 'licence'], ['check', '1', '--colour']]) {
      const result = await run(args);
      expect(result.code, args.join(' ')).toBe(2);
      expect(result.stderr).not.toBe('');
    }
  });
});
