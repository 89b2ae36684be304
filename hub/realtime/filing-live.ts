// Live filing updates on the /rt socket (an extension of the realtime channel): court staff follow
// their court's filing queue and receive the filing actor's events as they are journalled; a filer
// follows their inbox and is told when one of their filings moved, so the inbox refetches at once
// instead of waiting for its next poll. One bus subscription per hub node, whatever the sockets.
import type { Bus, BusSubscription } from '../../actors/bus/bus.ts';
import { subjects } from '../../actors/bus/subjects.ts';
import { FILING_DECIDER_ROLES, FILING_KIND } from '../../actors/filing/filing.protocol.ts';
import type { Logger } from '../../platform/logger.ts';
import type { RealtimeExtension, RealtimePeer } from './channel.ts';
import { domainEventSchema } from './protocol.ts';

/** Client → server: follow or stop following the caller's court's filing queue, or the caller's own inbox. */
export const FILING_LIVE_TYPES = ['filingQueue.follow', 'filingQueue.unfollow', 'inbox.follow', 'inbox.unfollow'] as const;

/**
 * Server → client:
 *  { v: 1, type: 'filingQueue.following', courtId } | { v: 1, type: 'filingQueue.unfollowed' }
 *  { v: 1, type: 'filing.event', event: DomainEvent }   (summary: courtId, filedBy, decision, caseNumber)
 *  { v: 1, type: 'inbox.following' } | { v: 1, type: 'inbox.unfollowed' }
 *  { v: 1, type: 'inbox.changed', filingId, state }     (refetch GET /api/v1/me/inbox)
 */
export class FilingLive implements RealtimeExtension {
  readonly types: ReadonlySet<string> = new Set(FILING_LIVE_TYPES);
  private readonly byCourt = new Map<string, Set<RealtimePeer>>();
  private readonly byUser = new Map<string, Set<RealtimePeer>>();
  private subscription: BusSubscription | null = null;

  constructor(private readonly options: { bus: Bus; logger: Logger }) {}

  start(): void {
    this.subscription ??= this.options.bus.subscribe(subjects.actorEventBatch(FILING_KIND), (payload) => this.onFilingEvents(payload));
  }

  stop(): void {
    this.subscription?.unsubscribe();
    this.subscription = null;
    this.byCourt.clear();
    this.byUser.clear();
  }

  handleMessage(peer: RealtimePeer, message: Record<string, unknown>): void {
    const { session } = peer;
    switch (message.type) {
      case 'filingQueue.follow':
        if (!FILING_DECIDER_ROLES.includes(session.role) || session.courtId === null) {
          peer.send({ v: 1, type: 'error', code: 'FORBIDDEN', message: 'Only court staff may follow their court’s filing queue' });
          return;
        }
        add(this.byCourt, session.courtId, peer);
        peer.send({ v: 1, type: 'filingQueue.following', courtId: session.courtId });
        return;
      case 'filingQueue.unfollow':
        if (session.courtId !== null) remove(this.byCourt, session.courtId, peer);
        peer.send({ v: 1, type: 'filingQueue.unfollowed' });
        return;
      case 'inbox.follow':
        add(this.byUser, session.userId, peer);
        peer.send({ v: 1, type: 'inbox.following' });
        return;
      case 'inbox.unfollow':
        remove(this.byUser, session.userId, peer);
        peer.send({ v: 1, type: 'inbox.unfollowed' });
        return;
    }
  }

  handleClose(peer: RealtimePeer): void {
    if (peer.session.courtId !== null) remove(this.byCourt, peer.session.courtId, peer);
    remove(this.byUser, peer.session.userId, peer);
  }

  private onFilingEvents(payload: unknown): void {
    const events = typeof payload === 'object' && payload !== null ? (payload as { events?: unknown }).events : undefined;
    if (!Array.isArray(events)) {
      this.options.logger.warn('ignoring malformed filing event batch from the bus');
      return;
    }
    for (const raw of events) {
      const parsed = domainEventSchema.safeParse(raw);
      if (!parsed.success) continue;
      const event = parsed.data;
      const { courtId, filedBy } = event.summary;
      const staff = typeof courtId === 'string' ? this.byCourt.get(courtId) : undefined;
      if (staff && staff.size > 0) {
        const text = { v: 1, type: 'filing.event', event };
        for (const peer of [...staff]) if (peer.isOpen) peer.send(text);
      }
      const filers = typeof filedBy === 'string' ? this.byUser.get(filedBy) : undefined;
      if (filers && filers.size > 0) {
        const hint = { v: 1, type: 'inbox.changed', filingId: event.id, state: event.state };
        for (const peer of [...filers]) if (peer.isOpen) peer.send(hint);
      }
    }
  }
}

function add(index: Map<string, Set<RealtimePeer>>, key: string, peer: RealtimePeer): void {
  let set = index.get(key);
  if (!set) index.set(key, (set = new Set()));
  set.add(peer);
}

function remove(index: Map<string, Set<RealtimePeer>>, key: string, peer: RealtimePeer): void {
  const set = index.get(key);
  if (!set) return;
  set.delete(peer);
  if (set.size === 0) index.delete(key);
}
