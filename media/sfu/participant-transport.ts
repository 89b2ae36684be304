// One participant's WebRTC connection to the hearing's media node: one werift RTCPeerConnection
// carrying the participant's published audio and video and the tracks forwarded to them.
// The server always offers; the transport speaks only signalling messages (handleSignal / send).
import { MediaStream, RTCPeerConnection, type PeerConfig, type RTCRtpTransceiver } from 'werift';
import { mediaError, MEDIA_PROTOCOL_VERSION, type ClientSignal, type IceCandidateMessage, type ServerSignal } from '../signalling/protocol.ts';
import { ForwardedTrack, PublishedTrack, type MediaKind } from './media-tracks.ts';
import { TypedEvents } from './typed-events.ts';

export const DEFAULT_CONNECT_TIMEOUT_MS = 20_000;

export type TransportCloseReason = 'left' | 'connect-timeout' | 'connection-failed' | 'negotiation-failed' | 'hearing-closed';

export interface ParticipantTransportOptions {
  participantId: string;
  /** Outgoing signalling; the hub's /rt channel carries it to the participant's browser. */
  send: (message: ServerSignal) => void;
  /** ICE and DTLS must complete within this time or the transport closes itself (default 20 s). */
  connectTimeoutMs?: number;
  /** Loopback-only ICE (tests, single-host deployments): gather 127.0.0.1 and drop every other candidate. */
  loopbackOnly?: boolean;
  /** Extra werift settings (ICE servers, port range…). */
  peerConfig?: Partial<PeerConfig>;
}

export interface ParticipantTransportEvents {
  connected: { participantId: string };
  trackPublished: PublishedTrack;
  /** An answer was applied: forwarded tracks now have their m-line ids. */
  negotiated: { participantId: string; revision: number };
  transportFailed: { participantId: string; reason: Extract<TransportCloseReason, 'connect-timeout' | 'connection-failed' | 'negotiation-failed'> };
  closed: { participantId: string; reason: TransportCloseReason };
}

const LOOPBACK = '127.0.0.1';

export class ParticipantTransport {
  readonly participantId: string;
  readonly events = new TypedEvents<ParticipantTransportEvents>();
  readonly published = new Map<MediaKind, PublishedTrack>();
  /** Forwarded tracks keyed `${sourceParticipantId}:${kind}`. */
  readonly forwarded = new Map<string, ForwardedTrack>();
  private readonly pc: RTCPeerConnection;
  private readonly send: (message: ServerSignal) => void;
  private readonly loopbackOnly: boolean;
  private connectTimer: NodeJS.Timeout | undefined;
  private closePromise: Promise<void> | undefined;
  private closeReason: TransportCloseReason | undefined;
  private offerOutstanding = false;
  private offerWanted = false;
  private revision = 0;
  private connected = false;

  constructor(options: ParticipantTransportOptions) {
    this.participantId = options.participantId;
    this.send = options.send;
    this.loopbackOnly = options.loopbackOnly ?? false;
    this.pc = new RTCPeerConnection({
      // One ICE/DTLS transport for every m-line: forwarded tracks come and go by renegotiation,
      // and a new unbundled transport per m-line would have to connect again each time.
      bundlePolicy: 'max-bundle',
      ...(this.loopbackOnly ? { iceAdditionalHostAddresses: [LOOPBACK], iceUseIpv6: false, iceServers: [] } : {}),
      ...options.peerConfig,
    });
    for (const kind of ['audio', 'video'] as const) {
      const transceiver = this.pc.addTransceiver(kind, { direction: 'recvonly' });
      transceiver.onTrack.subscribe((track) => {
        if (this.closeReason || this.published.has(kind)) return;
        const published = new PublishedTrack(this.participantId, kind, track, transceiver);
        this.published.set(kind, published);
        this.events.emit('trackPublished', published);
      });
    }
    this.pc.onIceCandidate.subscribe((candidate) => {
      if (this.closeReason) return;
      if (!candidate) return this.send({ v: MEDIA_PROTOCOL_VERSION, type: 'media.ice', candidate: null });
      const init = candidate.toJSON();
      if (!init.candidate || !this.acceptsCandidate(init.candidate)) return;
      this.send({
        v: MEDIA_PROTOCOL_VERSION,
        type: 'media.ice',
        candidate: { candidate: init.candidate, sdpMid: init.sdpMid ?? null, sdpMLineIndex: init.sdpMLineIndex ?? null },
      });
    });
    this.pc.connectionStateChange.subscribe((state) => {
      if (state === 'connected' && !this.connected) {
        this.connected = true;
        clearTimeout(this.connectTimer);
        this.connectTimer = undefined;
        this.events.emit('connected', { participantId: this.participantId });
        if (this.offerWanted && !this.offerOutstanding) this.negotiate();
      } else if (state === 'failed') {
        this.fail('connection-failed');
      }
    });
    // A browser that never completes ICE/DTLS must not hold ports and forwarding state forever.
    this.connectTimer = setTimeout(() => this.fail('connect-timeout'), options.connectTimeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS);
    this.connectTimer.unref?.();
  }

  get isClosed(): boolean {
    return this.closeReason !== undefined;
  }

  get isConnected(): boolean {
    return this.connected;
  }

  get connectionState(): string {
    return this.pc.connectionState;
  }

  /** Outgoing signalling for this participant (the router's media.state goes through here). */
  sendSignal(message: ServerSignal): void {
    if (!this.closeReason) this.send(message);
  }

  /** Sends a (re)offer; coalesces requests made while an offer awaits its answer. */
  negotiate(): void {
    if (this.closeReason) return;
    // Renegotiating while ICE/DTLS is still being set up made werift's DTLS fail: later offers wait for the connection.
    if (this.offerOutstanding || (this.revision > 0 && !this.connected)) {
      this.offerWanted = true;
      return;
    }
    this.offerOutstanding = true;
    this.offerWanted = false;
    void (async () => {
      try {
        const offer = await this.pc.createOffer();
        await this.pc.setLocalDescription(offer);
        if (this.closeReason) return;
        const sdp = this.loopbackOnly ? filterSdpCandidates(this.pc.localDescription!.sdp) : this.pc.localDescription!.sdp;
        this.send({ v: MEDIA_PROTOCOL_VERSION, type: 'media.offer', sdp, revision: ++this.revision });
      } catch {
        this.fail('negotiation-failed');
      }
    })();
  }

  /** Adds (or returns) the sender that forwards `sourceParticipantId`'s `kind` track to this participant. */
  forwardSlot(sourceParticipantId: string, kind: MediaKind): ForwardedTrack | undefined {
    if (this.closeReason) return undefined;
    const key = `${sourceParticipantId}:${kind}`;
    let slot = this.forwarded.get(key);
    if (!slot) {
      // The stream id carries the source participant, so a browser can group audio and video per person.
      const transceiver: RTCRtpTransceiver = this.pc.addTransceiver(kind, {
        direction: 'sendonly',
        streams: [new MediaStream({ id: sourceParticipantId })],
      });
      slot = new ForwardedTrack(sourceParticipantId, kind, transceiver);
      this.forwarded.set(key, slot);
    }
    return slot;
  }

  /** One validated client message (media.join and media.leave are the router's). */
  async handleSignal(message: ClientSignal): Promise<void> {
    if (this.closeReason) {
      this.send(mediaError('MEDIA_HEARING_CLOSED', 'media connection is closed'));
      return;
    }
    switch (message.type) {
      case 'media.answer': {
        if (!this.offerOutstanding || this.pc.signalingState !== 'have-local-offer') {
          this.send(mediaError('MEDIA_NEGOTIATION_FAILED', 'no offer is awaiting an answer'));
          return;
        }
        // werift applies even non-SDP text without complaint: check the shape before handing it over.
        if (!answersEveryMLine(message.sdp, this.pc.localDescription?.sdp ?? '')) {
          this.send(mediaError('MEDIA_NEGOTIATION_FAILED', 'the answer is not an SDP answer to the current offer'));
          return;
        }
        try {
          await this.pc.setRemoteDescription({ type: 'answer', sdp: message.sdp });
        } catch {
          this.send(mediaError('MEDIA_NEGOTIATION_FAILED', 'the answer could not be applied'));
          return;
        }
        this.offerOutstanding = false;
        if (this.closeReason) return;
        this.events.emit('negotiated', { participantId: this.participantId, revision: this.revision });
        if (this.offerWanted && this.connected) this.negotiate();
        return;
      }
      case 'media.offer':
        this.send(mediaError('MEDIA_OFFER_REFUSED', 'the server offers; answer its media.offer instead'));
        return;
      case 'media.ice':
        await this.addRemoteCandidate(message.candidate);
        return;
      default:
        return;
    }
  }

  private async addRemoteCandidate(candidate: IceCandidateMessage | null): Promise<void> {
    if (candidate && !this.acceptsCandidate(candidate.candidate)) return;
    try {
      await this.pc.addIceCandidate(
        candidate
          ? { candidate: candidate.candidate, sdpMid: candidate.sdpMid ?? undefined, sdpMLineIndex: candidate.sdpMLineIndex ?? undefined }
          : undefined,
      );
    } catch {
      // A candidate for an m-line werift does not know is harmless; ICE fails on its own if none works.
    }
  }

  private acceptsCandidate(candidate: string): boolean {
    return !this.loopbackOnly || candidateAddress(candidate) === LOOPBACK;
  }

  private fail(reason: ParticipantTransportEvents['transportFailed']['reason']): void {
    if (this.closeReason) return;
    this.send(
      mediaError(
        reason === 'connect-timeout' ? 'MEDIA_CONNECT_TIMEOUT' : 'MEDIA_NEGOTIATION_FAILED',
        reason === 'connect-timeout' ? 'media connection did not complete in time' : 'media connection failed',
      ),
    );
    this.events.emit('transportFailed', { participantId: this.participantId, reason });
    void this.close(reason);
  }

  /** Closes the connection and every track under it; later calls return the first call's promise. */
  close(reason: TransportCloseReason = 'left'): Promise<void> {
    if (this.closePromise) return this.closePromise;
    this.closeReason = reason;
    clearTimeout(this.connectTimer);
    this.connectTimer = undefined;
    for (const track of this.published.values()) track.close();
    for (const slot of this.forwarded.values()) slot.close();
    this.closePromise = this.pc
      .close()
      .catch(() => {})
      .then(() => {
        this.events.emit('closed', { participantId: this.participantId, reason });
        this.events.clear();
      });
    return this.closePromise;
  }
}

/** The connection address of an ICE candidate line (`candidate:… <component> <proto> <prio> <address> <port> typ …`). */
export function candidateAddress(candidate: string): string | undefined {
  const fields = candidate.replace(/^a=/, '').split(/\s+/);
  return fields[4];
}

/** An answer must be SDP with exactly the offer's m-lines (JSEP), each with ICE credentials and a DTLS fingerprint. */
function answersEveryMLine(answer: string, offer: string): boolean {
  if (!/^v=0\r?\n/.test(answer)) return false;
  const mLines = (sdp: string) => sdp.split(/\r?\n/).filter((line) => line.startsWith('m=')).length;
  const offered = mLines(offer);
  return offered > 0 && mLines(answer) === offered && /^a=ice-ufrag:/m.test(answer) && /^a=fingerprint:/m.test(answer);
}

function filterSdpCandidates(sdp: string): string {
  return sdp
    .split('\r\n')
    .filter((line) => !line.startsWith('a=candidate:') || candidateAddress(line) === LOOPBACK)
    .join('\r\n');
}
