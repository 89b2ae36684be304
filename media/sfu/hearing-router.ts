// One hearing's media: its participants' transports and the forwarding decisions the judge controls.
// Forwarding is enforced here, on the server: a participant who is not admitted sends and receives
// nothing, and a muted participant's audio is not written to anyone's sender (nor tapped, nor recorded).
import type { PeerConfig, RtpPacket } from 'werift';
import { AudioTap } from '../audio/audio-tap.ts';
import { HearingRecorder, type RecordedFile } from '../recording/hearing-recorder.ts';
import { VideoFrameError } from '../video/video-frame-error.ts';
import { VideoKeyFrameGrab } from '../video/video-key-frame-grab.ts';
import type { Vp8KeyFrame } from '../video/vp8-key-frame-assembler.ts';
import {
  mediaError,
  MEDIA_PROTOCOL_VERSION,
  parseClientSignal,
  type ForwardedParticipantState,
  type ServerSignal,
} from '../signalling/protocol.ts';
import type { MediaKind, PublishedTrack } from './media-tracks.ts';
import { ParticipantTransport, type TransportCloseReason } from './participant-transport.ts';
import { TypedEvents } from './typed-events.ts';

/** The second key frame request for a receiver that just connected or renegotiated. */
const KEY_FRAME_RETRY_MS = 1000;

export interface HearingRouterOptions {
  hearingId: string;
  /** ICE/DTLS deadline per participant (default 20 s). */
  connectTimeoutMs?: number;
  /** Gather and accept only 127.0.0.1 candidates (tests, single-host installs). */
  loopbackOnly?: boolean;
  peerConfig?: Partial<PeerConfig>;
  /** Monotonic clock in ms; tap times are relative to its value when the router was created. */
  now?: () => number;
}

export interface HearingRouterEvents {
  participantJoined: { participantId: string };
  participantLeft: { participantId: string; reason: TransportCloseReason };
  trackPublished: { participantId: string; kind: MediaKind };
  transportFailed: { participantId: string; reason: 'connect-timeout' | 'connection-failed' | 'negotiation-failed' };
  forwardingChanged: { participantId: string; admitted: boolean; muted: boolean };
  recordingChanged: { recording: boolean };
  closed: { hearingId: string };
}

export class HearingRouter {
  readonly hearingId: string;
  readonly events = new TypedEvents<HearingRouterEvents>();
  private readonly transports = new Map<string, ParticipantTransport>();
  private readonly admitted = new Set<string>();
  private readonly muted = new Set<string>();
  private readonly taps = new Map<string, Set<AudioTap>>();
  private readonly videoGrabs = new Map<string, Set<VideoKeyFrameGrab>>();
  private readonly keyFrameRetries = new Set<ReturnType<typeof setTimeout>>();
  private recorder: HearingRecorder | undefined;
  private recorderStarting: Promise<void> | undefined;
  private closePromise: Promise<void> | undefined;
  private readonly now: () => number;
  private readonly startedAt: number;

  constructor(private readonly options: HearingRouterOptions) {
    this.hearingId = options.hearingId;
    this.now = options.now ?? (() => performance.now());
    this.startedAt = this.now();
  }

  get isClosed(): boolean {
    return this.closePromise !== undefined;
  }

  get isRecording(): boolean {
    return this.recorder !== undefined;
  }

  get participantIds(): string[] {
    return [...this.transports.keys()];
  }

  transportOf(participantId: string): ParticipantTransport | undefined {
    return this.transports.get(participantId);
  }

  isAdmitted(participantId: string): boolean {
    return this.admitted.has(participantId);
  }

  isMuted(participantId: string): boolean {
    return this.muted.has(participantId);
  }

  /** Milliseconds since this router was created: the hearing clock of taps. */
  hearingTimeMs(): number {
    return this.now() - this.startedAt;
  }

  /**
   * Entry point for the hub's /rt channel: one raw client message (JSON text or decoded value) from an
   * authenticated participant. Errors go back through `send` as coded media.error messages.
   */
  async handleSignal(participantId: string, raw: unknown, send: (message: ServerSignal) => void): Promise<void> {
    const parsed = parseClientSignal(raw);
    if (!parsed.ok) return send(parsed.error);
    const message = parsed.message;
    if (this.isClosed) return send(mediaError('MEDIA_HEARING_CLOSED', 'the hearing media is closed'));
    if (message.type === 'media.join') {
      if (message.hearingId !== this.hearingId) return send(mediaError('MEDIA_BAD_MESSAGE', 'media.join names another hearing'));
      this.join(participantId, send);
      return;
    }
    if (message.type === 'media.leave') {
      await this.leave(participantId);
      return;
    }
    const transport = this.transports.get(participantId);
    if (!transport) return send(mediaError('MEDIA_NOT_JOINED', 'send media.join first'));
    await transport.handleSignal(message);
  }

  /**
   * Creates the participant's transport and sends the first offer. A participant who joins again (a
   * reconnect) replaces the old transport and keeps admission and mute: they are the router's, not the connection's.
   */
  join(participantId: string, send: (message: ServerSignal) => void): ParticipantTransport {
    if (this.isClosed) throw new Error(`hearing ${this.hearingId} media is closed`);
    const previous = this.transports.get(participantId);
    if (previous) void this.detach(previous, 'left');
    const transport = new ParticipantTransport({
      participantId,
      send: (message) => {
        if (this.transports.get(participantId) === transport) send(message);
      },
      connectTimeoutMs: this.options.connectTimeoutMs,
      loopbackOnly: this.options.loopbackOnly,
      peerConfig: this.options.peerConfig,
    });
    this.transports.set(participantId, transport);
    transport.events.on('trackPublished', (track) => this.onPublished(transport, track));
    transport.events.on('negotiated', () => {
      this.sendState(participantId);
      this.keyFramesFor(participantId);
    });
    transport.events.on('connected', () => this.keyFramesFor(participantId));
    transport.events.on('transportFailed', ({ reason }) => {
      this.events.emit('transportFailed', { participantId, reason });
      void this.detach(transport, reason);
    });
    this.events.emit('participantJoined', { participantId });
    this.ensureSlots();
    transport.negotiate();
    return transport;
  }

  async leave(participantId: string): Promise<void> {
    const transport = this.transports.get(participantId);
    if (transport) await this.detach(transport, 'left');
  }

  /** Starts forwarding to and from the participant (the judge admitted them from the waiting room). */
  admit(participantId: string): void {
    if (this.isClosed || this.admitted.has(participantId)) return;
    this.admitted.add(participantId);
    this.ensureSlots();
    this.forwardingChanged(participantId);
  }

  /** Stops forwarding to and from the participant; their connection stays (back to the waiting room). */
  dismiss(participantId: string): void {
    if (!this.admitted.delete(participantId)) return;
    this.pauseSlotsOf(participantId, ['audio', 'video']);
    this.forwardingChanged(participantId);
  }

  /** The judge's mute: the participant's audio stops being written to every other sender. */
  setMuted(participantId: string, muted: boolean): void {
    if (muted === this.muted.has(participantId)) return;
    if (muted) {
      this.muted.add(participantId);
      this.pauseSlotsOf(participantId, ['audio']);
    } else {
      this.muted.delete(participantId);
    }
    this.forwardingChanged(participantId);
  }

  /** Mutes (or unmutes) every participant but those excepted (typically the judge). */
  muteAll(muted = true, options: { except?: readonly string[] } = {}): void {
    const except = new Set(options.except ?? []);
    const everyone = new Set([...this.transports.keys(), ...this.admitted]);
    for (const participantId of everyone) if (!except.has(participantId)) this.setMuted(participantId, muted);
  }

  /** Decoded 16 kHz PCM of what this participant says while forwarded. Close the tap when done. */
  audioTap(participantId: string): AudioTap {
    const tap = new AudioTap(participantId, () => this.hearingTimeMs(), (closed) => this.taps.get(participantId)?.delete(closed));
    if (this.isClosed) {
      tap.close();
      return tap;
    }
    let set = this.taps.get(participantId);
    if (!set) this.taps.set(participantId, (set = new Set()));
    set.add(tap);
    return tap;
  }

  /**
   * The participant's next VP8 key frame (asked for at once), for the identity re-checks. Only an
   * admitted participant's forwarded video is read; a coded VideoFrameError when there is none in time.
   */
  videoFrameGrab(participantId: string, options: { timeoutMs?: number } = {}): Promise<Vp8KeyFrame> {
    if (this.isClosed) return Promise.reject(new VideoFrameError('VIDEO_ROUTER_CLOSED', 'the hearing media is closed'));
    if (!this.admitted.has(participantId)) return Promise.reject(new VideoFrameError('VIDEO_NOT_ADMITTED', 'the participant is not admitted'));
    const video = this.transports.get(participantId)?.published.get('video');
    if (!video) return Promise.reject(new VideoFrameError('VIDEO_NOT_PUBLISHED', 'the participant sends no video'));
    const mimeType = video.codec?.mimeType.toLowerCase();
    if (mimeType && mimeType !== 'video/vp8') return Promise.reject(new VideoFrameError('VIDEO_CODEC_UNSUPPORTED', `video in ${mimeType} is not read`));
    let grabs = this.videoGrabs.get(participantId);
    if (!grabs) this.videoGrabs.set(participantId, (grabs = new Set()));
    const grab = new VideoKeyFrameGrab({
      participantId,
      ...(options.timeoutMs !== undefined ? { timeoutMs: options.timeoutMs } : {}),
      // Whoever publishes at the time: a reconnect replaces the track.
      requestKeyFrame: () => this.transports.get(participantId)?.published.get('video')?.requestKeyFrame(),
      onSettled: (settled) => {
        const set = this.videoGrabs.get(participantId);
        if (set?.delete(settled) && set.size === 0) this.videoGrabs.delete(participantId);
      },
    });
    grabs.add(grab);
    return grab.frame;
  }

  /** Starts writing every forwarded track to its own WebM file. */
  async startRecording(options: { directory?: string } = {}): Promise<void> {
    if (this.isClosed) throw new Error(`hearing ${this.hearingId} media is closed`);
    if (this.recorder || this.recorderStarting) return this.recorderStarting;
    this.recorderStarting = (async () => {
      const recorder = await HearingRecorder.start({ hearingId: this.hearingId, directory: options.directory });
      if (this.isClosed) {
        await recorder.stop();
        return;
      }
      this.recorder = recorder;
      // Video files must begin with a key frame.
      for (const transport of this.transports.values()) transport.published.get('video')?.requestKeyFrame();
      this.events.emit('recordingChanged', { recording: true });
      this.broadcastState();
    })().finally(() => {
      this.recorderStarting = undefined;
    });
    return this.recorderStarting;
  }

  /** Finishes the files: path, sha256, size, participant and kind of each. */
  async stopRecording(): Promise<RecordedFile[]> {
    await this.recorderStarting;
    const recorder = this.recorder;
    if (!recorder) return [];
    this.recorder = undefined;
    const files = await recorder.stop();
    this.events.emit('recordingChanged', { recording: false });
    this.broadcastState();
    return files;
  }

  /** Closes every transport, tap and recording under this hearing; idempotent. */
  close(): Promise<void> {
    if (this.closePromise) return this.closePromise;
    this.closePromise = (async () => {
      for (const retry of this.keyFrameRetries) clearTimeout(retry);
      this.keyFrameRetries.clear();
      for (const set of this.taps.values()) for (const tap of [...set]) tap.close();
      this.taps.clear();
      for (const set of this.videoGrabs.values()) for (const grab of [...set]) grab.fail(new VideoFrameError('VIDEO_ROUTER_CLOSED', 'the hearing media closed'));
      this.videoGrabs.clear();
      await Promise.all([...this.transports.values()].map((transport) => this.detach(transport, 'hearing-closed')));
      await this.recorderStarting?.catch(() => {});
      await this.recorder?.stop().catch(() => []);
      this.recorder = undefined;
      this.events.emit('closed', { hearingId: this.hearingId });
      this.events.clear();
    })();
    return this.closePromise;
  }

  // --- forwarding ---------------------------------------------------------------------------

  private onPublished(transport: ParticipantTransport, track: PublishedTrack): void {
    const participantId = transport.participantId;
    track.onRtp((packet) => this.route(participantId, track, packet));
    if (track.kind === 'video') track.requestKeyFrame();
    this.events.emit('trackPublished', { participantId, kind: track.kind });
  }

  /** The hot path: one RTP packet from a publisher, written to every admitted receiver's sender. */
  private route(sourceId: string, track: PublishedTrack, packet: RtpPacket): void {
    if (!this.admitted.has(sourceId)) return;
    if (track.kind === 'audio' && this.muted.has(sourceId)) return;
    const key = `${sourceId}:${track.kind}`;
    for (const [receiverId, receiver] of this.transports) {
      if (receiverId === sourceId || !this.admitted.has(receiverId)) continue;
      receiver.forwarded.get(key)?.write(packet);
    }
    if (track.kind === 'audio') {
      const taps = this.taps.get(sourceId);
      if (taps) for (const tap of taps) tap.push(packet);
    } else {
      const grabs = this.videoGrabs.get(sourceId);
      if (grabs) for (const grab of grabs) grab.push(packet);
    }
    this.recorder?.write(sourceId, track.kind, track.codec, packet);
  }

  /** Every admitted pair has senders both ways; receivers that gained senders are offered again. */
  private ensureSlots(): void {
    for (const [receiverId, receiver] of this.transports) {
      if (!this.admitted.has(receiverId)) continue;
      let added = false;
      for (const sourceId of this.transports.keys()) {
        if (sourceId === receiverId || !this.admitted.has(sourceId)) continue;
        for (const kind of ['audio', 'video'] as const) {
          if (receiver.forwarded.has(`${sourceId}:${kind}`)) continue;
          const slot = receiver.forwardSlot(sourceId, kind);
          if (!slot) continue;
          added = true;
          if (kind === 'video') {
            // A receiver's decoder asks for a key frame: pass the request to whoever publishes now.
            slot.onKeyFrameRequest(() => this.transports.get(sourceId)?.published.get('video')?.requestKeyFrame());
          }
        }
      }
      if (added) receiver.negotiate();
    }
    // New receivers need a key frame from every forwarded publisher.
    for (const [participantId, transport] of this.transports) {
      if (this.admitted.has(participantId)) transport.published.get('video')?.requestKeyFrame();
    }
  }

  /**
   * A receiver that just connected or took a new offer can only start decoding a forwarded video at a
   * key frame: ask every publisher it receives for one now, and once more a moment later — the
   * browser sets up its decoders after applying the answer, and a late joiner's own PLI may not
   * come (without this a late joiner saw packets but no picture).
   */
  private keyFramesFor(receiverId: string): void {
    const ask = () => {
      if (this.isClosed || !this.admitted.has(receiverId)) return;
      for (const [sourceId, source] of this.transports) {
        if (sourceId !== receiverId && this.admitted.has(sourceId)) source.published.get('video')?.requestKeyFrame();
      }
    };
    ask();
    const again = setTimeout(() => {
      this.keyFrameRetries.delete(again);
      ask();
    }, KEY_FRAME_RETRY_MS);
    this.keyFrameRetries.add(again);
  }

  private pauseSlotsOf(sourceId: string, kinds: MediaKind[]): void {
    for (const receiver of this.transports.values()) {
      for (const kind of kinds) receiver.forwarded.get(`${sourceId}:${kind}`)?.pause();
    }
  }

  private async detach(transport: ParticipantTransport, reason: TransportCloseReason): Promise<void> {
    const participantId = transport.participantId;
    if (this.transports.get(participantId) === transport) {
      this.transports.delete(participantId);
      // Senders in others' connections stay for a reconnect; they restart cleanly on its first packet.
      this.pauseSlotsOf(participantId, ['audio', 'video']);
      this.events.emit('participantLeft', { participantId, reason });
      this.broadcastState();
    }
    await transport.close(reason);
  }

  // --- state to clients ---------------------------------------------------------------------

  private forwardingChanged(participantId: string): void {
    this.events.emit('forwardingChanged', {
      participantId,
      admitted: this.admitted.has(participantId),
      muted: this.muted.has(participantId),
    });
    this.broadcastState();
  }

  private broadcastState(): void {
    for (const participantId of this.transports.keys()) this.sendState(participantId);
  }

  /** Who is forwarded and muted, and which m-lines of this participant's connection carry whom. */
  private sendState(participantId: string): void {
    const transport = this.transports.get(participantId);
    if (!transport || transport.isClosed) return;
    const participants: ForwardedParticipantState[] = [];
    for (const otherId of new Set([...this.transports.keys(), ...this.admitted])) {
      if (otherId === participantId) continue;
      const audioMid = transport.forwarded.get(`${otherId}:audio`)?.mid;
      const videoMid = transport.forwarded.get(`${otherId}:video`)?.mid;
      participants.push({
        participantId: otherId,
        admitted: this.admitted.has(otherId),
        muted: this.muted.has(otherId),
        ...(audioMid ? { audioMid } : {}),
        ...(videoMid ? { videoMid } : {}),
      });
    }
    transport.sendSignal({
      v: MEDIA_PROTOCOL_VERSION,
      type: 'media.state',
      self: { participantId, admitted: this.admitted.has(participantId), muted: this.muted.has(participantId) },
      participants,
      recording: this.recorder !== undefined,
    });
  }
}
