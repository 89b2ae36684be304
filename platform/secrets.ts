// The two secrets a node needs: the session-signing secret and the personal-data key.
// Embedded mode generates them once into the data dir (0600); distributed mode must be
// given both, since every node has to agree on them.
import { mkdirSync, readFileSync, writeFileSync, existsSync, chmodSync } from 'node:fs';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { ConfigError, isEmbedded, type Config } from './config.ts';

export interface NodeSecrets {
  sessionSecret: Buffer;
  dataKey: Buffer;
}

function readOrCreate(file: string, create: () => string): string {
  if (existsSync(file)) return readFileSync(file, 'utf8').trim();
  const value = create();
  writeFileSync(file, value + '\n', { mode: 0o600, flag: 'wx' });
  chmodSync(file, 0o600);
  return value;
}

export function loadSecrets(config: Config): NodeSecrets {
  const missing: { variable: string; message: string }[] = [];
  let secret = config.ECOURT_SECRET;
  let dataKey = config.ECOURT_DATA_KEY;
  if (secret === undefined || dataKey === undefined) {
    if (!isEmbedded(config)) {
      if (secret === undefined) missing.push({ variable: 'ECOURT_SECRET', message: 'is required when DATABASE_URL or NATS_URL is set (every node must share it)' });
      if (dataKey === undefined) missing.push({ variable: 'ECOURT_DATA_KEY', message: 'is required when DATABASE_URL or NATS_URL is set (every node must share it)' });
      throw new ConfigError(missing);
    }
    const dir = join(config.ECOURT_DATA_DIR, 'keys');
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    secret ??= readOrCreate(join(dir, 'session.secret'), () => randomBytes(32).toString('base64url'));
    dataKey ??= readOrCreate(join(dir, 'personal-data.key'), () => randomBytes(32).toString('hex'));
  }
  return { sessionSecret: Buffer.from(secret, 'utf8'), dataKey: Buffer.from(dataKey, 'hex') };
}
