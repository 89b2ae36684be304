import { describe, expect, it } from 'vitest';
import { ConfigError, parseConfig } from '../../platform/config.ts';

describe('speech recognition configuration', () => {
  it('defaults to pocketsphinx and takes whisper with a model path', () => {
    expect(parseConfig({}).ECOURT_ASR_ENGINE).toBe('pocketsphinx');
    expect(parseConfig({}).WHISPER_MODEL).toBeUndefined();
    const whisper = parseConfig({ ECOURT_ASR_ENGINE: 'whisper', WHISPER_MODEL: '/models/ggml-base.bin' });
    expect(whisper.ECOURT_ASR_ENGINE).toBe('whisper');
    expect(whisper.WHISPER_MODEL).toBe('/models/ggml-base.bin');
  });

  it('refuses an unknown engine with a message naming the variable', () => {
    const parse = () => parseConfig({ ECOURT_ASR_ENGINE: 'kaldi' });
    expect(parse).toThrow(ConfigError);
    expect(parse).toThrow(/ECOURT_ASR_ENGINE: .*"pocketsphinx"\|"whisper"/);
  });

  it('searches fast by default; accurate is pocketsphinx’s own defaults; anything else is refused', () => {
    expect(parseConfig({}).ECOURT_POCKETSPHINX_DECODING).toBe('fast');
    expect(parseConfig({ ECOURT_POCKETSPHINX_DECODING: 'accurate' }).ECOURT_POCKETSPHINX_DECODING).toBe('accurate');
    expect(() => parseConfig({ ECOURT_POCKETSPHINX_DECODING: 'turbo' })).toThrow(/ECOURT_POCKETSPHINX_DECODING/);
  });
});
