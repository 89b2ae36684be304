// This browser's WebRTC connection to the hearing's media node. The node always offers (again on
// every renegotiation, when people join or leave); we answer, publish camera and microphone on the
// m-lines it offers as recvonly, and trickle ICE both ways. Signals are handled one at a time, in
// order, and remote candidates wait until there is a remote description to add them to.
import type { ClientSignal, IceCandidateMessage, ServerSignal } from '../../../media/signalling/protocol.ts';
import { publishingMids } from './sdp.ts';

export interface MediaLinkOptions {
  hearingId: string;
  /** Outgoing signalling (the /rt socket). */
  send: (message: ClientSignal) => void;
  /** Camera and microphone to publish; null to only watch (e.g. no camera permission). */
  local: MediaStream | null;
  /** The remote tracks may have changed (after each applied offer). */
  onTracks?: () => void;
  onConnectionState?: (state: RTCPeerConnectionState) => void;
  /** A signal could not be applied (a broken offer): the room reconnects. */
  onFailure?: (error: unknown) => void;
  /** Tests pass a stand-in; browsers use RTCPeerConnection. */
  createPeer?: (config: RTCConfiguration) => RTCPeerConnection;
  rtcConfig?: RTCConfiguration;
}

export class MediaLink {
  private readonly pc: RTCPeerConnection;
  private readonly pending: (IceCandidateMessage | null)[] = [];
  private work: Promise<void> = Promise.resolve();
  private closed = false;
  /** Revision of the last offer answered (media.offer's revision). */
  answeredRevision = 0;

  constructor(private readonly options: MediaLinkOptions) {
    const createPeer = options.createPeer ?? ((config: RTCConfiguration) => new RTCPeerConnection(config));
    this.pc = createPeer(options.rtcConfig ?? {});
    // Handler properties rather than addEventListener: werift (the media node's own WebRTC stack,
    // which the integration test drives this class with) has only these.
    this.pc.onicecandidate = (event: RTCPeerConnectionIceEvent) => {
      if (this.closed) return;
      const candidate = event.candidate;
      if (!candidate || candidate.candidate === '') {
        this.options.send({ v: 1, type: 'media.ice', candidate: null });
        return;
      }
      this.options.send({
        v: 1,
        type: 'media.ice',
        candidate: { candidate: candidate.candidate, sdpMid: candidate.sdpMid ?? null, sdpMLineIndex: candidate.sdpMLineIndex ?? null, usernameFragment: candidate.usernameFragment ?? null },
      });
    };
    this.pc.onconnectionstatechange = () => {
      if (!this.closed) this.options.onConnectionState?.(this.pc.connectionState);
    };
  }

  get connectionState(): RTCPeerConnectionState {
    return this.pc.connectionState;
  }

  /** Asks the media node to connect us; it answers with an offer. */
  join(): void {
    this.options.send({ v: 1, type: 'media.join', hearingId: this.options.hearingId });
  }

  /** One message from the media node; applied after the ones before it. */
  handle(signal: ServerSignal): Promise<void> {
    this.work = this.work.then(() => this.apply(signal)).catch((error: unknown) => {
      if (!this.closed) this.options.onFailure?.(error);
    });
    return this.work;
  }

  /** The remote track arriving on an m-line, if that m-line exists in this connection. */
  trackOn(mid: string): MediaStreamTrack | null {
    return this.pc.getTransceivers().find((transceiver) => transceiver.mid === mid)?.receiver.track ?? null;
  }

  getStats(): Promise<RTCStatsReport> {
    return this.pc.getStats();
  }

  /** Closes the connection; `leave` also tells the media node (not when the socket is gone anyway). */
  close(leave: boolean): void {
    if (this.closed) return;
    this.closed = true;
    if (leave) this.options.send({ v: 1, type: 'media.leave' });
    this.pending.length = 0;
    this.pc.close();
  }

  private async apply(signal: ServerSignal): Promise<void> {
    if (this.closed) return;
    switch (signal.type) {
      case 'media.offer': {
        await this.pc.setRemoteDescription({ type: 'offer', sdp: signal.sdp });
        await this.publish(signal.sdp);
        for (const candidate of this.pending.splice(0)) await this.addCandidate(candidate);
        const answer = await this.pc.createAnswer();
        await this.pc.setLocalDescription(answer);
        if (this.closed) return;
        this.options.send({ v: 1, type: 'media.answer', sdp: this.pc.localDescription?.sdp ?? answer.sdp ?? '' });
        this.answeredRevision = signal.revision;
        this.options.onTracks?.();
        return;
      }
      case 'media.ice':
        // Candidates can overtake the offer they belong to; they wait for it.
        if (!this.pc.remoteDescription) this.pending.push(signal.candidate);
        else await this.addCandidate(signal.candidate);
        return;
      default:
        return;
    }
  }

  /** Camera and microphone go out on the m-lines the node offered to receive on. */
  private async publish(sdp: string): Promise<void> {
    const mids = publishingMids(sdp);
    for (const kind of ['audio', 'video'] as const) {
      const mid = mids[kind];
      const track = (kind === 'audio' ? this.options.local?.getAudioTracks() : this.options.local?.getVideoTracks())?.[0];
      if (!mid || !track) continue;
      const transceiver = this.pc.getTransceivers().find((candidate) => candidate.mid === mid);
      if (!transceiver) continue;
      transceiver.direction = 'sendonly';
      if (transceiver.sender.track !== track) await transceiver.sender.replaceTrack(track);
    }
  }

  private async addCandidate(candidate: IceCandidateMessage | null): Promise<void> {
    try {
      await this.pc.addIceCandidate(candidate === null ? null : { candidate: candidate.candidate, sdpMid: candidate.sdpMid ?? null, sdpMLineIndex: candidate.sdpMLineIndex ?? null, usernameFragment: candidate.usernameFragment ?? null });
    } catch {
      // A candidate for an m-line this browser rejected is harmless; ICE fails on its own if none works.
    }
  }
}
