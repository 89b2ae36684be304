// The microphone's level from a WebAudio AnalyserNode: the loudest sample of each animation frame
// (0–1 of full scale) for the live bar, and the loudest seen so far for the stored result.
export class LevelMeter {
  private readonly analyser: AnalyserNode;
  private readonly source: MediaStreamAudioSourceNode;
  private readonly samples: Float32Array<ArrayBuffer>;
  private frame = 0;
  peak = 0;

  constructor(
    private readonly context: AudioContext,
    stream: MediaStream,
    private readonly onLevel: (level: number) => void,
  ) {
    this.source = context.createMediaStreamSource(stream);
    this.analyser = context.createAnalyser();
    this.analyser.fftSize = 2048;
    this.samples = new Float32Array(this.analyser.fftSize);
    // Analysed only, never played back: no echo through the speakers.
    this.source.connect(this.analyser);
    this.frame = requestAnimationFrame(this.tick);
  }

  private readonly tick = (): void => {
    this.analyser.getFloatTimeDomainData(this.samples);
    let level = 0;
    for (const sample of this.samples) level = Math.max(level, Math.abs(sample));
    level = Math.min(1, level);
    this.peak = Math.max(this.peak, level);
    this.onLevel(level);
    this.frame = requestAnimationFrame(this.tick);
  };

  close(): void {
    cancelAnimationFrame(this.frame);
    this.source.disconnect();
    this.analyser.disconnect();
  }
}

/** The speaker test: a 440 Hz tone for `seconds`, faded in and out so it does not click. */
export function playTestTone(context: AudioContext, seconds = 1): Promise<void> {
  const oscillator = context.createOscillator();
  const gain = context.createGain();
  oscillator.frequency.value = 440;
  const start = context.currentTime;
  gain.gain.setValueAtTime(0, start);
  gain.gain.linearRampToValueAtTime(0.25, start + 0.05);
  gain.gain.setValueAtTime(0.25, start + seconds - 0.05);
  gain.gain.linearRampToValueAtTime(0, start + seconds);
  oscillator.connect(gain).connect(context.destination);
  return new Promise((resolve) => {
    oscillator.onended = () => {
      oscillator.disconnect();
      gain.disconnect();
      resolve();
    };
    oscillator.start(start);
    oscillator.stop(start + seconds);
  });
}
