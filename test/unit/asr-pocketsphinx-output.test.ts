import { describe, expect, it } from 'vitest';
import { createUtteranceReader, type PocketsphinxUtterance } from '../../models/asr/pocketsphinx/pocketsphinx-output.ts';

describe('pocketsphinx -time yes output', () => {
  it('turns text and word lines into utterances, whatever the chunking, without fillers', () => {
    const output = [
      'the record',
      '<s> 0.360 0.440 0.999900',
      'the 0.450 0.650 0.865440',
      '[NOISE] 0.660 0.700 0.5',
      'record(2) 3.620 4.090 0.892425',
      '</s> 4.100 4.460 1.000000',
      'counsel may approach',
      '<s> 7.840 7.920 1.000600',
      'counsel 7.930 8.400 0.9',
      '<sil> 8.400 8.500 0.9',
      'may 8.510 8.700 0.8',
      'approach 8.710 9.200 1.000100',
      '',
    ].join('\n');
    for (const size of [1, 7, output.length]) {
      const utterances: PocketsphinxUtterance[] = [];
      const reader = createUtteranceReader((utterance) => utterances.push(utterance));
      for (let i = 0; i < output.length; i += size) reader.push(output.slice(i, i + size));
      expect(utterances).toHaveLength(1); // the second has no </s> yet
      reader.end();
      expect(utterances.map((u) => u.text)).toEqual(['the record', 'counsel may approach']);
      expect(utterances[0]!.words).toEqual([
        { text: 'the', startSec: 0.45, endSec: 0.65, posterior: 0.86544 },
        { text: 'record', startSec: 3.62, endSec: 4.09, posterior: 0.892425 },
      ]);
      expect(utterances[1]!.words.map((w) => w.text)).toEqual(['counsel', 'may', 'approach']);
    }
  });
});
