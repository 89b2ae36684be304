// Chooses the speech recognition engine the configuration names (ECOURT_ASR_ENGINE). Whisper and its
// native binding are loaded only when chosen.
import type { Config } from '../../platform/config.ts';
import type { Logger } from '../../platform/logger.ts';
import type { AsrEngine } from './asr-engine.ts';
import { createPocketsphinxEngine } from './pocketsphinx/pocketsphinx-engine.ts';

export async function createAsrEngine(
  config: Pick<Config, 'ECOURT_ASR_ENGINE' | 'WHISPER_MODEL'> & Partial<Pick<Config, 'ECOURT_POCKETSPHINX_DECODING'>>,
  logger: Logger,
): Promise<AsrEngine> {
  const engine = config.ECOURT_ASR_ENGINE;
  switch (engine) {
    case 'pocketsphinx':
      return createPocketsphinxEngine({ logger, decoding: config.ECOURT_POCKETSPHINX_DECODING });
    case 'whisper': {
      const { createWhisperEngine } = await import('./whisper/whisper-engine.ts');
      return createWhisperEngine({ modelPath: config.WHISPER_MODEL, logger });
    }
    default: {
      const unknown: never = engine;
      throw new Error(`unknown speech recognition engine ${String(unknown)}`);
    }
  }
}
