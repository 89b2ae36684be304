// Live recognition as configured: on by default with pocketsphinx in English; still on, with one
// warning, when the engine cannot hear the default language (hearings may choose another); off — with
// one clear warning, never a failed start — when disabled or when the engine cannot start (whisper
// without a model). The clerk then types the record.
import { describe, expect, it } from 'vitest';
import { createInProcessBus } from '../../actors/bus/in-process-bus.ts';
import { createLiveTranscription } from '../../hub/hearings/live-transcription.ts';
import { MediaPool } from '../../media/sfu/media-pool.ts';
import { createLogger } from '../../platform/logger.ts';
import { parseConfig } from '../../platform/config.ts';
import type { RoomRegistry } from '../../hub/collab/room-registry.ts';
import type { Db } from '../../storage/database.ts';

function setUp(env: Record<string, string>) {
  const lines: { level: string; message: string; reason?: string }[] = [];
  const logger = createLogger({ level: 'info', write: (line) => lines.push(JSON.parse(line)) });
  // Storage and rooms are not reached while no hearing is followed.
  const options = { pool: new MediaPool(), bus: createInProcessBus(), db: {} as Db, rooms: {} as RoomRegistry, logger };
  return { start: () => createLiveTranscription(parseConfig(env), options), warnings: () => lines.filter((line) => line.level === 'warn') };
}

describe('live recognition configuration', () => {
  it('is on by default, with pocketsphinx in English', async () => {
    const { start, warnings } = setUp({});
    const live = await start();
    expect(live).not.toBeNull();
    await live!.stop();
    expect(warnings()).toEqual([]);
    expect(parseConfig({})).toMatchObject({ ECOURT_ASR_ENABLED: true, ECOURT_ASR_LANGUAGE: 'en' });
  });

  it('is off without a warning when disabled', async () => {
    const { start, warnings } = setUp({ ECOURT_ASR_ENABLED: 'false' });
    expect(await start()).toBeNull();
    expect(warnings()).toEqual([]);
  });

  it('stays on, with one warning, when pocketsphinx cannot hear the default language: English hearings are still heard', async () => {
    const chinese = setUp({ ECOURT_ASR_LANGUAGE: 'zh' });
    const live = await chinese.start();
    expect(live).not.toBeNull();
    await live!.stop();
    expect(chinese.warnings()).toHaveLength(1);
    expect(chinese.warnings()[0]!.message).toMatch(/cannot hear the default hearing language/);
  });

  it('is off with one warning for whisper without a model', async () => {

    const noModel = setUp({ ECOURT_ASR_ENGINE: 'whisper', ECOURT_ASR_LANGUAGE: 'zh' });
    expect(await noModel.start()).toBeNull();
    expect(noModel.warnings()).toHaveLength(1);
    expect(noModel.warnings()[0]!.reason).toMatch(/WHISPER_MODEL/);
  });

  it('refuses an unknown language at start-up', () => {
    expect(() => parseConfig({ ECOURT_ASR_LANGUAGE: 'fr' })).toThrow(/ECOURT_ASR_LANGUAGE/);
    expect(() => parseConfig({ ECOURT_ASR_ENABLED: 'yes' })).toThrow(/ECOURT_ASR_ENABLED/);
  });
});
