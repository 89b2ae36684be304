// The live side of one hearing room in the browser: the hearing as the hub reports it (GET …/live,
// then hearing.event over /rt), commands, chat, and this browser's media link — joined once the
// participant is admitted, rejoined (JOIN_ROOM + media.join) after the /rt socket or the peer
// connection drops. The element renders it; this class owns every socket, stream and timer.
import { ApiError } from '../api.ts';
import { acquireRealtime, type HearingAsrStatus, type HearingChat, type RealtimeClient, type RealtimeMessage, type RealtimeStatus } from '../realtime.ts';
import type { HearingState, HearingSummary } from '../../../actors/hearing/hearing.protocol.ts';
import type { ServerSignal } from '../../../media/signalling/protocol.ts';
import { entryStage, roomIsOpen, seesConnectionQuality, type RoomParticipant } from './controls.ts';
import { fetchLive, sendHearingCommand, type ClientHearingCommand, type LiveHearing, type LiveReply } from './hearing-api.ts';
import { MediaLink } from './media-link.ts';
import { qualityBetween, statsSnapshot, type ParticipantQuality, type StatsSnapshot } from './stats.ts';
import { midsByParticipant, roomTiles, type RoomTile } from './tiles.ts';

export const STATS_INTERVAL_MS = 2000;
/** A 'disconnected' peer connection often recovers by itself (ICE restarts); after this we rejoin. */
const DISCONNECTED_GRACE_MS = 5000;
export const CHAT_MAX_CHARS = 500;
const CHAT_KEPT = 200;

type MediaStateSignal = Extract<ServerSignal, { type: 'media.state' }>;

export interface LiveRoomOptions {
  apiBase: string;
  hearingId: string;
  token: string;
  /** Something the view shows changed. */
  onChange: () => void;
}

export class LiveRoom {
  live: LiveReply | null = null;
  failure: unknown = null;
  mediaState: MediaStateSignal | null = null;
  mediaError: { code: string; message: string } | null = null;
  chat: HearingChat[] = [];
  /** How live speech recognition keeps up (the hub sends it to the judge and clerk only). */
  asrStatus: HearingAsrStatus | null = null;
  chatFailure: string | null = null;
  quality = new Map<string, ParticipantQuality>();
  local: MediaStream | null = null;
  localFailure: unknown = null;
  socketStatus: RealtimeStatus = 'connecting';
  peerState: RTCPeerConnectionState | null = null;
  /** The socket or the peer connection dropped while in the room; cleared once media flows again. */
  reconnecting = false;

  private client: RealtimeClient | null = null;
  private release: (() => void) | null = null;
  private readonly undo: (() => void)[] = [];
  private unsubscribeCase: (() => void) | null = null;
  private link: MediaLink | null = null;
  private joining: Promise<void> | null = null;
  private statsTimer: ReturnType<typeof setInterval> | undefined;
  private disconnectedTimer: ReturnType<typeof setTimeout> | undefined;
  private lastStats: StatsSnapshot | null = null;
  private wasOpen = false;
  /** A chat line is on its way: an error from the hub now is about it. */
  private chatInFlight = false;
  private stopped = false;
  private loading: Promise<void> | null = null;

  constructor(private readonly options: LiveRoomOptions) {}

  start(): void {
    const { client, release } = acquireRealtime(this.options.apiBase, this.options.token);
    this.client = client;
    this.release = release;
    this.socketStatus = client.status;
    this.wasOpen = client.status === 'open';
    this.undo.push(
      client.onMessage((message) => this.onMessage(message)),
      client.onStatus((status) => this.onSocketStatus(status)),
    );
    void this.reload();
  }

  stop(): void {
    if (this.stopped) return;
    this.stopped = true;
    this.closeMedia(true);
    for (const track of this.local?.getTracks() ?? []) track.stop();
    this.local = null;
    for (const undo of this.undo.splice(0)) undo();
    this.unsubscribeCase?.();
    this.unsubscribeCase = null;
    this.release?.();
    this.release = null;
    this.client = null;
  }

  get hearing(): LiveHearing | null {
    return this.live?.hearing ?? null;
  }

  /** This account's participant record in the hearing summary. */
  get me(): RoomParticipant | null {
    const seat = this.live?.me;
    if (!seat) return null;
    return this.live?.hearing.participants.find((participant) => participant.participantId === seat.participantId) ?? null;
  }

  get inMedia(): boolean {
    return this.link !== null;
  }

  tiles(): RoomTile[] {
    const hearing = this.hearing;
    return hearing ? roomTiles(hearing.participants, this.mediaState?.participants ?? [], this.live?.me?.participantId ?? null) : [];
  }

  trackOn(mid: string | null): MediaStreamTrack | null {
    return mid && this.link ? this.link.trackOn(mid) : null;
  }

  /** Sends one command; the reply's hearing replaces ours (events may follow, and say the same). */
  async command(command: ClientHearingCommand): Promise<void> {
    const reply = await sendHearingCommand(this.options.apiBase, this.options.hearingId, this.options.token, command);
    if (this.stopped) return;
    if (reply?.hearing && this.live) this.setHearing(reply.hearing);
  }

  sendChat(text: string): boolean {
    const trimmed = text.trim();
    if (trimmed === '' || trimmed.length > CHAT_MAX_CHARS || !this.client) return false;
    this.chatFailure = null;
    this.chatInFlight = true;
    this.client.send({ v: 1, type: 'hearing.chat', hearingId: this.options.hearingId, text: trimmed });
    return true;
  }

  /** One fetch at a time; what arrives meanwhile is covered by the fetch in flight. */
  reload(): Promise<void> {
    this.loading ??= (async () => {
      try {
        const live = await fetchLive(this.options.apiBase, this.options.hearingId, this.options.token);
        if (this.stopped) return;
        this.live = live;
        this.failure = null;
        this.follow(live.hearing.caseId);
        this.afterChange();
      } catch (error) {
        if (!this.stopped) this.failure = error;
      } finally {
        this.loading = null;
        this.changed();
      }
    })();
    return this.loading;
  }

  private follow(caseId: string | null): void {
    if (this.unsubscribeCase || !caseId || !this.client) return;
    this.unsubscribeCase = this.client.subscribe({ caseId });
  }

  private setHearing(hearing: LiveHearing): void {
    if (!this.live) return;
    this.live = { ...this.live, hearing };
    this.afterChange();
    this.changed();
  }

  private onMessage(message: RealtimeMessage): void {
    switch (message.type) {
      case 'hearing.event': {
        const { event } = message;
        if (event.kind !== 'hearing' || event.id !== this.options.hearingId) return;
        this.setHearing({ ...(event.summary as unknown as HearingSummary), id: event.id, state: event.state as HearingState });
        return;
      }
      case 'hearing.chat':
        if (message.chat.hearingId !== this.options.hearingId) return;
        if (message.chat.from.participantId === this.live?.me?.participantId) this.chatInFlight = false;
        this.chat = [...this.chat, message.chat].slice(-CHAT_KEPT);
        this.changed();
        return;
      case 'hearing.asr':
        if (message.status.hearingId !== this.options.hearingId) return;
        this.asrStatus = message.status;
        this.changed();
        return;
      case 'media':
        this.onSignal(message.signal);
        return;
      case 'resync':
        // Back after an outage: events may have been missed, and the media node lost us.
        void this.reload().then(() => this.rejoin());
        return;
      case 'error':
        // The hub refuses a chat line (too long, not a participant) with a coded error.
        if (!this.chatInFlight) return;
        this.chatInFlight = false;
        this.chatFailure = message.code;
        this.changed();
        return;
      default:
        return;
    }
  }

  private onSignal(signal: ServerSignal): void {
    if (signal.type === 'media.state') {
      this.mediaState = signal;
      this.changed();
      return;
    }
    if (signal.type === 'media.error' && signal.code === 'MEDIA_HEARING_MOVED') {
      // Another hub node now carries the hearing's media (its owner went away): a new link there at once.
      this.closeMedia(false);
      this.reconnecting = true;
      this.changed();
      void this.rejoin();
      return;
    }
    if (signal.type === 'media.error') {
      this.mediaError = { code: signal.code, message: signal.message };
      this.changed();
      return;
    }
    void this.link?.handle(signal);
  }

  private onSocketStatus(status: RealtimeStatus): void {
    this.socketStatus = status;
    if (status === 'open') this.wasOpen = true;
    if (status !== 'open' && this.wasOpen && this.link) {
      // The media node drops us with the socket; a new link is made after the resync.
      this.reconnecting = true;
      this.closeMedia(false);
    }
    this.changed();
  }

  /** Reacts to the hearing as it now is: join once admitted, leave media once out. */
  private afterChange(): void {
    const me = this.me;
    const hearing = this.hearing;
    if (!me || !hearing) return;
    const stage = entryStage(me, hearing.state, hearing.identityGate === true);
    if (stage === 'joining' && !this.joining) void this.join(true);
    else if (stage === 'inRoom' && !this.link && !this.joining && !this.reconnecting) void this.join(false);
    else if (this.link && (!roomIsOpen(hearing.state) || me.status === 'dismissed' || me.status === 'left')) {
      this.closeMedia(true);
      this.reconnecting = false;
    }
  }

  /** After a reconnect: back into the room if we were in it (the grace period keeps the seat). */
  private async rejoin(): Promise<void> {
    // The reload may already have started a join (an admitted or reconnecting status).
    if (this.joining || this.link) return;
    const me = this.me;
    const hearing = this.hearing;
    if (!me || !hearing || !roomIsOpen(hearing.state)) {
      this.reconnecting = false;
      this.changed();
      return;
    }
    if (!['inRoom', 'reconnecting', 'admitted'].includes(me.status)) {
      this.reconnecting = false;
      this.changed();
      return;
    }
    await this.join(true);
  }

  /** JOIN_ROOM (when asked), then the camera and microphone, then media.join. */
  private join(sendJoinRoom: boolean): Promise<void> {
    this.joining ??= (async () => {
      const me = this.me;
      if (!me) return;
      if (sendJoinRoom) {
        try {
          await this.command({ type: 'JOIN_ROOM', participantId: me.participantId });
        } catch (error) {
          // Already in the room (the server had not noticed the drop): media.join is all it takes.
          if (!(error instanceof ApiError && error.code === 'INVALID_STATE' && this.me?.status === 'inRoom')) {
            if (!this.stopped) this.failure = error;
            return;
          }
        }
      }
      await this.openLocalMedia();
      if (this.stopped || !this.client) return;
      this.closeMedia(false);
      const client = this.client;
      const link = new MediaLink({
        hearingId: this.options.hearingId,
        // Signalling for a connection that the socket lost is meaningless on the next socket.
        send: (message) => client.send(message, { queue: false }),
        local: this.local,
        onTracks: () => this.changed(),
        onConnectionState: (state) => this.onPeerState(link, state),
        onFailure: () => this.onPeerState(link, 'failed'),
      });
      this.link = link;
      this.mediaError = null;
      link.join();
      this.startStats();
    })().finally(() => {
      this.joining = null;
      this.changed();
    });
    return this.joining;
  }

  private async openLocalMedia(): Promise<void> {
    if (this.local || !navigator.mediaDevices?.getUserMedia) return;
    try {
      this.local = await navigator.mediaDevices.getUserMedia({ audio: true, video: { width: { ideal: 640 }, height: { ideal: 360 } } });
      this.localFailure = null;
    } catch (error) {
      // Without a camera one still hears and sees the others; the view says so.
      this.localFailure = error;
    }
  }

  private onPeerState(link: MediaLink, state: RTCPeerConnectionState): void {
    if (link !== this.link) return;
    this.peerState = state;
    clearTimeout(this.disconnectedTimer);
    if (state === 'connected') this.reconnecting = false;
    else if (state === 'failed') this.peerDropped();
    else if (state === 'disconnected') this.disconnectedTimer = setTimeout(() => this.link === link && this.peerDropped(), DISCONNECTED_GRACE_MS);
    this.changed();
  }

  private peerDropped(): void {
    this.reconnecting = true;
    // No media.leave: the node may count that as leaving; a new media.join replaces the transport.
    this.closeMedia(false);
    // Only with a live socket: otherwise the resync after it reconnects rejoins.
    if (this.client?.status === 'open') void this.join(true);
    this.changed();
  }

  private closeMedia(leave: boolean): void {
    clearInterval(this.statsTimer);
    clearTimeout(this.disconnectedTimer);
    this.statsTimer = undefined;
    this.lastStats = null;
    this.link?.close(leave);
    this.link = null;
    this.peerState = null;
    this.mediaState = null;
    this.quality = new Map();
  }

  private startStats(): void {
    clearInterval(this.statsTimer);
    const me = this.me;
    if (!me || !seesConnectionQuality(me)) return;
    this.statsTimer = setInterval(() => void this.sampleStats(), STATS_INTERVAL_MS);
  }

  private async sampleStats(): Promise<void> {
    const link = this.link;
    if (!link) return;
    const report = await link.getStats().catch(() => null);
    if (!report || link !== this.link) return;
    const snapshot = statsSnapshot(report.values() as Iterable<Record<string, unknown>>);
    if (this.lastStats) this.quality = qualityBetween(this.lastStats, snapshot, midsByParticipant(this.tiles()));
    this.lastStats = snapshot;
    this.changed();
  }

  private changed(): void {
    if (!this.stopped) this.options.onChange();
  }
}
