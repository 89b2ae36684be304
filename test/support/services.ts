// Real services for integration tests. In CI (CI=true) a missing service is a failure;
// elsewhere the suite is skipped and the reason is in the suite's name.
import net from 'node:net';
import { randomBytes } from 'node:crypto';
import { createScratchDatabase, type ScratchDatabase } from '../../storage/scratch-database.ts';

export const inCI = process.env.CI === 'true' || process.env.CI === '1';
export const POSTGRES_ADMIN_URL = process.env.TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
export const NATS_TEST_URL = process.env.TEST_NATS_URL ?? 'nats://127.0.0.1:4222';

function reachable(host: string, port: number, timeoutMs = 1500): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host, port });
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

export interface ServiceProbe {
  available: boolean;
  /** Text to put in the describe() name when skipped, e.g. "(skipped: Postgres unreachable at …)". */
  skipReason: string;
}

async function probe(name: string, url: string): Promise<ServiceProbe> {
  const { hostname, port } = new URL(url);
  const available = await reachable(hostname, Number(port));
  if (!available && inCI) throw new Error(`${name} is required in CI but unreachable at ${hostname}:${port}`);
  return { available, skipReason: available ? '' : ` (skipped: ${name} unreachable at ${hostname}:${port})` };
}

export const probePostgres = () => probe('PostgreSQL', POSTGRES_ADMIN_URL);
export const probeNats = () => probe('NATS', NATS_TEST_URL);


/** Creates a fresh, empty Postgres database for one test file; returns its URL and a dropper. */
export const createTestDatabase = (prefix = 'ecourt_t'): Promise<ScratchDatabase> => createScratchDatabase(POSTGRES_ADMIN_URL, prefix);

/** A unique prefix so parallel test files don't share NATS streams, buckets or subjects. */
export const uniqueNamespace = (prefix = 't') => `${prefix}${randomBytes(4).toString('hex')}`;
