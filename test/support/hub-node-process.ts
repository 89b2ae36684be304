// Starts a real hub node (`ecourt start --role hub`, or `--role all`) as a child process on a test
// database and NATS namespace, waits for its "node ready" log line and reports its URL. For the
// tests of collaborative documents across hub nodes.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { EcourtProcess } from './cli-process.ts';
import { distributedNodeEnv, startReadyNode, type DistributedNodeOptions } from './actor-node-process.ts';

export interface HubNodeOptions extends DistributedNodeOptions {
  role: 'hub' | 'all';
  /** Seed the demo court (role all only; the database must be empty). */
  seedDemo?: { password: string };
}

export interface HubNode extends EcourtProcess {
  nodeId: string;
  /** http://127.0.0.1:<port> */
  url: string;
}

export async function startHubNode(options: HubNodeOptions): Promise<HubNode> {
  // Nothing of a hub node lives here in distributed mode but evidence blobs; keep them out of the tree.
  const dataDir = mkdtempSync(join(tmpdir(), `ecourt-${options.nodeId}-`));
  const env = {
    ...distributedNodeEnv(options),
    PORT: '0',
    HOST: '127.0.0.1',
    ECOURT_DATA_DIR: dataDir,
    ECOURT_SEED_DEMO: options.seedDemo ? 'always' : 'never',
    ...(options.seedDemo ? { ECOURT_DEMO_PASSWORD: options.seedDemo.password } : {}),
  };
  const { node, ready } = await startReadyNode(['start', '--role', options.role], env, options.readyTimeoutMs).catch((error: unknown) => {
    rmSync(dataDir, { recursive: true, force: true });
    throw error;
  });
  void node.exited.then(() => rmSync(dataDir, { recursive: true, force: true }));
  if (typeof ready.url !== 'string') {
    await node.stop('SIGKILL');
    throw new Error(`node ${options.nodeId} reported no hub url`);
  }
  return Object.assign(node, { nodeId: options.nodeId, url: ready.url });
}
