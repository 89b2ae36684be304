// A whole platform in-process on the demo court, for HTTP, realtime and browser tests: PGlite in
// memory, the in-process bus, a temporary data dir (removed on stop), and the demo logins.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseConfig } from '../../platform/config.ts';
import { silentLogger } from '../../platform/logger.ts';
import { startPlatform, type RunningPlatform } from '../../platform/node.ts';
import { startHub, type RunningHub } from '../../hub/server.ts';
import type { DocPersistence } from '../../hub/collab/persistence.ts';

export const DEMO_PASSWORD = 'demo-password-1';

export interface DemoLogin {
  token: string;
  user: { id: string; username: string; displayName: string; role: string; courtId: string | null };
}

/** Logs a demo account in over the HTTP API, as a browser would: the token for API calls and /yjs sockets. */
export async function logInDemo(base: string, username: string, password = DEMO_PASSWORD): Promise<DemoLogin> {
  const response = await fetch(`${base.replace(/\/+$/, '')}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password }),
  });
  if (response.status !== 200) throw new Error(`demo login of ${username} answered ${response.status}: ${await response.text()}`);
  return (await response.json()) as DemoLogin;
}

/** Logs the demo accounts in, one after another, filling a test's own records: token and user id by username. */
export async function logInEach(
  demo: Pick<DemoPlatform, 'logIn'>,
  usernames: readonly string[],
  into: { tokens: Record<string, string>; userIds?: Record<string, string> },
): Promise<void> {
  for (const username of usernames) {
    const login = await demo.logIn(username);
    into.tokens[username] = login.token;
    if (into.userIds) into.userIds[username] = login.user.id;
  }
}

export interface DemoPlatform {
  platform: RunningPlatform;
  /** http://127.0.0.1:<port>, no trailing slash. */
  base: string;
  dataDir: string;
  logIn(username: string): Promise<DemoLogin>;
  stop(): Promise<void>;
}

export async function startDemoPlatform(options: {
  tempPrefix: string;
  /** The site folder to serve, given the data dir (e.g. a fake site in it, or the built portal); defaults to the data dir itself. */
  staticDir?: (dataDir: string) => string;
  /** The platform's log level (tests default to silence). */
  logLevel?: 'warn';
  /** More configuration (e.g. ECOURT_MEDIA_LOOPBACK_ONLY for WebRTC tests). */
  env?: Record<string, string>;
}): Promise<DemoPlatform> {
  const dataDir = mkdtempSync(join(tmpdir(), options.tempPrefix));
  const platform = await startPlatform({
    config: parseConfig({
      PORT: '0',
      HOST: '127.0.0.1',
      ECOURT_DATA_DIR: dataDir,
      ECOURT_DEMO_PASSWORD: DEMO_PASSWORD,
      ...(options.logLevel ? { ECOURT_LOG_LEVEL: options.logLevel } : {}),
      ...options.env,
    }),
    inMemoryDatabase: true,
    seedDemo: true,
    ...(options.logLevel ? {} : { logger: silentLogger }),
    staticDir: (options.staticDir ?? ((dir) => dir))(dataDir),
  });
  const base = platform.hub!.url.replace(/\/+$/, '');
  return {
    platform,
    base,
    dataDir,
    logIn: (username) => logInDemo(base, username),
    async stop() {
      await platform.stop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** Another hub on a running platform's database, bus and actors, with its own document store (e.g. one that fails on cue). */
export function startHubBeside(platform: RunningPlatform, staticDir: string, collabPersistence: DocPersistence): Promise<RunningHub> {
  return startHub({
    config: platform.config,
    logger: silentLogger,
    database: platform.database,
    bus: platform.bus,
    actors: platform.actors,
    cipher: platform.cipher,
    sessionSecret: platform.secrets.sessionSecret,
    staticDir,
    collabPersistence,
  });
}

/**
 * The demo court's hearing (the sales case's), once the read model lists it: the seed's last commands
 * may still be committing when the platform answers. `token`: any account that may see it.
 */
export async function demoHearing(base: string, token: string, timeoutMs = 15_000): Promise<{ id: string; caseId: string }> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const response = await fetch(`${base}/api/v1/hearings`, { headers: { authorization: `Bearer ${token}` } });
    const listed = ((await response.json()) as { hearings?: { id: string; caseId: string }[] }).hearings ?? [];
    if (listed[0]) return { id: listed[0].id, caseId: listed[0].caseId };
    if (Date.now() > deadline) throw new Error('the demo hearing never reached the read model');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
