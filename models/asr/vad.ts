// Energy-based voice activity detection: cuts a 16 kHz PCM stream into chunks of speech for engines
// that recognise whole utterances (Whisper), so silence costs nothing and times stay anchored.
// Frames of 30 ms; a chunk starts after a few loud frames (with a little pre-roll so the first
// syllable is kept), ends after a hangover of quiet frames, and is cut at a maximum length.

export const VAD_SAMPLE_RATE = 16_000;
export const VAD_FRAME_MS = 30;
const FRAME_SAMPLES = (VAD_SAMPLE_RATE * VAD_FRAME_MS) / 1000;

export interface VoiceActivityOptions {
  /** A frame whose RMS level is at least this (dBFS) counts as speech. */
  thresholdDb?: number;
  /** Loud frames in a row needed to open a chunk (a click is not speech). */
  minSpeechMs?: number;
  /** Quiet audio kept before the first loud frame. */
  preRollMs?: number;
  /** Quiet audio after which a chunk is closed: pauses inside a sentence stay in one chunk. */
  hangoverMs?: number;
  /** A chunk longer than this is cut (Whisper's window is 30 s; shorter chunks bound the delay). */
  maxChunkMs?: number;
}

export interface VoiceChunk {
  /** Milliseconds from the start of the stream. */
  startMs: number;
  /** 16 kHz mono PCM of the chunk. */
  pcm: Int16Array;
}

export function voiceChunkMs(chunk: VoiceChunk): number {
  return (chunk.pcm.length * 1000) / VAD_SAMPLE_RATE;
}

export function frameLevelDb(frame: Int16Array): number {
  let sum = 0;
  for (const sample of frame) sum += sample * sample;
  const rms = Math.sqrt(sum / Math.max(1, frame.length)) / 32768;
  return rms > 0 ? 20 * Math.log10(rms) : -Infinity;
}

export class VoiceActivityDetector {
  private readonly thresholdDb: number;
  private readonly minSpeechFrames: number;
  private readonly preRollFrames: number;
  private readonly hangoverFrames: number;
  private readonly maxChunkFrames: number;

  /** Samples that do not fill a frame yet. */
  private rest = new Int16Array(0);
  private frameIndex = 0;
  /** Recent frames while outside a chunk: the pre-roll plus the loud run that may open one. */
  private recent: Int16Array[] = [];
  private loudRun = 0;
  private chunk: { startFrame: number; frames: Int16Array[]; quietRun: number; loudFrames: number } | null = null;

  constructor(options: VoiceActivityOptions = {}) {
    this.thresholdDb = options.thresholdDb ?? -40;
    this.minSpeechFrames = Math.max(1, Math.round((options.minSpeechMs ?? 90) / VAD_FRAME_MS));
    this.preRollFrames = Math.round((options.preRollMs ?? 150) / VAD_FRAME_MS);
    this.hangoverFrames = Math.max(1, Math.round((options.hangoverMs ?? 450) / VAD_FRAME_MS));
    this.maxChunkFrames = Math.max(1, Math.floor((options.maxChunkMs ?? 15_000) / VAD_FRAME_MS));
  }

  /** True while a chunk is open (someone is speaking, or just paused). */
  get inSpeech(): boolean {
    return this.chunk !== null;
  }

  /** Takes the next samples of the stream; returns the chunks they closed. */
  push(pcm: Int16Array): VoiceChunk[] {
    const samples = new Int16Array(this.rest.length + pcm.length);
    samples.set(this.rest);
    samples.set(pcm, this.rest.length);
    const closed: VoiceChunk[] = [];
    let offset = 0;
    for (; offset + FRAME_SAMPLES <= samples.length; offset += FRAME_SAMPLES) {
      const chunk = this.frame(samples.slice(offset, offset + FRAME_SAMPLES));
      if (chunk) closed.push(chunk);
    }
    this.rest = samples.slice(offset);
    return closed;
  }

  /** End of stream: closes the open chunk, if it holds speech. */
  flush(): VoiceChunk[] {
    const last = this.chunk ? this.close() : null;
    this.rest = new Int16Array(0);
    this.recent = [];
    this.loudRun = 0;
    return last ? [last] : [];
  }

  private frame(frame: Int16Array): VoiceChunk | null {
    const loud = frameLevelDb(frame) >= this.thresholdDb;
    const index = this.frameIndex++;
    if (!this.chunk) {
      this.recent.push(frame);
      this.loudRun = loud ? this.loudRun + 1 : 0;
      if (this.recent.length > this.preRollFrames + this.minSpeechFrames) this.recent.shift();
      if (this.loudRun < this.minSpeechFrames) return null;
      const frames = this.recent;
      this.chunk = { startFrame: index - frames.length + 1, frames, quietRun: 0, loudFrames: this.loudRun };
      this.recent = [];
      this.loudRun = 0;
      return null;
    }
    const chunk = this.chunk;
    chunk.frames.push(frame);
    if (loud) {
      chunk.quietRun = 0;
      chunk.loudFrames++;
    } else {
      chunk.quietRun++;
    }
    if (chunk.quietRun >= this.hangoverFrames) return this.close();
    if (chunk.frames.length >= this.maxChunkFrames) {
      // Cut mid-speech: the next frame opens the next chunk at once, so no audio falls between.
      const cut = this.close();
      this.chunk = { startFrame: index + 1, frames: [], quietRun: 0, loudFrames: 0 };
      return cut;
    }
    return null;
  }

  private close(): VoiceChunk | null {
    const chunk = this.chunk;
    this.chunk = null;
    if (!chunk || chunk.loudFrames === 0) return null;
    const pcm = new Int16Array(chunk.frames.length * FRAME_SAMPLES);
    chunk.frames.forEach((frame, i) => pcm.set(frame, i * FRAME_SAMPLES));
    return { startMs: chunk.startFrame * VAD_FRAME_MS, pcm };
  }
}
