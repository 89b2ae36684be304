// The leaves of the media tree: a track a participant publishes to the server, and the server's
// sending slot that forwards another participant's track into a receiver's connection.
import type { MediaStreamTrack, RTCRtpTransceiver, RtpPacket } from 'werift';
import type { Unsubscribe } from './typed-events.ts';

export type MediaKind = 'audio' | 'video';

/** What a participant sends to the server on one m-line (audio or video). */
export class PublishedTrack {
  private closed = false;
  private readonly unsubscribers: Unsubscribe[] = [];

  constructor(
    readonly participantId: string,
    readonly kind: MediaKind,
    /** The remote track werift surfaces for this m-line; RTP arrives on it. */
    readonly remote: MediaStreamTrack,
    private readonly transceiver: RTCRtpTransceiver,
  ) {}

  get isClosed(): boolean {
    return this.closed;
  }

  /** werift's negotiated codec for this track (payload type and name), once RTP has been negotiated. */
  get codec() {
    return this.remote.codec;
  }

  onRtp(listener: (packet: RtpPacket) => void): Unsubscribe {
    if (this.closed) return () => {};
    const { unSubscribe } = this.remote.onReceiveRtp.subscribe((packet) => listener(packet));
    this.unsubscribers.push(unSubscribe);
    return unSubscribe;
  }

  /** Asks the publisher for a key frame (PLI), so a newly forwarded receiver or a recording can start decoding. */
  requestKeyFrame(): void {
    if (this.closed || this.kind !== 'video' || this.remote.ssrc === undefined) return;
    this.transceiver.receiver.sendRtcpPLI(this.remote.ssrc).catch(() => {});
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    for (const unsubscribe of this.unsubscribers.splice(0)) unsubscribe();
  }
}

/** The server's sender in one receiver's connection that carries one published track of another participant. */
export class ForwardedTrack {
  private closed = false;
  private paused = true;
  /** RTP packets written to the receiver: what tests and the clerk's quality view read. */
  packetsForwarded = 0;

  constructor(
    readonly sourceParticipantId: string,
    readonly kind: MediaKind,
    readonly transceiver: RTCRtpTransceiver,
  ) {}

  get mid(): string | undefined {
    return this.transceiver.mid ?? undefined;
  }

  get isClosed(): boolean {
    return this.closed;
  }

  write(packet: RtpPacket): void {
    if (this.closed) return;
    if (this.paused) {
      // Renumber from where this sender left off, so a muted stretch does not look like packet loss
      // to the receiver (it would send NACKs and its jitter buffer would stall).
      this.transceiver.sender.replaceRTP(packet.header);
      this.paused = false;
    }
    this.packetsForwarded++;
    this.transceiver.sender.sendRtp(packet).catch(() => {});
  }

  /** Called when forwarding stops (mute, dismissal): the next write restarts the sequence cleanly. */
  pause(): void {
    this.paused = true;
  }

  /** Subscribes to the receiver's key frame requests (PLI), to be passed on to the publisher. */
  onKeyFrameRequest(listener: () => void): Unsubscribe {
    const { unSubscribe } = this.transceiver.sender.onPictureLossIndication.subscribe(() => listener());
    return unSubscribe;
  }

  close(): void {
    this.closed = true;
  }
}
