// The README's start command on embedded defaults: a real `ecourt start` process with PGlite,
// the in-process bus and demo data; stopped with SIGTERM and started again on the same data dir.
import { afterAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runEcourt, type EcourtProcess } from '../support/cli-process.ts';

const dataDir = mkdtempSync(join(tmpdir(), 'ecourt-cli-'));
const running: EcourtProcess[] = [];
afterAll(async () => {
  await Promise.all(running.map((p) => p.stop('SIGKILL')));
  rmSync(dataDir, { recursive: true, force: true });
});

async function startEmbedded(): Promise<{ proc: EcourtProcess; url: string }> {
  const proc = runEcourt(['start'], { PORT: '0', HOST: '127.0.0.1', ECOURT_DATA_DIR: dataDir });
  running.push(proc);
  const ready = await proc.waitForLog('node ready', 60_000);
  return { proc, url: String(ready.url) };
}

describe('ecourt start (embedded defaults)', () => {
  it('serves the portal and API, seeds the demo court once, and stops cleanly on SIGTERM', async () => {
    const first = await startEmbedded();
    const health = await fetch(`${first.url}/healthz`);
    expect(health.status).toBe(200);
    expect(await health.json()).toMatchObject({ status: 'ok' });

    const password = (await first.proc.waitForStdout(/password \/ 密码: (\S+)/))[1];
    expect(password).toMatch(/^\S{8,}$/);
    const login = await fetch(`${first.url}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'clerk1', password }),
    });
    expect(login.status).toBe(200);
    const { token } = (await login.json()) as { token: string };
    const cases = (await (await fetch(`${first.url}/api/v1/cases`, { headers: { authorization: `Bearer ${token}` } })).json()) as {
      cases: { state: string }[];
    };
    expect(cases.cases.map((c) => c.state).sort()).toEqual(['accepted', 'filed', 'hearingScheduled', 'mediationSettled']);

    const page = await fetch(`${first.url}/`);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('/components/ecourt.js');
    expect((await fetch(`${first.url}/components/ecourt.js`)).status).toBe(200);

    expect(await first.proc.stop('SIGTERM')).toEqual({ code: 0, signal: null });

    // Restart on the same data dir: same password, no second copy of the demo data.
    const second = await startEmbedded();
    expect((await second.proc.waitForStdout(/password \/ 密码: (\S+)/))[1]).toBe(password);
    const again = (await (
      await fetch(`${second.url}/api/v1/cases`, { headers: { authorization: `Bearer ${token}` } })
    ).json()) as { cases: unknown[] };
    expect(again.cases).toHaveLength(4);
    expect(await second.proc.stop('SIGTERM')).toEqual({ code: 0, signal: null });
  }, 120_000);

  it('refuses a bad configuration value and names the variable', async () => {
    const proc = runEcourt(['start'], { PORT: 'eighty', ECOURT_DATA_DIR: dataDir });
    running.push(proc);
    const { code } = await proc.exited;
    expect(code).toBe(2);
    expect(proc.stderr()).toContain('PORT');
  });
});
