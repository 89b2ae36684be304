// Server side of the hub benchmark: each server under test in its own child process (this hub via
// `bin/ecourt.mjs start` with embedded PGlite or on Postgres, or a bare peer via hub-peer-server.ts), with
// its CPU time and RSS read from /proc/<pid>, so the bench's own clients never count as server work; on
// Postgres the backends serving the hub's database count too (process-cpu.ts).
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createCpuMeter, processCpuMicros } from './process-cpu.ts';
import type { Framing } from './hub-client.ts';
import { createScratchDatabase } from '../../storage/scratch-database.ts';

export type ServerName = 'ecourt-hub' | 'ecourt-hub-pg' | 'y-websocket-server' | 'hocuspocus';
export const isHub = (name: string): boolean => name === 'ecourt-hub' || name === 'ecourt-hub-pg';

/** The Postgres server for ecourt-hub-pg (a fresh database on it per run, dropped at the end). */
export const BENCH_POSTGRES_ADMIN_URL = process.env.BENCH_POSTGRES_URL ?? process.env.TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const BENCH_PASSWORD = 'bench-password-1';

export interface RunningServer {
  name: ServerName;
  framing: Framing;
  pid: number;
  /** http://127.0.0.1:<port> */
  base: string;
  /** WebSocket URL for one document. */
  urlFor(docName: string): string;
  /**
   * Other processes doing this server's work (ecourt-hub-pg: the Postgres backends of its database):
   * call before a phase; the returned function gives their CPU-seconds over it.
   */
  startDatabaseCpu?(): Promise<() => Promise<number>>;
  stop(): Promise<void>;
}

export class ServerStartError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ServerStartError';
  }
}

/** Resident set size of a process in bytes (VmRSS), NaN when gone. */
export function processRssBytes(pid: number): number {
  try {
    const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) * 1024 : Number.NaN;
  } catch {
    return Number.NaN;
  }
}

export const processCpuSeconds = (pid: number): number => processCpuMicros(pid) / 1e6;

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      probe.close(() => resolve(port));
    });
  });
}

function stopChild(child: ChildProcess, timeoutMs = 15_000): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    child.kill('SIGTERM');
  });
}

async function waitFor(probe: () => Promise<boolean>, child: ChildProcess, what: string, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new ServerStartError(`${what}: exited with ${child.exitCode}`);
    if (await probe().catch(() => false)) return;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new ServerStartError(`${what}: not ready after ${timeoutMs} ms`);
}

export interface HubOptions {
  /** Directory for a V8 CPU profile of the hub process (node --cpu-prof), or none. */
  cpuProfileDir?: string;
  /** ecourt-hub-pg: on a fresh database of this Postgres server (DATABASE_URL) instead of embedded PGlite. */
  postgresAdminUrl?: string;
}


/**
 * This hub: the whole platform (authorisation, persistence), demo data seeded. Embedded PGlite by default;
 * with postgresAdminUrl the production shape (DATABASE_URL, in-process bus: one node, no NATS_URL).
 */
export async function startHub(options: HubOptions = {}): Promise<RunningServer> {
  const port = await freePort();
  const dataDir = mkdtempSync(join(tmpdir(), 'ecourt-bench-hub-'));
  const env: NodeJS.ProcessEnv = { ...process.env, PORT: String(port), HOST: '127.0.0.1', ECOURT_DATA_DIR: dataDir, ECOURT_DEMO_PASSWORD: BENCH_PASSWORD, ECOURT_LOG_LEVEL: 'warn' };
  delete env.DATABASE_URL;
  delete env.NATS_URL;
  const database = options.postgresAdminUrl ? await createScratchDatabase(options.postgresAdminUrl, 'ecourt_hub_bench') : undefined;
  const meter = database ? await createCpuMeter(options.postgresAdminUrl!, database.name) : undefined;
  if (database) {
    // Not embedded: the node needs shared secrets, and seeds the demo court only when told to.
    Object.assign(env, {
      DATABASE_URL: database.url,
      ECOURT_SECRET: randomBytes(32).toString('base64url'),
      ECOURT_DATA_KEY: randomBytes(32).toString('hex'),
      ECOURT_SEED_DEMO: 'always',
    });
  }
  delete env.NODE_OPTIONS;
  const flags = options.cpuProfileDir ? ['--cpu-prof', '--cpu-prof-dir', options.cpuProfileDir] : [];
  // Extra node flags for the hub (e.g. --perf-basic-prof for a `perf record` of the hub process).
  const extraFlags = (process.env.BENCH_HUB_NODE_ARGS ?? '').split(' ').filter(Boolean);
  const child = spawn(process.execPath, [...flags, ...extraFlags, join(ROOT, 'bin/ecourt.mjs'), 'start'], { cwd: ROOT, env, stdio: ['ignore', 'ignore', 'inherit'] });
  const base = `http://127.0.0.1:${port}`;
  const cleanUp = async () => {
    await meter?.close();
    await database?.drop();
    rmSync(dataDir, { recursive: true, force: true });
  };
  try {
    await waitFor(async () => (await fetch(`${base}/healthz`)).ok, child, 'ecourt hub', 120_000);
  } catch (error) {
    await stopChild(child);
    await cleanUp();
    throw error;
  }
  return {
    name: database ? 'ecourt-hub-pg' : 'ecourt-hub',
    framing: 'y-websocket',
    pid: child.pid!,
    base,
    urlFor: (docName) => `ws://127.0.0.1:${port}/yjs/${docName}`,
    ...(meter
      ? {
          async startDatabaseCpu() {
            const stop = await meter.start();
            return async () => (await stop()).postgresBackendMicros / 1e6;
          },
        }
      : {}),
    async stop() {
      await stopChild(child, 30_000);
      await cleanUp();
    },
  };
}

/** A bare peer (no auth, no persistence): @y/websocket-server or @hocuspocus/server. */
export async function startPeer(name: 'y-websocket-server' | 'hocuspocus'): Promise<RunningServer> {
  const kind = name === 'hocuspocus' ? 'hocuspocus' : 'ywebsocket';
  const env: NodeJS.ProcessEnv = { ...process.env };
  delete env.NODE_OPTIONS;
  const child = spawn(process.execPath, ['--import', 'tsx', join(ROOT, 'scripts/bench/hub-peer-server.ts'), kind, '0'], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'inherit'] });
  const port = await new Promise<number>((resolve, reject) => {
    let output = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const match = /ready (\d+)/.exec(output);
      if (match) resolve(Number(match[1]));
    });
    child.once('exit', (code) => reject(new ServerStartError(`${name}: exited with ${code} before listening`)));
  });
  child.stdout!.resume();
  return {
    name,
    framing: name === 'hocuspocus' ? 'hocuspocus' : 'y-websocket',
    pid: child.pid!,
    base: `http://127.0.0.1:${port}`,
    // y-websocket-server takes the document from the path; Hocuspocus from each frame.
    urlFor: (docName) => (name === 'hocuspocus' ? `ws://127.0.0.1:${port}` : `ws://127.0.0.1:${port}/${docName}`),
    stop: () => stopChild(child),
  };
}
