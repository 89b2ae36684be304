// A transcript edited over /yjs with y-websocket's WebsocketProvider survives a restart of the
// whole platform: the edits are in the database (PGlite on disk), not only in the hub's memory.
import { afterAll, describe, expect, it } from 'vitest';
import { createRequire } from 'node:module';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as Y from 'yjs';
import { WebsocketProvider } from 'y-websocket';
import { parseConfig } from '../../platform/config.ts';
import { silentLogger } from '../../platform/logger.ts';
import { startPlatform, type RunningPlatform } from '../../platform/node.ts';
import { appendSegment, renderTranscriptText, segmentsOf } from '../../hub/collab/transcript-model.ts';
import { logInDemo } from '../support/demo-platform.ts';

const WebSocketImpl = createRequire(import.meta.url)('ws');
const PASSWORD = 'demo-password-1';
const dataDir = mkdtempSync(join(tmpdir(), 'ecourt-collab-restart-'));
const running: RunningPlatform[] = [];
const providers: WebsocketProvider[] = [];

afterAll(async () => {
  for (const p of providers) p.destroy();
  for (const platform of running) await platform.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

async function start(): Promise<{ platform: RunningPlatform; base: string }> {
  const platform = await startPlatform({
    config: parseConfig({ PORT: '0', HOST: '127.0.0.1', ECOURT_DATA_DIR: dataDir, ECOURT_DEMO_PASSWORD: PASSWORD }),
    seedDemo: true,
    logger: silentLogger,
  });
  running.push(platform);
  return { platform, base: platform.hub!.url };
}

const login = async (base: string, username: string): Promise<string> => (await logInDemo(base, username, PASSWORD)).token;

async function until(probe: () => boolean, what: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!probe()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

function connect(base: string, docName: string, token: string): { doc: Y.Doc; provider: WebsocketProvider } {
  const doc = new Y.Doc();
  const provider = new WebsocketProvider(`${base.replace(/^http/, 'ws')}/yjs`, docName, doc, {
    params: { token },
    WebSocketPolyfill: WebSocketImpl,
    disableBc: true,
  });
  providers.push(provider);
  return { doc, provider };
}

describe('collaborative transcript persistence', () => {
  it('keeps a clerk’s edits across a platform restart', async () => {
    const first = await start();
    const token = await login(first.base, 'clerk1');
    const hearings = (await (await fetch(`${first.base}/api/v1/hearings`, { headers: { authorization: `Bearer ${token}` } })).json()) as {
      hearings: { transcriptDoc: string }[];
    };
    expect(hearings.hearings).toHaveLength(1);
    const docName = hearings.hearings[0]!.transcriptDoc;

    const editor = connect(first.base, docName, token);
    await until(() => editor.provider.synced, 'first sync');
    appendSegment(editor.doc, {
      speaker: { participantId: 'judge1', role: 'judge', displayName: '李明' },
      startMs: 0,
      endMs: 4200,
      text: '现在开庭。',
      source: 'human',
    });
    // Another client sees it, so the hub has applied (and queued for storage) the edit.
    const watcher = connect(first.base, docName, token);
    await until(() => segmentsOf(watcher.doc).length === 1, 'the edit to reach a second client');
    const rendered = renderTranscriptText(editor.doc);
    editor.provider.destroy();
    watcher.provider.destroy();
    await first.platform.stop();
    running.splice(running.indexOf(first.platform), 1);

    const second = await start();
    const reader = connect(second.base, docName, await login(second.base, 'clerk1'));
    await until(() => reader.provider.synced && segmentsOf(reader.doc).length === 1, 'the edit after the restart');
    expect(renderTranscriptText(reader.doc)).toBe(rendered);
    expect(segmentsOf(reader.doc)[0]!.text).toBe('现在开庭。');
  }, 120_000);
});
