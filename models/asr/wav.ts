// Reads the WAV files speech recognition takes: 16 kHz, mono, signed 16-bit PCM. Anything else is
// refused with a message that says what the file is and what it should be.

export const ASR_SAMPLE_RATE = 16_000;

export class WavFormatError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'WavFormatError';
  }
}

export interface PcmAudio {
  sampleRate: number;
  samples: Int16Array;
  durationMs: number;
}

const WAVE_FORMAT_PCM = 0x0001;
const WAVE_FORMAT_EXTENSIBLE = 0xfffe;

export function readPcmWav(bytes: Uint8Array): PcmAudio {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const text = (offset: number) => String.fromCharCode(...bytes.subarray(offset, offset + 4));
  if (bytes.length < 12 || text(0) !== 'RIFF' || text(8) !== 'WAVE') {
    throw new WavFormatError('not a WAV file (no RIFF/WAVE header)');
  }
  let format: { audioFormat: number; channels: number; sampleRate: number; bitsPerSample: number } | null = null;
  let offset = 12;
  while (offset + 8 <= bytes.length) {
    const id = text(offset);
    const size = view.getUint32(offset + 4, true);
    const body = offset + 8;
    if (id === 'fmt ') {
      if (size < 16 || body + 16 > bytes.length) throw new WavFormatError('WAV format chunk is truncated');
      let audioFormat = view.getUint16(body, true);
      // WAVE_FORMAT_EXTENSIBLE carries the real format in the first two bytes of its sub-format GUID.
      if (audioFormat === WAVE_FORMAT_EXTENSIBLE && size >= 40) audioFormat = view.getUint16(body + 24, true);
      format = {
        audioFormat,
        channels: view.getUint16(body + 2, true),
        sampleRate: view.getUint32(body + 4, true),
        bitsPerSample: view.getUint16(body + 14, true),
      };
    } else if (id === 'data') {
      if (!format) throw new WavFormatError('WAV data chunk comes before its format chunk');
      checkFormat(format);
      // A recorder killed mid-file leaves the header's size too large: take what is there.
      const length = Math.min(size, bytes.length - body) & ~1;
      const samples = new Int16Array(length / 2);
      for (let i = 0; i < samples.length; i++) samples[i] = view.getInt16(body + i * 2, true);
      return { sampleRate: format.sampleRate, samples, durationMs: (samples.length / format.sampleRate) * 1000 };
    }
    offset = body + size + (size & 1);
  }
  throw new WavFormatError(format ? 'WAV file has no data chunk' : 'WAV file has no format chunk');
}

function checkFormat(format: { audioFormat: number; channels: number; sampleRate: number; bitsPerSample: number }): void {
  const problems: string[] = [];
  if (format.audioFormat !== WAVE_FORMAT_PCM) problems.push(`not PCM (format code ${format.audioFormat})`);
  if (format.channels !== 1) problems.push(`${format.channels === 2 ? 'stereo' : `${format.channels} channels`} instead of mono`);
  if (format.sampleRate !== ASR_SAMPLE_RATE) problems.push(`sample rate ${format.sampleRate} Hz instead of ${ASR_SAMPLE_RATE} Hz`);
  if (format.bitsPerSample !== 16) problems.push(`${format.bitsPerSample}-bit samples instead of 16-bit`);
  if (problems.length > 0) {
    throw new WavFormatError(
      `WAV file must be 16 kHz mono 16-bit PCM, but is ${problems.join(', ')} (convert it: ffmpeg -i in.wav -ar 16000 -ac 1 -c:a pcm_s16le out.wav)`,
    );
  }
}
