// A werift peer standing in for a participant's browser: speaks the media signalling protocol to a
// hearing router in-process, publishes an audio and a video track and counts what it receives.
import { MediaStreamTrack, RTCPeerConnection, RtpHeader, RtpPacket, type RTCRtpTransceiver } from 'werift';
import type { HearingRouter } from '../../media/sfu/hearing-router.ts';
import type { ServerSignal } from '../../media/signalling/protocol.ts';

const LOOPBACK = '127.0.0.1';

export interface ReceivedTrack {
  mid: string;
  kind: 'audio' | 'video';
  packets: number;
  payloads: Buffer[];
}

/** What the client needs of a router: in-process the HearingRouter itself, in the benchmark a proxy to a child process. */
export type SignallingRouter = Pick<HearingRouter, 'hearingId' | 'handleSignal'>;

export class MediaTestClient {
  readonly pc = new RTCPeerConnection({
    iceAdditionalHostAddresses: [LOOPBACK],
    iceUseIpv6: false,
    iceServers: [],
    bundlePolicy: 'max-bundle',
  });
  readonly audio = new MediaStreamTrack({ kind: 'audio' });
  readonly video = new MediaStreamTrack({ kind: 'video' });
  readonly received = new Map<string, ReceivedTrack>();
  readonly errors: Extract<ServerSignal, { type: 'media.error' }>[] = [];
  readonly offers: string[] = [];
  state: Extract<ServerSignal, { type: 'media.state' }> | undefined;
  /** Keep payloads of received audio (for decoding checks); off by default to save memory. */
  keepPayloads = false;
  /** Called for every received RTP packet (the benchmark reads its send timestamps). */
  onReceive: ((kind: 'audio' | 'video', packet: RtpPacket) => void) | undefined;
  private queue: Promise<void> = Promise.resolve();
  private publishing = false;
  private readonly watched = new Set<RTCRtpTransceiver>();
  private audioSeq = 1000;
  private audioTs = 48_000;
  private videoSeq = 5000;
  private videoTs = 90_000;

  constructor(
    readonly router: SignallingRouter,
    readonly participantId: string,
  ) {
    // Track events fire inside setRemoteDescription: watch transceivers as soon as they exist.
    this.pc.onRemoteTransceiverAdded.subscribe((transceiver) => this.watch(transceiver));
  }

  /** Messages from the server, handled in order (werift's calls are asynchronous). */
  readonly deliver = (message: ServerSignal): void => {
    this.queue = this.queue.then(() => this.onServer(message)).catch((error) => {
      this.errors.push({ v: 1, type: 'media.error', code: 'MEDIA_NEGOTIATION_FAILED', message: String(error) });
    });
  };

  async signal(message: unknown): Promise<void> {
    await this.router.handleSignal(this.participantId, message, this.deliver);
  }

  async join(): Promise<void> {
    await this.signal(JSON.stringify({ v: 1, type: 'media.join', hearingId: this.router.hearingId }));
  }

  get connected(): boolean {
    return this.pc.connectionState === 'connected';
  }

  /** Packets received on the m-lines the last media.state names for `sourceId`. */
  receivedFrom(sourceId: string, kind: 'audio' | 'video'): number {
    const entry = this.state?.participants.find((p) => p.participantId === sourceId);
    const mid = kind === 'audio' ? entry?.audioMid : entry?.videoMid;
    return mid ? (this.received.get(mid)?.packets ?? 0) : 0;
  }

  receivedTrackFrom(sourceId: string, kind: 'audio' | 'video'): ReceivedTrack | undefined {
    const entry = this.state?.participants.find((p) => p.participantId === sourceId);
    const mid = kind === 'audio' ? entry?.audioMid : entry?.videoMid;
    return mid ? this.received.get(mid) : undefined;
  }

  totalReceived(): number {
    let total = 0;
    for (const track of this.received.values()) total += track.packets;
    return total;
  }

  sendAudio(payload: Buffer, samples = 960): void {
    this.audio.writeRtp(
      new RtpPacket(new RtpHeader({ sequenceNumber: this.audioSeq++ & 0xffff, timestamp: this.audioTs >>> 0, marker: false, payloadType: 111 }), payload),
    );
    this.audioTs += samples;
  }

  /** One video frame, already split into RTP payloads (the last one carries the marker bit). */
  sendVideoFrame(payloads: Buffer[], ticks = 6000): void {
    payloads.forEach((payload, index) => {
      this.video.writeRtp(
        new RtpPacket(
          new RtpHeader({ sequenceNumber: this.videoSeq++ & 0xffff, timestamp: this.videoTs >>> 0, marker: index === payloads.length - 1, payloadType: 96 }),
          payload,
        ),
      );
    });
    this.videoTs += ticks;
  }

  async close(): Promise<void> {
    await this.queue.catch(() => {});
    this.audio.stop();
    this.video.stop();
    await this.pc.close();
  }

  private async onServer(message: ServerSignal): Promise<void> {
    switch (message.type) {
      case 'media.offer': {
        this.offers.push(message.sdp);
        await this.pc.setRemoteDescription({ type: 'offer', sdp: message.sdp });
        this.attachTracks();
        const answer = await this.pc.createAnswer();
        await this.pc.setLocalDescription(answer);
        await this.signal({ v: 1, type: 'media.answer', sdp: this.pc.localDescription!.sdp });
        return;
      }
      case 'media.ice':
        if (message.candidate) await this.pc.addIceCandidate({ ...message.candidate, sdpMid: message.candidate.sdpMid ?? undefined, sdpMLineIndex: message.candidate.sdpMLineIndex ?? undefined });
        return;
      case 'media.state':
        this.state = message;
        return;
      case 'media.error':
        this.errors.push(message);
        return;
      default:
        return;
    }
  }

  /**
   * The first audio and first video m-line of the first offer are this participant's publications
   * (the server receives on them); every later m-line brings another participant's track.
   */
  private attachTracks(): void {
    const transceivers = this.pc.getTransceivers();
    if (!this.publishing) {
      this.publishing = true;
      for (const kind of ['audio', 'video'] as const) {
        const own = transceivers.find((t) => t.kind === kind);
        if (!own) continue;
        this.watched.add(own);
        own.setDirection('sendonly');
        void own.sender.replaceTrack(kind === 'audio' ? this.audio : this.video);
      }
    }
  }

  private watch(transceiver: RTCRtpTransceiver): void {
    transceiver.onTrack.subscribe((track) => {
      if (this.watched.has(transceiver)) return; // our own publication
      const mid = transceiver.mid ?? '?';
      const entry: ReceivedTrack = { mid, kind: transceiver.kind as 'audio' | 'video', packets: 0, payloads: [] };
      this.received.set(mid, entry);
      track.onReceiveRtp.subscribe((packet) => {
        entry.packets++;
        if (this.keepPayloads) entry.payloads.push(packet.payload);
        this.onReceive?.(entry.kind, packet);
      });
    });
  }
}
