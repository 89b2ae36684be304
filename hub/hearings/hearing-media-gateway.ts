// The hearing's live media, as the hub serves it: WebRTC signalling of the hearing room over /rt
// (media.*) into the media pool's routers, the router kept in step with the hearing actor (who is
// admitted, who is muted, whether it records), the recordings filed when recording stops, and the
// chat between a participant and the court's staff of the hearing (hearing.chat).
// Participants are who the hearing actor invited (hearing_participants); anyone else gets a coded error.
import type { Bus, BusSubscription } from '../../actors/bus/bus.ts';
import { subjects } from '../../actors/bus/subjects.ts';
import { HEARING_KIND } from '../../actors/hearing/hearing-behaviour.ts';
import { SYSTEM_SENDER, type HearingSummary } from '../../actors/hearing/hearing.protocol.ts';
import type { ActorClient } from '../../actors/runtime/types.ts';
import type { Logger } from '../../platform/logger.ts';
import type { BlobStore } from '../../storage/blobs/blob-store.ts';
import type { Db } from '../../storage/database.ts';
import { getLiveHearing } from '../../storage/hearings/get-live-hearing.ts';
import { recordHearingRecordings } from '../../storage/hearings/record-hearing-recordings.ts';
import type { MediaPool } from '../../media/sfu/media-pool.ts';
import type { HearingRouter } from '../../media/sfu/hearing-router.ts';
import { mediaError, parseClientSignal, type ServerSignal } from '../../media/signalling/protocol.ts';
import type { RealtimeExtension, RealtimePeer } from '../realtime/channel.ts';

/** Participant statuses whose media is forwarded (a reconnecting one keeps its seat). */
const FORWARDED = new Set(['admitted', 'inRoom', 'reconnecting']);
/** States after which the hearing's media is over: recordings are filed and the router closed. */
const OVER = new Set(['concluded', 'transcriptConfirmation', 'archived', 'cancelled', 'failed']);
const STAFF = new Set(['judge', 'clerk']);
const CHAT_MAX_CHARS = 500;

interface Seat {
  hearingId: string;
  participantId: string;
  role: string;
  displayName: string;
}

export interface HearingMediaGatewayOptions {
  pool: MediaPool;
  db: Db;
  bus: Bus;
  actors: ActorClient;
  blobs: BlobStore;
  logger: Logger;
}

export class HearingMediaGateway implements RealtimeExtension {
  readonly types: ReadonlySet<string> = new Set(['media.join', 'media.answer', 'media.offer', 'media.ice', 'media.leave', 'hearing.chat']);
  private readonly seats = new Map<RealtimePeer, Seat>();
  /** Messages of one peer are handled in order (a join looks up the database before its answer may go on). */
  private readonly chains = new Map<RealtimePeer, Promise<void>>();
  /** Who is here per hearing: chat reaches the staff among them. */
  private readonly present = new Map<string, Set<RealtimePeer>>();
  /** Recordings being filed per hearing (a stop and the end may come close together). */
  private readonly filing = new Map<string, Promise<void>>();
  private subscription: BusSubscription | null = null;
  private readonly log: Logger;

  constructor(private readonly options: HearingMediaGatewayOptions) {
    this.log = options.logger.child({ component: 'hearing-media' });
  }

  start(): void {
    this.subscription ??= this.options.bus.subscribe(subjects.actorEventBatch(HEARING_KIND), (payload) => this.onHearingEvents(payload));
  }

  /** Files what is being recorded and closes every hearing's media (shutdown). */
  async stop(): Promise<void> {
    this.subscription?.unsubscribe();
    this.subscription = null;
    await Promise.all([...this.filing.values()]);
    await this.options.pool.close();
  }

  handleMessage(peer: RealtimePeer, message: Record<string, unknown>): void {
    const previous = this.chains.get(peer) ?? Promise.resolve();
    const next = previous
      .then(() => (message.type === 'hearing.chat' ? this.chat(peer, message) : this.signal(peer, message)))
      .catch((error: unknown) => {
        this.log.error('hearing media message failed', { error, type: message.type });
        if (peer.isOpen) peer.send(mediaError('MEDIA_NEGOTIATION_FAILED', 'the media server could not handle that message'));
      });
    this.chains.set(peer, next);
  }

  handleClose(peer: RealtimePeer): void {
    this.chains.delete(peer);
    for (const peers of this.present.values()) peers.delete(peer);
    const seat = this.seats.get(peer);
    if (!seat) return;
    this.seats.delete(peer);
    const router = this.options.pool.router(seat.hearingId);
    if (!router || router.transportOf(seat.participantId) === undefined) return;
    // Another socket of the same participant (a reconnect) may hold the seat already.
    if ([...this.seats.values()].some((other) => other.hearingId === seat.hearingId && other.participantId === seat.participantId)) return;
    void router.leave(seat.participantId);
    // The hearing actor starts the participant's reconnect grace period (it refuses if they were not in the room).
    void this.options.actors
      .ask({ kind: HEARING_KIND, id: seat.hearingId }, { type: 'CONNECTION_LOST', by: SYSTEM_SENDER, participantId: seat.participantId })
      .catch((error: unknown) => this.log.warn('could not report a lost connection', { error, hearingId: seat.hearingId }));
  }

  private async signal(peer: RealtimePeer, raw: Record<string, unknown>): Promise<void> {
    const send = (message: ServerSignal) => {
      if (peer.isOpen) peer.send(message);
    };
    const parsed = parseClientSignal(raw);
    if (!parsed.ok) return send(parsed.error);
    const message = parsed.message;
    if (message.type === 'media.join') {
      const live = await getLiveHearing({ db: this.options.db, hearingId: message.hearingId, accountId: peer.session.userId }).catch(() => null);
      if (!live?.me) return send(mediaError('MEDIA_NOT_JOINED', 'you are not a participant of this hearing'));
      if (OVER.has(live.state)) return send(mediaError('MEDIA_HEARING_CLOSED', 'the hearing is over'));
      if (!peer.isOpen) return;
      const seat: Seat = { hearingId: live.hearingId, participantId: live.me.participantId, role: live.me.role, displayName: live.me.displayName };
      this.seats.set(peer, seat);
      this.markPresent(peer, seat.hearingId);
      const router = this.options.pool.routerFor(seat.hearingId);
      this.follow(router, live.summary as unknown as HearingSummary, live.state);
      await router.handleSignal(seat.participantId, message, send);
      return;
    }
    const seat = this.seats.get(peer);
    if (!seat) return send(mediaError('MEDIA_NOT_JOINED', 'send media.join first'));
    const router = this.options.pool.router(seat.hearingId);
    if (!router) return send(mediaError('MEDIA_HEARING_CLOSED', 'the hearing media is closed'));
    await router.handleSignal(seat.participantId, message, send);
  }

  private async chat(peer: RealtimePeer, message: Record<string, unknown>): Promise<void> {
    const { hearingId, text } = message;
    if (typeof hearingId !== 'string' || typeof text !== 'string' || text.trim() === '' || text.length > CHAT_MAX_CHARS) {
      peer.send({ v: 1, type: 'error', code: 'VALIDATION_FAILED', message: `hearing.chat needs hearingId and a text of 1–${CHAT_MAX_CHARS} characters` });
      return;
    }
    const live = await getLiveHearing({ db: this.options.db, hearingId, accountId: peer.session.userId }).catch(() => null);
    if (!live?.me) {
      peer.send({ v: 1, type: 'error', code: 'NOT_A_PARTICIPANT', message: 'you are not a participant of this hearing' });
      return;
    }
    this.markPresent(peer, hearingId);
    const line = {
      v: 1,
      type: 'hearing.chat',
      hearingId,
      from: { participantId: live.me.participantId, displayName: live.me.displayName, role: live.me.role },
      text: text.trim(),
      at: new Date().toISOString(),
    };
    // A private line to the court: the staff present and the author see it, other parties do not.
    for (const other of this.present.get(hearingId) ?? []) {
      if ((other === peer || STAFF.has(other.session.role)) && other.isOpen) other.send(line);
    }
  }

  private markPresent(peer: RealtimePeer, hearingId: string): void {
    let peers = this.present.get(hearingId);
    if (!peers) this.present.set(hearingId, (peers = new Set()));
    peers.add(peer);
  }

  /** A batch of hearing events: the routers of this node follow their hearings' new summaries. */
  private onHearingEvents(payload: unknown): void {
    const events = (payload as { events?: unknown } | null)?.events;
    if (!Array.isArray(events)) return;
    for (const event of events as { id?: unknown; state?: unknown; summary?: unknown }[]) {
      if (typeof event?.id !== 'string' || typeof event.state !== 'string' || typeof event.summary !== 'object' || event.summary === null) continue;
      const router = this.options.pool.router(event.id);
      if (router && !router.isClosed) this.follow(router, event.summary as HearingSummary, event.state);
    }
  }

  /** Admission, mute and recording as the hearing actor decided them; the end of the hearing closes its media. */
  private follow(router: HearingRouter, summary: HearingSummary, state: string): void {
    for (const participant of summary.participants ?? []) {
      if (FORWARDED.has(participant.status)) router.admit(participant.participantId);
      else router.dismiss(participant.participantId);
      router.setMuted(participant.participantId, participant.muted);
    }
    if (OVER.has(state)) {
      this.fileRecordings(router, summary, { close: true });
    } else if (summary.recording && !router.isRecording) {
      void router.startRecording().catch((error: unknown) => this.log.error('recording did not start', { error, hearingId: router.hearingId }));
    } else if (!summary.recording && router.isRecording) {
      this.fileRecordings(router, summary, { close: false });
    }
  }

  private fileRecordings(router: HearingRouter, summary: HearingSummary, { close }: { close: boolean }): void {
    const hearingId = router.hearingId;
    const run = (this.filing.get(hearingId) ?? Promise.resolve()).then(async () => {
      try {
        const files = await router.stopRecording();
        if (files.length > 0 && summary.caseId) {
          const filed = await recordHearingRecordings({ db: this.options.db, blobs: this.options.blobs, hearingId, caseId: summary.caseId, files });
          this.log.info('hearing recordings filed', { hearingId, files: filed.length });
        }
      } catch (error) {
        this.log.error('filing the hearing recordings failed', { error, hearingId });
      }
      if (close) await this.options.pool.closeHearing(hearingId);
    });
    this.filing.set(hearingId, run);
    void run.finally(() => {
      if (this.filing.get(hearingId) === run) this.filing.delete(hearingId);
    });
  }
}
