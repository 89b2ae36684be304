// A participant's speech as decoded 16 kHz mono PCM with hearing-relative times, for speech
// recognition. The router feeds it only the audio it forwards (admitted, not muted).
import OpusScript from 'opusscript';
import type { RtpPacket } from 'werift';
import { TypedEvents } from '../sfu/typed-events.ts';
import { Downsampler48kTo16k } from './downsample.ts';

export const TAP_SAMPLE_RATE = 16_000;
const OPUS_CLOCK_RATE = 48_000;

export interface AudioFrame {
  participantId: string;
  /** Milliseconds since the hearing router was created, of the frame's first sample. */
  hearingTimeMs: number;
  sampleRate: typeof TAP_SAMPLE_RATE;
  /** Mono signed 16-bit samples (20 ms of Opus → 320 samples). */
  samples: Int16Array;
}

export interface AudioTapEvents {
  frame: AudioFrame;
  closed: { participantId: string };
}

export class AudioTap {
  readonly events = new TypedEvents<AudioTapEvents>();
  private decoder: OpusScript | undefined = new OpusScript(OPUS_CLOCK_RATE, 1, OpusScript.Application.VOIP);
  private readonly downsampler = new Downsampler48kTo16k();
  private anchor: { ssrc: number; rtpTimestamp: number; hearingTimeMs: number } | undefined;
  private closed = false;
  framesDecoded = 0;
  framesRejected = 0;

  constructor(
    readonly participantId: string,
    private readonly hearingNow: () => number,
    private readonly onClose: (tap: AudioTap) => void = () => {},
  ) {}

  get isClosed(): boolean {
    return this.closed;
  }

  on<K extends keyof AudioTapEvents>(event: K, listener: (payload: AudioTapEvents[K]) => void) {
    return this.events.on(event, listener);
  }

  /** One Opus RTP packet as forwarded by the router. */
  push(packet: RtpPacket): void {
    if (this.closed || !this.decoder || packet.payload.length === 0) return;
    let pcm: Buffer;
    try {
      pcm = this.decoder.decode(packet.payload);
    } catch {
      // Garbage RTP from a browser must not stop the tap: skip the packet.
      this.framesRejected++;
      return;
    }
    const samples48k = new Int16Array(pcm.buffer, pcm.byteOffset, pcm.byteLength >> 1);
    const hearingTimeMs = this.timeOf(packet.header.ssrc, packet.header.timestamp);
    this.framesDecoded++;
    this.events.emit('frame', {
      participantId: this.participantId,
      hearingTimeMs,
      sampleRate: TAP_SAMPLE_RATE,
      samples: this.downsampler.process(samples48k),
    });
  }

  /**
   * RTP time advances with the sender's clock, arrival time with the network's: the first packet anchors
   * RTP time to the hearing clock, later ones follow RTP time (re-anchored every packet so 32-bit wrap
   * and long hearings stay exact). A new SSRC (the participant reconnected) starts a new RTP clock: anchor again.
   */
  private timeOf(ssrc: number, rtpTimestamp: number): number {
    if (!this.anchor || this.anchor.ssrc !== ssrc) {
      this.anchor = { ssrc, rtpTimestamp, hearingTimeMs: this.hearingNow() };
      return this.anchor.hearingTimeMs;
    }
    const delta = (rtpTimestamp - this.anchor.rtpTimestamp) | 0; // signed: tolerates reordering
    const hearingTimeMs = this.anchor.hearingTimeMs + (delta * 1000) / OPUS_CLOCK_RATE;
    this.anchor = { ssrc, rtpTimestamp, hearingTimeMs };
    return hearingTimeMs;
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.decoder?.delete();
    this.decoder = undefined;
    this.onClose(this);
    this.events.emit('closed', { participantId: this.participantId });
    this.events.clear();
  }
}
