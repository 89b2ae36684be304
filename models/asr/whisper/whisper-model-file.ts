// Checks that a file is a whole whisper.cpp ggml model before the native loader sees it: the loader
// accepts some truncated files, and a nonsensical header can crash it, so bad files are named here.

import { open } from 'node:fs/promises';

const GGML_MAGIC = 0x67676d6c;
const HPARAM_NAMES = [
  'n_vocab', 'n_audio_ctx', 'n_audio_state', 'n_audio_head', 'n_audio_layer',
  'n_text_ctx', 'n_text_state', 'n_text_head', 'n_text_layer', 'n_mels', 'ftype',
] as const;
/** Bytes per element of ggml tensor types (f32, f16; quantised types count per block). */
const TYPE_SIZE: Record<number, { bytes: number; block: number }> = {
  0: { bytes: 4, block: 1 }, 1: { bytes: 2, block: 1 },
  2: { bytes: 18, block: 32 }, 3: { bytes: 20, block: 32 }, 6: { bytes: 22, block: 32 }, 7: { bytes: 24, block: 32 },
  8: { bytes: 34, block: 32 }, 10: { bytes: 84, block: 256 }, 11: { bytes: 110, block: 256 },
  12: { bytes: 144, block: 256 }, 13: { bytes: 176, block: 256 }, 14: { bytes: 210, block: 256 },
};

export class WhisperModelFileError extends Error {
  override name = 'WhisperModelFileError';
}

/** Resolves with the model's hyper-parameters, or rejects with a WhisperModelFileError saying what is wrong. */
export async function checkWhisperModelFile(path: string): Promise<Record<(typeof HPARAM_NAMES)[number], number>> {
  const file = await open(path, 'r');
  try {
    const size = (await file.stat()).size;
    let position = 0;
    // Reads go through a 64 KiB window: the vocabulary alone is some 50 000 tiny reads.
    let window = Buffer.alloc(0);
    let windowStart = 0;
    const read = async (length: number): Promise<Buffer> => {
      if (position + length > size) {
        throw new WhisperModelFileError(`truncated: the file has ${size} bytes, its layout needs at least ${position + length}`);
      }
      if (position < windowStart || position + length > windowStart + window.length) {
        window = Buffer.alloc(Math.min(Math.max(length, 65_536), size - position));
        windowStart = position;
        await file.read(window, 0, window.length, position);
      }
      const bytes = window.subarray(position - windowStart, position - windowStart + length);
      position += length;
      return bytes;
    };
    const int32 = async (): Promise<number> => (await read(4)).readInt32LE(0);

    if ((await int32()) !== GGML_MAGIC) throw new WhisperModelFileError('not a ggml model (bad magic number)');
    const hp = {} as Record<(typeof HPARAM_NAMES)[number], number>;
    for (const name of HPARAM_NAMES) hp[name] = await int32();
    for (const name of HPARAM_NAMES) {
      if (name !== 'ftype' && (hp[name] <= 0 || hp[name] > 1_000_000)) {
        throw new WhisperModelFileError(`implausible header value ${name}=${hp[name]}`);
      }
    }
    if (hp.n_audio_state % hp.n_audio_head !== 0 || hp.n_text_state % hp.n_text_head !== 0) {
      throw new WhisperModelFileError('implausible header: state size not divisible by the number of heads');
    }
    const melRows = await int32();
    const melColumns = await int32();
    if (melRows <= 0 || melColumns <= 0) throw new WhisperModelFileError('implausible mel filter bank');
    position += 4 * melRows * melColumns;
    const vocabulary = await int32();
    if (vocabulary < 0 || vocabulary > hp.n_vocab) throw new WhisperModelFileError(`implausible vocabulary size ${vocabulary}`);
    for (let i = 0; i < vocabulary; i++) {
      const length = await int32();
      position += length;
    }

    // Tensors follow until the end of the file; each must fit exactly.
    let tensors = 0;
    while (position < size) {
      const dims = await int32();
      const nameLength = await int32();
      const type = await int32();
      const typeSize = TYPE_SIZE[type];
      if (dims < 1 || dims > 4 || nameLength <= 0 || nameLength > 256) {
        throw new WhisperModelFileError(`tensor ${tensors} at byte ${position - 12} has an invalid header`);
      }
      if (!typeSize) throw new WhisperModelFileError(`tensor ${tensors} has an unsupported type ${type}`);
      let elements = 1;
      for (let d = 0; d < dims; d++) elements *= await int32();
      position += nameLength + Math.ceil(elements / typeSize.block) * typeSize.bytes;
      if (position > size) throw new WhisperModelFileError(`truncated inside tensor ${tensors}`);
      tensors++;
    }
    if (tensors === 0) throw new WhisperModelFileError('no tensors');
    return hp;
  } finally {
    await file.close();
  }
}
