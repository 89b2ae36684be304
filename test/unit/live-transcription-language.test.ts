// Each hearing is heard in its own language (issue 5, point 1): with the hub's pocketsphinx engine
// (English only) an English hearing gets live recognition, a Chinese one does not — one warning, and
// its judge and clerk are told why (hearing.asr `unavailable`); a hearing scheduled before hearings
// had a language is heard in the hub's default.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createInProcessBus } from '../../actors/bus/in-process-bus.ts';
import { subjects } from '../../actors/bus/subjects.ts';
import { HEARING_KIND } from '../../actors/hearing/hearing-behaviour.ts';
import type { RoomRegistry } from '../../hub/collab/room-registry.ts';
import { LiveTranscription, type HearingAsrNotice } from '../../hub/hearings/live-transcription.ts';
import { MediaPool } from '../../media/sfu/media-pool.ts';
import type { AsrEngine, AsrLanguage } from '../../models/asr/asr-engine.ts';
import { createAsrEngine } from '../../models/asr/create-asr-engine.ts';
import { parseConfig } from '../../platform/config.ts';
import { createLogger } from '../../platform/logger.ts';
import { openMigratedPglite, type OpenedTestDatabase } from '../support/storage.ts';

const WAIT = { timeout: 10_000, interval: 50 };
let database: OpenedTestDatabase;
let engine: AsrEngine;

beforeAll(async () => {
  database = await openMigratedPglite();
  engine = await createAsrEngine(parseConfig({ ECOURT_ASR_ENGINE: 'pocketsphinx' }), createLogger({ level: 'error', write: () => undefined }));
}, 60_000);

afterAll(async () => {
  await engine?.close();
  await database?.dispose();
});

/** A node following hearings (no one speaks: the rooms are never reached) and what it tells and logs. */
function node(defaultLanguage: AsrLanguage) {
  const lines: { level: string; message: string; hearingId?: string; language?: string }[] = [];
  const logger = createLogger({ level: 'info', write: (line) => lines.push(JSON.parse(line)) });
  const bus = createInProcessBus();
  const pool = new MediaPool();
  const notices: HearingAsrNotice[] = [];
  bus.subscribe(subjects.hearingAsrStatus(), (payload) => notices.push(payload as HearingAsrNotice));
  // The engine is shared by the hub; this node must not close it.
  const shared: AsrEngine = { name: engine.name, start: (options) => engine.start(options), close: async () => undefined };
  const live = new LiveTranscription({ pool, bus, db: database.database.db, rooms: {} as RoomRegistry, engine: shared, defaultLanguage, logger });
  live.start();
  let seq = 0;
  /** The hearing actor's event batch, as the bus carries it, with the summary's language (absent: an old hearing). */
  const hearingEvent = (hearingId: string, caseId: string, language: AsrLanguage | undefined) =>
    bus.publish(subjects.actorEventBatch(HEARING_KIND), {
      events: [{ id: hearingId, seq: ++seq, type: 'OPEN_LOBBY', state: 'lobbyOpen', at: new Date().toISOString(), summary: { caseId, participants: [], ...(language ? { language } : {}) } }],
    });
  const hearing = (language: AsrLanguage | undefined) => {
    const hearingId = randomUUID();
    const caseId = randomUUID();
    pool.routerFor(hearingId);
    return { hearingId, caseId, tell: () => hearingEvent(hearingId, caseId, language) };
  };
  return {
    hearing,
    live,
    noticesOf: (hearingId: string) => notices.filter((notice) => notice.hearingId === hearingId),
    warningsOf: (hearingId: string) => lines.filter((line) => line.level === 'warn' && line.hearingId === hearingId),
    stop: async () => {
      await live.stop();
      await pool.close();
    },
  };
}

describe('live recognition in the hearing’s language', () => {
  it('hears an English hearing; a Chinese one is not transcribed, with one warning, and its staff are told why', async () => {
    const hub = node('en');
    const english = hub.hearing('en');
    const chinese = hub.hearing('zh');
    english.tell();
    chinese.tell();

    await vi.waitFor(() => expect(hub.noticesOf(english.hearingId).at(-1)).toMatchObject({ caseId: english.caseId, engine: 'pocketsphinx', language: 'en', unavailable: null }), WAIT);
    await vi.waitFor(
      () => expect(hub.noticesOf(chinese.hearingId).at(-1)).toMatchObject({ caseId: chinese.caseId, engine: 'pocketsphinx', language: 'zh', unavailable: 'languageNotSupported', sessions: 0 }),
      WAIT,
    );
    // More of the Chinese hearing's events: it is told again (for staff who came later), but warned of once.
    const told = hub.noticesOf(chinese.hearingId).length;
    chinese.tell();
    await vi.waitFor(() => expect(hub.noticesOf(chinese.hearingId)).toHaveLength(told + 1), WAIT);
    expect(hub.warningsOf(chinese.hearingId)).toHaveLength(1);
    expect(hub.warningsOf(chinese.hearingId)[0]).toMatchObject({ language: 'zh' });
    expect(hub.warningsOf(english.hearingId)).toEqual([]);
    expect(hub.noticesOf(english.hearingId).every((notice) => notice.unavailable === null)).toBe(true);
    await hub.stop();
  });

  it('hears a hearing without a language in the hub default, and one that chose English on a Chinese-default hub', async () => {
    const hub = node('zh');
    const old = hub.hearing(undefined);
    const english = hub.hearing('en');
    old.tell();
    english.tell();
    await vi.waitFor(() => expect(hub.noticesOf(old.hearingId).at(-1)).toMatchObject({ language: 'zh', unavailable: 'languageNotSupported' }), WAIT);
    await vi.waitFor(() => expect(hub.noticesOf(english.hearingId).at(-1)).toMatchObject({ language: 'en', unavailable: null }), WAIT);
    await hub.stop();
  });
});
