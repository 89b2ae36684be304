// Test media for the SFU: Opus frames of a tone encoded with opusscript, and stand-in video payloads.
import OpusScript from 'opusscript';

/** `count` 20 ms Opus frames (48 kHz mono) of a sine tone at `hz`. */
export function opusTone(count: number, hz = 440, amplitude = 8000): Buffer[] {
  const encoder = new OpusScript(48_000, 1, OpusScript.Application.VOIP);
  const frames: Buffer[] = [];
  const pcm = new Int16Array(960);
  let phase = 0;
  for (let f = 0; f < count; f++) {
    for (let i = 0; i < pcm.length; i++) {
      pcm[i] = Math.round(amplitude * Math.sin(phase));
      phase += (2 * Math.PI * hz) / 48_000;
    }
    frames.push(Buffer.from(encoder.encode(Buffer.from(pcm.buffer), 960)));
  }
  encoder.delete();
  return frames;
}

/** `count` 20 ms Opus frames of silence. */
export function opusSilence(count: number): Buffer[] {
  return opusTone(count, 440, 0);
}

/**
 * A VP8-sized stand-in frame: a VP8 payload descriptor (S bit on the first packet) and filler bytes.
 * The SFU forwards RTP without decoding it, so forwarding tests need no real VP8.
 */
export function fakeVideoFrame(bytes = 2400, maxPayload = 1100): Buffer[] {
  const payloads: Buffer[] = [];
  for (let offset = 0; offset < bytes; offset += maxPayload) {
    const size = Math.min(maxPayload, bytes - offset);
    const payload = Buffer.alloc(size + 1, 0x5a);
    payload[0] = offset === 0 ? 0x10 : 0x00;
    payloads.push(payload);
  }
  return payloads;
}

export function rms(samples: Int16Array): number {
  let sum = 0;
  for (const s of samples) sum += s * s;
  return samples.length ? Math.sqrt(sum / samples.length) : 0;
}

export const pause = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

// Waits until a counter stops moving for quietMs: packets already on the wire when forwarding
// stops still arrive, so a snapshot taken at once would count them as forwarded afterwards.
export async function untilQuiet(count: () => number, quietMs = 150, timeoutMs = 5_000): Promise<number> {
  const deadline = Date.now() + timeoutMs;
  let last = count();
  for (;;) {
    await pause(quietMs);
    const now = count();
    if (now === last || Date.now() > deadline) return now;
    last = now;
  }
}

/** What a participant's browser sends, as test peers send it: one Opus packet per peer per round, a video frame every other round. */
export interface MediaSender {
  sendAudio(payload: Buffer): void;
  sendVideoFrame(payloads: Buffer[]): void;
}

const roundTone = opusTone(50);
const roundFrame = fakeVideoFrame();

/** Sends `rounds` rounds from each sender (audio each round, video every other), `pauseMs` apart. */
export async function sendMediaRounds(senders: readonly MediaSender[], rounds: number, pauseMs = 5): Promise<void> {
  for (let i = 0; i < rounds; i++) {
    for (const sender of senders) {
      sender.sendAudio(roundTone[i % roundTone.length]!);
      if (i % 2 === 0) sender.sendVideoFrame(roundFrame);
    }
    await pause(pauseMs);
  }
}
