// Whether the hub's one recognition engine can hear a hearing's language. Engines say so only by
// refusing a session (pocketsphinx's model is English only), so a session is opened and closed at
// once; a refusal is the reason the hearing goes untranscribed and the clerk types the record.
import { AsrEngineUnavailableError, type AsrEngine, type AsrLanguage } from '../../models/asr/asr-engine.ts';

/** null when the engine hears the language; else its refusal. Other errors (a closed engine) are thrown. */
export function languageRefusal(engine: AsrEngine, language: AsrLanguage): AsrEngineUnavailableError | null {
  try {
    engine.start({ language, onSegment: () => undefined }).abort();
    return null;
  } catch (error) {
    if (error instanceof AsrEngineUnavailableError) return error;
    throw error;
  }
}
