// 48 kHz → 16 kHz for speech recognition: a windowed-sinc low-pass (cut-off below the new Nyquist
// frequency) evaluated only at every third input sample. Dropping samples alone would fold
// everything between 8 and 24 kHz back into the speech band as aliasing.
const FACTOR = 3;
const TAPS = 63;
/** Pass band to ~7 kHz; the Blackman window gives > 70 dB stop band above 8 kHz with 63 taps. */
const CUTOFF_HZ = 7_200;
const INPUT_RATE = 48_000;

function designLowPass(): Float64Array {
  const taps = new Float64Array(TAPS);
  const fc = CUTOFF_HZ / INPUT_RATE;
  const middle = (TAPS - 1) / 2;
  let sum = 0;
  for (let n = 0; n < TAPS; n++) {
    const x = n - middle;
    const sinc = x === 0 ? 2 * fc : Math.sin(2 * Math.PI * fc * x) / (Math.PI * x);
    const window = 0.42 - 0.5 * Math.cos((2 * Math.PI * n) / (TAPS - 1)) + 0.08 * Math.cos((4 * Math.PI * n) / (TAPS - 1));
    taps[n] = sinc * window;
    sum += taps[n]!;
  }
  for (let n = 0; n < TAPS; n++) taps[n]! /= sum; // unity gain at DC
  return taps;
}

const LOW_PASS = designLowPass();

/** Streaming decimator: keeps the filter's history between calls, so frames join without clicks. */
export class Downsampler48kTo16k {
  private history = new Float64Array(TAPS - 1);
  /** Input samples to skip before the next output (when a frame's length is not a multiple of 3). */
  private skip = 0;

  process(input: Int16Array): Int16Array {
    const buffer = new Float64Array(this.history.length + input.length);
    buffer.set(this.history, 0);
    for (let i = 0; i < input.length; i++) buffer[this.history.length + i] = input[i]!;
    const outputs: number[] = [];
    let position = TAPS - 1 + this.skip; // index of the newest input sample under the filter
    for (; position < buffer.length; position += FACTOR) {
      let acc = 0;
      for (let k = 0; k < TAPS; k++) acc += LOW_PASS[k]! * buffer[position - k]!;
      outputs.push(acc);
    }
    this.skip = position - buffer.length;
    this.history = buffer.slice(buffer.length - (TAPS - 1));
    const out = new Int16Array(outputs.length);
    for (let i = 0; i < outputs.length; i++) out[i] = Math.max(-32768, Math.min(32767, Math.round(outputs[i]!)));
    return out;
  }
}
