import { describe, expect, it } from 'vitest';
import { randomBytes } from 'node:crypto';
import { createPersonalDataCipher, maskIdentifier } from '../../platform/personal-data.ts';
import { createLogger, redact } from '../../platform/logger.ts';

describe('personal data sealing', () => {
  const cipher = createPersonalDataCipher(randomBytes(32));

  it('round-trips and never contains the clear value', () => {
    const sealed = cipher.seal('110105198805123024');
    expect(sealed).not.toContain('110105198805123024');
    expect(sealed.startsWith('pd1.')).toBe(true);
    expect(cipher.open(sealed)).toBe('110105198805123024');
  });

  it('uses a fresh IV each time', () => {
    expect(cipher.seal('13800138000')).not.toBe(cipher.seal('13800138000'));
  });

  it('detects tampering and a wrong key', () => {
    const sealed = cipher.seal('13800138000');
    const parts = sealed.split('.');
    parts[3] = Buffer.from('x' + Buffer.from(parts[3]!, 'base64url').toString('latin1').slice(1), 'latin1').toString('base64url');
    expect(() => cipher.open(parts.join('.'))).toThrow();
    expect(() => createPersonalDataCipher(randomBytes(32)).open(sealed)).toThrow();
  });

  it('blind index is deterministic, keyed and case-insensitive', () => {
    expect(cipher.blindIndex('11010519880512302x')).toBe(cipher.blindIndex('11010519880512302X'));
    expect(createPersonalDataCipher(randomBytes(32)).blindIndex('a')).not.toBe(cipher.blindIndex('a'));
  });

  it('masks identifiers for display', () => {
    expect(maskIdentifier('110105198805123024')).toBe('110105********3024');
    expect(maskIdentifier('13800138000')).toBe('138****8000');
  });
});

describe('log redaction', () => {
  it('redacts secrets and identifiers at any depth', () => {
    const lines: string[] = [];
    const log = createLogger({ write: (line) => lines.push(line) });
    log.info('login', { username: 'party1', password: 'hunter2', body: { idNumber: '110105198805123024', token: 'abc' } });
    expect(lines[0]).not.toContain('hunter2');
    expect(lines[0]).not.toContain('110105198805123024');
    expect(lines[0]).toContain('party1');
    expect(redact({ authorization: 'Bearer x' })).toEqual({ authorization: '[redacted]' });
  });
});
