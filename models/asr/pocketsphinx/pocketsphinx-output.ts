// Reads what `pocketsphinx_continuous -time yes` prints: per utterance one line of text, then one
// line per word `word start end posterior` (seconds counted from the first sample it was fed).

export interface PocketsphinxWord {
  text: string;
  startSec: number;
  endSec: number;
  posterior: number;
}

export interface PocketsphinxUtterance {
  text: string;
  words: PocketsphinxWord[];
}

const WORD_LINE = /^(\S+) (\d+\.\d+) (\d+\.\d+) (-?\d+(?:\.\d+)?)$/;
/** Silence, sentence marks and noise fillers (`<s>`, `<sil>`, `[NOISE]`, `++UH++`) are no words. */
const NOT_A_WORD = /^(<.*>|\[.*\]|\+\+.*\+\+)$/;

/** Feeds on stdout lines; hands over an utterance once its word list is complete. */
export function createUtteranceReader(onUtterance: (utterance: PocketsphinxUtterance) => void) {
  let pending: PocketsphinxUtterance | null = null;
  let partialLine = '';

  const flush = () => {
    if (pending && (pending.text !== '' || pending.words.length > 0)) onUtterance(pending);
    pending = null;
  };

  const line = (text: string) => {
    const word = WORD_LINE.exec(text);
    if (!word) {
      flush();
      pending = { text: text.trim(), words: [] };
      return;
    }
    pending ??= { text: '', words: [] };
    const [, token, start, end, posterior] = word;
    if (token === '</s>') {
      flush();
      return;
    }
    if (NOT_A_WORD.test(token!)) return;
    pending.words.push({
      // `record(2)`: the second pronunciation of "record" in the dictionary.
      text: token!.replace(/\(\d+\)$/, ''),
      startSec: Number(start),
      endSec: Number(end),
      posterior: Number(posterior),
    });
  };

  return {
    push(chunk: string): void {
      const lines = (partialLine + chunk).split('\n');
      partialLine = lines.pop() ?? '';
      for (const text of lines) line(text);
    },
    /** The stream ended: the last utterance may have no `</s>`. */
    end(): void {
      if (partialLine !== '') line(partialLine);
      partialLine = '';
      flush();
    },
  };
}
