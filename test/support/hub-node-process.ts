// Starts a real hub node (`ecourt start --role hub`, or `--role all`) as a child process on a test
// database and NATS namespace, waits for its "node ready" log line and reports its URL. For the
// tests of collaborative documents across hub nodes.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runEcourt, type EcourtProcess } from './cli-process.ts';
import { NATS_TEST_URL } from './services.ts';

export interface HubNodeOptions {
  role: 'hub' | 'all';
  databaseUrl: string;
  namespace: string;
  nodeId: string;
  /** Shared by every node of a test: the secret and the personal-data key must agree. */
  secrets: { secret: string; dataKey: string };
  leaseTtlMs?: number;
  /** Seed the demo court (role all only; the database must be empty). */
  seedDemo?: { password: string };
  readyTimeoutMs?: number;
}

export interface HubNode extends EcourtProcess {
  nodeId: string;
  /** http://127.0.0.1:<port> */
  url: string;
}

export async function startHubNode(options: HubNodeOptions): Promise<HubNode> {
  // Nothing of a hub node lives here in distributed mode but evidence blobs; keep them out of the tree.
  const dataDir = mkdtempSync(join(tmpdir(), `ecourt-${options.nodeId}-`));
  const node = runEcourt(['start', '--role', options.role], {
    PORT: '0',
    HOST: '127.0.0.1',
    ECOURT_DATA_DIR: dataDir,
    DATABASE_URL: options.databaseUrl,
    NATS_URL: NATS_TEST_URL,
    ECOURT_NATS_NAMESPACE: options.namespace,
    ECOURT_NODE_ID: options.nodeId,
    ECOURT_SECRET: options.secrets.secret,
    ECOURT_DATA_KEY: options.secrets.dataKey,
    ECOURT_LEASE_TTL_MS: String(options.leaseTtlMs ?? 3000),
    ECOURT_SEED_DEMO: options.seedDemo ? 'always' : 'never',
    ...(options.seedDemo ? { ECOURT_DEMO_PASSWORD: options.seedDemo.password } : {}),
    ECOURT_LOG_LEVEL: 'info',
  });
  void node.exited.then(() => rmSync(dataDir, { recursive: true, force: true }));
  try {
    const ready = await node.waitForLog('node ready', options.readyTimeoutMs ?? 30_000);
    if (typeof ready.url !== 'string') throw new Error(`node ${options.nodeId} reported no hub url`);
    return Object.assign(node, { nodeId: options.nodeId, url: ready.url });
  } catch (error) {
    await node.stop('SIGKILL');
    throw error;
  }
}
