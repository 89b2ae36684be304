// The benchmark's speaker: the 18 s hearing passage with a pause after each sentence, shared by the
// streams section of scripts/bench/asr.ts and the decoding sweep (scripts/bench/asr-decoding.ts).
import { concatPcm, fixtureSpeech, silence } from '../../test/support/asr-audio.ts';

/** Pause inserted between the passage's sentences: the synthetic voice runs them together (≤ 250 ms). */
export const SENTENCE_PAUSE_S = 0.8;

/**
 * The passage as a speaker in court says it: a pause after each sentence, so that the recogniser ends
 * an utterance there (its end-of-speech detection wants ~0.5 s of silence). Sentences end where the
 * level of a 50 ms window falls under 80 (of 32767), at least 1 s after the last end: 6 utterances.
 */
export function passageWithPauses(): { samples: Int16Array; sentences: number } {
  const passage = fixtureSpeech('hearing-passage').samples;
  const window = 800;
  const quiet: boolean[] = [];
  for (let i = 0; i < passage.length; i += window) {
    let energy = 0;
    const end = Math.min(passage.length, i + window);
    for (let j = i; j < end; j++) energy += passage[j]! * passage[j]!;
    quiet.push(Math.sqrt(energy / (end - i)) < 80);
  }
  const cuts: number[] = [];
  let run = 0;
  quiet.forEach((isQuiet, w) => {
    if (isQuiet) run++;
    else {
      // A quiet run inside the speech (not the lead-in): cut in its middle.
      const cut = Math.round(w - run / 2) * window;
      if (run >= 1 && w - run > 0 && cut - (cuts.at(-1) ?? 0) > 16_000) cuts.push(cut);
      run = 0;
    }
  });
  const parts: Int16Array[] = [];
  let from = 0;
  for (const cut of cuts) {
    parts.push(passage.subarray(from, cut), silence(SENTENCE_PAUSE_S));
    from = cut;
  }
  parts.push(passage.subarray(from));
  return { samples: concatPcm(parts), sentences: cuts.length + 1 };
}
