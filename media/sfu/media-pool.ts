// The root of the media tree on one node: a hearing router per hearing this node owns.
// Which node owns a hearing (the lease) is decided outside; the pool only holds what it was given.
import { HearingRouter, type HearingRouterOptions } from './hearing-router.ts';
import { TypedEvents } from './typed-events.ts';

export type MediaPoolOptions = Omit<HearingRouterOptions, 'hearingId'>;

export interface MediaPoolEvents {
  routerCreated: { hearingId: string };
  routerClosed: { hearingId: string };
}

export class MediaPool {
  readonly events = new TypedEvents<MediaPoolEvents>();
  private readonly routers = new Map<string, HearingRouter>();
  private closePromise: Promise<void> | undefined;

  constructor(private readonly options: MediaPoolOptions = {}) {}

  get hearingIds(): string[] {
    return [...this.routers.keys()];
  }

  get isClosed(): boolean {
    return this.closePromise !== undefined;
  }

  router(hearingId: string): HearingRouter | undefined {
    return this.routers.get(hearingId);
  }

  /** The hearing's router, created on first use. */
  routerFor(hearingId: string, overrides: Partial<MediaPoolOptions> = {}): HearingRouter {
    if (this.closePromise) throw new Error('media pool is closed');
    let router = this.routers.get(hearingId);
    if (!router) {
      const created = new HearingRouter({ ...this.options, ...overrides, hearingId });
      router = created;
      this.routers.set(hearingId, created);
      created.events.on('closed', () => {
        if (this.routers.get(hearingId) === created) this.routers.delete(hearingId);
        this.events.emit('routerClosed', { hearingId });
      });
      this.events.emit('routerCreated', { hearingId });
    }
    return router;
  }

  /** Closes one hearing's media (the hearing ended or moved to another node). */
  async closeHearing(hearingId: string): Promise<void> {
    await this.routers.get(hearingId)?.close();
  }

  /** Closes every router and everything under them; idempotent. */
  close(): Promise<void> {
    if (!this.closePromise) {
      this.closePromise = (async () => {
        await Promise.all([...this.routers.values()].map((router) => router.close()));
        this.routers.clear();
        this.events.clear();
      })();
    }
    return this.closePromise;
  }
}
