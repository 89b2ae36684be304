// A tiny whisper.cpp ggml model with random weights, written at test time (no model can be
// downloaded here). Its text is garbage by construction; loading, chunking, timing and error paths
// are real. Legacy "ggml" layout as whisper.cpp's convert-pt-to-ggml.py writes it: header, mel
// filter bank, vocabulary, then named tensors (f16 matrices, f32 vectors). Ported from
// ../shared/tools/gen-random-whisper-model.mjs, smaller (one layer, 32 wide) and multilingual.

import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface RandomWhisperModelOptions {
  /** Width of every layer (a multiple of the 2 heads). */
  state?: number;
  layers?: number;
  /** 51865 makes a multilingual model (the language option is honoured), 51864 an English-only one. */
  vocabulary?: number;
}

/** Writes the model into a fresh temporary directory and returns its path. */
export async function writeRandomWhisperModel(options: RandomWhisperModelOptions = {}): Promise<string> {
  const path = join(await mkdtemp(join(tmpdir(), 'ecourt-whisper-')), 'ggml-random.bin');
  await writeFile(path, randomWhisperModel(options));
  return path;
}

export function randomWhisperModel({ state = 32, layers = 1, vocabulary = 51865 }: RandomWhisperModelOptions = {}): Buffer {
  const S = state;
  const audioContext = 1500;
  const textContext = 448;
  const parts: Buffer[] = [];
  const int32 = (...values: number[]): void => {
    const buffer = Buffer.alloc(4 * values.length);
    values.forEach((value, i) => buffer.writeInt32LE(value, 4 * i));
    parts.push(buffer);
  };
  let seed = 12345;
  const random = (): number => {
    seed = (seed * 1103515245 + 12345) & 0x7fffffff;
    return seed / 0x7fffffff - 0.5;
  };

  // magic, n_vocab, audio ctx/state/heads/layers, text ctx/state/heads/layers, n_mels, ftype (1 = f16)
  int32(0x67676d6c, vocabulary, audioContext, S, 2, layers, textContext, S, 2, layers, 80, 1);

  // Mel filter bank [80 × 201]: triangular filters; the values only need to be finite.
  int32(80, 201);
  const bank = new Float32Array(80 * 201);
  for (let m = 0; m < 80; m++) {
    const centre = 1 + m * 2.5;
    for (let k = 0; k < 201; k++) bank[m * 201 + k] = Math.max(0, 1 - Math.abs(k - centre) / 2.5);
  }
  parts.push(Buffer.from(bank.buffer));

  // 50256 ordinary tokens; whisper.cpp synthesises the special ones up to n_vocab. It looks up " "
  // (blank suppression), so that token must exist.
  const words: string[] = [];
  for (let c = 33; c < 127; c++) words.push(String.fromCharCode(c));
  for (let c = 33; c < 127; c++) words.push(' ' + String.fromCharCode(c));
  words.push(' ', ' the', ' court', ' is', ' now', ' in', ' session');
  while (words.length < 50256) words.push(` w${words.length}`);
  int32(words.length);
  for (const word of words) {
    const bytes = Buffer.from(word);
    int32(bytes.length);
    parts.push(bytes);
  }

  const f32 = new Float32Array(1);
  const u32 = new Uint32Array(f32.buffer);
  const toHalf = (value: number): number => {
    f32[0] = value;
    const x = u32[0]!;
    const sign = (x >>> 16) & 0x8000;
    const exponent = ((x >>> 23) & 0xff) - 127 + 15;
    if (exponent <= 0) return sign;
    if (exponent >= 31) return sign | 0x7c00;
    return sign | (exponent << 10) | ((x & 0x7fffff) >>> 13);
  };
  // ne in ggml order (innermost first). f32 for vectors, conv biases and positional embeddings, as the converter does.
  const tensor = (name: string, ne: number[], init: 'random' | 'one' | 'zero' = 'random'): void => {
    const count = ne.reduce((a, b) => a * b, 1);
    const half = ne.length >= 2 && !/conv\d\.bias|positional_embedding/.test(name);
    const value = (): number => (init === 'one' ? 1 : init === 'zero' ? 0 : random() * 0.04);
    let data: Buffer;
    if (half) {
      const values = new Uint16Array(count);
      for (let i = 0; i < count; i++) values[i] = toHalf(value());
      data = Buffer.from(values.buffer);
    } else {
      const values = new Float32Array(count);
      for (let i = 0; i < count; i++) values[i] = value();
      data = Buffer.from(values.buffer);
    }
    const nameBytes = Buffer.from(name);
    int32(ne.length, nameBytes.length, half ? 1 : 0);
    int32(...ne);
    parts.push(nameBytes, data);
  };
  const block = (prefix: string, cross: boolean): void => {
    tensor(`${prefix}.attn_ln.weight`, [S], 'one');
    tensor(`${prefix}.attn_ln.bias`, [S], 'zero');
    for (const attention of cross ? ['attn', 'cross_attn'] : ['attn']) {
      if (attention === 'cross_attn') {
        tensor(`${prefix}.cross_attn_ln.weight`, [S], 'one');
        tensor(`${prefix}.cross_attn_ln.bias`, [S], 'zero');
      }
      tensor(`${prefix}.${attention}.query.weight`, [S, S]);
      tensor(`${prefix}.${attention}.query.bias`, [S], 'zero');
      tensor(`${prefix}.${attention}.key.weight`, [S, S]);
      tensor(`${prefix}.${attention}.value.weight`, [S, S]);
      tensor(`${prefix}.${attention}.value.bias`, [S], 'zero');
      tensor(`${prefix}.${attention}.out.weight`, [S, S]);
      tensor(`${prefix}.${attention}.out.bias`, [S], 'zero');
    }
    tensor(`${prefix}.mlp_ln.weight`, [S], 'one');
    tensor(`${prefix}.mlp_ln.bias`, [S], 'zero');
    tensor(`${prefix}.mlp.0.weight`, [S, 4 * S]);
    tensor(`${prefix}.mlp.0.bias`, [4 * S], 'zero');
    tensor(`${prefix}.mlp.2.weight`, [4 * S, S]);
    tensor(`${prefix}.mlp.2.bias`, [S], 'zero');
  };

  tensor('encoder.positional_embedding', [S, audioContext]);
  tensor('encoder.conv1.weight', [3, 80, S]);
  tensor('encoder.conv1.bias', [1, S], 'zero');
  tensor('encoder.conv2.weight', [3, S, S]);
  tensor('encoder.conv2.bias', [1, S], 'zero');
  for (let i = 0; i < layers; i++) block(`encoder.blocks.${i}`, false);
  tensor('encoder.ln_post.weight', [S], 'one');
  tensor('encoder.ln_post.bias', [S], 'zero');
  tensor('decoder.positional_embedding', [S, textContext]);
  tensor('decoder.token_embedding.weight', [S, vocabulary]);
  for (let i = 0; i < layers; i++) block(`decoder.blocks.${i}`, true);
  tensor('decoder.ln.weight', [S], 'one');
  tensor('decoder.ln.bias', [S], 'zero');
  return Buffer.concat(parts);
}
