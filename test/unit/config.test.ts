import { describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError, isEmbedded, parseConfig } from '../../platform/config.ts';
import { loadSecrets } from '../../platform/secrets.ts';

describe('configuration', () => {
  it('has embedded defaults', () => {
    const config = parseConfig({});
    expect(config.PORT).toBe(8080);
    expect(config.HOST).toBe('0.0.0.0');
    expect(config.ECOURT_DATA_DIR).toBe('./data');
    expect(config.DATABASE_URL).toBeUndefined();
    expect(config.NATS_URL).toBeUndefined();
    expect(config.ECOURT_ROLE).toBe('all');
    expect(isEmbedded(config)).toBe(true);
  });

  it('parses distributed settings', () => {
    const config = parseConfig({
      PORT: '9000',
      DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/test',
      NATS_URL: 'nats://127.0.0.1:4222',
      ECOURT_ROLE: 'actors',
      ECOURT_SHARDS: '16',
    });
    expect(config.PORT).toBe(9000);
    expect(config.ECOURT_SHARDS).toBe(16);
    expect(isEmbedded(config)).toBe(false);
  });

  it('treats empty values as unset', () => {
    expect(parseConfig({ DATABASE_URL: '', NATS_URL: '  ' }).DATABASE_URL).toBeUndefined();
  });

  it.each([
    ['PORT', 'eighty'],
    ['PORT', '70000'],
    ['DATABASE_URL', 'mysql://x/y'],
    ['NATS_URL', 'not a url'],
    ['ECOURT_SECRET', 'short'],
    ['ECOURT_DATA_KEY', 'abc'],
    ['ECOURT_ROLE', 'media-server'],
    ['ECOURT_LOG_LEVEL', 'loud'],
  ])('refuses a bad %s and names it', (variable, value) => {
    let error: unknown;
    try {
      parseConfig({ [variable]: value });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).problems.map((p) => p.variable)).toEqual([variable]);
    expect((error as Error).message).toContain(variable);
  });

  it('names every bad variable at once', () => {
    expect(() => parseConfig({ PORT: '-1', NATS_URL: 'http://x' })).toThrow(/PORT[\s\S]*NATS_URL|NATS_URL[\s\S]*PORT/);
  });
});

describe('secrets', () => {
  it('generates and keeps secrets in the data dir in embedded mode', () => {
    const dir = mkdtempSync(join(tmpdir(), 'ecourt-secrets-'));
    const first = loadSecrets(parseConfig({ ECOURT_DATA_DIR: dir }));
    const second = loadSecrets(parseConfig({ ECOURT_DATA_DIR: dir }));
    expect(first.dataKey).toHaveLength(32);
    expect(second.sessionSecret.equals(first.sessionSecret)).toBe(true);
    expect(second.dataKey.equals(first.dataKey)).toBe(true);
    const file = join(dir, 'keys', 'personal-data.key');
    expect(statSync(file).mode & 0o077).toBe(0);
    expect(readFileSync(file, 'utf8').trim()).toBe(first.dataKey.toString('hex'));
  });

  it('requires shared secrets in distributed mode', () => {
    expect(() => loadSecrets(parseConfig({ DATABASE_URL: 'postgres://h/db' }))).toThrow(/ECOURT_SECRET[\s\S]*ECOURT_DATA_KEY/);
  });

  it('takes secrets from the environment', () => {
    const key = 'ab'.repeat(32);
    const secrets = loadSecrets(parseConfig({ NATS_URL: 'nats://h:4222', ECOURT_SECRET: 's'.repeat(40), ECOURT_DATA_KEY: key }));
    expect(secrets.dataKey.toString('hex')).toBe(key);
  });
});
