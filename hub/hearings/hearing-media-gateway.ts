// The hearing's live media, as the hub serves it: WebRTC signalling of the hearing room over /rt
// (media.*) into the media pool's routers, the router kept in step with the hearing actor (who is
// admitted, who is muted, whether it records), the recordings filed when recording stops, and the
// chat between a participant and the court's staff of the hearing (hearing.chat).
// Participants are who the hearing actor invited (hearing_participants); anyone else gets a coded error.
// In distributed mode (`nodes` given) one hub node owns each hearing's media by lease: the others relay
// their sockets' signalling to it over NATS (media.* ↔ owner router), and media flows to the owner directly.
import { randomUUID } from 'node:crypto';
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
import { mediaError, parseClientSignal, type ClientSignal, type ServerSignal } from '../../media/signalling/protocol.ts';
import type { RealtimeExtension, RealtimePeer } from '../realtime/channel.ts';
import type { MediaOwnership } from './media-ownership.ts';
import type { MediaRelay } from './media-relay.ts';
import type { ForwardedSignal, RelayStatus, ReturnedSignal } from './media-relay-protocol.ts';
import { batchEvents } from '../../actors/runtime/event-batch-reactor.ts';

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

/** A socket of this node whose hearing another node owns: its signals go there under `link`. */
interface Relayed {
  hearingId: string;
  owner: string;
  link: string;
}

/** Who holds a participant's media seat in an owned router: a socket here, or one on a relay node. */
type Holder = { peer: RealtimePeer } | { relayNode: string; link: string };

/** Distributed mode: hearing leases and the signalling relay between hub nodes. */
export interface HearingMediaNodes {
  ownership: MediaOwnership;
  relay: MediaRelay;
}

export interface HearingMediaGatewayOptions {
  pool: MediaPool;
  db: Db;
  bus: Bus;
  actors: ActorClient;
  blobs: BlobStore;
  logger: Logger;
  /** Absent in embedded mode: every hearing's media runs on this node. */
  nodes?: HearingMediaNodes;
}

export class HearingMediaGateway implements RealtimeExtension {
  readonly types: ReadonlySet<string> = new Set(['media.join', 'media.answer', 'media.offer', 'media.ice', 'media.leave', 'hearing.chat']);
  private readonly seats = new Map<RealtimePeer, Seat>();
  /** Messages of one peer are handled in order (a join looks up the database before its answer may go on). */
  private readonly chains = new Map<RealtimePeer, Promise<void>>();
  /** The participant id each chatting peer speaks as (a peer may chat before it joins the media). */
  private readonly chatSeats = new Map<RealtimePeer, string>();
  /** Who is here per hearing: chat reaches the staff among them. */
  private readonly present = new Map<string, Set<RealtimePeer>>();
  /** Recordings being filed per hearing (a stop and the end may come close together). */
  private readonly filing = new Map<string, Promise<void>>();
  /** Per owned hearing, who holds each participant's seat (a late close of an old socket must not end a newer one). */
  private readonly holders = new Map<string, Map<string, Holder>>();
  /** The last summary each router followed: what a lease lost mid-recording files. */
  private readonly summaries = new Map<string, HearingSummary>();
  /** Distributed mode: this node's sockets relayed to another owner, and their links. */
  private readonly relayed = new Map<RealtimePeer, Relayed>();
  private readonly links = new Map<string, RealtimePeer>();
  private ownerWatch: NodeJS.Timeout | undefined;
  private watching: Promise<void> | null = null;
  private subscription: BusSubscription | null = null;
  private readonly log: Logger;

  constructor(private readonly options: HearingMediaGatewayOptions) {
    this.log = options.logger.child({ component: 'hearing-media' });
    options.pool.events.on('routerClosed', ({ hearingId }) => {
      if (options.pool.router(hearingId)) return;
      this.holders.delete(hearingId);
      this.summaries.delete(hearingId);
      // The next join, here or on another node, takes the hearing.
      void options.nodes?.ownership.release(hearingId);
    });
  }

  start(): void {
    this.subscription ??= this.options.bus.subscribe(subjects.actorEventBatch(HEARING_KIND), (payload) => this.onHearingEvents(payload));
    const nodes = this.options.nodes;
    if (nodes && !this.ownerWatch) {
      nodes.relay.serve({ onForwarded: (message) => this.onForwarded(message), onReturned: (message) => this.onReturned(message) });
      // A relayed socket sends nothing once negotiated: notice a dead owner by its lease, not by a failed request.
      this.ownerWatch = setInterval(() => void this.watchOwners(), Math.max(100, Math.floor(nodes.ownership.ttlMs / 2)));
      this.ownerWatch.unref();
    }
  }

  /** Files what is being recorded and closes every hearing's media (shutdown). */
  async stop(): Promise<void> {
    this.subscription?.unsubscribe();
    this.subscription = null;
    clearInterval(this.ownerWatch);
    this.ownerWatch = undefined;
    this.options.nodes?.relay.stop();
    await this.watching;
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
    this.chatSeats.delete(peer);
    for (const peers of this.present.values()) peers.delete(peer);
    const seat = this.seats.get(peer);
    if (!seat) return;
    this.seats.delete(peer);
    const relayed = this.relayed.get(peer);
    this.forgetRelay(peer);
    // Another socket of the same participant (a reconnect) may hold the seat already.
    if ([...this.seats.values()].some((other) => other.hearingId === seat.hearingId && other.participantId === seat.participantId)) return;
    if (relayed) {
      // The owner refuses the leave of a socket that no longer holds the seat (a newer one, on any node, does).
      const leave = { v: 1, type: 'media.leave' } as const;
      void this.options.nodes!.relay.forward(relayed.owner, this.forwarded(peer, seat, relayed, leave)).then((status) => {
        if (status === 'ok' || status === 'unreachable') this.reportLost(seat);
      });
      return;
    }
    const router = this.options.pool.router(seat.hearingId);
    if (!router || router.transportOf(seat.participantId) === undefined || !this.holds(seat, { peer })) return;
    this.holdersOf(seat.hearingId).delete(seat.participantId);
    void router.leave(seat.participantId);
    this.reportLost(seat);
  }

  /** The hearing actor starts the participant's reconnect grace period (it refuses if they were not in the room). */
  private reportLost(seat: Seat): void {
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
      // A join starts afresh: the owner may have changed since this socket's last one.
      this.forgetRelay(peer);
      const owner = await this.ownerOf(seat.hearingId);
      if (!peer.isOpen) {
        // A lease claimed for nobody would be renewed for ever: only a closing router gives it back.
        if (owner === null && !this.options.pool.router(seat.hearingId)) void this.options.nodes?.ownership.release(seat.hearingId);
        return;
      }
      if (owner !== null) {
        const relayed: Relayed = { hearingId: seat.hearingId, owner, link: randomUUID() };
        this.relayed.set(peer, relayed);
        this.links.set(relayed.link, peer);
        return this.relay(peer, seat, relayed, message);
      }
      const router = this.options.pool.routerFor(seat.hearingId);
      this.follow(router, live.summary as unknown as HearingSummary, live.state);
      this.holdersOf(seat.hearingId).set(seat.participantId, { peer });
      await router.handleSignal(seat.participantId, message, send);
      return;
    }
    const seat = this.seats.get(peer);
    if (!seat) return send(mediaError('MEDIA_NOT_JOINED', 'send media.join first'));
    const relayed = this.relayed.get(peer);
    if (relayed) return this.relay(peer, seat, relayed, message);
    const router = this.options.pool.router(seat.hearingId);
    if (!router) return send(mediaError('MEDIA_HEARING_CLOSED', 'the hearing media is closed'));
    await router.handleSignal(seat.participantId, message, send);
  }

  // --- distributed mode: owner by lease, relays forward ------------------------------------------

  /** Null when this node runs the hearing's media (embedded, or it holds the lease), else the owner node. */
  private async ownerOf(hearingId: string): Promise<string | null> {
    const nodes = this.options.nodes;
    if (!nodes) return null;
    // The lease may be released or expire between a failed claim and the read: try again a few times.
    for (let attempt = 0; attempt < 3; attempt++) {
      if (await nodes.ownership.claim(hearingId, (reason) => this.leaseLost(hearingId, reason))) return null;
      const owner = await nodes.ownership.owner(hearingId);
      if (owner !== null && owner !== nodes.ownership.nodeId) return owner;
    }
    throw new Error(`no owner could be found for hearing ${hearingId}'s media`);
  }

  private forwarded(peer: RealtimePeer, seat: Seat, relayed: Relayed, signal: ClientSignal): ForwardedSignal {
    return {
      v: 1,
      hearingId: seat.hearingId,
      participantId: seat.participantId,
      accountId: peer.session.userId,
      relayNode: this.options.nodes!.relay.nodeId,
      link: relayed.link,
      signal,
    };
  }

  /** Relay: one signal of a socket here to the hearing's owner node. */
  private async relay(peer: RealtimePeer, seat: Seat, relayed: Relayed, signal: ClientSignal): Promise<void> {
    const status = await this.options.nodes!.relay.forward(relayed.owner, this.forwarded(peer, seat, relayed, signal));
    if (status === 'ok' || this.relayed.get(peer) !== relayed) return;
    if (status === 'refused') {
      if (peer.isOpen) peer.send(mediaError('MEDIA_NEGOTIATION_FAILED', 'the media server could not handle that message'));
      return;
    }
    // The owner is gone or gave the hearing up: the client joins again and reaches whoever owns it next.
    this.moved(peer);
  }

  private moved(peer: RealtimePeer): void {
    this.forgetRelay(peer);
    if (peer.isOpen) peer.send(mediaError('MEDIA_HEARING_MOVED', 'the hearing media moved to another server; join again'));
  }

  private forgetRelay(peer: RealtimePeer): void {
    const relayed = this.relayed.get(peer);
    if (!relayed) return;
    this.relayed.delete(peer);
    this.links.delete(relayed.link);
  }

  /** Relay: the owner's lease of a relayed hearing expired or changed hands: those sockets must join again. */
  private watchOwners(): Promise<void> {
    this.watching ??= (async () => {
      const byHearing = new Map<string, RealtimePeer[]>();
      for (const [peer, relayed] of this.relayed) byHearing.set(relayed.hearingId, [...(byHearing.get(relayed.hearingId) ?? []), peer]);
      for (const [hearingId, peers] of byHearing) {
        const owner = await this.options.nodes!.ownership.owner(hearingId).catch(() => undefined);
        if (owner === undefined) continue;
        for (const peer of peers) if (this.relayed.get(peer)?.owner !== owner) this.moved(peer);
      }
    })()
      .catch((error: unknown) => this.log.warn('watching media owners failed', { error }))
      .finally(() => {
        this.watching = null;
      });
    return this.watching;
  }

  /** Relay: a server signal for one of this node's sockets. */
  private onReturned(message: ReturnedSignal): void {
    const peer = this.links.get(message.link);
    if (!peer || this.relayed.get(peer)?.hearingId !== message.hearingId) return;
    // The owner lost the lease: this socket's next join looks for the owner again.
    if (message.signal.type === 'media.error' && message.signal.code === 'MEDIA_HEARING_MOVED') this.forgetRelay(peer);
    if (peer.isOpen) peer.send(message.signal);
  }

  /** Owner: a signal a relay node forwarded for one of its sockets, handled as a local one would be. */
  private async onForwarded(message: ForwardedSignal): Promise<RelayStatus> {
    const { hearingId, participantId, relayNode, link, signal } = message;
    if (!this.options.nodes!.ownership.isOwner(hearingId)) return 'notOwner';
    const holder: Holder = { relayNode, link };
    const send = (server: ServerSignal) => this.options.nodes!.relay.returnSignal(relayNode, { v: 1, hearingId, participantId, link, signal: server });
    if (signal.type === 'media.join') {
      // The owner checks the seat itself: relay nodes are trusted with identities, not with decisions.
      const live = await getLiveHearing({ db: this.options.db, hearingId, accountId: message.accountId });
      if (live?.me?.participantId !== participantId) return 'refused';
      if (OVER.has(live.state)) {
        send(mediaError('MEDIA_HEARING_CLOSED', 'the hearing is over'));
        return 'ok';
      }
      if (!this.options.nodes!.ownership.isOwner(hearingId)) return 'notOwner';
      const router = this.options.pool.routerFor(hearingId);
      this.follow(router, live.summary as unknown as HearingSummary, live.state);
      this.holdersOf(hearingId).set(participantId, holder);
      await router.handleSignal(participantId, signal, send);
      return 'ok';
    }
    const router = this.options.pool.router(hearingId);
    if (!router) return 'notOwner';
    // A newer socket of the participant holds the seat: an old one's leave or answer changes nothing.
    if (!this.holds({ hearingId, participantId }, holder)) return 'refused';
    if (signal.type === 'media.leave') this.holdersOf(hearingId).delete(participantId);
    await router.handleSignal(participantId, signal, send);
    return 'ok';
  }

  /** Owner: the lease is gone (renewal failed or late): another node may own the hearing now, so ours stops. */
  private leaseLost(hearingId: string, reason: string): void {
    this.log.warn('hearing media given up: its lease was lost', { hearingId, reason });
    const moved = mediaError('MEDIA_HEARING_MOVED', 'the hearing media moved to another server; join again');
    for (const [participantId, holder] of this.holders.get(hearingId) ?? []) {
      if ('peer' in holder) {
        if (holder.peer.isOpen) holder.peer.send(moved);
      } else {
        this.options.nodes?.relay.returnSignal(holder.relayNode, { v: 1, hearingId, participantId, link: holder.link, signal: moved });
      }
    }
    this.holders.delete(hearingId);
    const router = this.options.pool.router(hearingId);
    const summary = this.summaries.get(hearingId);
    if (router && summary) this.fileRecordings(router, summary, { close: true });
    else void this.options.pool.closeHearing(hearingId);
  }

  private holdersOf(hearingId: string): Map<string, Holder> {
    let holders = this.holders.get(hearingId);
    if (!holders) this.holders.set(hearingId, (holders = new Map()));
    return holders;
  }

  private holds(seat: Pick<Seat, 'hearingId' | 'participantId'>, holder: Holder): boolean {
    const current = this.holders.get(seat.hearingId)?.get(seat.participantId);
    if (!current) return false;
    if ('peer' in holder) return 'peer' in current && current.peer === holder.peer;
    return 'link' in current && current.link === holder.link && current.relayNode === holder.relayNode;
  }

  private async chat(peer: RealtimePeer, message: Record<string, unknown>): Promise<void> {
    const { hearingId, text, to } = message;
    if (typeof hearingId !== 'string' || typeof text !== 'string' || text.trim() === '' || text.length > CHAT_MAX_CHARS || (to !== undefined && typeof to !== 'string')) {
      peer.send({ v: 1, type: 'error', code: 'VALIDATION_FAILED', message: `hearing.chat needs hearingId, a text of 1–${CHAT_MAX_CHARS} characters and optionally to (a participant id)` });
      return;
    }
    const live = await getLiveHearing({ db: this.options.db, hearingId, accountId: peer.session.userId }).catch(() => null);
    if (!live?.me) {
      peer.send({ v: 1, type: 'error', code: 'NOT_A_PARTICIPANT', message: 'you are not a participant of this hearing' });
      return;
    }
    this.markPresent(peer, hearingId);
    const fromStaff = STAFF.has(live.me.role);
    const line = {
      v: 1,
      type: 'hearing.chat',
      hearingId,
      from: { participantId: live.me.participantId, displayName: live.me.displayName, role: live.me.role },
      ...(fromStaff && typeof to === 'string' ? { to } : {}),
      text: text.trim(),
      at: new Date().toISOString(),
    };
    // A party's line is private to the court: the staff present and the author see it. The court's
    // line goes to the participant it answers (`to`) and the staff, or without `to` to everyone present.
    const reaches = (other: RealtimePeer): boolean => {
      if (other === peer || STAFF.has(other.session.role)) return true;
      if (!fromStaff) return false;
      return typeof to !== 'string' || this.seats.get(other)?.participantId === to || this.chatSeats.get(other) === to;
    };
    this.chatSeats.set(peer, live.me.participantId);
    for (const other of this.present.get(hearingId) ?? []) {
      if (reaches(other) && other.isOpen) other.send(line);
    }
  }

  private markPresent(peer: RealtimePeer, hearingId: string): void {
    let peers = this.present.get(hearingId);
    if (!peers) this.present.set(hearingId, (peers = new Set()));
    peers.add(peer);
  }

  /** A batch of hearing events: the routers of this node follow their hearings' new summaries. */
  private onHearingEvents(payload: unknown): void {
    const events = batchEvents(payload);
    for (const event of events) {
      if (typeof event?.id !== 'string' || typeof event.state !== 'string' || typeof event.summary !== 'object' || event.summary === null) continue;
      const router = this.options.pool.router(event.id);
      if (router && !router.isClosed) this.follow(router, event.summary as HearingSummary, event.state);
    }
  }

  /** Admission, mute and recording as the hearing actor decided them; the end of the hearing closes its media. */
  private follow(router: HearingRouter, summary: HearingSummary, state: string): void {
    this.summaries.set(router.hearingId, summary);
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
